package io.github.luzj.optim;

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
                OptimizerSpec.Kind.ADAM, 1e-3, 0.9, 0.999, 1e-8, 0);
    }

    /**
     * {@code torch.optim.AdamW(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2)}.
     *
     * @return the spec
     */
    public static OptimizerSpec adamW() {
        return new OptimizerSpec(
                OptimizerSpec.Kind.ADAMW, 1e-3, 0.9, 0.999, 1e-8, 1e-2);
    }

    /**
     * {@code torch.optim.SGD(lr=0.01, momentum=0, dampening=0, nesterov=False)}. PyTorch makes
     * {@code lr} a required argument; luzj takes 0.01 so that {@code sgd()} alone runs.
     *
     * @return the spec
     */
    public static OptimizerSpec sgd() {
        return new OptimizerSpec(
                OptimizerSpec.Kind.SGD, 0.01, 0, 0, 0, 0);
    }

    /**
     * facebookresearch/schedule_free's {@code AdamWScheduleFree(lr=0.0025, betas=(0.9, 0.999),
     * eps=1e-8, weight_decay=0, warmup_steps=0, r=0, weight_lr_power=2)}: AdamW without a
     * learning-rate schedule (Defazio et al. 2024, "The Road Less Scheduled"). Training takes
     * gradients at {@code y}, between the fast iterate {@code z} and the average {@code x}; the
     * fit loop moves the parameters to {@code x} for validation, evaluation, prediction and
     * saving ({@link LuzOptimizer#eval()}) and back to {@code y} for training.
     *
     * @return the spec
     */
    public static OptimizerSpec scheduleFreeAdamW() {
        return new OptimizerSpec(
                OptimizerSpec.Kind.SCHEDULE_FREE_ADAMW, 0.0025, 0.9, 0.999, 1e-8, 0);
    }
}
