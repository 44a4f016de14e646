#!/bin/sh
# Alternates LibTorch 2.7.1 through DJL and PyTorch (Debian's python3-torch) ROUNDS times, with
# bin/luzj's allocator settings for both, then prints each case's median and the median of the
# rounds' own ratios. Needs the built jar: mvn -B -q package -DskipTests
#
#   tools/convbench/run.sh [ROUNDS] [conv|block]
#
# conv (the default): ConvBench.java against conv_bench.py, the chapter's five forward
# convolutions. block: BlockBench.java against block_bench.py, its first four layers (convolution,
# batch norm, ReLU) forward and forward plus backward.
set -e
here=$(cd "$(dirname "$0")" && pwd)
jar=${LUZJ_JAR:-$here/../../luzj-examples/target/luzj-examples.jar}
rounds=${1:-5}
mode=${2:-conv}
case $mode in
    conv) java_main=ConvBench.java; python_main=conv_bench.py ;;
    block) java_main=BlockBench.java; python_main=block_bench.py ;;
    *) echo "unknown mode '$mode': use conv or block" >&2; exit 2 ;;
esac
export MALLOC_ARENA_MAX=1 MALLOC_MMAP_THRESHOLD_=67108864 MALLOC_TRIM_THRESHOLD_=1073741824
out=$(mktemp)
trap 'rm -f "$out"' EXIT
i=0
while [ $i -lt "$rounds" ]; do
    java -cp "$jar" "$here/$java_main" 2>/dev/null | grep '^djl' | tee -a "$out"
    /usr/bin/python3 "$here/$python_main" | tee -a "$out"
    i=$((i + 1))
done
python3 - "$out" "$mode" <<'PY'
import statistics, sys
rows = {"djl": [], "pytorch": []}
for line in open(sys.argv[1]):
    name, *ms = line.split()
    rows[name].append([float(v) for v in ms])
if sys.argv[2] == "conv":
    names = ["1->32 @28", "32->64 @26 s2", "64->128 @12", "128->256 @10 s2", "256->10 @4 s2"]
else:
    layers = ["1->32 @28", "32->64 @26 s2", "64->128 @12", "128->256 @10 s2"]
    names = [f"{l} {part}" for l in layers for part in ("forward", "fwd+bwd")]
print(f"{'':25s} {'djl ms':>8s} {'pytorch ms':>10s} {'djl/pytorch':>12s}")
for i, n in enumerate(names):
    d = statistics.median(r[i] for r in rows["djl"])
    p = statistics.median(r[i] for r in rows["pytorch"])
    ratio = statistics.median(a[i] / b[i] for a, b in zip(rows["djl"], rows["pytorch"]))
    print(f"{n:25s} {d:8.3f} {p:10.3f} {ratio:12.2f}")
PY
