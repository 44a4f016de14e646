package io.github.luzj.optim;

import ai.djl.ndarray.NDArray;
import java.util.function.UnaryOperator;

/**
 * {@code torch.optim.SGD} (PyTorch 1.13, {@code maximize=False}), one operation for each of
 * PyTorch's:
 *
 * <pre>
 * d = g + weight_decay * w
 * if momentum != 0:
 *     buf = clone(d) at its first use, else buf = momentum * buf + (1 - dampening) * d
 *     d = d + momentum * buf if nesterov else buf
 * w = w - lr * d
 * </pre>
 *
 * <p>The first buffer is an undampened copy of {@code d}, as in PyTorch. Momentum is read at every
 * step, so a schedule may move it; while it is 0 the buffer is kept unchanged, as PyTorch keeps it.
 */
final class SgdRule implements UpdateRule {

    /** The numbers of a step, one operand each ({@link StepScalars}). */
    private static final int WEIGHT_DECAY = 0;
    private static final int MOMENTUM = 1;
    private static final int ONE_MINUS_DAMPENING = 2;
    private static final int MINUS_LR = 3;

    private final StepScalars.ByGroup scalars = new StepScalars.ByGroup(4);

    @Override
    public void apply(ParamGroup group, Slot slot, UnaryOperator<NDArray> keep) {
        ParamState state = slot.state();
        NDArray weight = slot.weight();
        StepScalars numbers = scalars.of(group, weight, keep);
        NDArray d = slot.grad();
        if (group.weightDecay() != 0) {
            d = d.add(weight.mul(numbers.operand(WEIGHT_DECAY, group.weightDecay(), weight)));
        }
        double momentum = group.momentum();
        if (momentum != 0) {
            NDArray mu = numbers.operand(MOMENTUM, momentum, weight);
            if (state.momentumBuffer == null) {
                state.momentumBuffer = keep.apply(d.duplicate());
            } else {
                NDArray undamped =
                        numbers.operand(ONE_MINUS_DAMPENING, 1 - group.dampening(), weight);
                state.momentumBuffer.muli(mu).addi(d.mul(undamped));
            }
            d = group.nesterov() ? d.add(state.momentumBuffer.mul(mu)) : state.momentumBuffer;
        }
        // param.add_(d_p, alpha=-lr)
        weight.addi(d.mul(numbers.operand(MINUS_LR, -group.lr(), weight)));
    }
}
