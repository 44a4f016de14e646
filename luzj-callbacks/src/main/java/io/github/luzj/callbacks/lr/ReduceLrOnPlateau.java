package io.github.luzj.callbacks.lr;

import static io.github.luzj.callbacks.lr.ScheduleArgs.boxed;

import com.google.gson.JsonObject;
import io.github.luzj.base.Checks;
import io.github.luzj.base.LuzjException;
import io.github.luzj.optim.ParamGroup;
import java.util.List;
import java.util.Set;
import java.util.function.DoubleSupplier;

/**
 * PyTorch's {@code ReduceLROnPlateau}: multiplies each group's learning rate by {@code factor}
 * (not below {@code min_lr}) once the monitored metric has not improved for more than
 * {@code patience} steps, then waits {@code cooldown} steps. It steps on a metric:
 * {@link #step(double)}; construction changes nothing.
 */
public final class ReduceLrOnPlateau extends SpecScheduler<ReduceLrOnPlateau.Spec> {

    private static final Set<String> MODES = Set.of("min", "max");
    private static final Set<String> THRESHOLD_MODES = Set.of("rel", "abs");

    private final double[] minLrs;
    private double best;
    private int numBadEpochs;
    private int cooldownCounter;

    ReduceLrOnPlateau(Spec spec, List<ParamGroup> groups) {
        super(spec, groups);
        this.minLrs = perGroup("min_lr", spec().minLr());
        this.best = worst();
        advance(); // PyTorch starts the counter at 0 and writes nothing
    }

    /**
     * Returns the best metric value seen so far.
     *
     * @return the best value, infinitely bad before the first step
     */
    public double best() {
        return best;
    }

    /**
     * Returns the number of steps since the last improvement (0 during cooldown).
     *
     * @return the count of bad steps
     */
    public int numBadEpochs() {
        return numBadEpochs;
    }

    /**
     * Always fails: this scheduler needs the monitored metric.
     *
     * @throws LuzjException naming the fix
     */
    @Override
    public void step() {
        throw new LuzjException(
                "ReduceLROnPlateau steps on a metric: call step(metric), or use the scheduler"
                        + " callback, which passes the epoch's validation loss");
    }

    /**
     * Takes one step with the monitored metric's latest value.
     *
     * @param metric the value, for example the epoch's mean validation loss
     */
    public void step(double metric) {
        advance();
        if (isBetter(metric, best)) {
            best = metric;
            numBadEpochs = 0;
        } else {
            numBadEpochs++;
        }
        if (cooldownCounter > 0) {
            cooldownCounter--;
            numBadEpochs = 0; // bad epochs in cooldown do not count
        }
        if (numBadEpochs > spec().patience()) {
            reduce();
            cooldownCounter = spec().cooldown();
            numBadEpochs = 0;
        }
    }

    @Override
    public void step(DoubleSupplier metric) {
        step(metric.getAsDouble());
    }

    @Override
    public boolean needsMetric() {
        return true;
    }

    @Override
    protected void apply(int epoch) {
        // nothing moves with the counter alone
    }

    private void reduce() {
        for (int i = 0; i < groups().size(); i++) {
            ParamGroup g = groups().get(i);
            double oldLr = g.lr();
            double newLr = Math.max(oldLr * spec().factor(), minLrs[i]);
            if (oldLr - newLr > spec().eps()) {
                g.setLr(newLr);
            }
        }
    }

    private boolean isBetter(double a, double ref) {
        boolean min = spec().mode().equals("min");
        boolean rel = spec().thresholdMode().equals("rel");
        double t = spec().threshold();
        if (min) {
            return rel ? a < ref * (1.0 - t) : a < ref - t;
        }
        return rel ? a > ref * (t + 1.0) : a > ref + t;
    }

    private double worst() {
        return spec().mode().equals("min") ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }

    @Override
    protected void saveExtra(JsonObject state) {
        StateJson.put(state, "best", best);
        state.addProperty("num_bad_epochs", numBadEpochs);
        state.addProperty("cooldown_counter", cooldownCounter);
    }

    @Override
    protected void loadExtra(JsonObject state) {
        best = StateJson.number(state, "best", kind());
        numBadEpochs = StateJson.integer(state, "num_bad_epochs", kind());
        cooldownCounter = StateJson.integer(state, "cooldown_counter", kind());
    }

