#!/bin/sh
# What a training batch spends its wall time on, on luzj's training thread: async-profiler's
# wall-clock sampler (1 ms, Java stacks only, so each native call is charged to the JNI method
# that made it) over luzj's plain fit of the chapter's convnet (../perfsplit/PlainFit.java),
# epochs after the first two, grouped into the engine's arithmetic and what luzj's code around
# it costs (split.py). Then PyTorch channels_last's zero_grad, forward, backward and step timed
# apart (pt_phases.py), for the optimizer and the overhead to compare against. bin/luzj's allocator settings for both.
# Needs the built jar (mvn -B -q package -DskipTests), python3-torch, and async-profiler from
# Maven Central (fetched into ~/.m2 on first use).
#
#   tools/batchsplit/run.sh [ROUNDS] [LIMIT] [EPOCHS]
#
# Each round runs luzj, then PyTorch. The machine's speed drifts between the two by 10-20%, so
# compare the parts of one side's batch, or medians over rounds, not one round's totals.
set -e
here=$(cd "$(dirname "$0")" && pwd)
jar=${LUZJ_JAR:-$here/../../luzj-examples/target/luzj-examples.jar}
mnist=${LUZJ_DATA:-$here/../../../shared/data}/mnist
rounds=${1:-1}
limit=${2:-3840}
epochs=${3:-8}
version=4.0
ap=$HOME/.m2/repository/tools/profiler/async-profiler/$version/async-profiler-$version.jar
[ -f "$ap" ] || mvn -B -q dependency:get -Dartifact=tools.profiler:async-profiler:$version
export MALLOC_ARENA_MAX=1 MALLOC_MMAP_THRESHOLD_=67108864 MALLOC_TRIM_THRESHOLD_=1073741824
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && unzip -q "$ap" linux-x64/libasyncProfiler.so)
i=0
while [ $i -lt "$rounds" ]; do
    i=$((i + 1))
    echo "round $i of $rounds"
    java -XX:+AlwaysPreTouch -Dprofiler.lib="$work/linux-x64/libasyncProfiler.so" \
        -Dprofiler.out="$work/luzj.collapsed" -cp "$jar:$ap" "$here/../perfsplit/PlainFit.java" \
        "$mnist" "$limit" "$epochs" > "$work/luzj.out"
    grep epoch "$work/luzj.out"
    python3 "$here/split.py" "$work/luzj.collapsed" "$(sed -n 's/^window .* //p' "$work/luzj.out")"
    /usr/bin/python3 "$here/pt_phases.py" "$mnist" "$limit" "$epochs"
done
