package io.github.luzj.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.optimizer.Optimizer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The live optimizer: PyTorch's update rules for Adam, AdamW and SGD over {@link ParamGroup}s
 * whose hyperparameters may change between any two steps.
 *
 * <p>DJL's built-in optimizers read momentum and {@code beta1} once, when built, so a one-cycle
 * schedule cannot move them; this class reads every hyperparameter from its group at every update.
 * It extends DJL's {@link Optimizer}, so DJL's own {@code Trainer} can drive it too.
 */
public final class LuzOptimizer extends Optimizer implements AutoCloseable {

    private final OptimizerSpec.Kind kind;
    private final List<ParamGroup> groups;
    private final Map<String, ParamGroup> groupOf = new HashMap<>();
    private final Map<String, State> states = new HashMap<>();
    private NDManager stateManager;

    /** Per-parameter state: Adam's moments and step count, or SGD's momentum buffer. */
    static final class State {
        long step;
        NDArray expAvg;
        NDArray expAvgSq;
        NDArray momentumBuffer;
    }

    LuzOptimizer(OptimizerSpec.Kind kind, List<ParamGroup> groups) {
        super(new NoOpBuilder());
        this.kind = kind;
        this.groups = List.copyOf(groups);
        for (ParamGroup g : groups) {
            for (Parameter p : g.parameters()) {
                groupOf.put(p.getId(), g);
            }
        }
    }

    /**
     * Returns the update rule.
     *
     * @return the kind
     */
    public OptimizerSpec.Kind kind() {
        return kind;
    }

    /**
     * Returns the parameter groups, whose hyperparameters may be changed at any time.
     *
     * @return the groups
     */
    public List<ParamGroup> groups() {
        return groups;
    }

    /**
     * Updates every parameter of every group from its gradient, then zeroes the gradients
     * (PyTorch's {@code optimizer.step(); optimizer.zero_grad()}).
     */
    public void step() {
        for (ParamGroup g : groups) {
            for (Parameter p : g.parameters()) {
                NDArray weight = p.getArray();
                if (!weight.hasGradient()) {
                    continue;
                }
                try (NDArray grad = weight.getGradient()) {
                    update(g, p.getId(), weight, grad);
                }
            }
        }
    }

    /** {@inheritDoc} */
    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        ParamGroup g = groupOf.get(parameterId);
        if (g == null) {
            throw new IllegalArgumentException(
                    "parameter " + parameterId + " is in no group of this optimizer");
        }
        update(g, parameterId, weight, grad);
    }

    private void update(ParamGroup g, String id, NDArray weight, NDArray grad) {
        State s = states.computeIfAbsent(id, k -> new State());
        s.step++;
        switch (kind) {
            case ADAM, ADAMW -> adam(g, s, weight, grad);
            case SGD -> sgd(g, s, weight, grad);
        }
    }

    /**
     * PyTorch's Adam: {@code step_size = lr / bc1}, {@code denom = sqrt(v) / sqrt(bc2) + eps},
     * {@code w -= step_size * m / denom}. The engine's fused update computes
     * {@code w -= c * m / (sqrt(v) + e)}, which is the same with {@code c = lr * sqrt(bc2) / bc1}
     * and {@code e = eps * sqrt(bc2)}.
     */
    private void adam(ParamGroup g, State s, NDArray weight, NDArray grad) {
        if (s.expAvg == null) {
            s.expAvg = keep(weight.zerosLike());
            s.expAvgSq = keep(weight.zerosLike());
        }
        double beta1 = g.momentum();
        double beta2 = g.beta2();
        double bc1 = 1 - Math.pow(beta1, s.step);
        double sqrtBc2 = Math.sqrt(1 - Math.pow(beta2, s.step));
        weight.getNDArrayInternal()
                .adamUpdate(
                        new NDList(weight, grad, s.expAvg, s.expAvgSq),
                        new NDList(weight),
                        (float) g.lr(),
                        (float) (g.lr() * sqrtBc2 / bc1),
                        (float) g.weightDecay(),
                        1f,
                        -1f,
                        (float) beta1,
                        (float) beta2,
                        (float) (g.eps() * sqrtBc2),
                        false,
                        kind == OptimizerSpec.Kind.ADAMW);
    }

    /** PyTorch's SGD: {@code d = g + wd*w; buf = m*buf + (1-dampening)*d; w -= lr * d'}. */
    private void sgd(ParamGroup g, State s, NDArray weight, NDArray grad) {
        try (NDScope ignored = new NDScope()) {
            NDArray d = g.weightDecay() != 0 ? grad.add(weight.mul(g.weightDecay())) : grad;
            double momentum = g.momentum();
            if (momentum != 0) {
                if (s.momentumBuffer == null) {
                    s.momentumBuffer = keep(d.duplicate());
                } else {
                    s.momentumBuffer.muli(momentum).addi(d.mul(1 - g.dampening()));
                }
                d = g.nesterov() ? d.add(s.momentumBuffer.mul(momentum)) : s.momentumBuffer;
            }
            weight.subi(d.mul(g.lr()));
        }
        zeroGradient(weight, grad);
    }

    private static void zeroGradient(NDArray weight, NDArray grad) {
        if (weight instanceof PtNDArray pt) {
            JniUtils.zeroGrad(pt); // zero_() also clears NaN, unlike grad * 0
        } else {
            grad.subi(grad);
        }
    }

    private NDArray keep(NDArray array) {
        if (stateManager == null) {
            stateManager = array.getManager().newSubManager();
            stateManager.setName("luzj-optimizer-state");
        }
        NDScope.unregister(array);
        array.attach(stateManager);
        return array;
    }

    Map<String, State> states() {
        return states;
    }

    /** Frees the optimizer's state arrays. */
    @Override
    public void close() {
        if (stateManager != null) {
            stateManager.close();
            stateManager = null;
        }
        states.clear();
    }

    /** DJL's base class wants a builder; luzj's hyperparameters live in the groups instead. */
    private static final class NoOpBuilder extends OptimizerBuilder<NoOpBuilder> {
        @Override
        protected NoOpBuilder self() {
            return this;
        }
    }
}
