#!/usr/bin/env bash
# Herald's JMS provider against ActiveMQ Artemis, same JMS client (the anchor's jmsbench), same machine, one broker
# at a time in one run. Herald runs with log.flush.interval.messages=1 (a persistent send returns once the message is
# fsynced, group commit allowed), Artemis with its defaults (journal fsync, blockOnDurableSend).
# Usage: dist/bench/jms-vs-artemis.sh   (from the repository root; N=20000 messages of 1 KiB by default)
#   BROKERS="herald artemis" (default both) and STEPS="produce pipe ..." (default all, names as in suite()) narrow a run.
# After each Herald step a "RESULT mode=produce-stages" line splits the broker's mean Produce time into Kafka's request
# stages (from Herald's /metrics): what the client and the loopback cost is the send latency minus that total.
# Works on a copy of ../shared/anchors/artemis in $WORK (default /tmp/herald-jms-bench), never in shared/.
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
ANCHOR="${ANCHOR:-$ROOT/../shared/anchors/artemis}"
WORK="${WORK:-/tmp/herald-jms-bench}"
N="${N:-20000}"; SIZE=1024; PORT="${HERALD_PORT:-19092}"; CONSOLE_PORT="${HERALD_CONSOLE_PORT:-19080}"
mkdir -p "$WORK"
cp -r "$ANCHOR"/{setup.sh,start.sh,stop.sh,jmsbench} "$WORK"/
cd "$WORK"
[ -d dist/current ] || ./setup.sh
[ -f lib/target/jmsbench-0.1.jar ] || "$ROOT/mvnw" -q -B -f jmsbench/pom.xml package -DskipTests
# The modes jmsbench lacks (asynchronous send with CompletionListener, several consumers): jakarta.jms only.
mkdir -p extra && javac -d extra -cp "$(ls lib/deps/jakarta.jms-api-*.jar | head -1)" "$ROOT/dist/bench/JmsBenchExtra.java"
TAR="$(ls "$ROOT"/dist/target/herald-*.tar.gz 2>/dev/null | head -1)"
[ -n "$TAR" ] || { (cd "$ROOT" && ./mvnw -q -pl dist -am package -DskipTests); TAR="$(ls "$ROOT"/dist/target/herald-*.tar.gz | head -1)"; }
rm -rf herald && mkdir herald && tar xzf "$TAR" -C herald
H="$(ls -d "$WORK"/herald/herald*)"
LOG="$WORK/results-$(date -u +%Y%m%dT%H%M%SZ).log"; U="$(date +%s)"
JB="lib/target/jmsbench-0.1.jar"
produce_sums() { # Herald's Produce count and stage sums in seconds: count total queue local remote response-queue send
  curl -fs "http://127.0.0.1:$CONSOLE_PORT/metrics" 2>/dev/null | awk '
    /^kafka_network_requestmetrics_[a-z]+_seconds_(sum|count)\{request="Produce"\}/ {
      split($1, a, "_"); v[a[4] (a[6] ~ /^sum/ ? "_sum" : "_count")] = $2 }
    END { print v["totaltime_count"] + 0, v["totaltime_sum"] + 0, v["requestqueuetime_sum"] + 0, v["localtime_sum"] + 0,
          v["remotetime_sum"] + 0, v["responsequeuetime_sum"] + 0, v["responsesendtime_sum"] + 0 }'
}
stages() { # <sums before> <sums after>: the step's mean Produce stages in microseconds
  echo "$1 $2" | awk '{ n = $8 - $1; if (n > 0) printf "RESULT mode=produce-stages requests=%d mean_us total=%.0f request_queue=%.0f local=%.0f remote=%.0f response_queue=%.0f response_send=%.0f\n",
    n, ($9-$2)/n*1e6, ($10-$3)/n*1e6, ($11-$4)/n*1e6, ($12-$5)/n*1e6, ($13-$6)/n*1e6, ($14-$7)/n*1e6 }' | tee -a "$LOG"
}
run() { # <label> <main class> <classpath> <factory class> <url> <persistent> args...: one step, and Herald's stages
  local label="$1" main="$2" cp="$3" cls="$4" url="$5" pers="$6" before=""; shift 6
  echo "== $label $*" | tee -a "$LOG"
  [ "$label" = herald ] && before="$(produce_sums)"
  timeout --foreground 300 java -Xms512m -Xmx2g -Dlogback.configurationFile="$ROOT/dist/bench/logback-client.xml" -Dn="$N" -Dsize=$SIZE -Dpersistent="$pers" -DtimeoutSec=300 \
     -Dcf.class="$cls" -Dcf.url="$url" -cp "$cp" "$main" "$@" 2>&1 | grep -E "^RESULT|Exception|timed out" | tee -a "$LOG"
  [ "$label" = herald ] && stages "$before" "$(produce_sums)"
  return 0
}
jb() { # <label> <classpath> <factory class> <url> <persistent> jmsbench args...
  local label="$1" cp="$2"; shift 2
  run "$label" anchors.JmsBench "$cp" "$@"
}
jx() { # like jb, with dist/bench/JmsBenchExtra
  local label="$1" cp="$2"; shift 2
  run "$label" JmsBenchExtra "extra:$cp" "$@"
}
HPID=""
trap '[ -n "$HPID" ] && kill $HPID 2>/dev/null; ARTEMIS_RUN_DIR="$WORK/run" ./stop.sh >/dev/null 2>&1' EXIT
STEPS="${STEPS:-produce consume pipe npproduce npconsume pubsub asyncproduce drain fanin asyncpipe asyncfanin durable}"
BROKERS="${BROKERS:-herald artemis}"
on() { [[ " $STEPS " == *" $1 "* ]]; }
suite() {
  on produce && jb "$@" true produce "Q.P.$U"
  on consume && jb "$@" true consume "Q.P.$U"
  on pipe && jb "$@" true pipe "Q.PIPE.P.$U"
  on npproduce && jb "$@" false produce "Q.NP.$U"
  on npconsume && jb "$@" false consume "Q.NP.$U"
  on pubsub && jb "$@" false pubsub "T.NP.$U" 2
  on asyncproduce && jx "$@" true asyncproduce "Q.A.$U"
  on drain && jx "$@" true drain "Q.A.$U" 4
  on fanin && jx "$@" true fanin "Q.F.$U" 4
  on asyncpipe && jx "$@" true asyncfanin "Q.AP.$U" 1
  on asyncfanin && jx "$@" true asyncfanin "Q.AF.$U" 4
  on durable && jx "$@" true durable "T.D.$U" 2
  return 0
}
# The floor of a blocking persistent send on this disk, for both brokers (their data directories are on it too).
echo "== fsync probe" | tee -a "$LOG"
java "$ROOT/dist/bench/FsyncProbe.java" "$WORK" | tee -a "$LOG"
if [[ " $BROKERS " == *" herald "* ]]; then
rm -rf "$WORK/herald-data"
cp "$H/config/server.properties" "$WORK/herald.properties"
printf 'listeners=PLAINTEXT://127.0.0.1:%s\nlog.dirs=%s\nlog.flush.interval.messages=1\nadmin.listeners=http://127.0.0.1:%s\n' \
  "$PORT" "$WORK/herald-data" "$CONSOLE_PORT" >> "$WORK/herald.properties"
"$H/bin/herald-server" "$WORK/herald.properties" > "$WORK/herald.log" 2>&1 &
HPID=$!
for _ in $(seq 1 60); do (echo > /dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break; sleep 1; done
suite herald "$JB:$H/lib/*" io.herald.jms.HeraldConnectionFactory "herald://127.0.0.1:$PORT"
kill $HPID; wait $HPID 2>/dev/null
fi
if [[ " $BROKERS " == *" artemis "* ]]; then
ARTEMIS_RUN_DIR="$WORK/run" ARTEMIS_RECREATE=1 ./start.sh > "$WORK/artemis-start.log" 2>&1
for _ in $(seq 1 60); do (echo > /dev/tcp/127.0.0.1/61616) 2>/dev/null && break; sleep 1; done
suite artemis "$JB:lib/deps/*" org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory tcp://127.0.0.1:61616
fi
echo "# results in $LOG"
