#!/usr/bin/env bash
# Herald next to a real Apache Kafka broker, measured with Kafka's own perf tools in the same run.
#
#   dist/bench/compare-kafka.sh                 one run of the full suite (about 7 min; each further run ~5 min)
#   dist/bench/compare-kafka.sh --runs 2 --quiet-wait 300
#   dist/bench/compare-kafka.sh --records 100000 --e2e-records 1000      quick smoke run
#
# What it does:
#   1. uses ../shared/anchors/kafka (relative to the repository root; KAFKA_ANCHOR overrides), running
#      its setup.sh if lib/ is missing, and builds the distribution if dist/target/herald-*/ is missing;
#   2. starts a single-node Kafka with the anchor's start.sh (its own state dir and ports, so that it
#      does not collide with someone else's anchor) and Herald from dist/target/herald-*/bin/herald-server
#      on another loopback port with its own temporary data dir; both get the anchor's JDK and the same
#      heap and GC flags (KAFKA_HEAP_OPTS, KAFKA_JVM_PERFORMANCE_OPTS of the anchor's env.sh) and
#      group.initial.rebalance.delay.ms=0;
#   3. per run, runs every step against both brokers back to back, alternating which one goes first
#      (the order flips from step to step and from run to run):
#        a   ProducerPerformance  N x 1 KiB, acks=1,   1 partition
#        b   ProducerPerformance  N x 1 KiB, acks=all, 1 partition
#        c   ProducerPerformance  N x 1 KiB, acks=1,   6 partitions
#        f   ProducerPerformance  N x 1 KiB, acks=all, 6 partitions
#        d1  ConsumerPerformance  consume the N records of (a), new group
#        d2  ConsumerPerformance  consume the N records of (c), 6 partitions, new group
#        e   EndToEndLatency      10,000 x 100 B, acks=1, 1 partition (one record in flight)
#      For every step it records the broker's CPU-seconds (utime+stime of /proc/<pid>/stat before and
#      after), the tool's CPU, the idle peer broker's CPU, everything else on the machine (+ steal) and
#      /proc/loadavg, and computes broker CPU-seconds per GB moved (GB = 10^9 bytes of record values);
#   4. prints a summary with Herald/Kafka ratios and writes raw tool output, summary.txt (the table)
#      and steps.tsv (one line per step and broker) to dist/bench/results/<UTC timestamp>/;
#   5. stops both brokers and deletes their data on exit (trap), whatever happened.
#
# Options:
#   --runs N            runs of the suite (default 1); each run gets its own table of ratios
#   --records N         records per produce step (default 1000000); --record-size B (default 1024)
#   --e2e-records N     EndToEndLatency records (default 10000); --e2e-size B (default 100)
#   --steps LIST        subset of a,b,c,f,d,e (default all; d consumes what a and c produced)
#   --quiet-wait S      before each step, wait up to S seconds until other processes use < QUIET_CORES
#                       (0.15) cores (alias --wait-quiet, as the anchor's bench.sh)
#   --warmup N          before run 1, produce and consume N records to 1 partition and N to 6 partitions
#                       (default 500000; 0 = none) on each broker, unmeasured, so that less of either broker's
#                       JIT warm-up lands in the first run (some still does: compare run 1 with run 2)
#   --jfr               record Herald with Java Flight Recorder (profile=settings "profile") into
#                       herald.jfr in the results dir; JFR costs CPU, so do not quote those figures
#   --herald-home DIR   a Herald distribution other than dist/target/herald-*/
# Environment: KAFKA_ANCHOR, KAFKA_PORT (19192), CONTROLLER_PORT (19193), HERALD_PORT (19292),
#   STEP_TIMEOUT (300 s per tool call), QUIET_CORES (0.15), JAVA_HOME (the anchor's default: JDK 17).
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/../.." && pwd)"
ANCHOR="${KAFKA_ANCHOR:-$ROOT/../shared/anchors/kafka}"

