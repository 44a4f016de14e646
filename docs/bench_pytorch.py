#!/usr/bin/env python3
"""The chapter's convnet trained in plain PyTorch, for the side-by-side with luzj's bench.

Same network as luzj's ChapterConvNet (conv 1->32 k3 s1, 32->64 k3 s2, 64->128 k3 s1,
128->256 k3 s2, 256->10 k3 s2; ReLU then BatchNorm2d after each of the first four; squeeze),
same batch size, Adam(lr=1e-3), the same number of intra-op threads, the first --limit MNIST
training images read from the IDX files (gzip'd or not), shuffled every epoch. Batches are cut
from one tensor built before timing, as luzj's loader hands over host arrays.

After a warm-up of 5 batches it trains --epochs epochs and prints each one's samples/s and the
median; --out writes them as JSON.

    OMP_WAIT_POLICY=PASSIVE python3 docs/bench_pytorch.py --data ../shared/data/mnist \\
        --limit 12800 --epochs 3 --threads 2

Needs only torch and numpy (Debian: apt-get install python3-torch).
"""
import argparse
import gzip
import json
import os
import platform
import statistics
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

WARMUP_BATCHES = 5


def read_idx(path):
    """Reads an IDX file (uint8 data), gzip'd or not."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def find(folder, stem):
    for name in (stem, stem + ".gz"):
        path = os.path.join(folder, name)
        if os.path.exists(path):
            return path
    raise SystemExit(f"error: {stem}[.gz] not found in {folder}; pass the MNIST folder with --data")


def load_mnist(folder, limit):
    if os.path.isdir(os.path.join(folder, "mnist")):
        folder = os.path.join(folder, "mnist")
    images = read_idx(find(folder, "train-images-idx3-ubyte"))[:limit]
    labels = read_idx(find(folder, "train-labels-idx1-ubyte"))[:limit]
    x = torch.from_numpy(images.astype(np.float32) / 255.0).unsqueeze(1)
    y = torch.from_numpy(labels.astype(np.int64))
    return x, y


def convnet():
    layers = []
    channels = [1, 32, 64, 128, 256]
    strides = [1, 2, 1, 2]
    for i in range(4):
        layers += [nn.Conv2d(channels[i], channels[i + 1], 3, stride=strides[i]),
                   nn.ReLU(),
                   nn.BatchNorm2d(channels[i + 1])]
    layers += [nn.Conv2d(256, 10, 3, stride=2), nn.Flatten()]
    return nn.Sequential(*layers)


def batches(x, y, batch_size, generator):
    order = torch.randperm(x.shape[0], generator=generator)
    for start in range(0, x.shape[0], batch_size):
        idx = order[start:start + batch_size]
        yield x[idx], y[idx]


def train(model, opt, data):
    for xb, yb in data:
        opt.zero_grad()
        loss = F.cross_entropy(model(xb), yb)
        loss.backward()
        opt.step()


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--data", required=True, help="MNIST folder (IDX files) or a folder holding mnist/")
    p.add_argument("--limit", type=int, default=12800)
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", help="write the figures to this JSON file")
    a = p.parse_args()

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    x, y = load_mnist(a.data, a.limit)
    n = x.shape[0]
    model = convnet()
    model.train()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    g = torch.Generator().manual_seed(a.seed)

    warm = list(batches(x, y, a.batch_size, g))[:WARMUP_BATCHES]
    train(model, opt, warm)
    rates = []
    for epoch in range(1, a.epochs + 1):
        data = list(batches(x, y, a.batch_size, g))
        start = time.perf_counter()
        train(model, opt, data)
        seconds = time.perf_counter() - start
        rates.append(n / seconds)
        print(f"epoch {epoch}/{a.epochs}: {seconds:.2f} s, {n / seconds:.1f} samples/s", flush=True)
    median = statistics.median(rates)
    print(f"PyTorch {torch.__version__}, {torch.get_num_threads()} threads: "
          f"median {median:.1f} samples/s over {a.epochs} epochs of {n}")
    if a.out:
        with open(a.out, "w") as f:
            json.dump({
                "torch": torch.__version__,
                "python": platform.python_version(),
                "threads": torch.get_num_threads(),
                "train_samples": n,
                "batch_size": a.batch_size,
                "samples_per_second": median,
                "samples_per_second_runs": rates,
                "load": list(os.getloadavg()),
            }, f, indent=2)


if __name__ == "__main__":
    main()
