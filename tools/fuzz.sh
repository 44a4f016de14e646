#!/usr/bin/env bash
# Fuzzes one Jazzer target for a chosen time (see docs/fuzzing.md), e.g.
#   tools/fuzz.sh luzj-core PthReaderFuzzTest 600
# Runs `mvn test` with JAZZER_FUZZ=1 under nice, passing libFuzzer -max_total_time (which
# overrides the @FuzzTest's maxDuration, 2 to 10 minutes by target) and -print_final_stats through Jazzer's
# jazzer.internal.arg.N properties. A finding stops the run early and is saved into the
# target's ...FuzzTestInputs folder, where `mvn verify` replays it from then on.
# The log goes to <module>/target/fuzz-<target>.log; the last lines are printed.
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
    -Dsurefire.failIfNoSpecifiedTests=false \
    "-Dsurefire.argLine=-Xmx6g -Dai.djl.offline=true -Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1=-max_total_time=$seconds -Djazzer.internal.arg.2=-print_final_stats=1" \
    >"$log" 2>&1 || true
grep -a -E "INITED|Done [0-9]+ runs|stat::number_of_executed_units|stat::average_exec_per_sec|FuzzTestFinding|== Java Exception|Tests run:" "$log" | tail -n 8
