package io.github.luzj.optim;

import ai.djl.nn.Parameter;
import io.github.luzj.base.Checks;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A group of parameters that share live hyperparameters, as in PyTorch's
 * {@code optimizer.param_groups}. Schedulers and callbacks change {@link #lr()} and
 * {@link #momentum()} while training runs; the optimizer reads them at every update.
 *
 * <p>{@link #momentum()} is the value a one-cycle or cyclic schedule moves: SGD's momentum, or
 * Adam's and AdamW's {@code beta1} (PyTorch moves {@code betas[0]} the same way).
 */
public final class ParamGroup {

    private final String name;
    private final List<Parameter> parameters;
    private final List<String> parameterNames;
    private final double initialLr;
    private final boolean usesBetas;
    private double lr;
    private double momentum;
    private double beta2;
    private double eps;
    private double weightDecay;
    private final double dampening;
    private final boolean nesterov;

    ParamGroup(
            String name,
            Map<String, Parameter> parameters,
            boolean usesBetas,
            double lr,
            double momentum,
            double beta2,
            double eps,
            double weightDecay,
            double dampening,
            boolean nesterov) {
        this.name = name;
        this.parameters = List.copyOf(parameters.values());
        this.parameterNames = List.copyOf(parameters.keySet());
        this.usesBetas = usesBetas;
        this.initialLr = lr;
        this.lr = lr;
        this.momentum = momentum;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.dampening = dampening;
        this.nesterov = nesterov;
    }

    /** Names the parameters by {@link Parameter#getName()}, for callers without model paths. */
    ParamGroup(
            String name,
            List<Parameter> parameters,
            boolean usesBetas,
            double lr,
            double momentum,
            double beta2,
            double eps,
            double weightDecay,
            double dampening,
            boolean nesterov) {
        this(
                name,
                byName(parameters),
                usesBetas,
                lr,
                momentum,
                beta2,
                eps,
                weightDecay,
                dampening,
                nesterov);
    }

    private static Map<String, Parameter> byName(List<Parameter> parameters) {
        Map<String, Parameter> out = new LinkedHashMap<>();
        for (Parameter p : parameters) {
            Parameter clash = out.putIfAbsent(p.getName(), p);
            Checks.check(
                    clash == null,
                    "two parameters are named '%s'; give them distinct names or build the"
                            + " optimizer from a map of parameter paths",
                    p.getName());
        }
        return out;
    }

    /**
     * Returns the group's name ({@code "default"} when there is one group).
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Returns the parameters this group updates.
     *
     * @return the parameters
     */
    public List<Parameter> parameters() {
        return parameters;
    }

    /**
     * Returns the names of {@link #parameters()}, in the same order: the model's parameter paths
     * when built by {@link OptimizerSpec#build}. Optimizer state is saved and matched by them.
     *
     * @return the parameter names
     */
    public List<String> parameterNames() {
        return parameterNames;
    }

    /**
     * Returns the learning rate the group was built with (PyTorch's {@code initial_lr}), the base
     * that schedulers scale.
     *
     * @return the initial learning rate
     */
    public double initialLr() {
        return initialLr;
    }

    /**
     * Returns the learning rate used at the next update.
     *
     * @return the learning rate
     */
    public double lr() {
        return lr;
    }

    /**
     * Sets the learning rate used from the next update on. Unlike {@link OptimizerSpec#lr}, 0 is
     * allowed: schedules such as cosine annealing with {@code eta_min=0} reach it, and PyTorch
     * accepts it.
     *
     * @param lr a finite number {@code >= 0}
     */
    public void setLr(double lr) {
        checkLr(lr);
        this.lr = lr;
    }

    /**
     * Tells whether the optimizer is Adam-like, so that {@link #momentum()} is {@code beta1}.
     *
     * @return true for Adam and AdamW
     */
    public boolean usesBetas() {
        return usesBetas;
    }

    /**
     * Returns SGD's momentum or Adam's {@code beta1}.
     *
     * @return the momentum
     */
    public double momentum() {
        return momentum;
    }

    /**
     * Sets SGD's momentum or Adam's {@code beta1} from the next update on.
     *
     * @param momentum a number in [0, 1)
     */
    public void setMomentum(double momentum) {
        checkMomentum(momentum);
        this.momentum = momentum;
    }

    /**
     * Returns Adam's {@code beta2} (unused by SGD).
     *
     * @return beta2
     */
    public double beta2() {
        return beta2;
    }

    /**
     * Sets Adam's {@code beta2}.
     *
     * @param beta2 a number in [0, 1)
     */
    public void setBeta2(double beta2) {
        checkBeta2(beta2);
        this.beta2 = beta2;
    }

    /**
     * Returns Adam's epsilon.
     *
     * @return epsilon
     */
    public double eps() {
        return eps;
    }

    /**
     * Sets Adam's epsilon from the next update on (unused by SGD).
     *
     * @param eps a finite number {@code >= 0}
     */
    public void setEps(double eps) {
        checkEps(eps);
        this.eps = eps;
    }

    /**
     * Returns the weight decay (L2 for Adam and SGD, decoupled for AdamW).
     *
     * @return the weight decay
     */
    public double weightDecay() {
        return weightDecay;
    }

    /**
     * Sets the weight decay.
     *
     * @param weightDecay a finite number {@code >= 0}
     */
    public void setWeightDecay(double weightDecay) {
        checkWeightDecay(weightDecay);
        this.weightDecay = weightDecay;
    }

    /**
     * Checks a full set of hyperparameters as the setters would, without changing anything, so
     * that a checkpoint can be validated completely before any group is touched.
     */
    void checkRestorable(double lr, double momentum, double beta2, double eps, double wd) {
        checkLr(lr);
        checkMomentum(momentum);
        checkBeta2(beta2);
        checkEps(eps);
        checkWeightDecay(wd);
    }

    /** Sets every live hyperparameter at once, as a checkpoint saved them. */
    void restore(double lr, double momentum, double beta2, double eps, double wd) {
        checkRestorable(lr, momentum, beta2, eps, wd);
        this.lr = lr;
        this.momentum = momentum;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = wd;
    }

    private void checkLr(double value) {
        Checks.check(
                Double.isFinite(value) && value >= 0,
                "learning rate of group '%s' must be finite and >= 0, got %s",
                name,
                value);
    }

    private void checkMomentum(double value) {
        Checks.check(
                value >= 0 && value < 1,
                "%s of group '%s' must be in [0, 1), got %s",
                usesBetas ? "beta1" : "momentum",
                name,
                value);
    }

    private void checkBeta2(double value) {
        Checks.check(
                value >= 0 && value < 1,
                "beta2 of group '%s' must be in [0, 1), got %s",
                name,
                value);
    }

    private void checkEps(double value) {
        Checks.check(
                Double.isFinite(value) && value >= 0,
                "eps of group '%s' must be finite and >= 0, got %s",
                name,
                value);
    }

    private void checkWeightDecay(double value) {
        Checks.check(
                Double.isFinite(value) && value >= 0,
                "weight decay of group '%s' must be finite and >= 0, got %s",
                name,
                value);
    }

    /**
     * Returns SGD's dampening.
     *
     * @return dampening
     */
    public double dampening() {
        return dampening;
    }

    /**
     * Tells whether SGD uses Nesterov momentum.
     *
     * @return true for Nesterov
     */
    public boolean nesterov() {
        return nesterov;
    }
}
