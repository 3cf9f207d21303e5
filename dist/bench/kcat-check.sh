#!/usr/bin/env bash
# Functional check of Herald with a non-JVM Kafka client: Debian's kcat (librdkafka), as
# ../shared/anchors/kafka/kcat-check.sh does against real Kafka. Not a benchmark.
#
#   apt-get install -y kcat                      # Debian 12: kcat 1.7.1, librdkafka 2.0.2
#   dist/bench/kcat-check.sh                     # starts Herald from dist/target/herald-*/ on 127.0.0.1:19392
#                                                # with a temporary data dir, checks, stops it (trap)
#   dist/bench/kcat-check.sh --bootstrap HOST:PORT   # checks a broker that is already running instead
#
# Checks: metadata (-L); produce with acks=1 / acks=all, lz4, zstd, gzip and snappy, keyed, with headers,
# to an explicit partition and through librdkafka's partitioner; the idempotent producer
# (enable.idempotence=true); 10,000 x ~100 B from a file; consume one partition from the beginning and
# check the contents; ListOffsets by timestamp (-Q); consume every partition through a consumer group (-G)
# and check the count and the committed offsets (bin/herald groups describe). Exit code 0 = all passed.
# Environment: HERALD_PORT (19392), JAVA_HOME.
set -euo pipefail
BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/../.." && pwd)"
BOOTSTRAP=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --bootstrap) BOOTSTRAP="$2"; shift 2;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 0;;
    *) echo "unknown argument $1" >&2; exit 2;;
  esac
done
command -v kcat >/dev/null || { echo "kcat is not installed (apt-get install -y kcat)" >&2; exit 1; }
HERALD_HOME="$(ls -d "$ROOT"/dist/target/herald-*/ 2>/dev/null | head -1 || true)"
if [[ -z "$HERALD_HOME" ]]; then
  echo ">> no distribution in dist/target: building it (./mvnw -q -pl dist -am package -DskipTests)"
  (cd "$ROOT" && ./mvnw -q -pl dist -am package -DskipTests)
  HERALD_HOME="$(ls -d "$ROOT"/dist/target/herald-*/ | head -1)"
fi
HERALD_HOME="${HERALD_HOME%/}"

