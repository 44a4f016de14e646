"""PyTorch's side of run.sh: docs/bench_pytorch.py's convnet and Adam trained in one memory
layout, one epoch at a time, on the first LIMIT MNIST images. Prints each epoch's samples/s and
the CLOCK_MONOTONIC window of the epochs after the first two, as PlainFit.java does.

    /usr/bin/python3 pt_train.py MNIST_DIR LIMIT EPOCHS LAYOUT
"""
import os
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "docs"))
import bench_pytorch  # noqa: E402

folder, limit, epochs, layout = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
torch.set_num_threads(2)
x, y = bench_pytorch.load_mnist(folder, limit)
work = bench_pytorch.Workload(layout, x, y, 128, 1)
work.run("train", 5)
start = 0
for e in range(epochs):
    if e == 2:
        start = time.monotonic()
    t0 = time.monotonic()
    work.run("train")
    print(f"pytorch {layout} epoch {e}: {limit / (time.monotonic() - t0):.0f} samples/s", flush=True)
print(f"window {start:.6f} {time.monotonic():.6f} {(epochs - 2) * ((limit + 127) // 128)}")
