#!/bin/sh
# Where the CPU time of a training batch goes, luzj against PyTorch, without a profiler inside
# either process: perf samples every thread (cpu-clock, 999 Hz, CLOCK_MONOTONIC timestamps) while
# PlainFit.java (luzj's fit) and pt_train.py (PyTorch eager, channels_last) train the chapter's
# convnet alternately, ROUNDS times each, with bin/luzj's allocator settings for both. Only the
# samples of the epochs after the first two count (each program prints that window), and they
# are grouped by library and divided by the window's batches: CPU milliseconds per batch.
# Needs the built jar (mvn -B -q package -DskipTests), perf (Debian linux-perf) and
# python3-torch.
#
#   tools/perfsplit/run.sh [ROUNDS] [LIMIT] [EPOCHS]
#
# LibTorch's own profiler is no substitute: under glibc it makes the ops that write large fresh
# outputs 2-3 times slower than they run without it (docs/performance.md, the eighth session).
set -e
here=$(cd "$(dirname "$0")" && pwd)
jar=${LUZJ_JAR:-$here/../../luzj-examples/target/luzj-examples.jar}
mnist=${LUZJ_DATA:-$here/../../../shared/data}/mnist
rounds=${1:-2}
limit=${2:-3840}
epochs=${3:-6}
export MALLOC_ARENA_MAX=1 MALLOC_MMAP_THRESHOLD_=67108864 MALLOC_TRIM_THRESHOLD_=1073741824
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
i=0
while [ $i -lt "$rounds" ]; do
    for side in luzj pytorch; do
        if [ $side = luzj ]; then
            set -- java -XX:+AlwaysPreTouch -cp "$jar" "$here/PlainFit.java" "$mnist" "$limit" "$epochs"
        else
            set -- /usr/bin/python3 "$here/pt_train.py" "$mnist" "$limit" "$epochs" channels_last
        fi
        perf record -q -k CLOCK_MONOTONIC -e cpu-clock -F 999 -o "$work/$side.data" -- "$@" \
            2>/dev/null > "$work/$side.out"
        grep epoch "$work/$side.out"
        set -- $(grep '^window' "$work/$side.out")
        { echo "batches $4"; perf report -i "$work/$side.data" --time "$2,$3" --no-children -n \
            --sort dso --stdio 2>/dev/null | grep -v '^#' | grep '%'; } > "$work/$side.$i.split"
    done
    i=$((i + 1))
done
python3 - "$work" <<'PY'
import glob, os, statistics, sys
groups = [
    ("generated kernels (oneDNN's JIT; luzj's also HotSpot's)", ("[JIT]",)),
    ("LibTorch C++ (ATen kernels, oneDNN, dispatcher)", ("libtorch_cpu", "libc10", "libdnnl")),
    ("OpenMP (libgomp: spinning, barriers)", ("libgomp",)),
    ("runtime (JVM and DJL's JNI / Python)", ("libjvm", "libdjl_torch", "python3", "libtorch_python")),
    ("libc (malloc, memcpy)", ("libc.so", "libm.so")),
    ("kernel", ("[kernel",)),
]
names = [g for g, _ in groups] + ["other"]
per = {"luzj": [], "pytorch": []}
for path in sorted(glob.glob(os.path.join(sys.argv[1], "*.split"))):
    side = os.path.basename(path).split(".")[0]
    lines = open(path).read().splitlines()
    batches = int(lines[0].split()[1])
    ms = dict.fromkeys(names, 0.0)
    for line in lines[1:]:
        _, samples, dso = line.split(None, 2)
        name = next((g for g, keys in groups if any(k in dso for k in keys)), "other")
        # one sample per 1/999 s of one thread's CPU time
        ms[name] += int(samples) / 0.999 / batches
    ms["total"] = sum(ms.values())
    per[side].append(ms)
print(f"CPU ms per batch, median of {len(per['luzj'])} rounds each (both threads)")
print(f"{'':58s} {'luzj':>8s} {'PyTorch':>8s} {'luzj - PyTorch':>15s}")
for n in names + ["total"]:
    a = statistics.median(r[n] for r in per["luzj"])
    b = statistics.median(r[n] for r in per["pytorch"])
    print(f"{n:58s} {a:8.1f} {b:8.1f} {a - b:15.1f}")
PY
