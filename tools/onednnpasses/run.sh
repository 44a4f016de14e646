#!/bin/sh
# Every oneDNN convolution pass of the chapter's convnet, luzj against PyTorch, in both memory
# layouts: runs PlainFit.java (luzj's fit, channels-last and NCHW) and pt_train.py (PyTorch 1.13,
# channels_last and NCHW) under ONEDNN_VERBOSE=1, one after the other, and prints one table of
# each primitive's median time per call (the calls after the first third) with the
# implementation oneDNN chose, and each run's oneDNN milliseconds a batch. Verbose output slows
# every run: the figures compare the passes, they are not the bench's speed.
# Needs the built jar (mvn -B -q package -DskipTests) and python3-torch.
#
#   tools/onednnpasses/run.sh [LIMIT] [EPOCHS]
set -e
here=$(cd "$(dirname "$0")" && pwd)
jar=${LUZJ_JAR:-$here/../../luzj-examples/target/luzj-examples.jar}
mnist=${LUZJ_DATA:-$here/../../../shared/data}/mnist
limit=${1:-1024}
epochs=${2:-3}
export MALLOC_ARENA_MAX=1 MALLOC_MMAP_THRESHOLD_=67108864 MALLOC_TRIM_THRESHOLD_=1073741824
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for layout in channels_last nchw; do
    ONEDNN_VERBOSE=1 java -XX:+AlwaysPreTouch -cp "$jar" "$here/../perfsplit/PlainFit.java" \
        "$mnist" "$limit" "$epochs" "$layout" > "$work/luzj-$layout.log" 2>/dev/null
    ONEDNN_VERBOSE=1 /usr/bin/python3 "$here/../perfsplit/pt_train.py" \
        "$mnist" "$limit" "$epochs" "$layout" > "$work/pytorch-$layout.log" 2>/dev/null
done
python3 "$here/passes.py" "$work/luzj-channels_last.log" "$work/luzj-nchw.log" \
    "$work/pytorch-channels_last.log" "$work/pytorch-nchw.log"
