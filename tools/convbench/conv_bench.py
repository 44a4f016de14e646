#!/usr/bin/env python3
"""One forward convolution at a time in PyTorch eager: ConvBench.java's five convolutions, the
same layout, batch, threads and call counts. Prints "pytorch" and each one's milliseconds a call."""
import time

import torch

CONVS = [(1, 32, 28, 1), (32, 64, 26, 2), (64, 128, 12, 1), (128, 256, 10, 2), (256, 10, 4, 2)]


def channels_last(t):
    n, c, h, w = t.shape
    return torch.empty((n, h, w, c)).copy_(t.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)


def main():
    torch.set_num_threads(2)
    torch.manual_seed(0)
    out = []
    with torch.no_grad():
        for ci, co, side, stride in CONVS:
            x = channels_last(torch.randn(128, ci, side, side))
            w = channels_last(torch.randn(co, ci, 3, 3))
            b = torch.randn(co)
            for _ in range(20):
                torch.conv2d(x, w, b, stride)
            n = 100
            start = time.perf_counter()
            for _ in range(n):
                torch.conv2d(x, w, b, stride)
            out.append((time.perf_counter() - start) / n * 1000)
    print("pytorch " + " ".join(f"{ms:.3f}" for ms in out), flush=True)


if __name__ == "__main__":
    main()
