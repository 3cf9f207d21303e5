#!/usr/bin/env bash
# TLS against plaintext, Herald against a real Apache Kafka, with Kafka's own perf tools in the same run.
#
#   dist/bench/compare-tls.sh                      (about 3 min)
#   dist/bench/compare-tls.sh --records 200000      quicker
#
# Each broker (Kafka from ../shared/anchors/kafka's lib/, Herald from dist/target/herald-*/) listens twice:
# PLAINTEXT and SSL (TLS 1.3, one key pair made with `herald certs`, PKCS12), both on 127.0.0.1, same heap and GC
# flags. For each (broker, listener) in alternating order: ProducerPerformance N x 1 KiB, acks=1, one partition,
# then ConsumerPerformance reading them back. Prints MB/s per cell, TLS/plaintext per broker and Herald/Kafka per
# listener, and writes the raw tool output to dist/bench/results/<UTC timestamp>-tls/. Brokers stop on exit.
# Environment: KAFKA_ANCHOR, JAVA_HOME (the anchor's default), PORT_BASE (19400).
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/../.." && pwd)"
ANCHOR="${KAFKA_ANCHOR:-$ROOT/../shared/anchors/kafka}"
RECORDS=500000
while [[ $# -gt 0 ]]; do
  case "$1" in
    --records) RECORDS="$2"; shift 2;;
    *) echo "unknown option $1" >&2; exit 2;;
  esac
done
# shellcheck source=/dev/null
source "$ANCHOR/env.sh"
[[ -d "$ANCHOR/lib/broker" ]] || "$ANCHOR/setup.sh"
HERALD_HOME="$(ls -d "$ROOT"/dist/target/herald-*/ 2>/dev/null | grep -v '\.tar' | head -1 || true)"
if [[ -z "$HERALD_HOME" ]]; then (cd "$ROOT" && ./mvnw -q -pl dist -am package -DskipTests); HERALD_HOME="$(ls -d "$ROOT"/dist/target/herald-*/ | head -1)"; fi

