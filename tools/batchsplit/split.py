"""Splits the training thread's wall-clock samples (PlainFit.java's collapsed stacks, one
sample a millisecond) into what a batch spends its time on, in milliseconds a batch:

- engine: the five native calls that do the network's arithmetic (convolution, batch norm, ReLU
  and linear forward, and the whole backward pass);
- and everything else by the luzj code that made the call: the optimizer step (with zeroing the
  gradients), the small operations of the forward pass, staging the batch, the loader, the loss,
  the running sums, the rest of the loop.

    python3 split.py COLLAPSED BATCHES
"""
import collections
import sys

ENGINE = {"torchBackward", "torchNNConvNd", "torchNNBatchNorm", "torchNNRelu", "torchNNLinear"}
# first match wins, on the luzj frames of the stack
GROUPS = [
    ("optimizer step", "LuzOptimizer"),
    ("loss", "BatchErrors.loss"),
    ("running sums", "SetSums"),
    ("forward, small operations", "ForwardPass"),
    ("staging the batch", "HostStaging"),
    ("loader", "PrefetchIterator"),
]


def group(frames, leaf):
    if leaf in ENGINE:
        return "engine"
    luzj = [f for f in frames if "io/github/luzj" in f]
    for name, marker in GROUPS:
        if any(marker in f for f in luzj):
            return name
    return "the rest of the loop"


def main():
    path, batches = sys.argv[1], int(sys.argv[2])
    groups = collections.Counter()
    calls = collections.defaultdict(collections.Counter)
    for line in open(path):
        stack, n = line.rsplit(" ", 1)
        frames = stack.split(";")
        # the training thread: the one whose stack runs the batch loop
        if not any("BatchRunner.run" in f for f in frames):
            continue
        leaf = frames[-1].split("(")[0].split(".")[-1]
        g = group(frames, leaf)
        groups[g] += int(n)
        calls[g][leaf] += int(n)
    total = sum(groups.values())
    print(f"| what | ms a batch | share | largest calls |")
    print(f"|---|---|---|---|")
    for g, n in groups.most_common():
        top = ", ".join(f"`{c}` {m / batches:.2f}" for c, m in calls[g].most_common(3))
        print(f"| {g} | {n / batches:.2f} | {100 * n / total:.1f}% | {top} |")
    print(f"| **total** | **{total / batches:.1f}** | | |")


main()
