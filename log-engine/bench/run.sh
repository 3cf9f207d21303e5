#!/usr/bin/env bash
# The log engine's benchmarks, each figure stated as a fraction of the machine's limit measured in the same run.
#
#   log-engine/bench/run.sh [JMH options]        e.g.  log-engine/bench/run.sh -prof gc
#
# 1. builds target/benchmarks.jar (./mvnw -pl log-engine -am package -Pjmh -DskipTests; never `install`);
# 2. measures the limits: dd sequential write with and without fdatasync, dd sync writes of 128 KiB, dd page-cache
#    read, iperf3 over loopback (installed with apt-get when missing and running as root);
# 3. runs the JMH benchmarks (JMH options given here are passed on; BENCH=regex picks benchmarks);
# 4. prints the summary table; everything is kept in log-engine/target/bench-results/.
#
# Environment: HERALD_BENCH_DIR  data directory, on the disk to measure (default log-engine/target/jmh-data)
#              BENCH             JMH benchmark regex (default: all of io.herald.log.bench)
#              SKIP_BUILD=1      use the jar already built
#              WAIT_QUIET=S      first wait up to S seconds for the 1-minute load average to fall below 1
# Takes about 3 minutes. The machine is shared: the load average is printed beside every step; compare fractions
# taken in one run, not absolute figures across runs.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
module=$(dirname "$here")
root=$(dirname "$module")
data=${HERALD_BENCH_DIR:-$module/target/jmh-data}
results=$module/target/bench-results
jar=$module/target/benchmarks.jar
bench=${BENCH:-'^io\.herald\.log\.bench\.'}

mkdir -p "$data" "$results"
summary=$results/summary.txt
: >"$summary"
say() { echo "$@" | tee -a "$summary"; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

# ---- 1. build ---------------------------------------------------------------------------------------------------
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    echo "== building $jar"
    (cd "$root" && ./mvnw -q -pl log-engine -am package -Pjmh -DskipTests)
fi
[[ -f "$jar" ]] || { echo "no $jar: build failed?" >&2; exit 1; }

if [[ -n "${WAIT_QUIET:-}" ]]; then
    deadline=$((SECONDS + WAIT_QUIET))
    while awk '{ exit !($1 >= 1) }' /proc/loadavg && ((SECONDS < deadline)); do sleep 10; done
fi

# ---- machine ----------------------------------------------------------------------------------------------------
fstype=$(df -T "$data" | awk 'NR == 2 { print $2 }')
say "== Herald log-engine benchmarks, $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
say "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo), kernel $(uname -r)"
say "java:    $(java -version 2>&1 | head -1)"
say "data:    $data ($fstype, $(df -h "$data" | awk 'NR == 2 { print $4 }') free)"
say "vm:      dirty_background_ratio=$(cat /proc/sys/vm/dirty_background_ratio) dirty_ratio=$(cat /proc/sys/vm/dirty_ratio)"
say "load average at start: $(load); other JVMs running: $(pgrep -c -x java || true)"
if [[ "$fstype" == tmpfs || "$fstype" == ramfs ]]; then
    echo "WARNING: $data is on $fstype, not a disk; set HERALD_BENCH_DIR to a directory on the disk" >&2
fi

# ---- 2. limits --------------------------------------------------------------------------------------------------
# dd prints "N bytes (...) copied, S s, R MB/s" on its last line; MB/s here is always 10^6 bytes per second.
dd_mbs() { # dd arguments...
    dd "$@" 2>&1 | awk '/copied/ { for (i = 1; i <= NF; i++) if ($i ~ /^s,?$/) s = $(i - 1); printf "%.0f", $1 / s / 1e6 }'
}
ddfile=$data/dd.bin
rm -f "$ddfile"
dd_sync=$(dd_mbs if=/dev/zero of="$ddfile" bs=1M count=1024 conv=fdatasync)
say "dd write 1 GiB bs=1M conv=fdatasync (to disk):   $dd_sync MB/s   load $(load)"
rm -f "$ddfile"
dd_cache=$(dd_mbs if=/dev/zero of="$ddfile" bs=1M count=1024)
say "dd write 1 GiB bs=1M (page cache, no sync):      $dd_cache MB/s   load $(load)"
dd_read=$(dd_mbs if="$ddfile" of=/dev/null bs=1M)
say "dd read  1 GiB bs=1M of the cached file:         $dd_read MB/s   load $(load)"
rm -f "$ddfile"
dd_cache16=$(dd_mbs if=/dev/zero of="$ddfile" bs=16k count=65536)
say "dd write 1 GiB bs=16k (page cache, no sync):     $dd_cache16 MB/s   load $(load)"
rm -f "$ddfile"
dd_dsync=$(dd_mbs if=/dev/zero of="$ddfile" bs=128k count=512 oflag=dsync)
say "dd write 64 MiB bs=128k oflag=dsync (sync each): $dd_dsync MB/s   load $(load)"
rm -f "$ddfile"

if ! command -v iperf3 >/dev/null; then
    if [[ $(id -u) == 0 ]]; then
        echo "== installing iperf3"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq iperf3 >/dev/null \
            || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq iperf3 >/dev/null; }
    else
        echo "iperf3 is missing: install it (sudo apt-get install -y iperf3) and run again" >&2
        exit 1
    fi
