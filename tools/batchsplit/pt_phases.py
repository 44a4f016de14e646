"""PyTorch's side of run.sh: docs/bench_pytorch.py's channels_last convnet and Adam, with each
batch's zero_grad, forward (with the loss), backward and optimizer step timed apart, in
milliseconds a batch over the epochs after the first two.

    /usr/bin/python3 pt_phases.py MNIST_DIR LIMIT EPOCHS
"""
import os
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "docs"))
import bench_pytorch  # noqa: E402

folder, limit, epochs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
torch.set_num_threads(2)
x, y = bench_pytorch.load_mnist(folder, limit)
work = bench_pytorch.Workload("channels_last", x, y, 128, 1)
work.run("train", 5)
phases = [0.0] * 4
batches = 0
for e in range(epochs):
    data = work.batches()
    for xb, yb in data:
        t0 = time.perf_counter()
        work.opt.zero_grad()
        t1 = time.perf_counter()
        loss = F.cross_entropy(work.model(xb), yb)
        t2 = time.perf_counter()
        loss.backward()
        t3 = time.perf_counter()
        work.opt.step()
        t4 = time.perf_counter()
        if e >= 2:
            batches += 1
            for i, d in enumerate((t1 - t0, t2 - t1, t3 - t2, t4 - t3)):
                phases[i] += d
ms = [1000 * p / batches for p in phases]
print(f"PyTorch channels_last, ms a batch: zero_grad {ms[0]:.2f}, forward and loss {ms[1]:.2f},"
      f" backward {ms[2]:.2f}, optimizer step {ms[3]:.2f}, total {sum(ms):.1f}")
