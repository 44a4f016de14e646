#!/usr/bin/env python3
"""The chapter's convnet in plain PyTorch eager, the other side of luzj's bench.

Same network as luzj's ChapterConvNet (conv 1->32 k3 s1, 32->64 k3 s2, 64->128 k3 s1,
128->256 k3 s2, 256->10 k3 s2; ReLU then BatchNorm2d after each of the first four; squeeze),
Adam(lr=1e-3), cross-entropy, the same batch size and intra-op threads. Two copies of it: NCHW
(what a PyTorch user gets by default) and channels_last (model and batches converted with
memory_format=torch.channels_last, the tuned alternative). Batches are cut, shuffled, from one
tensor built before timing, as luzj's loader hands over host arrays.

As a worker (--worker), which is how `luzj-examples.jar bench` runs it: the data come from
--features/--labels (raw float32 files the bench writes: its own training images), every model
trains and evaluates --warmup batches, then it prints one JSON line {"ready": ...} and answers
each command on stdin with one JSON line {"seconds": S, "samples": N}:

    train nchw | train channels_last    one epoch of training
    eval nchw  | eval channels_last     one epoch of evaluation (eval mode, no grad, the loss)
    quit

so that the bench can interleave PyTorch's epochs with luzj's in one run, without timing
Python's start-up.

Standalone, it reads the first --limit MNIST training images from the IDX files and prints each
round's samples/s of the four workloads and their medians:

    OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 docs/bench_pytorch.py --data ../shared/data/mnist \\
        --limit 12800 --epochs 3 --threads 2

Needs only torch and numpy (Debian: apt-get install python3-torch).
"""
import argparse
import gzip
import json
import os
import statistics
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

LAYOUTS = ("nchw", "channels_last")


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


def load_raw(features, labels, shape):
    """The bench's own training set: float32 features of shape N x C x H x W, float32 labels."""
    x = torch.from_numpy(np.fromfile(features, dtype="<f4").reshape(shape).copy())
    y = torch.from_numpy(np.fromfile(labels, dtype="<f4").astype(np.int64))
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


def channels_last(xb):
    """NHWC memory under the NCHW shape. Not xb.contiguous(memory_format=...): with one channel
    an NCHW tensor already counts as channels_last-contiguous and would come back unchanged,
    with strides that make the convolutions run NCHW."""
    n, c, h, w = xb.shape
    return torch.empty((n, h, w, c), dtype=xb.dtype).copy_(xb.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)


class Workload:
    """One model with its optimizer and the data in one memory layout."""

    def __init__(self, layout, x, y, batch_size, seed):
        torch.manual_seed(seed)
        self.model = convnet()
        if layout == "channels_last":
            self.model = self.model.to(memory_format=torch.channels_last)
        self.opt = torch.optim.Adam(self.model.parameters(), lr=1e-3)
        self.layout = layout
        self.x, self.y = x, y
        self.batch_size = batch_size
        self.generator = torch.Generator().manual_seed(seed)

    def batches(self, limit=None):
        order = torch.randperm(self.x.shape[0], generator=self.generator)
        out = []
        for start in range(0, self.x.shape[0], self.batch_size):
            idx = order[start:start + self.batch_size]
            xb = self.x[idx]
            out.append((channels_last(xb) if self.layout == "channels_last" else xb, self.y[idx]))
            if limit is not None and len(out) == limit:
                break
        return out

    def train(self, data):
        self.model.train()
        start = time.perf_counter()
        for xb, yb in data:
            self.opt.zero_grad()
            loss = F.cross_entropy(self.model(xb), yb)
            loss.backward()
            self.opt.step()
        return time.perf_counter() - start

    def evaluate(self, data):
        self.model.eval()
        start = time.perf_counter()
        with torch.no_grad():
            total = torch.zeros(())
            for xb, yb in data:
                total += F.cross_entropy(self.model(xb), yb) * xb.shape[0]
            total.item()
        seconds = time.perf_counter() - start
        self.model.train()
        return seconds

    def run(self, what, limit=None):
        data = self.batches(limit)
        seconds = self.train(data) if what == "train" else self.evaluate(data)
        return seconds, sum(xb.shape[0] for xb, _ in data)


def reply(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def serve(workloads, warmup):
    for w in workloads.values():
        w.run("train", warmup)
        w.run("eval", warmup)
    reply({"ready": True, "torch": torch.__version__, "threads": torch.get_num_threads(),
           "interop_threads": torch.get_num_interop_threads()})
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        if words == ["quit"]:
            return
        if len(words) != 2 or words[0] not in ("train", "eval") or words[1] not in workloads:
            reply({"error": f"unknown command {line.strip()!r}"})
            continue
        seconds, samples = workloads[words[1]].run(words[0])
        reply({"seconds": seconds, "samples": samples})


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--data", help="MNIST folder (IDX files) or a folder holding mnist/")
    p.add_argument("--limit", type=int, default=12800)
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--epochs", type=int, default=3, help="rounds (standalone)")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--interop-threads", type=int)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--warmup", type=int, default=5, help="batches each workload runs first")
    p.add_argument("--worker", action="store_true", help="answer the bench's commands on stdin")
    p.add_argument("--features", help="raw float32 features (worker)")
    p.add_argument("--labels", help="raw float32 labels (worker)")
    p.add_argument("--shape", help="the features' shape N,C,H,W (worker)")
    p.add_argument("--out", help="write the standalone figures to this JSON file")
    a = p.parse_args()

    torch.set_num_threads(a.threads)
    if a.interop_threads:
        torch.set_num_interop_threads(a.interop_threads)
    if a.features:
        x, y = load_raw(a.features, a.labels, [int(s) for s in a.shape.split(",")])
    elif a.data:
        x, y = load_mnist(a.data, a.limit)
    else:
        raise SystemExit("error: pass --data DIR (or --features, --labels and --shape)")
    workloads = {layout: Workload(layout, x, y, a.batch_size, a.seed) for layout in LAYOUTS}
    if a.worker:
        serve(workloads, a.warmup)
        return

    for w in workloads.values():
        w.run("train", a.warmup)
    rates = {f"{what}_{layout}": [] for what in ("train", "eval") for layout in LAYOUTS}
    for r in range(1, a.epochs + 1):
        for key in rates:
            what, layout = key.split("_", 1)
            seconds, n = workloads[layout].run(what)
            rates[key].append(n / seconds)
        print(f"round {r}/{a.epochs}: " + ", ".join(f"{k} {v[-1]:.0f}" for k, v in rates.items())
              + " samples/s", flush=True)
    medians = {k: statistics.median(v) for k, v in rates.items()}
    print(f"PyTorch {torch.__version__}, {torch.get_num_threads()} threads, medians: "
          + ", ".join(f"{k} {v:.1f}" for k, v in medians.items()) + " samples/s")
    if a.out:
        with open(a.out, "w") as f:
            json.dump({"torch": torch.__version__, "threads": torch.get_num_threads(),
                       "train_samples": x.shape[0], "batch_size": a.batch_size,
                       "samples_per_second": medians, "samples_per_second_runs": rates,
                       "load": list(os.getloadavg())}, f, indent=2)


if __name__ == "__main__":
    main()