RUNS=1; RECORDS=1000000; RECORD_SIZE=1024; E2E_RECORDS=10000; E2E_SIZE=100
STEPS="a,b,c,f,d,e"; WAIT_QUIET=0; JFR=0; HERALD_HOME=""; WARMUP=500000
STEP_TIMEOUT="${STEP_TIMEOUT:-300}"
QUIET_CORES="${QUIET_CORES:-0.15}"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) RUNS="$2"; shift 2;;
    --records) RECORDS="$2"; shift 2;;
    --record-size) RECORD_SIZE="$2"; shift 2;;
    --e2e-records) E2E_RECORDS="$2"; shift 2;;
    --e2e-size) E2E_SIZE="$2"; shift 2;;
    --steps) STEPS="$2"; shift 2;;
    --quiet-wait|--wait-quiet) WAIT_QUIET="$2"; shift 2;;
    --warmup) WARMUP="$2"; shift 2;;
    --jfr) JFR=1; shift;;
    --herald-home) HERALD_HOME="$2"; shift 2;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 0;;
    *) echo "unknown argument $1 (--help lists the options)" >&2; exit 2;;
  esac
done
step() { [[ ",$STEPS," == *",$1,"* ]]; }

# --- the Kafka anchor: its own state dir and ports, single node ---------------------------------------
[[ -d "$ANCHOR" ]] || { echo "Kafka anchor not found at $ANCHOR (set KAFKA_ANCHOR)" >&2; exit 1; }
ANCHOR="$(cd "$ANCHOR" && pwd)"
export NODES=1
export KAFKA_PORT="${KAFKA_PORT:-19192}" CONTROLLER_PORT="${CONTROLLER_PORT:-19193}"
export STATE_DIR; STATE_DIR="$(mktemp -d /tmp/herald-compare-kafka.XXXXXX)"
HERALD_PORT="${HERALD_PORT:-19292}"
if ! ls "$ANCHOR"/lib/broker/kafka_2.13-*.jar >/dev/null 2>&1 || ! ls "$ANCHOR"/lib/tools/kafka-tools-*.jar >/dev/null 2>&1; then
  echo ">> $ANCHOR/lib missing: running its setup.sh"
  "$ANCHOR/setup.sh"
fi
# shellcheck source=/dev/null
source "$ANCHOR/env.sh"   # JAVA, TOOLS_CP, KAFKA_HEAP_OPTS, KAFKA_JVM_PERFORMANCE_OPTS, BOOTSTRAP, PID_FILE, ...
export JAVA_HOME
KAFKA_BOOTSTRAP="$BOOTSTRAP"
HERALD_BOOTSTRAP="127.0.0.1:$HERALD_PORT"

# --- the Herald distribution --------------------------------------------------------------------------
if [[ -z "$HERALD_HOME" ]]; then
  HERALD_HOME="$(ls -d "$ROOT"/dist/target/herald-*/ 2>/dev/null | grep -v -- '-bin' | head -1 || true)"
  if [[ -z "$HERALD_HOME" ]]; then
    echo ">> no distribution in dist/target: building it (./mvnw -q -pl dist -am package -DskipTests)"
    (cd "$ROOT" && ./mvnw -q -pl dist -am package -DskipTests)
    HERALD_HOME="$(ls -d "$ROOT"/dist/target/herald-*/ | head -1)"
  fi
fi
HERALD_HOME="${HERALD_HOME%/}"
[[ -x "$HERALD_HOME/bin/herald-server" ]] || { echo "no bin/herald-server in $HERALD_HOME" >&2; exit 1; }
HERALD_DIR="$(mktemp -d /tmp/herald-compare-herald.XXXXXX)"

for p in "$KAFKA_PORT" "$CONTROLLER_PORT" "$HERALD_PORT"; do
  if port_open "$p"; then echo "port 127.0.0.1:$p is in use; choose others (KAFKA_PORT, CONTROLLER_PORT, HERALD_PORT)" >&2; exit 1; fi
