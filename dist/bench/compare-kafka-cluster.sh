#!/usr/bin/env bash
# A 3-broker Herald cluster next to a real 3-node Kafka (KRaft) cluster on this machine, measured with Kafka's
# ProducerPerformance in the same run: RF=3, min.insync.replicas=2, acks=all.
#   dist/bench/compare-kafka-cluster.sh                       2 runs of 300 000 x 1 KiB records to 6 partitions
#   dist/bench/compare-kafka-cluster.sh --records 1000000 --runs 3 --partitions 1
# What it does:
#   1. uses ../shared/anchors/kafka (KAFKA_ANCHOR overrides; its lib/ must exist: run its setup.sh, in a copy if
#      the anchor directory is read-only) and the distribution in dist/target/herald-*/ (built if missing);
#   2. starts 3 Kafka nodes with the anchor's start.sh (NODES=3, own state dir and ports) and 3 Herald brokers
#      with bin/herald-server (cluster.members on loopback, own data dirs), all with the anchor's heap and GC flags
#      for multi-node runs (512 MiB per node);
#   3. per run, creates a fresh topic on each cluster and runs ProducerPerformance against both, alternating which
#      goes first, and prints records/s and the send->ack p99 of each, with Herald/Kafka ratios;
#   4. writes the tool output and summary.txt to dist/bench/results/<UTC timestamp>-cluster/;
#   5. stops every broker it started (by pid) and deletes their data on exit.
# Environment: KAFKA_ANCHOR, KAFKA_PORT (19192; nodes +2 each), CONTROLLER_PORT (19193), HERALD_PORT (19292; nodes
#   +1 each), HERALD_CLUSTER_PORT (19392; nodes +1 each), STEP_TIMEOUT (300 s per tool call).
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/../.." && pwd)"
ANCHOR="${KAFKA_ANCHOR:-$ROOT/../shared/anchors/kafka}"
RUNS=2; RECORDS=300000; RECORD_SIZE=1024; PARTS=6
STEP_TIMEOUT="${STEP_TIMEOUT:-300}"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) RUNS="$2"; shift 2;;
    --records) RECORDS="$2"; shift 2;;
    --record-size) RECORD_SIZE="$2"; shift 2;;
    --partitions) PARTS="$2"; shift 2;;
    *) echo "unknown option $1" >&2; exit 2;;
  esac
done

export NODES=3
export KAFKA_PORT="${KAFKA_PORT:-19192}" CONTROLLER_PORT="${CONTROLLER_PORT:-19193}"
export STATE_DIR="${STATE_DIR:-/tmp/herald-compare-kafka3}"
# shellcheck disable=SC1091
source "$ANCHOR/env.sh"   # JAVA, TOOLS_CP, KAFKA_HEAP_OPTS, KAFKA_JVM_PERFORMANCE_OPTS, BOOTSTRAP, node_pid, ...
need_lib
HERALD_PORT="${HERALD_PORT:-19292}"
HERALD_CLUSTER_PORT="${HERALD_CLUSTER_PORT:-19392}"
HERALD_HOME="$(ls -d "$ROOT"/dist/target/herald-*/ 2>/dev/null | head -1 || true)"
if [[ -z "$HERALD_HOME" ]]; then
  (cd "$ROOT" && ./mvnw -q -pl dist -am package -DskipTests)
  HERALD_HOME="$(ls -d "$ROOT"/dist/target/herald-*/ | head -1)"
fi
HERALD_HOME="${HERALD_HOME%/}"
HERALD_DIR="$(mktemp -d /tmp/herald-compare-cluster.XXXXXX)"
OUT="$BENCH_DIR/results/$(date -u +%Y%m%dT%H%M%SZ)-cluster"; mkdir -p "$OUT"