fi
iperf() { # iperf3 client options...; prints the receiver's MB/s
    local port=$((20000 + RANDOM % 20000))
    iperf3 -s -1 -B 127.0.0.1 -p "$port" >/dev/null 2>&1 &
    local server=$!
    sleep 1
    iperf3 -c 127.0.0.1 -p "$port" -t 5 -f m "$@" 2>&1 \
        | awk '/receiver/ { for (i = 1; i <= NF; i++) if ($i == "Mbits/sec") printf "%.0f", $(i - 1) / 8 }'
    wait "$server" 2>/dev/null || true
}
tcp=$(iperf)
say "iperf3 loopback TCP, 1 stream, 5 s:              $tcp MB/s   load $(load)"
tcp_zero=$(iperf -Z)
say "iperf3 loopback TCP, 1 stream, 5 s, -Z sendfile: $tcp_zero MB/s   load $(load)"

# ---- 3. JMH -----------------------------------------------------------------------------------------------------
say "load average before JMH: $(load)"
java -jar "$jar" "$bench" -rf csv -rff "$results/jmh.csv" \
    -jvmArgsAppend "-Dherald.bench.dir=$data" "$@" | tee "$results/jmh.log"
say "load average after JMH: $(load)"

# ---- 4. summary -------------------------------------------------------------------------------------------------
# jmh.csv: "Benchmark","Mode","Threads","Samples","Score","Score Error (99.9%)","Unit","Param: buffer",...
score() { # benchmark name (name:bytes for the byte rate), "param=value" or ""; prints "MB/s error" (ops/s for others)
    awk -F, -v name="\"$1\"" -v want="$2" '
        NR == 1 {
            for (i = 1; i <= NF; i++) if ($i ~ /^"Param: /) { p = $i; gsub(/"|Param: /, "", p); col[p] = i }
            split(want, kv, "=")
            next
        }
        $1 == name && (want == "" || $col[kv[1]] == kv[2]) {
            scale = (name ~ /:bytes"$/) ? 1e6 : 1
            err = ($6 == "NaN") ? "-" : sprintf("%.0f", $6 / scale)
            printf "%.0f %s", $5 / scale, err
            exit
        }' "$results/jmh.csv"
}
pct() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b == 0) print "-"; else printf "%.0f%%", 100 * a / b }'; }

row() { # label, "value error", limit label, limit
    local v=${2% *} e=${2#* }
    printf '%-44s %8s ±%-6s %-36s %8s  %6s\n' "$1" "$v" "$e" "$3" "$4" "$(pct "$v" "$4")" | tee -a "$summary"
}
say ""
say "== results (MB/s = 10^6 bytes/s; ± is JMH's 99.9% error)"
printf '%-44s %8s  %-6s %-36s %8s  %6s\n' "benchmark" "MB/s" "" "limit" "MB/s" "share" | tee -a "$summary"
a_heap=$(score io.herald.log.bench.AppendBenchmark.append:bytes buffer=heap)
a_direct=$(score io.herald.log.bench.AppendBenchmark.append:bytes buffer=direct)
baseline=$(score io.herald.log.bench.FileWriteBaselineBenchmark.write:bytes "")
gc=$(score io.herald.log.bench.GroupCommitAppendBenchmark.appendDurably:bytes "")
rd=$(score io.herald.log.bench.TransferToReadBenchmark.readAndTransfer:bytes "")
if [[ -n "$a_heap" ]]; then
    row "append, no fsync (heap batch)" "$a_heap" "dd page-cache write bs=1M (fair)" "$dd_cache"
    row "" "$a_heap" "dd page-cache write bs=16k" "$dd_cache16"
    row "" "$a_heap" "dd write + fdatasync (disk)" "$dd_sync"
fi
if [[ -n "$a_direct" ]]; then
    row "append, no fsync (direct batch)" "$a_direct" "dd page-cache write bs=1M (fair)" "$dd_cache"
fi
if [[ -n "$baseline" ]]; then
    row "control: bare FileChannel.write 16 KiB" "$baseline" "dd page-cache write bs=1M" "$dd_cache"
    [[ -n "$a_heap" ]] && row "append (heap) vs the bare write" "$a_heap" "bare FileChannel.write" "${baseline% *}"
fi
if [[ -n "$gc" ]]; then
    row "append, fsync each, group commit, 8 thr" "$gc" "dd write + fdatasync (disk)" "$dd_sync"
    row "" "$gc" "dd sync writes bs=128k (oflag=dsync)" "$dd_dsync"
    per_fsync=$(grep -o 'all measurement iterations .*' "$results/jmh.log" | tail -1 || true)
    say "  group commit over the measurement: ${per_fsync#all measurement iterations }"
fi
if [[ -n "$rd" ]]; then
    row "read + transferTo to loopback TCP, 1 MiB" "$rd" "iperf3 loopback TCP (fair)" "$tcp"
    row "" "$rd" "iperf3 -Z (sendfile) loopback" "$tcp_zero"
    row "" "$rd" "dd page-cache read" "$dd_read"
fi
say ""
say "goals (issue 2): append, no fsync >= 70% of the sequential-write limit; transferTo read >= 70% of loopback TCP"
say "kept in $results: summary.txt, jmh.log, jmh.csv"
