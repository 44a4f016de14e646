package io.github.luzj.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.engine.PtNDArray;
import io.github.luzj.base.Checks;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * One optimizer's update of one parameter, in place, reading the group's hyperparameters as they
 * are now. Implementations run inside an {@link NDScope} that closes every
 * temporary; an array that must outlive the step goes through {@code keep}.
 */
interface UpdateRule {

    /**
     * Updates the slot's weight from its gradient and advances its state; the caller has already
     * counted the step in the state's {@code step}.
     *
     * @param group the live hyperparameters
     * @param slot the parameter, its state and its gradient
     * @param keep moves a new array out of the step's scope into the optimizer's state memory
     */
    void apply(ParamGroup group, Slot slot, UnaryOperator<NDArray> keep);

    /**
     * Updates every parameter of one group that has a gradient this step, as if {@link #apply}
     * were called on each in turn; a rule may override it to update them all with a few calls
     * on concatenated arrays, provided the result is the same bit for bit.
     *
     * @param group the live hyperparameters
     * @param slots the parameters to update, each with its state (step already counted)
     * @param keep moves a new array out of the step's scope into the optimizer's state memory
     */
    default void applyAll(ParamGroup group, List<Slot> slots, UnaryOperator<NDArray> keep) {
        for (Slot s : slots) {
            apply(group, s, keep);
        }
    }

    /**
     * Frees what the rule holds apart from the parameters' states, when the optimizer closes; a
     * later step starts over.
     */
    default void close() {}

    /**
     * The array as DJL's PyTorch engine's, for a rule that calls LibTorch directly.
     *
     * @param a an array of the step
     * @param rule the rule, for the message
     * @return the same array
     * @throws io.github.luzj.base.LuzjException if it is another engine's
     */
    static PtNDArray pytorch(NDArray a, String rule) {
        Checks.check(
                a instanceof PtNDArray,
                "luzj's %s runs on DJL's PyTorch engine, but got a %s array; use PyTorch arrays"
                        + " throughout",
                rule,
                a.getClass().getSimpleName());
        return (PtNDArray) a;
    }

    /**
     * One parameter of a step: its state, its array and its gradient.
     *
     * @param state the parameter's state
     * @param weight the parameter, changed in place
     * @param grad its gradient, read only
     */
    record Slot(ParamState state, NDArray weight, NDArray grad) {}

    /**
     * Returns the rule for an optimizer kind.
     *
     * @param kind the kind
     * @param fused true for Adam's and AdamW's one-call kernel instead of PyTorch's op-by-op
     *     update; ignored for SGD
     * @return its rule
     */
    static UpdateRule of(OptimizerSpec.Kind kind, boolean fused) {
        return switch (kind) {
            case ADAM -> fused ? new FusedAdamRule(false) : new AdamRule(false);
            case ADAMW -> fused ? new FusedAdamRule(true) : new AdamRule(true);
            case SGD -> new SgdRule();
            case SCHEDULE_FREE_ADAMW -> throw new IllegalArgumentException(
                    "schedule-free AdamW's rule is built with its hyperparameters, by"
                            + " OptimizerSpec.build");
        };
    }
}