HPIDS=()
cleanup() {
  local rc=$?
  set +e
  for pid in "${HPIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  for pid in "${HPIDS[@]}"; do
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  done
  for i in 1 2 3; do cp "$HERALD_DIR/b$i/logs/server.log" "$OUT/herald-$i.log" 2>/dev/null; done
  "$ANCHOR/stop.sh" --clean >/dev/null
  rm -rf "$HERALD_DIR"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo ">> starting 3 Kafka nodes (state in $STATE_DIR)"
"$ANCHOR/start.sh" > "$OUT/kafka-start.log" 2>&1 || { cat "$OUT/kafka-start.log" >&2; exit 1; }

echo ">> starting 3 Herald brokers from $HERALD_HOME (data in $HERALD_DIR)"
MEMBERS="127.0.0.1:$HERALD_CLUSTER_PORT,127.0.0.1:$((HERALD_CLUSTER_PORT + 1)),127.0.0.1:$((HERALD_CLUSTER_PORT + 2))"
HBOOT=""
for i in 1 2 3; do
  mkdir -p "$HERALD_DIR/b$i/logs"
  HERALD_HEAP_OPTS="$KAFKA_HEAP_OPTS" HERALD_JVM_PERFORMANCE_OPTS="$KAFKA_JVM_PERFORMANCE_OPTS" \
  HERALD_LOG_DIR="$HERALD_DIR/b$i/logs" \
    nohup "$HERALD_HOME/bin/herald-server" \
      --override "node.id=$i" \
      --override "listeners=PLAINTEXT://127.0.0.1:$((HERALD_PORT + i - 1))" \
      --override "log.dirs=$HERALD_DIR/b$i/data" \
      --override "cluster.members=$MEMBERS" \
      --override "cluster.port=$((HERALD_CLUSTER_PORT + i - 1))" \
      --override "group.initial.rebalance.delay.ms=0" \
      --override "admin.listeners=" \
      > "$HERALD_DIR/b$i/logs/stdout.log" 2>&1 < /dev/null &
  HPIDS+=($!)
  HBOOT="${HBOOT:+$HBOOT,}127.0.0.1:$((HERALD_PORT + i - 1))"
done

tool() { # $1=log name, rest: class and arguments
  local name="$1"; shift
  timeout "$STEP_TIMEOUT" "$JAVA" $TOOLS_HEAP_OPTS -cp "$TOOLS_CP" "$@" > "$OUT/$name.log" 2>&1
}
create_topic() { # $1=bootstrap $2=topic; retried while brokers are still joining
  for _ in $(seq 1 60); do
    tool "create-$2" org.apache.kafka.tools.TopicCommand --bootstrap-server "$1" --create --topic "$2" \
        --partitions "$PARTS" --replication-factor 3 --config min.insync.replicas=2 && return 0
    sleep 2
  done
  echo "could not create $2" >&2; cat "$OUT/create-$2.log" >&2; return 1
}
produce() { # $1=name $2=bootstrap $3=topic -> "rps p99"
  tool "$1" org.apache.kafka.tools.ProducerPerformance --bootstrap-server "$2" --topic "$3" \
      --num-records "$RECORDS" --record-size "$RECORD_SIZE" --throughput -1 --command-property acks=all
  local l; l="$(grep -E '^[0-9]+ records sent, .* 99\.9th' "$OUT/$1.log" | tail -1)"
  echo "$(sed -E 's/.* records sent, ([0-9.]+) records\/sec.*/\1/' <<<"$l") $(sed -E 's/.*, ([0-9.]+) ms 99th.*/\1/' <<<"$l")"
}

{
  echo "RF=3 min.insync.replicas=2 acks=all, $RECORDS x $RECORD_SIZE B, $PARTS partitions, 3 brokers each on loopback"
  echo "Kafka $(kafka_version) (KRaft, each node broker+controller) vs Herald $(basename "$HERALD_HOME"); heap $KAFKA_HEAP_OPTS"
  printf '%-4s %14s %14s %8s %12s %12s %8s\n' run herald_rec/s kafka_rec/s ratio herald_p99 kafka_p99 ratio
} | tee "$OUT/summary.txt"
for run in $(seq 1 "$RUNS"); do
  create_topic "$HBOOT" "h$run"
  create_topic "$BOOTSTRAP" "k$run"
  if (( run % 2 == 1 )); then
    read -r hr hp < <(produce "r$run-herald" "$HBOOT" "h$run"); read -r kr kp < <(produce "r$run-kafka" "$BOOTSTRAP" "k$run")
  else
    read -r kr kp < <(produce "r$run-kafka" "$BOOTSTRAP" "k$run"); read -r hr hp < <(produce "r$run-herald" "$HBOOT" "h$run")
  fi
  awk -v r="$run" -v hr="$hr" -v kr="$kr" -v hp="$hp" -v kp="$kp" 'BEGIN {
      printf "%-4s %14.0f %14.0f %8.2f %10.0fms %10.0fms %8.2f\n", r, hr, kr, hr / kr, hp, kp, hp / kp }' \
    | tee -a "$OUT/summary.txt"
done
echo ">> results in $OUT"
