"""Writes the TorchScript test fixture of TorchScriptArchiveTest: a Linear(2, 3) with fixed weights.

    /usr/bin/python3 tools/torchscript/tiny_linear.py luzj-core/src/test/resources/io/github/luzj/base/tiny_linear.pt
"""
import sys

import torch

torch.manual_seed(0)
net = torch.jit.script(torch.nn.Linear(2, 3))
torch.jit.save(net, sys.argv[1])
