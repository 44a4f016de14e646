package io.github.luzj.callbacks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.github.luzj.base.Checks;
import io.github.luzj.base.GradMode;
import io.github.luzj.base.JsonText;
import io.github.luzj.callback.Callback;
import io.github.luzj.callback.Context;
import io.github.luzj.callback.Phase;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Keeps an exponential moving average of the weights (Lightning's {@code EMAWeightAveraging},
 * Keras's {@code use_ema}, timm's {@code ModelEmaV2}): after every optimizer step,
 * {@code average = decay * average + (1 - decay) * weights}, over every parameter of the block,
 * batch-norm statistics included (as timm averages the whole state dict). The average starts at
 * the weights the fit begins with.
 *
 * <p>Validation runs on the average (swapped in at {@link Phase#VALID_BEGIN}, the live weights
 * back at {@link Phase#VALID_END}); training continues on the live weights; at the fit's end the
 * model keeps the average, so {@code evaluate}, {@code predict} and {@code save} use it, unless
 * {@link #keepAverageAtEnd(boolean) told otherwise}. The average and its update count are in the
 * callback's checkpoint state, so a resumed fit continues it exactly.
 *
 * <p>With {@link #warmup(boolean) warm-up} the decay of update {@code t} (from 1) is
 * {@code min(decay, (1 + t) / (10 + t))}, TensorFlow's {@code num_updates} rule, so that the
 * first updates are not held back by the random initial weights.
 *
 * <pre>{@code
 * var ema = LuzCallbacks.ema(0.999).warmup(true);
 * }</pre>
 */
public final class ExponentialMovingAverage implements Callback {

    /** Averages after each optimizer step; swaps the average in for validation and at the end. */
    private static final Set<Phase> PHASES = Collections.unmodifiableSet(EnumSet.of(
            Phase.FIT_BEGIN, Phase.TRAIN_BATCH_AFTER_STEP, Phase.VALID_BEGIN, Phase.VALID_END,
            Phase.FIT_END));

    private final double decay;
    private final boolean warmup;
    private final boolean keepAverageAtEnd;
    private ParameterCopy average;
    private ParameterCopy live;
    private long updates;
    private JsonObject pendingState;
    private byte[] pendingBytes;

    private ExponentialMovingAverage(double decay, boolean warmup, boolean keepAverageAtEnd) {
        if (!(decay >= 0 && decay < 1)) {
            throw Checks.fail("decay", "in [0, 1) (0.999 is typical)", Checks.fmt(decay));
        }
        this.decay = decay;
        this.warmup = warmup;
        this.keepAverageAtEnd = keepAverageAtEnd;
    }

    /**
     * An average with decay {@code decay}, no warm-up, kept at the fit's end.
     *
     * @param decay in [0, 1)
     * @return the callback
     */
    public static ExponentialMovingAverage of(double decay) {
        return new ExponentialMovingAverage(decay, false, true);
    }

    /**
     * Returns a copy that warms the decay up, {@code min(decay, (1 + t) / (10 + t))}.
     *
     * @param warmup true to warm up
     * @return a new callback
     */
    public ExponentialMovingAverage warmup(boolean warmup) {
        return new ExponentialMovingAverage(decay, warmup, keepAverageAtEnd);
    }

    /**
     * Returns a copy that, at the fit's end, leaves the model with the average ({@code true}, the
     * default) or with the live weights training reached ({@code false}).
     *
     * @param keep true to end with the average
     * @return a new callback
     */
    public ExponentialMovingAverage keepAverageAtEnd(boolean keep) {
        return new ExponentialMovingAverage(decay, warmup, keep);
    }

    /**
     * Returns the decay.
     *
     * @return the decay
     */
    public double decay() {
        return decay;
    }

    /**
     * Returns the number of optimizer steps averaged so far.
     *
     * @return the update count
     */
    public long updates() {
        return updates;
    }

    /**
     * Returns the decay that update {@code t} (from 1) uses.
     *
     * @param t the update's number
     * @return {@link #decay()}, or its warmed-up value
     */
    public double decayAt(long t) {
        return warmup ? Math.min(decay, (1.0 + t) / (10.0 + t)) : decay;
    }

    @Override
    public Set<Phase> callOn() {
        return PHASES;
    }

    @Override
    public void on(Phase phase, Context ctx) {
        switch (phase) {
            case FIT_BEGIN -> begin(ctx);
            case TRAIN_BATCH_AFTER_STEP -> update(ctx);
            case VALID_BEGIN -> {
                Checks.check(average != null && live != null,
                        "%s holds no average: it makes one during fit; pass it to fit first, then to"
                                + " evaluate", name());
                live.copyFrom(ctx.block());
                average.writeTo(ctx.block());
            }
            case VALID_END -> live.writeTo(ctx.block());
            case FIT_END -> {
                if (keepAverageAtEnd) {
                    average.writeTo(ctx.block());
                }
            }
            default -> { }
        }
    }

    private void begin(Context ctx) {
        free();
        JsonObject saved = pendingState;
        byte[] savedBytes = pendingBytes;
        forgetLoadedState(); // taken up by this fit, whether or not it fits the block
        if (saved != null) {
            NDManager parent = ctx.model().getNDManager();
            if (savedBytes != null) {
                average = ParameterCopy.fromBytes(savedBytes, ctx.block(), parent, "luzj-ema-average");
            } else {
                Checks.check(saved.has("average"),
                        "the checkpoint holds %s's update count but not its average (its states"
                                + " file); resume from another checkpoint", name());
                // written into checkpoint.json by a luzj before the states file
                average = ParameterCopy.fromJson(
                        saved.get("average"), ctx.block(), parent, "luzj-ema-average");
            }
            updates = JsonText.count(saved.get("updates"), name() + "'s updates");
        } else {
            updates = 0;
            average = ParameterCopy.of(ctx.block(), ctx.model().getNDManager(), "luzj-ema-average");
        }
        live = ParameterCopy.of(ctx.block(), ctx.model().getNDManager(), "luzj-ema-live");
    }

    private void update(Context ctx) {
        updates++;
        double d = decayAt(updates);
        List<Pair<String, Parameter>> params = ctx.block().getParameters().stream().toList();
        List<NDArray> avg = average.arrays();
        if (avg.isEmpty()) {
            return;
        }
        // The two numbers made once for all parameters: DJL would make a tensor over a new
        // buffer for each number operand, two per parameter and batch. They are the float64
        // arrays DJL makes, so every float is the same.
        NDManager manager = avg.get(0).getManager();
        try (GradMode ignored = GradMode.off();
                NDArray decay = manager.create(d);
                NDArray rest = manager.create(1 - d)) {
            for (int i = 0; i < params.size(); i++) {
                NDArray a = avg.get(i);
                if (!a.getDataType().isFloating()) {
                    continue;
                }
                try (NDArray scaled = params.get(i).getValue().getArray().mul(rest)) {
                    a.muli(decay).addi(scaled);
                }
            }
        }
    }

    private void free() {
        if (average != null) {
            average.close();
            average = null;
        }
        if (live != null) {
            live.close();
            live = null;
        }
    }

    @Override
    public String name() {
        return String.format(
                Locale.ROOT, "ExponentialMovingAverage(decay %s%s)", Checks.fmt(decay),
                warmup ? ", warm-up" : "");
    }

    @Override
    public JsonElement state() {
        if (pendingState != null) {
            return pendingState.deepCopy(); // restored, not yet taken up by a fit
        }
        // never empty: a checkpoint of a fit with an average must not resume a fit without it
        JsonObject o = new JsonObject();
        o.addProperty("kind", "ema");
        if (average != null) {
            o.addProperty("updates", updates);
        }
        return o;
    }

    /** The average's bytes: too many for checkpoint.json once a model has millions of weights. */
    @Override
    public byte[] stateBytes() {
        if (pendingState != null) {
            return pendingBytes == null ? null : pendingBytes.clone();
        }
        return average == null ? null : average.toBytes();
    }

    @Override
    public void loadState(JsonElement state) {
        pendingState = null;
        pendingBytes = null;
        if (state == null || state.isJsonNull()
                || state.isJsonObject() && !state.getAsJsonObject().has("updates")) {
            return; // written before the first update: nothing to restore
        }
        JsonObject o = SavedState.object(state, name(), "updates");
        Checks.check(o.get("updates").isJsonPrimitive() && o.get("updates").getAsJsonPrimitive().isNumber(),
                "%s state's 'updates' must be a number, got %s", name(), o.get("updates"));
        pendingState = o.deepCopy();
    }

    @Override
    public void loadStateBytes(byte[] bytes) {
        Checks.check(pendingState != null,
                "the checkpoint holds %s's average but not its update count; resume from another"
                        + " checkpoint", name());
        ParameterCopy.checkBytes(bytes, name());
        pendingBytes = bytes;
    }

    @Override
    public void forgetLoadedState() {
        pendingState = null;
        pendingBytes = null;
    }
}
