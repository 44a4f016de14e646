package io.github.luzj.callbacks.lr;

import static io.github.luzj.callbacks.lr.ScheduleArgs.boxed;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.github.luzj.base.Checks;
import io.github.luzj.base.LuzjException;
import io.github.luzj.optim.LuzOptimizer;
import io.github.luzj.optim.OptimizerSpec;
import io.github.luzj.optim.Optimizers;
import io.github.luzj.optim.ParamGroup;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads schedules written with PyTorch's names and simulates them. A case looks like
 *
 * <pre>{@code
 * {"name": "chapter_one_cycle_adam",
 *  "optimizer": {"name": "adam", "lr": 0.001},
 *  "scheduler": {"kind": "OneCycleLR",
 *                "args": {"max_lr": 0.01, "epochs": 5, "steps_per_epoch": 469}},
 *  "steps": 2345}
 * }</pre>
 *
 * <p>{@code optimizer.name} is {@code adam}, {@code adamw} or {@code sgd}, with {@code lr},
 * {@code betas}, {@code eps}, {@code weight_decay} (Adam) or {@code momentum},
 * {@code dampening}, {@code nesterov}, {@code weight_decay} (SGD). {@code scheduler.kind} is a
 * PyTorch class name: {@code OneCycleLR}, {@code CyclicLR}, {@code CosineAnnealingWarmRestarts},
 * {@code CosineAnnealingLR}, {@code StepLR}, {@code MultiStepLR}, {@code ExponentialLR},
 * {@code LinearLR}, {@code WarmupStableDecayLR} (HF's {@code get_wsd_schedule}: {@code max_lr},
 * {@code warmup_steps}, {@code decay_fraction}, {@code warmup_type}, {@code decay_type},
 * {@code min_lr_ratio}, {@code total_steps} or {@code epochs} and {@code steps_per_epoch}),
 * {@code ReduceLROnPlateau} (with a top-level {@code metrics} list, one value per
 * step) or {@code SequentialLR} ({@code args.schedulers}: a list of {@code {kind, args}},
 * {@code args.milestones}). {@code LambdaLR} and {@code MultiplicativeLR} take Python functions,
 * so they are built in Java ({@link LrSchedulers#lambda}) and passed to
 * {@link #parse(JsonObject, SchedulerSpec)}.
 */
public final class ScheduleSpecs {

    private ScheduleSpecs() {}

    /**
     * Parses a whole case.
     *
     * @param json the case
     * @return the case
     * @throws LuzjException naming the unknown kind, the bad argument or the missing field
     */
    public static ScheduleCase parse(JsonObject json) {
        SpecArgs top = caseArgs(json);
        return parsed(json, top, scheduler(top.object("scheduler")));
    }

    /**
     * Parses a case but for its schedule, which is given (for Python lambdas).
     *
     * @param json the case
     * @param scheduler the schedule to use
     * @return the case
     */
    public static ScheduleCase parse(JsonObject json, SchedulerSpec scheduler) {
        SpecArgs top = caseArgs(json);
        top.has("scheduler");
        return parsed(json, top, scheduler);
    }

    private static SpecArgs caseArgs(JsonObject json) {
        Checks.check(json != null, "schedule case is null; pass a JSON object");
        String name =
                json.has("name") && json.get("name").isJsonPrimitive()
                        ? json.get("name").getAsString()
                        : "(unnamed)";
        return new SpecArgs("schedule case '" + name + "'", json);
    }

    private static ScheduleCase parsed(JsonObject json, SpecArgs top, SchedulerSpec scheduler) {
        String name = top.string("name", "(unnamed)");
        OptimizerSpec optimizer = optimizer(top.object("optimizer"));
        int steps = top.integer("steps");
        List<Double> metrics =
                top.has("metrics") ? boxed(top.numbers("metrics")) : List.of();
        top.has("lr");
        top.has("momentum");
        top.has("note");
        top.done();
        Checks.check(
                !(scheduler instanceof ReduceLrOnPlateau.Spec) || metrics.size() >= steps,
                "schedule case '%s' uses ReduceLROnPlateau and needs 'metrics' with one value per"
                        + " step (%d), got %d",
                name,
                steps,
                metrics.size());
        return new ScheduleCase(name, optimizer, scheduler, steps, metrics);
    }

    /**
     * Parses an optimizer written with PyTorch's names.
     *
     * @param json {@code {"name": "sgd", "lr": 0.1, "momentum": 0.9}} and the like
     * @return the optimizer spec
     */
    public static OptimizerSpec optimizer(JsonObject json) {
        String name = new SpecArgs("optimizer", json).string("name");
        SpecArgs a = new SpecArgs("optimizer '" + name + "'", json);
        a.has("name");
        OptimizerSpec spec =
                switch (name) {
                    case "adam" -> Optimizers.adam();
                    case "adamw" -> Optimizers.adamW();
                    case "sgd" -> Optimizers.sgd();
                    default -> throw new LuzjException(
                            "optimizer name must be one of adam, adamw, sgd, got '" + name + "'");
                };
        if (a.has("lr")) {
            spec = spec.lr(a.number("lr"));
        }
        if (a.has("weight_decay")) {
            spec = spec.weightDecay(a.number("weight_decay"));
        }
        if (name.equals("sgd")) {
            if (a.has("momentum")) {
                spec = spec.momentum(a.number("momentum"));
            }
            if (a.has("dampening")) {
                spec = spec.dampening(a.number("dampening"));
            }
            spec = spec.nesterov(a.bool("nesterov", false));
        } else {
            if (a.has("betas")) {
                double[] betas = a.numbers("betas");
                Checks.check(
                        betas.length == 2,
                        "optimizer '%s' argument 'betas' must hold two numbers, got %s",
                        name,
                        Arrays.toString(betas));
                spec = spec.betas(betas[0], betas[1]);
            }
            if (a.has("eps")) {
                spec = spec.eps(a.number("eps"));
            }
        }
        a.done();
        return spec;
    }

    /**
     * Parses a schedule written with PyTorch's class and argument names.
     *
     * @param json {@code {"kind": "StepLR", "args": {"step_size": 3, "gamma": 0.5}}}
     * @return the schedule's spec
     * @throws LuzjException naming an unknown kind, an unknown or bad argument, or a missing one
     */
    public static SchedulerSpec scheduler(JsonObject json) {
        SpecArgs outer = new SpecArgs("scheduler", json);
        String kind = outer.string("kind");
        JsonObject argsJson = outer.has("args") ? outer.object("args") : new JsonObject();
        if (kind.equals("LambdaLR") || kind.equals("MultiplicativeLR")) {
            throw new LuzjException(
                    kind + " takes a Python lr_lambda, which luzj cannot run; build it in Java"
                            + " with LrSchedulers." + (kind.equals("LambdaLR") ? "lambda"
                            : "multiplicative") + "(...) and pass it to"
                            + " ScheduleSpecs.parse(json, spec)");
        }
        outer.done();
        SpecArgs a = new SpecArgs(kind, argsJson);
        SchedulerSpec spec =
                switch (kind) {
                    case "OneCycleLR" -> oneCycle(a);
                    case "CyclicLR" -> cyclic(a);
                    case "CosineAnnealingWarmRestarts" -> new CosineAnnealingWarmRestarts.Spec(
                            a.integer("T_0"), a.integer("T_mult", 1), a.number("eta_min", 0));
                    case "CosineAnnealingLR" -> new CosineAnnealingLr.Spec(
                            a.integer("T_max"), a.number("eta_min", 0));
                    case "StepLR" -> new StepLr.Spec(
                            a.integer("step_size"), a.number("gamma", 0.1));
                    case "MultiStepLR" -> new MultiStepLr.Spec(
                            Arrays.stream(a.integers("milestones")).boxed().toList(),
                            a.number("gamma", 0.1));
                    case "ExponentialLR" -> new ExponentialLr.Spec(a.number("gamma"));
                    case "LinearLR" -> new LinearLr.Spec(
                            a.number("start_factor", 1.0 / 3),
                            a.number("end_factor", 1.0),
                            a.integer("total_iters", 5));
                    case "ReduceLROnPlateau" -> new ReduceLrOnPlateau.Spec(
                            a.string("mode", "min"),
                            a.number("factor", 0.1),
                            a.integer("patience", 10),
                            a.number("threshold", 1e-4),
                            a.string("threshold_mode", "rel"),
                            a.integer("cooldown", 0),
                            boxed(a.numbers("min_lr", 0.0)),
                            a.number("eps", 1e-8));
                    case "SequentialLR" -> sequential(a);
                    case "WarmupStableDecayLR" -> warmupStableDecay(a);
                    default -> throw new LuzjException(
                            "unknown scheduler kind '" + kind + "'; use one of OneCycleLR,"
                                    + " CyclicLR, CosineAnnealingWarmRestarts, CosineAnnealingLR,"
                                    + " StepLR, MultiStepLR, ExponentialLR, LinearLR,"
                                    + " ReduceLROnPlateau, SequentialLR, WarmupStableDecayLR");
                };
        a.done();
        return spec;
    }

    private static SchedulerSpec oneCycle(SpecArgs a) {
        OneCycleLr.Spec s =
                new OneCycleLr.Spec(
                        boxed(a.numbers("max_lr")),
                        a.optionalInteger("total_steps"),
                        a.optionalInteger("epochs"),
                        a.optionalInteger("steps_per_epoch"),
                        a.number("pct_start", 0.3),
                        a.string("anneal_strategy", "cos"),
                        a.bool("cycle_momentum", true),
                        boxed(a.numbers("base_momentum", 0.85)),
                        boxed(a.numbers("max_momentum", 0.95)),
                        a.number("div_factor", 25),
                        a.number("final_div_factor", 1e4),
                        a.bool("three_phase", false));
        s.resolveTotalSteps(); // a case is complete: nothing is left to a fit
        return s;
    }

    private static SchedulerSpec warmupStableDecay(SpecArgs a) {
        WarmupStableDecayLr.Spec s =
                new WarmupStableDecayLr.Spec(
                        boxed(a.numbers("max_lr")),
                        a.integer("warmup_steps", 0),
                        a.number("decay_fraction", 0.1),
                        a.string("warmup_type", "linear"),
                        a.string("decay_type", "cosine"),
                        a.number("min_lr_ratio", 0),
                        a.optionalInteger("total_steps"),
                        a.optionalInteger("epochs"),
                        a.optionalInteger("steps_per_epoch"));
        s.resolveTotalSteps(); // a case is complete: nothing is left to a fit
        return s;
    }

    private static SchedulerSpec cyclic(SpecArgs a) {
        if (a.has("scale_fn")) {
            throw new LuzjException(
                    "CyclicLR argument 'scale_fn' is a Python function, which luzj cannot run;"
                            + " use LrSchedulers.cyclic(...).scaleFn(fn, mode) in Java");
        }
        return new CyclicLr.Spec(
                boxed(a.numbers("base_lr")),
                boxed(a.numbers("max_lr")),
                a.integer("step_size_up", 2000),
                a.optionalInteger("step_size_down"),
                a.string("mode", "triangular"),
                a.number("gamma", 1.0),
                null,
                a.string("scale_mode", "cycle"),
                a.bool("cycle_momentum", true),
                boxed(a.numbers("base_momentum", 0.8)),
                boxed(a.numbers("max_momentum", 0.9)));
    }

    private static SchedulerSpec sequential(SpecArgs a) {
        List<SchedulerSpec> children = new ArrayList<>();
        for (JsonElement e : a.array("schedulers")) {
            Checks.check(
                    e.isJsonObject(),
                    "SequentialLR argument 'schedulers' must hold {kind, args} objects, got %s",
                    e);
            children.add(scheduler(e.getAsJsonObject()));
        }
        return new SequentialLr.Spec(
                children, Arrays.stream(a.integers("milestones")).boxed().toList());
    }

    /**
     * Steps the case's schedule as the scheduler callback does, over the parameter groups of the
     * case's real optimizer, and records what each group held during each step.
     *
     * @param c the case
     * @return the learning rates and momentum values, one row per step
     */
    public static ScheduleTrace simulate(ScheduleCase c) {
        int n = c.buildOptimizer().groups().size();
        Checks.atMost("steps x parameter groups", (long) c.steps() * n, MAX_TRACE_VALUES,
                "a trace keeps every value in memory; stream long schedules with"
                        + " simulate(case, sink)");
        double[][] lr = new double[c.steps()][];
        double[][] momentum = new double[c.steps()][];
        simulate(c, (step, lrs, momentums) -> {
            lr[step] = lrs.clone();
            momentum[step] = momentums.clone();
        });
        return new ScheduleTrace(lr, momentum);
    }

    /** The most values {@link #simulate(ScheduleCase)} keeps: 16 MB of doubles per array. */
    static final int MAX_TRACE_VALUES = 2_000_000;

    /** Receives the values of one simulated step, so that long schedules need no memory. */
    @FunctionalInterface
    public interface StepSink {
        /**
         * Takes one step's values.
         *
         * @param step the step, from 0
         * @param lr the learning rate of each group during the step (reused: copy to keep)
         * @param momentum each group's momentum or beta1 (reused: copy to keep)
         */
        void accept(int step, double[] lr, double[] momentum);
    }

    /**
     * Steps the case's schedule as {@link #simulate(ScheduleCase)} does, handing each step's
     * values to {@code sink} instead of keeping them.
     *
     * @param c the case
     * @param sink receives the values of every step, in order
     */
    public static void simulate(ScheduleCase c, StepSink sink) {
        try (LuzOptimizer optimizer = c.buildOptimizer()) {
            List<ParamGroup> groups = optimizer.groups();
            LrScheduler scheduler = c.scheduler().build(groups);
            int n = groups.size();
            double[] lr = new double[n];
            double[] momentum = new double[n];
            for (int i = 0; i < c.steps(); i++) {
                for (int g = 0; g < n; g++) {
                    lr[g] = groups.get(g).lr();
                    momentum[g] = groups.get(g).momentum();
                }
                sink.accept(i, lr, momentum);
                int step = i;
                scheduler.step(() -> metricAt(c, step));
            }
        }
    }

    private static double metricAt(ScheduleCase c, int step) {
        Checks.check(
                step < c.metrics().size(),
                "schedule case '%s' steps on a metric but has none for step %d; give 'metrics'"
                        + " one value per step",
                c.name(),
                step);
        return c.metrics().get(step);
    }
}
