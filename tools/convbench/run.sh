#!/bin/sh
# Alternates ConvBench.java (LibTorch 2.7.1 through DJL) and conv_bench.py (PyTorch, Debian's
# python3-torch) ROUNDS times, with bin/luzj's allocator settings for both, then prints each
# convolution's median and the ratio. Needs the built jar: mvn -B -q package -DskipTests
#
#   tools/convbench/run.sh [ROUNDS]
set -e
here=$(cd "$(dirname "$0")" && pwd)
jar=${LUZJ_JAR:-$here/../../luzj-examples/target/luzj-examples.jar}
rounds=${1:-5}
export MALLOC_ARENA_MAX=1 MALLOC_MMAP_THRESHOLD_=67108864 MALLOC_TRIM_THRESHOLD_=1073741824
out=$(mktemp)
i=0
while [ $i -lt "$rounds" ]; do
    java -cp "$jar" "$here/ConvBench.java" 2>/dev/null | grep '^djl' | tee -a "$out"
    /usr/bin/python3 "$here/conv_bench.py" | tee -a "$out"
    i=$((i + 1))
done
python3 - "$out" <<'PY'
import statistics, sys
rows = {"djl": [], "pytorch": []}
for line in open(sys.argv[1]):
    name, *ms = line.split()
    rows[name].append([float(v) for v in ms])
names = ["1->32 @28", "32->64 @26 s2", "64->128 @12", "128->256 @10 s2", "256->10 @4 s2"]
print("convolution        djl ms  pytorch ms  djl/pytorch")
for i, n in enumerate(names):
    d = statistics.median(r[i] for r in rows["djl"])
    p = statistics.median(r[i] for r in rows["pytorch"])
    print(f"{n:17s} {d:7.3f} {p:10.3f} {d / p:11.2f}")
PY
rm -f "$out"