done

TS="$(date -u +%Y%m%dT%H%M%SZ)"
OUT="$BENCH_DIR/results/$TS"; mkdir -p "$OUT"

# --- cleanup: both brokers stopped and their data deleted, however the script ends ---------------------
HPID=""
cleanup() {
  local rc=$?
  set +e
  if [[ -n "$HPID" ]] && kill -0 "$HPID" 2>/dev/null; then
    echo ">> stopping Herald pid $HPID"
    kill -TERM "$HPID"
    for _ in $(seq 1 60); do kill -0 "$HPID" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$HPID" 2>/dev/null; then echo ">> Herald still alive after 30 s, SIGKILL"; kill -KILL "$HPID"; fi
    wait "$HPID" 2>/dev/null
  fi
  [[ -f "$HERALD_DIR/logs/server.log" ]] && cp "$HERALD_DIR/logs/server.log" "$OUT/herald-server.log"
  [[ -f "$STATE_DIR/logs/server.log" ]] && cp "$STATE_DIR/logs/server.log" "$OUT/kafka-server.log"
  [[ -f "$HERALD_DIR/logs/herald-gc.log" ]] && cp "$HERALD_DIR/logs/herald-gc.log" "$OUT/herald-gc.log"
  [[ -f "$STATE_DIR/logs/gc.log" ]] && cp "$STATE_DIR/logs/gc.log" "$OUT/kafka-gc.log"
  "$ANCHOR/stop.sh" --clean >/dev/null
  rm -rf "$HERALD_DIR"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- start both -----------------------------------------------------------------------------------------
echo ">> starting Kafka (anchor start.sh, state in $STATE_DIR)"
"$ANCHOR/start.sh" > "$OUT/kafka-start.log" 2>&1 || { cat "$OUT/kafka-start.log" >&2; exit 1; }
KPID="$(pidfile_pid "$PID_FILE")"

echo ">> starting Herald from $HERALD_HOME (data in $HERALD_DIR)"
mkdir -p "$HERALD_DIR/logs"
HOPTS="${HERALD_OPTS:-}"
[[ $JFR -eq 1 ]] && HOPTS="$HOPTS -XX:StartFlightRecording=filename=$OUT/herald.jfr,settings=profile,dumponexit=true"
HERALD_HEAP_OPTS="$KAFKA_HEAP_OPTS" HERALD_JVM_PERFORMANCE_OPTS="$KAFKA_JVM_PERFORMANCE_OPTS" \
HERALD_LOG_DIR="$HERALD_DIR/logs" HERALD_OPTS="$HOPTS" \
  nohup "$HERALD_HOME/bin/herald-server" \
    --override "listeners=PLAINTEXT://127.0.0.1:$HERALD_PORT" \
    --override "log.dirs=$HERALD_DIR/data" \
    --override "group.initial.rebalance.delay.ms=0" \
    --override "admin.listeners=" \
    > "$HERALD_DIR/logs/stdout.log" 2>&1 < /dev/null &
HPID=$!
for _ in $(seq 1 120); do
  kill -0 "$HPID" 2>/dev/null || { echo "Herald died during start-up" >&2; tail -30 "$HERALD_DIR/logs/stdout.log" >&2; exit 1; }
  if port_open "$HERALD_PORT" && grep -q 'is listening on' "$HERALD_DIR/logs/server.log" 2>/dev/null; then break; fi
  sleep 0.5
done
port_open "$HERALD_PORT" || { echo "Herald not listening after 60 s" >&2; exit 1; }

# --- tools and the noise meter (as the anchor's bench.sh) ------------------------------------------------
L4J="$OUT/log4j2-tools.properties"
printf 'status=warn\nappender.e.type=Console\nappender.e.name=E\nappender.e.target=SYSTEM_ERR\nappender.e.layout.type=PatternLayout\nappender.e.layout.pattern=[%%d] %%p %%m (%%c)%%n\nrootLogger.level=WARN\nrootLogger.appenderRef.e.ref=E\n' > "$L4J"
# shellcheck disable=SC2206
TOOL=("$JAVA" $TOOLS_HEAP_OPTS -XX:+UseG1GC -Djava.awt.headless=true -Dlog4j2.configurationFile="$L4J" -cp "$TOOLS_CP")
CLK_TCK=$(getconf CLK_TCK)
pid_jiffies() { awk '{sub(/^.*\) /,""); print $12+$13}' "/proc/$1/stat" 2>/dev/null || echo 0; }
cpu_snap() { # "wall_ns busy_jiffies measured_broker_jiffies peer_broker_jiffies our_children_jiffies load1"
  local busy c
  busy=$(awk '/^cpu /{print $2+$3+$4+$7+$8+$9}' /proc/stat)
  c=$(awk '{sub(/^.*\) /,""); print $14+$15}' "/proc/$$/stat")
  echo "$(date +%s%N) $busy $(pid_jiffies "$BPID") $(pid_jiffies "$PPID_") $c $(cut -d' ' -f1 /proc/loadavg)"
}
# NOISE after tool(): "wall_s broker_cpu_s broker_cores tool_cores peer_cores other_cores load1_before load1_after"
NOISE=""
tool() { # $1=log name, rest = main class + args; uses BPID (measured broker) and PPID_ (idle peer)
  local log="$OUT/$1.log"; shift
  echo "\$ ${*}" > "$log"
  local s0 s1 rc=0; s0=$(cpu_snap)
  timeout "$STEP_TIMEOUT" "${TOOL[@]}" "$@" >> "$log" 2>&1 || rc=$?
  s1=$(cpu_snap)
  NOISE=$(awk -v a="$s0" -v b="$s1" -v hz="$CLK_TCK" 'BEGIN{split(a,x," ");split(b,y," ");
     w=(y[1]-x[1])/1e9; bu=(y[2]-x[2])/hz; br=(y[3]-x[3])/hz; pe=(y[4]-x[4])/hz; t=(y[5]-x[5])/hz;
     f=bu-br-pe-t; if(f<0)f=0;
     printf "%.1f %.2f %.2f %.2f %.2f %.2f %s %s", w, br, br/w, t/w, pe/w, f/w, x[6], y[6]}')
  echo "# step wall_s broker_cpu_s broker_cores tool_cores peer_broker_cores other_cores load1_before load1_after: $NOISE" >> "$log"
  if [[ $rc -ne 0 ]]; then
    echo "!! step failed or timed out (rc=$rc, limit ${STEP_TIMEOUT}s): $log" >&2; tail -5 "$log" >&2; return 1
  fi
}
wait_quiet() { # up to WAIT_QUIET s until everything but the two brokers uses < QUIET_CORES over 5 s
  [[ "$WAIT_QUIET" -gt 0 ]] || return 0
  local deadline=$(( $(date +%s) + WAIT_QUIET )) a b f
  BPID=$KPID; PPID_=$HPID
  while :; do
    a=$(cpu_snap); sleep 5; b=$(cpu_snap)
    f=$(awk -v a="$a" -v b="$b" -v hz="$CLK_TCK" 'BEGIN{split(a,x," ");split(b,y," ");
        w=(y[1]-x[1])/1e9; printf "%.2f", ((y[2]-x[2])-(y[3]-x[3])-(y[4]-x[4])-(y[5]-x[5]))/hz/w}')
    if awk -v f="$f" -v q="$QUIET_CORES" 'BEGIN{exit !(f<q)}'; then echo "   machine quiet (other cpu $f cores)"; return 0; fi
    if [[ $(date +%s) -ge $deadline ]]; then echo "   gave up waiting for quiet after ${WAIT_QUIET}s (other cpu $f cores), running anyway"; return 0; fi
    echo "   waiting for quiet: other processes use $f cores"
  done
}
use_broker() { # $1 = kafka | herald: sets BOOT, BPID (measured) and PPID_ (the idle peer)
  if [[ "$1" == kafka ]]; then BOOT=$KAFKA_BOOTSTRAP; BPID=$KPID; PPID_=$HPID
  else BOOT=$HERALD_BOOTSTRAP; BPID=$HPID; PPID_=$KPID; fi
}
# steps.tsv: run step broker value1 value2 detail gb wall_s broker_cpu_s broker_cores tool_cores peer_cores other_cores load1_before load1_after
record() { # $1=step $2=broker $3=v1 $4=v2 $5=detail $6=GB moved
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$RUN" "$1" "$2" "$3" "$4" "$5" "$6" "${NOISE// /$'\t'}" >> "$OUT/steps.tsv"
}
noise() { read -r w c bc t pe o l0 l1 <<<"$NOISE"; printf '%ss, broker %s CPU-s (%s cores), tool %s, peer %s, other %s cores, load %s->%s' "$w" "$c" "$bc" "$t" "$pe" "$o" "$l0" "$l1"; }
failed() { NOISE="0 0 0 0 0 0 - -"; record "$1" "$2" "FAILED" "" "see $OUT/$3.log" 0; echo "   $1 $2: FAILED (see $3.log)"; }

create_topic() { # $1=broker $2=topic $3=partitions
  use_broker "$1"
  tool "topic-create-$1-$2" org.apache.kafka.tools.TopicCommand --bootstrap-server "$BOOT" \
      --create --topic "$2" --partitions "$3" --replication-factor 1
}
delete_topic() { use_broker "$1"; tool "topic-delete-$1-$2" org.apache.kafka.tools.TopicCommand --bootstrap-server "$BOOT" --delete --topic "$2" || true; }

produce() { # $1=step $2=broker $3=topic $4=acks
  use_broker "$2"; local name="r$RUN-$1-$2"
  tool "$name" org.apache.kafka.tools.ProducerPerformance --bootstrap-server "$BOOT" --topic "$3" \
      --num-records "$RECORDS" --record-size "$RECORD_SIZE" --throughput -1 \
      --command-property acks="$4" client.id="compare-$name" || { failed "$1" "$2" "$name"; return 0; }
  local l rps mbs p50 p99
  l="$(grep -E '^[0-9]+ records sent, .* 99\.9th' "$OUT/$name.log" | tail -1)"
  rps=$(sed -E 's/.* records sent, ([0-9.]+) records\/sec.*/\1/' <<<"$l")
  mbs=$(sed -E 's/.*\(([0-9.]+) MB\/sec\).*/\1/' <<<"$l")
  p50=$(sed -E 's/.*, ([0-9.]+) ms 50th.*/\1/' <<<"$l"); p99=$(sed -E 's/.*, ([0-9.]+) ms 99th.*/\1/' <<<"$l")
  record "$1" "$2" "$rps" "$mbs" "send->ack p50 $p50 ms, p99 $p99 ms" "$(awk -v n="$RECORDS" -v s="$RECORD_SIZE" 'BEGIN{print n*s/1e9}')"
  echo "   $1 $2: $(printf '%.0f rec/s, %.1f MB/s' "$rps" "$mbs"); $(noise)"
}
consume() { # $1=step $2=broker $3=topic
  use_broker "$2"; local name="r$RUN-$1-$2"
  tool "$name" org.apache.kafka.tools.ConsumerPerformance --bootstrap-server "$BOOT" --topic "$3" \
      --num-records "$RECORDS" --timeout 60000 --group "compare-$name-$TS" --hide-header || { failed "$1" "$2" "$name"; return 0; }
  # CSV: start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
  local l; l="$(grep -E '^[0-9]{4}-[0-9]{2}-[0-9]{2} .*,' "$OUT/$name.log" | tail -1)"
  local _s _e mb mbs n nps reb ft fmbs fnps
  IFS=',' read -r _s _e mb mbs n nps reb ft fmbs fnps <<<"$l"
  n="${n// /}"
  record "$1" "$2" "${nps// /}" "${mbs// /}" "$n msgs; group join ${reb// /} ms; excl. join $(printf '%.0f rec/s %.1f MB/s' "$fnps" "$fmbs")" \
      "$(awk -v n="$n" -v s="$RECORD_SIZE" 'BEGIN{print n*s/1e9}')"
  echo "   $1 $2: $(printf '%.0f rec/s, %.1f MB/s' "$nps" "$mbs"), $n msgs; $(noise)"
  [[ "$n" == "$RECORDS" ]] || echo "   !! $1 $2 consumed $n of $RECORDS records"
}
e2e() { # $1=step $2=broker $3=topic
  use_broker "$2"; local name="r$RUN-$1-$2"
  tool "$name" org.apache.kafka.tools.EndToEndLatency --bootstrap-server "$BOOT" --topic "$3" \
      --num-records "$E2E_RECORDS" --producer-acks 1 --record-size "$E2E_SIZE" || { failed "$1" "$2" "$name"; return 0; }
  local avg pl p50 p99 p999
  avg=$(sed -nE 's/^Avg latency: ([0-9.]+) ms.*/\1/p' "$OUT/$name.log")
  pl=$(sed -nE 's/^Percentiles: (.*)/\1/p' "$OUT/$name.log")
  p50=$(sed -E 's/.*50th = ([0-9]+).*/\1/' <<<"$pl"); p99=$(sed -E 's/.*99th = ([0-9]+).*/\1/' <<<"$pl")
  p999=$(sed -E 's/.*99\.9th = ([0-9]+).*/\1/' <<<"$pl")
  record "$1" "$2" "$avg" "$p50/$p99/$p999" "avg ms; p50/p99/p99.9 ms (whole ms, truncated by the tool)" \
      "$(awk -v n="$E2E_RECORDS" -v s="$E2E_SIZE" 'BEGIN{print n*s/1e9}')"
  echo "   $1 $2: avg $avg ms, p50/p99/p99.9 $p50/$p99/$p999 ms; $(noise)"
}

# --- header -----------------------------------------------------------------------------------------------
{
  echo "date:      $(date -u +%FT%TZ)"
  echo "command:   dist/bench/compare-kafka.sh --runs $RUNS --records $RECORDS --record-size $RECORD_SIZE --e2e-records $E2E_RECORDS --e2e-size $E2E_SIZE --steps $STEPS --quiet-wait $WAIT_QUIET --warmup $WARMUP$([[ $JFR -eq 1 ]] && echo ' --jfr')"
  if [[ "$HERALD_HOME" == "$ROOT"/* ]]; then
    HERALD_BUILD="built from $(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo '?')$(cd "$ROOT" && git diff --quiet HEAD -- server log-engine 2>/dev/null || echo ' + uncommitted changes')"
  else HERALD_BUILD="from $HERALD_HOME"; fi
  echo "herald:    $(basename "$HERALD_HOME") ($HERALD_BUILD), pid $HPID on $HERALD_BOOTSTRAP$([[ $JFR -eq 1 ]] && echo ', WITH JFR')"
  echo "kafka:     broker $(kafka_version), tools $(tools_version) (Maven Central jars), pid $KPID on $KAFKA_BOOTSTRAP"
  echo "jdk:       $("$JAVA" -version 2>&1 | head -2 | tail -1)"
  echo "jvm flags: both brokers: $KAFKA_HEAP_OPTS $KAFKA_JVM_PERFORMANCE_OPTS; tools: $TOOLS_HEAP_OPTS -XX:+UseG1GC"
  echo "host:      $(nproc) cores, $(awk '/MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), kernel $(uname -r)"
  echo "data:      Kafka $STATE_DIR/data, Herald $HERALD_DIR/data ($(df -T "$HERALD_DIR" | awk 'NR==2{print $2}'), page cache, no fsync)"
  echo "suite:     steps $STEPS; $RECORDS x $RECORD_SIZE B produce/consume; e2e $E2E_RECORDS x $E2E_SIZE B acks=1; runs $RUNS; both brokers up all the time, one measured at a time, order alternating"
} | tee "$OUT/summary.txt"
: > "$OUT/steps.tsv"

# --- warm-up (unmeasured): JIT-compile both brokers' produce and fetch paths ----------------------------
if [[ "$WARMUP" -gt 0 ]]; then
  echo "--- warm-up: $WARMUP records to 1 partition and $WARMUP to 6 partitions, produced and consumed on each broker (not measured)" | tee -a "$OUT/summary.txt"
  RUN=0
  for b in kafka herald; do
    for parts in 1 6; do
      create_topic "$b" "cmp-warmup-p$parts" "$parts"
      use_broker "$b"
      tool "warmup-produce-p$parts-$b" org.apache.kafka.tools.ProducerPerformance --bootstrap-server "$BOOT" \
          --topic "cmp-warmup-p$parts" --num-records "$WARMUP" --record-size "$RECORD_SIZE" --throughput -1 \
          --command-property acks=1 || true
      tool "warmup-consume-p$parts-$b" org.apache.kafka.tools.ConsumerPerformance --bootstrap-server "$BOOT" \
          --topic "cmp-warmup-p$parts" --num-records "$WARMUP" --timeout 60000 --group "compare-warmup-$TS" --hide-header || true
      delete_topic "$b" "cmp-warmup-p$parts"
    done
  done
fi

# --- the suite ----------------------------------------------------------------------------------------------
BROKERS=(kafka herald)
pair() { # $1=step index, rest = function and args (broker inserted as 2nd arg): runs it for both, alternating
  local i="$1" fn="$2" st="$3"; shift 3
  wait_quiet
  local first=$(( (i + RUN) % 2 ))
  for b in "${BROKERS[$first]}" "${BROKERS[$((1 - first))]}"; do "$fn" "$st" "$b" "$@"; done
}
for RUN in $(seq 1 "$RUNS"); do
  echo "--- run $RUN/$RUNS (load avg $(cut -d' ' -f1-3 /proc/loadavg))" | tee -a "$OUT/summary.txt"
  T1="cmp-r$RUN-p1-acks1"; T2="cmp-r$RUN-p1-acksall"; T6="cmp-r$RUN-p6-acks1"; T6A="cmp-r$RUN-p6-acksall"; TE="cmp-r$RUN-e2e"
  TOPICS=()
  for b in kafka herald; do
    if step a; then create_topic "$b" "$T1" 1; fi
    if step b; then create_topic "$b" "$T2" 1; fi
    if step c; then create_topic "$b" "$T6" 6; fi
    if step f; then create_topic "$b" "$T6A" 6; fi
    if step e; then create_topic "$b" "$TE" 1; fi
  done
  step a && TOPICS+=("$T1"); step b && TOPICS+=("$T2"); step c && TOPICS+=("$T6"); step f && TOPICS+=("$T6A"); step e && TOPICS+=("$TE")
  if step a; then pair 0 produce a "$T1" 1; fi
  if step b; then pair 1 produce b "$T2" all; fi
  if step c; then pair 2 produce c "$T6" 1; fi
  if step f; then pair 3 produce f "$T6A" all; fi
  if step d && step a; then pair 4 consume d1 "$T1"; fi
  if step d && step c; then pair 5 consume d2 "$T6"; fi
  if step e; then pair 6 e2e e "$TE"; fi
  for b in kafka herald; do for t in "${TOPICS[@]}"; do delete_topic "$b" "$t"; done; done
done

# --- summary with ratios (one table per run; ratios only within a run) -----------------------------------
awk -v quiet="$QUIET_CORES" -f "$BENCH_DIR/summarize.awk" "$OUT/steps.tsv" | tee -a "$OUT/summary.txt"
echo "raw output: $OUT"
