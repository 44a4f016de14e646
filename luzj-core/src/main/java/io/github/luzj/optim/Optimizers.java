package io.github.luzj.optim;

import java.util.List;

/** Entry points for optimizer specs, with PyTorch's defaults. */
public final class Optimizers {

    private Optimizers() {}

    /**
     * {@code torch.optim.Adam(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0)}.
     *
     * @return the spec
     */
    public static OptimizerSpec adam() {
        return new OptimizerSpec(
                OptimizerSpec.Kind.ADAM, 1e-3, 0.9, 0.999, 1e-8, 0, 0, 0, false, List.of());
    }

    /**
     * {@code torch.optim.AdamW(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2)}.
     *
     * @return the spec
     */
    public static OptimizerSpec adamW() {
        return new OptimizerSpec(
                OptimizerSpec.Kind.ADAMW, 1e-3, 0.9, 0.999, 1e-8, 1e-2, 0, 0, false, List.of());
    }

    /**
     * {@code torch.optim.SGD(lr=0.01, momentum=0, dampening=0, nesterov=False)}. PyTorch makes
     * {@code lr} a required argument; luzj takes 0.01 so that {@code sgd()} alone runs.
     *
     * @return the spec
     */
    public static OptimizerSpec sgd() {
        return new OptimizerSpec(
                OptimizerSpec.Kind.SGD, 0.01, 0, 0, 0, 0, 0, 0, false, List.of());
    }
}
