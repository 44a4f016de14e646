"""Writes luzj's exact Adam step as TorchScript: luzj-core/src/main/resources/io/github/luzj/optim/adam_step.pt.

The operations are torch.optim.Adam's and AdamW's (PyTorch 1.13, single-tensor path, amsgrad and
maximize off), one for one and in their order, so LibTorch runs PyTorch's own kernels (the fused
addcmul_ and addcdiv_ among them) and rounds as PyTorch does. luzj's AdamScript loads the file
and calls one of its two methods a step:

- forward: a whole parameter group at once, the gradients concatenated and the moments as one
  flat array each (FlatMoments), then each weight updated through its views;
- step_one: one parameter, its moments shaped as it is.

Elementwise operations round each element alone, so both give the same bits.

    /usr/bin/python3 tools/torchscript/adam_step.py    # needs python3-torch

The archive holds the compiled source (code/__torch__.py, checked against this script's output
by AdamScriptTest when PyTorch is installed), which LibTorch compiles again when it loads it.
"""
import math
import os
import sys
from typing import List

import torch
from torch import Tensor


class AdamStep(torch.nn.Module):
    def forward(self, weights: List[Tensor], grads: List[Tensor], channels_last: List[bool],
                exp_avg: Tensor, exp_avg_sq: Tensor, exp_avgs: List[Tensor],
                denom: Tensor, denoms: List[Tensor], beta1: float, beta2: float, lr: float,
                weight_decay: float, eps: float, decoupled: bool, step: int) -> int:
        parts: List[Tensor] = []
        for i in range(len(grads)):
            grad = self.decay(weights[i], grads[i], lr, weight_decay, decoupled)
            if channels_last[i]:
                # the kernel's own memory order: a view, so the concatenation is the one copy
                grad = grad.permute(0, 2, 3, 1)
            parts.append(grad.reshape(-1))
        grad = torch.cat(parts)
        self.moments(exp_avg, exp_avg_sq, grad, beta1, beta2)
        # denom = (exp_avg_sq.sqrt() / bias_correction2_sqrt).add_(eps), into kept memory
        torch.sqrt(exp_avg_sq, out=denom)
        denom.div_(self.bias_correction2_sqrt(beta2, step)).add_(eps)
        step_size = self.step_size(beta1, lr, step)
        for i in range(len(weights)):
            weights[i].addcdiv_(exp_avgs[i], denoms[i], value=-step_size)
        return len(weights)

    @torch.jit.export
    def step_one(self, weight: Tensor, grad: Tensor, exp_avg: Tensor, exp_avg_sq: Tensor,
                 beta1: float, beta2: float, lr: float, weight_decay: float, eps: float,
                 decoupled: bool, step: int) -> int:
        grad = self.decay(weight, grad, lr, weight_decay, decoupled)
        self.moments(exp_avg, exp_avg_sq, grad, beta1, beta2)
        denom = (exp_avg_sq.sqrt() / self.bias_correction2_sqrt(beta2, step)).add_(eps)
        weight.addcdiv_(exp_avg, denom, value=-self.step_size(beta1, lr, step))
        return 1

    def decay(self, weight: Tensor, grad: Tensor, lr: float, weight_decay: float,
              decoupled: bool) -> Tensor:
        """AdamW's decay of the weight in place, or Adam's L2 term added to the gradient."""
        if decoupled:
            weight.mul_(1 - lr * weight_decay)
        elif weight_decay != 0:
            grad = grad.add(weight, alpha=weight_decay)
        return grad

    def moments(self, exp_avg: Tensor, exp_avg_sq: Tensor, grad: Tensor, beta1: float,
                beta2: float):
        exp_avg.mul_(beta1).add_(grad, alpha=1 - beta1)
        exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)

    def step_size(self, beta1: float, lr: float, step: int) -> float:
        return lr / (1 - beta1 ** step)

    def bias_correction2_sqrt(self, beta2: float, step: int) -> float:
        return math.sqrt(1 - beta2 ** step)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default = os.path.join(here, "..", "..", "luzj-core", "src", "main", "resources", "io",
                           "github", "luzj", "optim", "adam_step.pt")
    out = sys.argv[1] if len(sys.argv) > 1 else default
    torch.jit.script(AdamStep()).save(out)
    print(out)


if __name__ == "__main__":
    main()
