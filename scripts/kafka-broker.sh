#!/usr/bin/env bash
# A local single-node Kafka broker (KRaft, no ZooKeeper, no Docker) from Maven artifacts, for trying
# the exporter's Kafka sink. Data and logs go to data/kafka/ (override with KAFKA_DIR).
#
#   scripts/kafka-broker.sh start            start on 127.0.0.1:19092 (KAFKA_PORT to change)
#   scripts/kafka-broker.sh stop
#   scripts/kafka-broker.sh status
#   scripts/kafka-broker.sh consume TOPIC [--committed]   print a topic from the beginning (Ctrl-C to end)
set -euo pipefail
cd "$(dirname "$0")/.."

PORT="${KAFKA_PORT:-19092}"
CONTROLLER_PORT="$((PORT + 1))"
DIR="${KAFKA_DIR:-data/kafka}"
CP_FILE="tools/kafka-broker/target/classpath.txt"

classpath() {
  if [ ! -s "$CP_FILE" ]; then
    # Maven 3.8 writes colour resets even with -B; its output is shown only when it fails.
    local log
    log="$(mktemp)"
    if ! mvn -q -B -f tools/kafka-broker/pom.xml dependency:build-classpath -Dmdep.outputFile=target/classpath.txt > "$log" 2>&1; then
      sed 's/\x1b\[[0-9;]*m//g' "$log" >&2; rm -f "$log"; exit 1
    fi
    rm -f "$log"
  fi
  cat "$CP_FILE"
}

java_cmd() {
  java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$(classpath)" "$@"
}

port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null
}

start() {
  if [ -f "$DIR/broker.pid" ] && kill -0 "$(cat "$DIR/broker.pid")" 2>/dev/null; then
    echo "already running (pid $(cat "$DIR/broker.pid")) on 127.0.0.1:$PORT"; return 0
  fi
  mkdir -p "$DIR"
  cat > "$DIR/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$DIR/data
num.partitions=3
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
PROPS
  if [ ! -f "$DIR/data/meta.properties" ]; then
    java_cmd kafka.tools.StorageTool format -t "$(java_cmd kafka.tools.StorageTool random-uuid)" \
      -c "$DIR/server.properties" --ignore-formatted > /dev/null
  fi
  nohup java -Xmx512m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$(classpath)" kafka.Kafka \
    "$DIR/server.properties" > "$DIR/broker.log" 2>&1 &
  echo $! > "$DIR/broker.pid"
  for _ in $(seq 1 60); do
    if port_open; then echo "Kafka broker up on 127.0.0.1:$PORT (pid $(cat "$DIR/broker.pid"), log $DIR/broker.log)"; return 0; fi
    sleep 0.5
  done
  echo "the broker did not open 127.0.0.1:$PORT within 30 s; see $DIR/broker.log" >&2
  exit 1
}

stop() {
  if [ -f "$DIR/broker.pid" ] && kill -0 "$(cat "$DIR/broker.pid")" 2>/dev/null; then
    kill "$(cat "$DIR/broker.pid")"
    for _ in $(seq 1 60); do kill -0 "$(cat "$DIR/broker.pid")" 2>/dev/null || break; sleep 0.5; done
    echo "stopped"
  else
    echo "not running"
  fi
  rm -f "$DIR/broker.pid"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if port_open; then echo "up on 127.0.0.1:$PORT"; else echo "down"; exit 1; fi ;;
  consume)
    [ -n "${2:-}" ] || { echo "usage: $0 consume TOPIC [--committed]" >&2; exit 2; }
    extra=()
    [ "${3:-}" = "--committed" ] && extra=(--isolation-level read_committed)
    java_cmd org.apache.kafka.tools.consumer.ConsoleConsumer --bootstrap-server "127.0.0.1:$PORT" --topic "$2" \
      --from-beginning --property print.key=true "${extra[@]}" ;;
  *) sed -n '2,9p' "$0"; exit 2 ;;
esac
