package io.github.luzj.optim;

import ai.djl.nn.Parameter;
import io.github.luzj.base.Checks;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
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

    /**
     * The spec's values. Each setter changes a copy, so a spec's own values never change once it
     * holds them.
     */
    private static final class Values implements Cloneable {
        Kind kind;
        double lr;
        double beta1;
        double beta2;
        double eps;
        double weightDecay;
        double momentum;
        double dampening;
        boolean nesterov;
        List<GroupSpec> groups = List.of();
        boolean fused;
        ScheduleFree scheduleFree = new ScheduleFree(0, 0, 2);

        /** A field-for-field copy: every value is a primitive or immutable. */
        Values copy() {
            try {
                return (Values) clone();
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }
    }

    private final Values v;

    /**
     * PyTorch's defaults of one kind, as {@link Optimizers} gives them: no momentum, dampening or
     * Nesterov, no groups, not fused.
     */
    OptimizerSpec(Kind kind, double lr, double beta1, double beta2, double eps, double weightDecay) {
        Values d = new Values();
        d.kind = kind;
        d.lr = lr;
        d.beta1 = beta1;
        d.beta2 = beta2;
        d.eps = eps;
        d.weightDecay = weightDecay;
        this.v = d;
    }

    private OptimizerSpec(Values v) {
        this.v = v;
    }

    /** A new spec with this one's values, changed by {@code change}. */
    private OptimizerSpec with(Consumer<Values> change) {
        Values next = v.copy();
        change.accept(next);
        return new OptimizerSpec(next);
    }

    /**
     * Returns the update rule.
     *
     * @return the kind
     */
    public Kind kind() {
        return v.kind;
    }

    /**
     * Returns the learning rate.
     *
     * @return the learning rate
     */
    public double lr() {
        return v.lr;
    }

    /**
     * Returns Adam's {@code beta1}.
     *
     * @return beta1
     */
    public double beta1() {
        return v.beta1;
    }

    /**
     * Returns Adam's {@code beta2}.
     *
     * @return beta2
     */
    public double beta2() {
        return v.beta2;
    }

    /**
     * Returns Adam's epsilon.
     *
     * @return epsilon
     */
    public double eps() {
        return v.eps;
    }

    /**
     * Returns the weight decay.
     *
     * @return weight decay
     */
    public double weightDecay() {
        return v.weightDecay;
    }

    /**
     * Returns SGD's momentum.
     *
     * @return momentum
     */
    public double momentum() {
        return v.momentum;
    }

    /**
     * Returns SGD's dampening.
     *
     * @return dampening
     */
    public double dampening() {
        return v.dampening;
    }

    /**
     * Tells whether SGD uses Nesterov momentum.
     *
     * @return true for Nesterov
     */
    public boolean nesterov() {
        return v.nesterov;
    }

    /**
     * Tells whether Adam's update runs as one native call per parameter ({@link #fused(boolean)}).
     *
     * @return true for the fused update
     */
    public boolean fused() {
        return v.fused;
    }

    /**
     * Returns the extra parameter groups, in the order they were added.
     *
     * @return the group specs
     */
    public List<GroupSpec> groups() {
        return v.groups;
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
        return with(next -> next.lr = lr);
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
        return with(
                next -> {
                    next.beta1 = beta1;
                    next.beta2 = beta2;
                });
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
        return with(next -> next.eps = eps);
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
        return with(next -> next.weightDecay = weightDecay);
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
        return with(next -> next.momentum = momentum);
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
        return with(next -> next.dampening = dampening);
    }

    /**
     * Turns Nesterov momentum on or off (SGD; needs momentum {@code > 0} and no dampening).
     *
     * @param nesterov true for Nesterov
     * @return a new spec
     */
    public OptimizerSpec nesterov(boolean nesterov) {
        requireSgd("nesterov");
        return with(next -> next.nesterov = nesterov);
    }

    /**
     * Chooses how Adam and AdamW update a parameter. By default ({@code false}) luzj runs
     * PyTorch's own update, operation by operation, so that weights match PyTorch's; {@code
     * true} runs DJL's fused kernel, one native call per parameter, the same update in real
     * arithmetic but rounded differently in the last float32 bits, with fewer passes over
     * memory. On the chapter's convnet the two take about the same time (the bench's {@code
     * adam_exact_vs_djl}); moments, checkpoints and live hyperparameters work the same either
     * way.
     *
     * @param fused true for the fused update
     * @return a new spec
     */
    public OptimizerSpec fused(boolean fused) {
        requireAdam("fused");
        Checks.check(
                v.kind != Kind.SCHEDULE_FREE_ADAMW,
                "fused applies to Adam and AdamW, not to schedule-free AdamW; remove it");
        return with(next -> next.fused = fused);
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
        ScheduleFree sf = v.scheduleFree;
        return with(next -> next.scheduleFree =
                new ScheduleFree(warmupSteps, sf.r(), sf.weightLrPower()));
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
        ScheduleFree sf = v.scheduleFree;
        return with(next -> next.scheduleFree =
                new ScheduleFree(sf.warmupSteps(), r, sf.weightLrPower()));
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
        ScheduleFree sf = v.scheduleFree;
        return with(next -> next.scheduleFree =
                new ScheduleFree(sf.warmupSteps(), sf.r(), weightLrPower));
    }

    /**
     * Returns schedule-free AdamW's own hyperparameters (defaults for the other kinds).
     *
     * @return warm-up steps, r and weight-lr power
     */
    public ScheduleFree scheduleFree() {
        return v.scheduleFree;
    }

    private void requireScheduleFree(String what) {
        Checks.check(
                v.kind == Kind.SCHEDULE_FREE_ADAMW,
                "%s applies to schedule-free AdamW, not to %s; start from"
                        + " Optimizers.scheduleFreeAdamW()",
                what,
                v.kind);
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
                !"default".equals(name)
                        && v.groups.stream().noneMatch(g -> g.name().equals(name)),
                "group name '%s' is taken; choose another",
                name);
        List<GroupSpec> more = new ArrayList<>(v.groups);
        more.add(new GroupSpec(name, selects, lrFactor));
        return with(next -> next.groups = List.copyOf(more));
    }

    /**
     * Builds the live optimizer over the trainable parameters.
     *
     * @param trainable the parameters to update, by name, in the model's order
     * @return the optimizer
     */
    public LuzOptimizer build(Map<String, Parameter> trainable) {
        Checks.check(
                !(v.nesterov && (v.momentum <= 0 || v.dampening != 0)),
                "nesterov needs momentum > 0 and dampening 0, got momentum %s, dampening %s;"
                        + " set momentum(0.9) and dampening(0), or nesterov(false)",
                v.momentum,
                v.dampening);
        Checks.check(
                trainable != null, "trainable must be a map of parameters by name, got null");
        Map<String, Map<String, Parameter>> members = new LinkedHashMap<>();
        for (GroupSpec g : v.groups) {
            members.put(g.name(), new LinkedHashMap<>());
        }
        members.put("default", new LinkedHashMap<>());
        for (Map.Entry<String, Parameter> e : trainable.entrySet()) {
            String target = "default";
            for (GroupSpec g : v.groups) {
                if (g.selects().test(e.getKey())) {
                    target = g.name();
                    break;
                }
            }
            members.get(target).put(e.getKey(), e.getValue());
        }
        List<ParamGroup> built = new ArrayList<>();
        for (Map.Entry<String, Map<String, Parameter>> e : members.entrySet()) {
            if (e.getValue().isEmpty() && !v.groups.isEmpty()) {
                continue; // a user group that matched nothing, or everything was grouped
            }
            double factor =
                    v.groups.stream()
                            .filter(g -> g.name().equals(e.getKey()))
                            .mapToDouble(GroupSpec::lrFactor)
                            .findFirst()
                            .orElse(1.0);
            boolean adam = v.kind != Kind.SGD;
            built.add(
                    new ParamGroup(
                            e.getKey(),
                            e.getValue(),
                            adam,
                            v.lr * factor,
                            adam ? v.beta1 : v.momentum,
                            v.beta2,
                            v.eps,
                            v.weightDecay,
                            v.dampening,
                            v.nesterov));
        }
        UpdateRule rule =
                v.kind == Kind.SCHEDULE_FREE_ADAMW
                        ? new ScheduleFreeRule(v.scheduleFree)
                        : UpdateRule.of(v.kind, v.fused);
        return new LuzOptimizer(v.kind, rule, built);
    }

    private void requireAdam(String what) {
        Checks.check(
                v.kind != Kind.SGD, "%s applies to Adam and AdamW, not to SGD; remove it", what);
    }

    private void requireSgd(String what) {
        Checks.check(
                v.kind == Kind.SGD,
                "%s applies to SGD, not to %s; for Adam's momentum use betas(beta1, beta2)",
                what,
                v.kind);
    }

    @Override
    public String toString() {
        return switch (v.kind) {
            case SGD -> String.format(
                    Locale.ROOT,
                    "SGD(lr=%s, momentum=%s, dampening=%s, nesterov=%s, weight_decay=%s)",
                    v.lr, v.momentum, v.dampening, v.nesterov, v.weightDecay);
            case SCHEDULE_FREE_ADAMW -> String.format(
                    Locale.ROOT,
                    "AdamWScheduleFree(lr=%s, betas=(%s, %s), eps=%s, weight_decay=%s,"
                            + " warmup_steps=%s, r=%s, weight_lr_power=%s)",
                    v.lr, v.beta1, v.beta2, v.eps, v.weightDecay, v.scheduleFree.warmupSteps(),
                    v.scheduleFree.r(), v.scheduleFree.weightLrPower());
            default -> String.format(
                    Locale.ROOT,
                    "%s(lr=%s, betas=(%s, %s), eps=%s, weight_decay=%s%s)",
                    v.kind == Kind.ADAM ? "Adam" : "AdamW", v.lr, v.beta1, v.beta2, v.eps,
                    v.weightDecay, v.fused ? ", fused=True" : "");
        };
    }
}