P="${PORT_BASE:-19400}"
K_PLAIN=$P; K_SSL=$((P + 1)); K_CTRL=$((P + 2)); H_PLAIN=$((P + 3)); H_SSL=$((P + 4))
OUT="$BENCH_DIR/results/$(date -u +%Y%m%dT%H%M%SZ)-tls"; mkdir -p "$OUT"
WORK="$(mktemp -d /tmp/herald-tls-bench.XXXXXX)"
KPID=""; HPID=""
cleanup() {
  for p in $HPID $KPID; do kill "$p" 2>/dev/null || true; done
  for p in $HPID $KPID; do for _ in $(seq 1 60); do kill -0 "$p" 2>/dev/null || break; sleep 0.5; done; kill -9 "$p" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

echo ">> certificates (herald certs) in $WORK/certs"
"$HERALD_HOME/bin/herald" certs create-ca --out-dir "$WORK/ca" --truststore-password changeit > "$OUT/certs.log"
"$HERALD_HOME/bin/herald" certs create-broker --ca-dir "$WORK/ca" --dns localhost --ip 127.0.0.1 \
  --out-dir "$WORK/certs" --format pkcs12 --pkcs12-password changeit >> "$OUT/certs.log"
KEYSTORE="$(ls "$WORK"/certs/*.p12 | head -1)"
TRUSTSTORE="$WORK/ca/truststore.p12"; TS_TYPE=PKCS12
SSL_PROPS="ssl.keystore.type=PKCS12
ssl.keystore.location=$KEYSTORE
ssl.keystore.password=changeit
ssl.truststore.type=$TS_TYPE
ssl.truststore.location=$TRUSTSTORE
$( [[ $TS_TYPE == PKCS12 ]] && echo ssl.truststore.password=changeit )
ssl.enabled.protocols=TLSv1.3"

echo ">> starting Kafka $(kafka_version) (PLAINTEXT $K_PLAIN, SSL $K_SSL)"
mkdir -p "$WORK/kafka/data"
cat > "$WORK/kafka/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$K_CTRL
listeners=PLAINTEXT://127.0.0.1:$K_PLAIN,SSL://127.0.0.1:$K_SSL,CONTROLLER://127.0.0.1:$K_CTRL
advertised.listeners=PLAINTEXT://127.0.0.1:$K_PLAIN,SSL://127.0.0.1:$K_SSL
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SSL:SSL
log.dirs=$WORK/kafka/data
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
$SSL_PROPS
PROPS
L4J="$WORK/log4j2.properties"
printf 'status=warn\nappender.e.type=Console\nappender.e.name=E\nappender.e.target=SYSTEM_ERR\nappender.e.layout.type=PatternLayout\nappender.e.layout.pattern=[%%d] %%p %%m (%%c)%%n\nrootLogger.level=WARN\nrootLogger.appenderRef.e.ref=E\n' > "$L4J"
"$JAVA" -Dlog4j2.configurationFile="$L4J" -cp "$BROKER_CP" kafka.tools.StorageTool format \
  -t "$("$JAVA" -cp "$BROKER_CP" kafka.tools.StorageTool random-uuid 2>/dev/null)" -c "$WORK/kafka/server.properties" > "$OUT/kafka-format.log" 2>&1
# shellcheck disable=SC2086
nohup "$JAVA" $KAFKA_HEAP_OPTS $KAFKA_JVM_PERFORMANCE_OPTS -Dlog4j2.configurationFile="$L4J" -cp "$BROKER_CP" \
  kafka.Kafka "$WORK/kafka/server.properties" > "$OUT/kafka-server.log" 2>&1 < /dev/null &
KPID=$!

echo ">> starting Herald from $HERALD_HOME (PLAINTEXT $H_PLAIN, SSL $H_SSL)"
mkdir -p "$WORK/herald/logs"
HARGS=(--override "listeners=PLAINTEXT://127.0.0.1:$H_PLAIN,SSL://127.0.0.1:$H_SSL"
       --override "log.dirs=$WORK/herald/data" --override "group.initial.rebalance.delay.ms=0" --override "admin.listeners=")
while IFS= read -r line; do [[ -n "$line" ]] && HARGS+=(--override "$line"); done <<< "$SSL_PROPS"
HERALD_HEAP_OPTS="$KAFKA_HEAP_OPTS" HERALD_JVM_PERFORMANCE_OPTS="$KAFKA_JVM_PERFORMANCE_OPTS" \
HERALD_LOG_DIR="$WORK/herald/logs" nohup "$HERALD_HOME/bin/herald-server" "${HARGS[@]}" \
  > "$OUT/herald-stdout.log" 2>&1 < /dev/null &
HPID=$!
for port in $K_PLAIN $K_SSL $H_PLAIN $H_SSL; do
  for _ in $(seq 1 120); do port_open "$port" && break; sleep 0.5; done
  port_open "$port" || { echo "port $port not open after 60 s" >&2; tail -20 "$OUT"/*.log >&2; exit 1; }
done
sleep 2

CLIENT_SSL="$WORK/client-ssl.properties"
printf 'security.protocol=SSL\nssl.truststore.type=%s\nssl.truststore.location=%s\n%s\n' "$TS_TYPE" "$TRUSTSTORE" \
  "$( [[ $TS_TYPE == PKCS12 ]] && echo ssl.truststore.password=changeit )" > "$CLIENT_SSL"
CLIENT_PLAIN="$WORK/client-plain.properties"; : > "$CLIENT_PLAIN"
TOOL=("$JAVA" $TOOLS_HEAP_OPTS -XX:+UseG1GC -Dlog4j2.configurationFile="$L4J" -cp "$TOOLS_CP")

declare -A PRODUCE CONSUME
run_cell() { # broker listener port config
  local b=$1 l=$2 port=$3 cfg=$4 topic="tls-bench-$1-$2" log="$OUT/$1-$2"
  timeout 300 "${TOOL[@]}" org.apache.kafka.tools.ProducerPerformance --topic "$topic" --num-records "$RECORDS" \
    --record-size 1024 --throughput -1 --producer.config "$cfg" \
    --producer-props bootstrap.servers=127.0.0.1:$port acks=1 > "$log-produce.log" 2>&1
  PRODUCE[$b-$l]=$(tail -1 "$log-produce.log" | sed -n 's/.*(\([0-9.]*\) MB\/sec).*/\1/p')
  timeout 300 "${TOOL[@]}" org.apache.kafka.tools.ConsumerPerformance --topic "$topic" --num-records "$RECORDS" \
    --bootstrap-server 127.0.0.1:$port --command-config "$cfg" --timeout 60000 > "$log-consume.log" 2>&1
  CONSUME[$b-$l]=$(awk -F', *' '/^20[0-9][0-9]-/{print $4}' "$log-consume.log" | tail -1)
  echo "   $b $l: produce ${PRODUCE[$b-$l]} MB/s, consume ${CONSUME[$b-$l]} MB/s"
}
echo ">> $RECORDS x 1 KiB per cell, acks=1, 1 partition"
run_cell kafka plaintext $K_PLAIN "$CLIENT_PLAIN"
run_cell herald plaintext $H_PLAIN "$CLIENT_PLAIN"
run_cell herald tls $H_SSL "$CLIENT_SSL"
run_cell kafka tls $K_SSL "$CLIENT_SSL"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b > 0) printf "%.2f", a / b; else print "-" }'; }
{
  echo "TLS vs plaintext, Herald vs Kafka $(kafka_version): $RECORDS x 1 KiB, acks=1, 1 partition; MB/s"
  printf '%-22s %10s %10s %10s %10s\n' "" "Kafka" "Herald" "H/K" ""
  for l in plaintext tls; do
    printf '%-22s %10s %10s %10s\n' "produce $l" "${PRODUCE[kafka-$l]}" "${PRODUCE[herald-$l]}" "$(ratio "${PRODUCE[herald-$l]}" "${PRODUCE[kafka-$l]}")"
    printf '%-22s %10s %10s %10s\n' "consume $l" "${CONSUME[kafka-$l]}" "${CONSUME[herald-$l]}" "$(ratio "${CONSUME[herald-$l]}" "${CONSUME[kafka-$l]}")"
  done
  echo "TLS/plaintext: Kafka produce $(ratio "${PRODUCE[kafka-tls]}" "${PRODUCE[kafka-plaintext]}"), consume $(ratio "${CONSUME[kafka-tls]}" "${CONSUME[kafka-plaintext]}");" \
       "Herald produce $(ratio "${PRODUCE[herald-tls]}" "${PRODUCE[herald-plaintext]}"), consume $(ratio "${CONSUME[herald-tls]}" "${CONSUME[herald-plaintext]}")"
} | tee "$OUT/summary.txt"
