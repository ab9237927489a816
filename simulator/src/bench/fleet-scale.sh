#!/usr/bin/env bash
# Fleet-scale runs of the simulator (docs/benchmarks.md, "Simulator: fleet scale"): one run per
# fleet size, each printing a "bench:" line. Build first:
#   mvn -q -pl simulator -am package -DskipTests
# Usage: simulator/src/bench/fleet-scale.sh DURATION SIZE... [-- more bin/simulate options]
#   e.g. simulator/src/bench/fleet-scale.sh 5m 500 1000 2000
#        simulator/src/bench/fleet-scale.sh 5m 1000 -- --broker tcp://127.0.0.1:18830
# Run folders go to /dev/shm (tmpfs): the outboxes' and light stores' fsyncs would otherwise
# measure the disk, not the fleet. Logs go to ./fleet-scale-<size>.log.
set -euo pipefail
here="$(cd "$(dirname "$0")/../../.." && pwd)"
java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
duration="$1"; shift
sizes=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do sizes+=("$1"); shift; done
[ "${1:-}" = "--" ] && shift
ulimit -n "$(ulimit -Hn)"
for n in "${sizes[@]}"; do
  run="/dev/shm/wattproof-fleet-$n"
  rm -rf "$run"
  "$java" --enable-native-access=ALL-UNNAMED ${WATTPROOF_JAVA_OPTS:-} \
    -cp "$here/simulator/target/simulator-0.1.0-SNAPSHOT.jar:$here/simulator/target/lib/*" \
    -Dlogback.configurationFile=io/wattproof/simulator/logback-simulator.xml \
    io.wattproof.simulator.SimulatorCommand --meters "$n" --interval 15s --duration "$duration" \
    --lightweight-devices --bench --no-dashboard --drain-timeout 120s --data "$run" "$@" > "fleet-scale-$n.log" 2>&1 || true
  grep -E "^(summary|bench|failed):" "fleet-scale-$n.log" || tail -n 5 "fleet-scale-$n.log"
  rm -rf "$run"
done
