#!/bin/sh
# Where the CPU time of a training batch goes, luzj against PyTorch, without a profiler inside
# either process: perf samples every thread (cpu-clock, 999 Hz, CLOCK_MONOTONIC timestamps) while
# PlainFit.java (luzj's fit) and pt_train.py (PyTorch eager, channels_last) train the chapter's
# convnet alternately, ROUNDS times each, with bin/luzj's allocator settings for both. Only the
# samples of the epochs after the first two count (each program prints that window), and they
# are grouped by library and divided by the window's batches: CPU milliseconds per batch. A
# second table splits the same samples by thread: the training thread (the one that runs the
# JNI or the interpreter), the busiest other thread in OpenMP (LibTorch's worker) and the rest,
# each as work against OpenMP waiting.
# Needs the built jar (mvn -B -q package -DskipTests), perf (Debian linux-perf) and
# python3-torch.
#
#   tools/perfsplit/run.sh [ROUNDS] [LIMIT] [EPOCHS]
#
# LibTorch's own profiler is no substitute: under glibc it makes the ops that write large fresh
# outputs 2-3 times slower than they run without it (docs/performance-history.md, the eighth session).
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
            --sort pid,dso --stdio 2>/dev/null | grep -v '^#' | grep '%'; } > "$work/$side.$i.split"
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
# only the training thread runs the JNI or the interpreter (compiler threads run libjvm too)
TRAINER = ("libdjl_torch", "python3.", "libtorch_python")
OPENMP = groups[2][1]


def group(dso):
    return next((g for g, keys in groups if any(k in dso for k in keys)), "other")


per = {"luzj": [], "pytorch": []}
threads = {"luzj": [], "pytorch": []}
roles = ["training thread", "OpenMP worker", "other threads"]
for path in sorted(glob.glob(os.path.join(sys.argv[1], "*.split"))):
    side = os.path.basename(path).split(".")[0]
    lines = open(path).read().splitlines()
    batches = int(lines[0].split()[1])
    rows = []  # (thread, dso, ms): one sample per 1/999 s of one thread's CPU time
    for line in lines[1:]:
        # "pct samples tid:comm dso"; a comm with spaces ("C2 CompilerThre") leaves its tail in
        # dso, which the substring match of the groups ignores
        _, samples, thread, dso = line.split(None, 3)
        rows.append((thread.split(":")[0], dso, int(samples) / 0.999 / batches))
    ms = dict.fromkeys(names, 0.0)
    for _, dso, v in rows:
        ms[group(dso)] += v
    ms["total"] = sum(ms[n] for n in names)
    per[side].append(ms)

    def busiest(keys, exclude=()):
        load = {}
        for t, dso, v in rows:
            if t not in exclude and any(k in dso for k in keys):
                load[t] = load.get(t, 0.0) + v
        return max(load, key=load.get) if load else None

    trainer = busiest(TRAINER)
    worker = busiest(OPENMP, exclude=(trainer,))
    split = {(r, k): 0.0 for r in roles for k in ("work", "waiting")}
    for t, dso, v in rows:
        role = roles[0] if t == trainer else roles[1] if t == worker else roles[2]
        split[(role, "waiting" if any(k in dso for k in OPENMP) else "work")] += v
    threads[side].append(split)
print(f"CPU ms per batch, median of {len(per['luzj'])} rounds each (all threads)")
print(f"{'':58s} {'luzj':>8s} {'PyTorch':>8s} {'luzj - PyTorch':>15s}")
for n in names + ["total"]:
    a = statistics.median(r[n] for r in per["luzj"])
    b = statistics.median(r[n] for r in per["pytorch"])
    print(f"{n:58s} {a:8.1f} {b:8.1f} {a - b:15.1f}")
print()
print("the same by thread: work, and waiting in OpenMP")
print(f"{'':58s} {'luzj':>8s} {'PyTorch':>8s} {'luzj - PyTorch':>15s}")
for r in roles:
    for k in ("work", "waiting"):
        a = statistics.median(s[(r, k)] for s in threads["luzj"])
        b = statistics.median(s[(r, k)] for s in threads["pytorch"])
        print(f"{r + ', ' + k:58s} {a:8.1f} {b:8.1f} {a - b:15.1f}")
PY
