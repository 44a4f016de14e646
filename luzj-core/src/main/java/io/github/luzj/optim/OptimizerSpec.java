package io.github.luzj.optim;

import ai.djl.nn.Parameter;
import io.github.luzj.base.Checks;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * An immutable description of an optimizer and its hyperparameters; {@link #build} makes the live
 * {@link LuzOptimizer} at fit begin, once the model's parameters are known. Start from
 * {@link Optimizers}:
 *
 * <pre>{@code
 * OptimizerSpec adam = Optimizers.adam().lr(1e-3).weightDecay(1e-4);
 * OptimizerSpec discriminative = Optimizers.adam().lr(1e-3)
 *         .group("backbone", name -> !name.startsWith("fc"), 0.1);   // backbone at lr / 10
 * }</pre>
 *
 * <p>Every setter validates its argument and names it in the error.
 */
public final class OptimizerSpec {

    /** The update rule. */
    public enum Kind {
        /** {@code torch.optim.Adam}, L2 weight decay added to the gradient. */
        ADAM,
        /** {@code torch.optim.AdamW}, decoupled weight decay. */
        ADAMW,
        /** {@code torch.optim.SGD} with optional momentum, dampening and Nesterov. */
        SGD,
        /**
         * Schedule-free AdamW (Defazio et al. 2024), facebookresearch/schedule_free's
         * {@code AdamWScheduleFree}: no learning-rate schedule, the weights to evaluate are an
         * average the optimizer keeps ({@link LuzOptimizer#eval()}).
         */
        SCHEDULE_FREE_ADAMW
    }

    /**
     * Schedule-free AdamW's own hyperparameters, with {@code AdamWScheduleFree}'s names.
     *
     * @param warmupSteps steps of linear learning-rate warm-up, 0 for none
     * @param r the power of the polynomial weighting of the average, 0 for none
     * @param weightLrPower the power of the learning rate in the average's weights
     */
    public record ScheduleFree(int warmupSteps, double r, double weightLrPower) {}

    /**
     * A named subset of the parameters with its own learning rate factor.
     *
     * @param name the group's name
     * @param selects which parameter names (DJL's parameter paths) belong to the group
     * @param lrFactor the group's learning rate as a multiple of the spec's
     */
    public record GroupSpec(String name, Predicate<String> selects, double lrFactor) {}

    private final Kind kind;
    private final double lr;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final double momentum;
    private final double dampening;
    private final boolean nesterov;
    private final List<GroupSpec> groups;
    private final boolean fused;
    private final ScheduleFree scheduleFree;

    OptimizerSpec(
            Kind kind,
            double lr,
            double beta1,
            double beta2,
            double eps,
            double weightDecay,
            double momentum,
            double dampening,
            boolean nesterov,
            List<GroupSpec> groups) {
        this(kind, lr, beta1, beta2, eps, weightDecay, momentum, dampening, nesterov, groups, false,
                new ScheduleFree(0, 0, 2));
    }

    private OptimizerSpec(
            Kind kind,
            double lr,
            double beta1,
            double beta2,
            double eps,
            double weightDecay,
            double momentum,
            double dampening,
            boolean nesterov,
            List<GroupSpec> groups,
            boolean fused,
            ScheduleFree scheduleFree) {
        this.kind = kind;
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.momentum = momentum;
        this.dampening = dampening;
        this.nesterov = nesterov;
        this.groups = List.copyOf(groups);
        this.fused = fused;
        this.scheduleFree = scheduleFree;
    }

    /**
     * Returns the update rule.
     *
     * @return the kind
     */
    public Kind kind() {
        return kind;
    }

    /**
     * Returns the learning rate.
     *
     * @return the learning rate
     */
    public double lr() {
        return lr;
    }

    /**
     * Returns Adam's {@code beta1}.
     *
     * @return beta1
     */
    public double beta1() {
        return beta1;
    }

    /**
     * Returns Adam's {@code beta2}.
     *
     * @return beta2
     */
    public double beta2() {
        return beta2;
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
     * Returns the weight decay.
     *
     * @return weight decay
     */
    public double weightDecay() {
        return weightDecay;
    }

    /**
     * Returns SGD's momentum.
     *
     * @return momentum
     */
    public double momentum() {
        return momentum;
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

    /**
     * Tells whether Adam's update runs as one native call per parameter ({@link #fused(boolean)}).
     *
     * @return true for the fused update
     */
    public boolean fused() {
        return fused;
    }

    /**
     * Returns the extra parameter groups, in the order they were added.
     *
     * @return the group specs
     */
    public List<GroupSpec> groups() {
        return groups;
    }

    /**
     * Sets the learning rate.
     *
     * @param lr a finite number {@code > 0}
     * @return a new spec
     */
    public OptimizerSpec lr(double lr) {
        Checks.check(
                Double.isFinite(lr) && lr > 0,
                "lr must be a finite number > 0, got %s; typical values are 1e-4 to 1e-1",
                lr);
        return new OptimizerSpec(
                kind, lr, beta1, beta2, eps, weightDecay, momentum, dampening, nesterov, groups, fused,
                scheduleFree);
    }

    /**
     * Sets Adam's {@code betas}.
     *
     * @param beta1 in [0, 1), 0.9 by default
     * @param beta2 in [0, 1), 0.999 by default
     * @return a new spec
     */
    public OptimizerSpec betas(double beta1, double beta2) {
        requireAdam("betas");
        Checks.check(beta1 >= 0 && beta1 < 1, "beta1 must be in [0, 1), got %s", beta1);
        Checks.check(beta2 >= 0 && beta2 < 1, "beta2 must be in [0, 1), got %s", beta2);
        return new OptimizerSpec(
                kind, lr, beta1, beta2, eps, weightDecay, momentum, dampening, nesterov, groups, fused,
                scheduleFree);
    }

    /**
     * Sets Adam's epsilon.
     *
     * @param eps a finite number {@code > 0}, 1e-8 by default
     * @return a new spec
     */
    public OptimizerSpec eps(double eps) {
        requireAdam("eps");
        Checks.check(
                Double.isFinite(eps) && eps > 0,
                "eps must be a finite number > 0, got %s; PyTorch's default is 1e-8",
                eps);
        return new OptimizerSpec(
                kind, lr, beta1, beta2, eps, weightDecay, momentum, dampening, nesterov, groups, fused,
                scheduleFree);
    }

    /**
     * Sets the weight decay: L2 added to the gradient for Adam and SGD, decoupled for AdamW.
     *
     * @param weightDecay a finite number {@code >= 0}
     * @return a new spec
     */
    public OptimizerSpec weightDecay(double weightDecay) {
        Checks.check(
                Double.isFinite(weightDecay) && weightDecay >= 0,
                "weight_decay must be a finite number >= 0, got %s",
                weightDecay);
        return new OptimizerSpec(
                kind, lr, beta1, beta2, eps, weightDecay, momentum, dampening, nesterov, groups, fused,
                scheduleFree);
    }

    /**
     * Sets SGD's momentum.
     *
     * @param momentum in [0, 1)
     * @return a new spec
     */
    public OptimizerSpec momentum(double momentum) {
        requireSgd("momentum");
        Checks.check(
                momentum >= 0 && momentum < 1, "momentum must be in [0, 1), got %s", momentum);
        return new OptimizerSpec(
                kind, lr, beta1, beta2, eps, weightDecay, momentum, dampening, nesterov, groups, fused,
                scheduleFree);
    }

    /**
     * Sets SGD's dampening.
     *
     * @param dampening in [0, 1]
     * @return a new spec
     */
    public OptimizerSpec dampening(double dampening) {
        requireSgd("dampening");
        Checks.check(
                dampening >= 0 && dampening <= 1, "dampening must be in [0, 1], got %s",
                dampening);
        return new OptimizerSpec(
                kind, lr, beta1, beta2, eps, weightDecay, momentum, dampening, nesterov, groups, fused,
                scheduleFree);
    }

    /**
     * Turns Nesterov momentum on or off (SGD; needs momentum {@code > 0} and no dampening).
     *
     * @param nesterov true for Nesterov
     * @return a new spec
     */
    public OptimizerSpec nesterov(boolean nesterov) {
        requireSgd("nesterov");
        return new OptimizerSpec(
                kind, lr, beta1, beta2, eps, weightDecay, momentum, dampening, nesterov, groups, fused,
                scheduleFree);
    }

    /**
     * Chooses how Adam and AdamW update a parameter. By default ({@code false}) luzj runs
     * PyTorch's update operation by operation, so that weights match PyTorch's to the bit;
     * {@code true} runs it as one native call per parameter (DJL's fused kernel), the same
     * update in real arithmetic but rounded differently in the last float32 bits. The fused
     * call saves about a dozen small kernel launches per parameter and step, which counts for
     * models with many small parameters; moments, checkpoints and live hyperparameters work
     * the same either way.
     *
     * @param fused true for the fused update
     * @return a new spec
     */
    public OptimizerSpec fused(boolean fused) {
        requireAdam("fused");
        Checks.check(
                kind != Kind.SCHEDULE_FREE_ADAMW,
                "fused applies to Adam and AdamW, not to schedule-free AdamW; remove it");
        return new OptimizerSpec(
                kind, lr, beta1, beta2, eps, weightDecay, momentum, dampening, nesterov, groups,
                fused, scheduleFree);
    }

    /**
     * Sets schedule-free AdamW's linear learning-rate warm-up ({@code warmup_steps}).
     *
     * @param warmupSteps optimizer steps {@code >= 0}, 0 by default
     * @return a new spec
     */
    public OptimizerSpec warmupSteps(int warmupSteps) {
        requireScheduleFree("warmupSteps");
        Checks.check(warmupSteps >= 0, "warmupSteps must be >= 0, got %s", warmupSteps);
        return withScheduleFree(
                new ScheduleFree(warmupSteps, scheduleFree.r(), scheduleFree.weightLrPower()));
    }

    /**
     * Sets the power of schedule-free AdamW's polynomial weighting of the average ({@code r}):
     * step {@code t} weighs {@code t^r}.
     *
     * @param r a finite number {@code >= 0}, 0 by default
     * @return a new spec
     */
    public OptimizerSpec r(double r) {
        requireScheduleFree("r");
        Checks.check(
                Double.isFinite(r) && r >= 0, "r must be a finite number >= 0, got %s", r);
        return withScheduleFree(
                new ScheduleFree(scheduleFree.warmupSteps(), r, scheduleFree.weightLrPower()));
    }

    /**
     * Sets the power of the learning rate in schedule-free AdamW's average weights
     * ({@code weight_lr_power}): step {@code t} weighs {@code max_lr_so_far^power}, so that
     * warm-up steps count less.
     *
     * @param weightLrPower a finite number {@code >= 0}, 2 by default; 0 weighs steps equally
     * @return a new spec
     */
    public OptimizerSpec weightLrPower(double weightLrPower) {
        requireScheduleFree("weightLrPower");
        Checks.check(
                Double.isFinite(weightLrPower) && weightLrPower >= 0,
                "weightLrPower must be a finite number >= 0, got %s",
                weightLrPower);
        return withScheduleFree(
                new ScheduleFree(scheduleFree.warmupSteps(), scheduleFree.r(), weightLrPower));
    }

    /**
     * Returns schedule-free AdamW's own hyperparameters (defaults for the other kinds).
     *
     * @return warm-up steps, r and weight-lr power
     */
    public ScheduleFree scheduleFree() {
        return scheduleFree;
    }

    private OptimizerSpec withScheduleFree(ScheduleFree sf) {
        return new OptimizerSpec(
                kind, lr, beta1, beta2, eps, weightDecay, momentum, dampening, nesterov, groups,
                fused, sf);
    }

    private void requireScheduleFree(String what) {
        Checks.check(
                kind == Kind.SCHEDULE_FREE_ADAMW,
                "%s applies to schedule-free AdamW, not to %s; start from"
                        + " Optimizers.scheduleFreeAdamW()",
                what,
                kind);
    }

    /**
     * Adds a parameter group. A parameter goes to the first group whose predicate accepts its
     * name; the rest form the group {@code "default"}.
     *
     * @param name the group's name
     * @param selects accepts the parameter names (DJL's parameter paths) of the group
     * @param lrFactor the group's learning rate as a multiple of {@link #lr()}, {@code > 0}
     * @return a new spec
     */
    public OptimizerSpec group(String name, Predicate<String> selects, double lrFactor) {
        Checks.check(
                name != null && !name.isBlank(),
                "group name must be a non-blank string, got %s",
                name == null ? "null" : "'" + name + "'");
        Checks.check(
                selects != null, "selects of group '%s' must be a predicate, got null", name);
        Checks.check(
                Double.isFinite(lrFactor) && lrFactor > 0,
                "lrFactor of group '%s' must be a finite number > 0, got %s",
                name,
                lrFactor);
        Checks.check(
                !"default".equals(name) && groups.stream().noneMatch(g -> g.name().equals(name)),
                "group name '%s' is taken; choose another",
                name);
        List<GroupSpec> more = new ArrayList<>(groups);
        more.add(new GroupSpec(name, selects, lrFactor));
        return new OptimizerSpec(
                kind, lr, beta1, beta2, eps, weightDecay, momentum, dampening, nesterov, more, fused,
                scheduleFree);
    }

    /**
     * Builds the live optimizer over the trainable parameters.
     *
     * @param trainable the parameters to update, by name, in the model's order
     * @return the optimizer
     */
    public LuzOptimizer build(Map<String, Parameter> trainable) {
        Checks.check(
                !(nesterov && (momentum <= 0 || dampening != 0)),
                "nesterov needs momentum > 0 and dampening 0, got momentum %s, dampening %s;"
                        + " set momentum(0.9) and dampening(0), or nesterov(false)",
                momentum,
                dampening);
        Checks.check(
                trainable != null, "trainable must be a map of parameters by name, got null");
        Map<String, Map<String, Parameter>> members = new LinkedHashMap<>();
        for (GroupSpec g : groups) {
            members.put(g.name(), new LinkedHashMap<>());
        }
        members.put("default", new LinkedHashMap<>());
        for (Map.Entry<String, Parameter> e : trainable.entrySet()) {
            String target = "default";
            for (GroupSpec g : groups) {
                if (g.selects().test(e.getKey())) {
                    target = g.name();
                    break;
                }
            }
            members.get(target).put(e.getKey(), e.getValue());
        }
        List<ParamGroup> built = new ArrayList<>();
        for (Map.Entry<String, Map<String, Parameter>> e : members.entrySet()) {
            if (e.getValue().isEmpty() && !groups.isEmpty()) {
                continue; // a user group that matched nothing, or everything was grouped
            }
            double factor =
                    groups.stream()
                            .filter(g -> g.name().equals(e.getKey()))
                            .mapToDouble(GroupSpec::lrFactor)
                            .findFirst()
                            .orElse(1.0);
            boolean adam = kind != Kind.SGD;
            built.add(
                    new ParamGroup(
                            e.getKey(),
                            e.getValue(),
                            adam,
                            lr * factor,
                            adam ? beta1 : momentum,
                            beta2,
                            eps,
                            weightDecay,
                            dampening,
                            nesterov));
        }
        UpdateRule rule =
                kind == Kind.SCHEDULE_FREE_ADAMW
                        ? new ScheduleFreeRule(scheduleFree)
                        : UpdateRule.of(kind, fused);
        return new LuzOptimizer(kind, rule, built);
    }

    private void requireAdam(String what) {
        Checks.check(
                kind != Kind.SGD, "%s applies to Adam and AdamW, not to SGD; remove it", what);
    }

    private void requireSgd(String what) {
        Checks.check(
                kind == Kind.SGD,
                "%s applies to SGD, not to %s; for Adam's momentum use betas(beta1, beta2)",
                what,
                kind);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case SGD -> String.format(
                    Locale.ROOT,
                    "SGD(lr=%s, momentum=%s, dampening=%s, nesterov=%s, weight_decay=%s)",
                    lr, momentum, dampening, nesterov, weightDecay);
            case SCHEDULE_FREE_ADAMW -> String.format(
                    Locale.ROOT,
                    "AdamWScheduleFree(lr=%s, betas=(%s, %s), eps=%s, weight_decay=%s,"
                            + " warmup_steps=%s, r=%s, weight_lr_power=%s)",
                    lr, beta1, beta2, eps, weightDecay, scheduleFree.warmupSteps(),
                    scheduleFree.r(), scheduleFree.weightLrPower());
            default -> String.format(
                    Locale.ROOT,
                    "%s(lr=%s, betas=(%s, %s), eps=%s, weight_decay=%s%s)",
                    kind == Kind.ADAM ? "Adam" : "AdamW", lr, beta1, beta2, eps, weightDecay,
                    fused ? ", fused=True" : "");
        };
    }
}
