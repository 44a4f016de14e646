"""Summarizes ONEDNN_VERBOSE logs (oneDNN 2.x and 3.x formats) for run.sh: per primitive and
shape, each log's median time per call over the calls after the first third, and the
implementation; then each log's oneDNN milliseconds a batch (each primitive's median times its
calls per batch, batches counted by the 64->128 convolution's forward calls).

    python3 passes.py LOG...
"""
import collections
import statistics
import sys

BATCH_MARK = ("convolution", "forward_training", "mb128_ic64oc128_ih12oh10kh3sh1dh0ph0_iw12ow10kw3sw1dw0pw0")


def load(path):
    calls = collections.defaultdict(list)
    with open(path) as f:
        for line in f:
            p = line.strip().split(",")
            if not p[0].endswith("_verbose") or "exec" not in p:
                continue
            i = p.index("exec")
            kind, impl, prop, shape = p[i + 2], p[i + 3], p[i + 4], p[-2]
            calls[(kind, prop if kind == "convolution" else "", shape)].append((float(p[-1]), impl))
    return calls


def main(paths):
    logs = [load(p) for p in paths]
    print(" | ".join(["primitive, pass, shape"] + [p.rsplit("/", 1)[-1] for p in paths]))
    totals = [0.0] * len(logs)
    batches = [max(1, len(log.get(BATCH_MARK, []))) for log in logs]
    for key in sorted(set(k for log in logs for k in log)):
        row = []
        for j, log in enumerate(logs):
            calls = log.get(key, [])
            later = calls[len(calls) // 3:]
            if not later:
                row.append("")
                continue
            median = statistics.median(t for t, _ in later)
            totals[j] += median * len(calls) / batches[j]
            row.append(f"{median:.3f} {later[0][1]}")
        print(" | ".join([" ".join(k for k in key if k)] + row))
    print(" | ".join(["oneDNN ms a batch"] + [f"{t:.1f}" for t in totals]))


if __name__ == "__main__":
    main(sys.argv[1:])
