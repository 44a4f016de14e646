#!/usr/bin/env python3
"""The chapter convnet's first four layers one at a time in PyTorch eager: BlockBench.java's
convolution, batch norm and ReLU, channels-last input and kernel, the same batch, threads, call
counts and output gradient. Prints "pytorch" and each layer's forward and forward-plus-backward
milliseconds."""
import time

import torch

LAYERS = [(1, 32, 28, 1), (32, 64, 26, 2), (64, 128, 12, 1), (128, 256, 10, 2)]


def main():
    torch.set_num_threads(2)
    torch.manual_seed(0)
    cl = torch.channels_last
    out = ["pytorch"]
    for ci, co, side, stride in LAYERS:
        so = (side - 3) // stride + 1
        x = torch.randn(128, ci, side, side).contiguous(memory_format=cl).requires_grad_(ci > 1)
        w = (torch.randn(co, ci, 3, 3) * 0.1).contiguous(memory_format=cl).requires_grad_()
        dy = torch.randn(128, co, so, so).contiguous(memory_format=cl)
        b = torch.zeros(co, requires_grad=True)
        gamma = torch.ones(co, requires_grad=True)
        beta = torch.zeros(co, requires_grad=True)
        mean, var = torch.zeros(co), torch.ones(co)
        forward = total = 0.0
        n = 30
        for i in range(n + 10):
            t0 = time.perf_counter()
            c = torch.conv2d(x, w, b, stride)
            y = torch.relu(torch.batch_norm(c, gamma, beta, mean, var, True, 0.1, 1e-5, False))
            loss = (y * dy).sum()
            t1 = time.perf_counter()
            loss.backward()
            t2 = time.perf_counter()
            if i >= 10:
                forward += (t1 - t0) * 1e3
                total += (t2 - t0) * 1e3
        out.append(f"{forward / n:.3f} {total / n:.3f}")
    print(" ".join(out), flush=True)


if __name__ == "__main__":
    main()
