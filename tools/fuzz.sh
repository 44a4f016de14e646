#!/usr/bin/env bash
# Fuzzes one Jazzer target for a chosen time (see docs/fuzzing.md), e.g.
#   tools/fuzz.sh luzj-core PthReaderFuzzTest 600
# Runs `mvn test` with JAZZER_FUZZ=1 under nice; once the fuzzer has started, it waits the
# given seconds and interrupts it (SIGINT), on which libFuzzer prints its final statistics.
# A finding stops the run early and is saved into the target's ...FuzzTestInputs folder, where
# `mvn verify` replays it from then on. The log goes to <module>/target/fuzz-<target>.log.
set -euo pipefail
module=${1:?module, e.g. luzj-core}
target=${2:?fuzz test class, e.g. PthReaderFuzzTest}
seconds=${3:-600}
cd "$(dirname "$0")/.."
mkdir -p "$module/target"
log="$module/target/fuzz-$target.log"
modules=luzj-core
[ "$module" != luzj-core ] && modules="luzj-core,$module"
JAZZER_FUZZ=1 nice mvn -B -o -pl "$modules" test -Dtest="$target" \
    -Dsurefire.failIfNoSpecifiedTests=false >"$log" 2>&1 &
mvn_pid=$!
until grep -q "INITED\|Done [0-9]* runs\|BUILD" "$log" 2>/dev/null; do
    kill -0 "$mvn_pid" 2>/dev/null || break
    sleep 2
done
waited=0
while [ "$waited" -lt "$seconds" ] && kill -0 "$mvn_pid" 2>/dev/null; do
    sleep 5
    waited=$((waited + 5))
done
# the fuzzer runs in surefire's forked JVM, a grandchild of mvn (mvn -> sh -> java)
descendants() {
    for child in $(pgrep -P "$1" || true); do
        echo "$child"
        descendants "$child"
    done
}
if kill -0 "$mvn_pid" 2>/dev/null; then
    for pid in $(descendants "$mvn_pid"); do
        if [ "$(ps -o comm= -p "$pid" 2>/dev/null)" = java ]; then
            kill -INT "$pid" 2>/dev/null || true
        fi
    done
fi
wait "$mvn_pid" || true
grep -E "^#[0-9]+|Done [0-9]+ runs|FuzzTestFinding|== Java Exception|crash-|Tests run:" "$log" | tail -n 8