    /**
     * The settings of a plateau schedule, with PyTorch's argument names and defaults.
     *
     * @param mode {@code "min"} (a loss) or {@code "max"} (an accuracy)
     * @param factor {@code factor}: the learning rate's multiplier, in (0, 1)
     * @param patience {@code patience}: bad steps tolerated before reducing, {@code >= 0}
     * @param threshold {@code threshold}: the least change that counts as improvement
     * @param thresholdMode {@code "rel"} or {@code "abs"}
     * @param cooldown {@code cooldown}: steps to wait after a reduction, {@code >= 0}
     * @param minLr {@code min_lr}: the floor, one value or one per group, {@code >= 0}
     * @param eps {@code eps}: reductions smaller than this are skipped
     */
    public record Spec(
            String mode,
            double factor,
            int patience,
            double threshold,
            String thresholdMode,
            int cooldown,
            List<Double> minLr,
            double eps)
            implements SchedulerSpec {

        /**
         * Validates every setting, naming the argument, the value and the valid range.
         *
         * @param mode {@code "min"} (a loss) or {@code "max"} (an accuracy)
         * @param factor {@code factor}: the learning rate's multiplier, in (0, 1)
         * @param patience {@code patience}: bad steps tolerated before reducing, {@code >= 0}
         * @param threshold {@code threshold}: the least change that counts as improvement
         * @param thresholdMode {@code "rel"} or {@code "abs"}
         * @param cooldown {@code cooldown}: steps to wait after a reduction, {@code >= 0}
         * @param minLr {@code min_lr}: the floor, one value or one per group, {@code >= 0}
         * @param eps {@code eps}: reductions smaller than this are skipped
         */
        public Spec {
            Checks.oneOf("mode", mode, MODES);
            Checks.open01("factor", factor);
            Checks.atLeast("patience", patience, 0);
            Checks.nonNegative("threshold", threshold);
            Checks.oneOf("threshold_mode", thresholdMode, THRESHOLD_MODES);
            Checks.atLeast("cooldown", cooldown, 0);
            minLr = ScheduleArgs.values("min_lr", minLr, Checks::nonNegative);
            Checks.nonNegative("eps", eps);
        }

        /**
         * PyTorch's defaults: min mode, factor 0.1, patience 10, threshold 1e-4 relative.
         *
         * @return the spec
         */
        public static Spec defaults() {
            return new Spec("min", 0.1, 10, 1e-4, "rel", 0, List.of(0.0), 1e-8);
        }

        @Override
        public String kind() {
            return "ReduceLROnPlateau";
        }

        @Override
        public ReduceLrOnPlateau build(List<ParamGroup> groups) {
            return new ReduceLrOnPlateau(this, groups);
        }

        /**
         * Sets {@code mode}.
         *
         * @param value {@code "min"} (default) or {@code "max"}
         * @return a new spec
         */
        public Spec mode(String value) {
            return new Spec(value, factor, patience, threshold, thresholdMode, cooldown, minLr,
                    eps);
        }

        /**
         * Sets {@code factor}.
         *
         * @param value in (0, 1), 0.1 by default
         * @return a new spec
         */
        public Spec factor(double value) {
            return new Spec(mode, value, patience, threshold, thresholdMode, cooldown, minLr, eps);
        }

        /**
         * Sets {@code patience}.
         *
         * @param value {@code >= 0}, 10 by default
         * @return a new spec
         */
        public Spec patience(int value) {
            return new Spec(mode, factor, value, threshold, thresholdMode, cooldown, minLr, eps);
        }

        /**
         * Sets {@code threshold}.
         *
         * @param value {@code >= 0}, 1e-4 by default
         * @return a new spec
         */
        public Spec threshold(double value) {
            return new Spec(mode, factor, patience, value, thresholdMode, cooldown, minLr, eps);
        }

        /**
         * Sets {@code threshold_mode}.
         *
         * @param value {@code "rel"} (default) or {@code "abs"}
         * @return a new spec
         */
        public Spec thresholdMode(String value) {
            return new Spec(mode, factor, patience, threshold, value, cooldown, minLr, eps);
        }

        /**
         * Sets {@code cooldown}.
         *
         * @param value {@code >= 0}, 0 by default
         * @return a new spec
         */
        public Spec cooldown(int value) {
            return new Spec(mode, factor, patience, threshold, thresholdMode, value, minLr, eps);
        }

        /**
         * Sets {@code min_lr}.
         *
         * @param values one value or one per group, {@code >= 0}, 0 by default
         * @return a new spec
         */
        public Spec minLr(double... values) {
            return new Spec(mode, factor, patience, threshold, thresholdMode, cooldown,
                    boxed(values), eps);
        }

        /**
         * Sets {@code eps}.
         *
         * @param value {@code >= 0}, 1e-8 by default
         * @return a new spec
         */
        public Spec eps(double value) {
            return new Spec(mode, factor, patience, threshold, thresholdMode, cooldown, minLr,
                    value);
        }
    }
}
