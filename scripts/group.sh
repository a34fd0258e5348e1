#!/usr/bin/env bash
# Three exporters in one group on this machine, against the built-in simulators and a local broker
# (scripts/kafka-broker.sh), for trying group mode: kill one and watch the others take its shards.
#
#   scripts/group.sh start      broker, simulators, and members 1..3 (metrics on 9881, 9882, 9883)
#   scripts/group.sh status     each member's shards (the `status` command of each)
#   scripts/group.sh kill N     SIGKILL member N: its shards move once its 10 s session ends
#   scripts/group.sh start-member N   start member N again (it joins, the shards spread again)
#   scripts/group.sh stop       stop the members, the simulators and the broker
#
# Data and logs under data/group/ (override with GROUP_DIR). Needs `mvn -B -ntp -DskipTests package` first.
set -euo pipefail
cd "$(dirname "$0")/.."

DIR="${GROUP_DIR:-data/group}"
SIM_PORT="${SIM_PORT:-18080}"
JAR=target/async-task-exporter.jar
[ -f "$JAR" ] || { echo "build first: mvn -B -ntp -DskipTests package" >&2; exit 1; }

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

start_member() {
  local n="$1"
  mkdir -p "$DIR/member-$n"
  if alive "$DIR/member-$n/pid"; then echo "member $n already runs"; return; fi
  # The same configuration for every member, as an orchestrator starts replicas; only the port differs.
  java -jar "$JAR" run --config "$DIR/exporter.properties" --metrics-port "$((9880 + n))" \
    > "$DIR/member-$n/exporter.log" 2>&1 &
  echo $! > "$DIR/member-$n/pid"
  echo "member $n: pid $!, http://127.0.0.1:$((9880 + n))/status, log $DIR/member-$n/exporter.log"
}

start() {
  mkdir -p "$DIR"
  scripts/kafka-broker.sh start
  if ! alive "$DIR/simulator.pid"; then
    rm -f "$DIR/simulator/exporter.properties"
    java -jar "$JAR" simulate --port "$SIM_PORT" --data-dir "$DIR" > "$DIR/simulator.log" 2>&1 &
    echo $! > "$DIR/simulator.pid"
    for _ in $(seq 1 150); do [ -s "$DIR/simulator/exporter.properties" ] && break; sleep 0.2; done
  fi
  # Later keys win: the simulators' sources, then Kafka and the group.
  {
    cat "$DIR/simulator/exporter.properties"
    cat <<PROPS
exporter.sink=kafka
exporter.checkpoint.store=kafka
exporter.delivery=exactly-once
exporter.kafka.bootstrap-servers=127.0.0.1:${KAFKA_PORT:-19092}
exporter.kafka.topic=group-demo.status-changes
exporter.checkpoint.topic=group-demo.checkpoints
exporter.kafka.transactional-id=group-demo
exporter.group.id=group-demo
PROPS
  } > "$DIR/exporter.properties"
  for n in 1 2 3; do start_member "$n"; done
}

case "${1:-}" in
  start) start ;;
  start-member) start_member "${2:?member number}" ;;
  status)
    for n in 1 2 3; do
      echo "== member $n"
      if alive "$DIR/member-$n/pid"; then
        java -jar "$JAR" status --url "http://127.0.0.1:$((9880 + n))" | grep -E '^group|^  member' || true
      else
        echo "not running"
      fi
    done ;;
  kill) kill -9 "$(cat "$DIR/member-${2:?member number}/pid")" && echo "member $2 killed" ;;
  stop)
    # Members first, and wait for them: a member leaves its group as it stops, which needs the broker.
    for f in "$DIR"/member-*/pid "$DIR/simulator.pid"; do
      if alive "$f"; then kill "$(cat "$f")"; fi
    done
    for _ in $(seq 1 200); do
      running=0
      for f in "$DIR"/member-*/pid; do if alive "$f"; then running=1; fi; done
      [ "$running" = 0 ] && break
      sleep 0.2
    done
    scripts/kafka-broker.sh stop ;;
  *) sed -n '2,12p' "$0"; exit 2 ;;
esac