WORK="$(mktemp -d /tmp/herald-kcat-check.XXXXXX)"
HPID=""
cleanup() {
  local rc=$?
  set +e
  if [[ -n "$HPID" ]] && kill -0 "$HPID" 2>/dev/null; then
    kill -TERM "$HPID"
    for _ in $(seq 1 60); do kill -0 "$HPID" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$HPID" 2>/dev/null && kill -KILL "$HPID"
    wait "$HPID" 2>/dev/null
  fi
  rm -rf "$WORK"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [[ -z "$BOOTSTRAP" ]]; then
  PORT="${HERALD_PORT:-19392}"
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then echo "port 127.0.0.1:$PORT is in use (set HERALD_PORT)" >&2; exit 1; fi
  mkdir -p "$WORK/logs"
  HERALD_LOG_DIR="$WORK/logs" nohup "$HERALD_HOME/bin/herald-server" \
      --override "listeners=PLAINTEXT://127.0.0.1:$PORT" --override "log.dirs=$WORK/data" \
      --override "group.initial.rebalance.delay.ms=0" > "$WORK/logs/stdout.log" 2>&1 < /dev/null &
  HPID=$!
  for _ in $(seq 1 120); do
    kill -0 "$HPID" 2>/dev/null || { echo "Herald died during start-up" >&2; tail -20 "$WORK/logs/stdout.log" >&2; exit 1; }
    grep -q 'is listening on' "$WORK/logs/server.log" 2>/dev/null && break
    sleep 0.5
  done
  BOOTSTRAP="127.0.0.1:$PORT"
  echo ">> Herald $(basename "$HERALD_HOME") started on $BOOTSTRAP (pid $HPID)"
fi

FAILS=0
check() { # $1 = description, $2 = expected, $3 = actual
  if [[ "$2" == "$3" ]]; then echo "   PASS $1"; else
    echo "   FAIL $1: expected [$2], got [$3]"; FAILS=$((FAILS + 1))
    [[ -s "$WORK/kcat-stderr.log" ]] && tail -3 "$WORK/kcat-stderr.log" | sed 's/^/        kcat: /'
  fi
  : > "$WORK/kcat-stderr.log"
}
HERALD=("$HERALD_HOME/bin/herald" --bootstrap-server "$BOOTSTRAP")
T="kcat-check-$(date +%s)"
"${HERALD[@]}" topics create "$T" --partitions 3 >/dev/null
kcat -V | sed -n '1p;4p'

echo "== metadata (-L)"
META="$(timeout 30 kcat -b "$BOOTSTRAP" -L -t "$T")"
echo "$META" | sed 's/^/   /'
check "metadata lists 3 partitions of $T" 3 "$(grep -c 'partition [0-9]*, leader' <<<"$META")"

echo "== produce"
printf 'hello-1\nhello-2\nhello-3\n' | timeout 30 kcat -b "$BOOTSTRAP" -P -t "$T" -p 0 -z lz4 -X topic.request.required.acks=1
printf 'k1:v1\nk2:v2\nk3:v3\n' | timeout 30 kcat -b "$BOOTSTRAP" -P -t "$T" -K: -z zstd -X topic.request.required.acks=-1
printf 'gzip-1\n' | timeout 30 kcat -b "$BOOTSTRAP" -P -t "$T" -p 1 -z gzip
printf 'snappy-1\n' | timeout 30 kcat -b "$BOOTSTRAP" -P -t "$T" -p 2 -z snappy -H origin=kcat -H check=headers
timeout 60 awk 'BEGIN{for(i=1;i<=1000;i++) printf "idem-%04d\n", i}' \
  | timeout 60 kcat -b "$BOOTSTRAP" -P -t "$T" -X enable.idempotence=true
PAY="$WORK/payload.txt"
awk 'BEGIN{x=sprintf("%90s",""); gsub(/ /,"x",x); for(i=1;i<=10000;i++) printf "msg-%05d-%s\n", i, x}' > "$PAY"
s=$(date +%s%N)
timeout 60 kcat -b "$BOOTSTRAP" -P -t "$T" -X topic.request.required.acks=1 -l "$PAY"
echo "   10,000 x ~100 B took $(( ($(date +%s%N) - s) / 1000000 )) ms including kcat's start-up"
EXPECTED=$((3 + 3 + 1 + 1 + 1000 + 10000))

echo "== consume partition 0 from the beginning (-C -p 0 -e)"
P0="$(timeout 30 kcat -b "$BOOTSTRAP" -C -t "$T" -p 0 -o beginning -e -f '%p@%o %s\n' 2>>"$WORK/kcat-stderr.log" || true)"
head -3 <<<"$P0" | sed 's/^/   /'
check "partition 0 starts with the lz4 batch hello-1..3 at offsets 0..2" \
  "0@0 hello-1|0@1 hello-2|0@2 hello-3" "$(head -3 <<<"$P0" | paste -sd'|')"
P1="$(timeout 30 kcat -b "$BOOTSTRAP" -C -t "$T" -p 1 -o beginning -e -f '%s\n' 2>>"$WORK/kcat-stderr.log" || true)"
P2="$(timeout 30 kcat -b "$BOOTSTRAP" -C -t "$T" -p 2 -o beginning -e -f '%h %s\n' 2>>"$WORK/kcat-stderr.log" || true)"
check "gzip record on partition 1" "gzip-1" "$(grep -x 'gzip-1' <<<"$P1" || true)"
check "snappy record with its headers on partition 2" "origin=kcat,check=headers snappy-1" "$(grep 'snappy-1' <<<"$P2" || true)"
ALL="$(for p in 0 1 2; do timeout 30 kcat -b "$BOOTSTRAP" -C -t "$T" -p "$p" -o beginning -e -f '%k:%s\n' 2>>"$WORK/kcat-stderr.log" || true; done)"
check "keyed zstd records k1..k3" "k1:v1 k2:v2 k3:v3" "$(grep -E '^k[0-9]:' <<<"$ALL" | sort | paste -sd' ')"
check "idempotent producer: 1000 distinct records, no duplicates" "1000 1000" \
  "$(grep -c ':idem-' <<<"$ALL" || true) $(grep ':idem-' <<<"$ALL" | sort -u | wc -l)"

echo "== ListOffsets by timestamp (-Q)"
Q="$(timeout 30 kcat -b "$BOOTSTRAP" -Q -t "$T:0:0" 2>&1 || true)"
echo "   $Q"
check "offset of timestamp 0 on partition 0" 0 "$(sed -nE 's/.*offset ([0-9-]+).*/\1/p' <<<"$Q")"

echo "== consume every partition through a consumer group (-G, auto.offset.reset=earliest)"
G="kcat-check-group-$T"
N=$(timeout 60 kcat -b "$BOOTSTRAP" -G "$G" -X auto.offset.reset=earliest -e -f '%p\n' "$T" 2>>"$WORK/kcat-stderr.log" | wc -l || true)
check "records consumed through the group" "$EXPECTED" "$N"
sleep 1
DESC="$("${HERALD[@]}" groups describe "$G" 2>&1 || true)"
echo "$DESC" | sed 's/^/   /'
# columns: GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG ...
check "committed offsets of the 3 partitions, their sum, and the total lag" "3 $EXPECTED 0" \
  "$(awk -v t="$T" '$2 == t {n++; c+=$4; l+=$6} END{print n+0, c+0, l+0}' <<<"$DESC")"

"${HERALD[@]}" topics delete "$T" >/dev/null
if [[ $FAILS -eq 0 ]]; then echo "kcat check against $BOOTSTRAP: OK"; else echo "kcat check against $BOOTSTRAP: $FAILS FAILED"; exit 1; fi
