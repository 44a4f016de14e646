package io.github.luzj.callbacks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.github.luzj.base.GradMode;
import io.github.luzj.callback.Context;
import io.github.luzj.callback.Phase;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts back the weights of the best epoch when training ends (luz's
 * {@code luz_callback_keep_best_model}; Keras's {@code restore_best_weights}).
 *
 * <p>At every epoch that improves the monitored metric it copies every parameter of the block,
 * BatchNorm's running statistics included, into memory of its own on the training device (one
 * extra copy of the weights; later improvements overwrite it in place). At
 * {@link Phase#FIT_END} it copies them back into the live parameters in place, so the fitted
 * model, its optimizer and any predictor keep working, and frees the copy. The optimizer's
 * state and the records stay those of the last epoch, as in luz.
 *
 * <p>A validation metric is judged on the weights validation ran on, which are not the live ones
 * when another callback swaps its own in for validation (the {@link ExponentialMovingAverage}'s
 * average): so with a {@code valid_} monitor the weights are copied at {@link Phase#VALID_BEGIN},
 * after any such swap, into a second buffer, which becomes the kept copy when the epoch improves
 * (two copies of the weights then, no more copying than one a validated epoch).
 *
 * <p>A checkpoint carries the best value and epoch (the monitor's state), not the copy, which
 * lives in memory only: after a resume an epoch must beat the best of the whole run to be kept,
 * and when the best epoch was trained before the resume its weights are gone, so the model keeps
 * the last epoch's and a warning says so. If a fit fails, the copy is freed with the model or at
 * the next fit's beginning.
 *
 * <pre>{@code
 * KeepBestModel keepBest = LuzCallbacks.keepBestModel().monitor("valid_acc");
 * }</pre>
 */
public final class KeepBestModel extends MonitorCallback<KeepBestModel> {

    /** With {@link EarlyStopping} at an epoch's end, before checkpoints. */
    public static final int WEIGHT = 50;

    private static final Logger LOG = LoggerFactory.getLogger(KeepBestModel.class);
    private static final NDIndex ALL = new NDIndex("...");

    private NDManager memory;
    private final List<String> names = new ArrayList<>();
    private final List<NDArray> copies = new ArrayList<>();
    /** The weights this epoch's validation ran on, taken at its beginning. */
    private List<NDArray> validated = new ArrayList<>();
    private int validatedEpoch = -1;
    /** The best epoch a resumed checkpoint brought, 0 for a fresh fit. */
    private int bestBeforeFit;

    private KeepBestModel(Monitor monitor) {
        super(monitor);
    }

    /**
     * luz's defaults: monitors {@code valid_loss}, lower is better, no minimum delta.
     *
     * @return the callback
     */
    public static KeepBestModel create() {
        return new KeepBestModel(Monitor.of("valid_loss"));
    }

    @Override
    protected KeepBestModel withMonitor(Monitor monitor) {
        return new KeepBestModel(monitor);
    }

    @Override
    protected Set<Phase> phases() {
        return EnumSet.of(Phase.VALID_BEGIN, Phase.EPOCH_END, Phase.FIT_END);
    }

    @Override
    public int weight() {
        return WEIGHT;
    }

    /**
     * Tells whether a copy of the best weights is held.
     *
     * @return true between an improving epoch and the fit's end
     */
    public boolean holdsCopy() {
        return !copies.isEmpty();
    }

    @Override
    protected void resetState() {
        free();
    }

    @Override
    protected void handle(Phase phase, Context ctx) {
        if (phase == Phase.FIT_BEGIN) {
            bestBeforeFit = bestEpoch();
        } else if (phase == Phase.FIT_END && !holdsCopy() && bestBeforeFit > 0
                && bestEpoch() == bestBeforeFit) {
            LOG.warn(
                    "{}: the best epoch ({}) was trained before the resume and its weights are"
                            + " not in the checkpoint; the model keeps the last epoch's weights",
                    name(),
                    bestBeforeFit);
        }
        if (phase == Phase.VALID_BEGIN) {
            if (monitoredName(ctx).startsWith("valid_")) {
                copy(ctx, validated);
                validatedEpoch = ctx.epoch();
            }
        } else if (phase == Phase.EPOCH_END) {
            if (observe(monitored(ctx), ctx.epoch())) {
                if (validatedEpoch == ctx.epoch()) {
                    List<NDArray> kept = new ArrayList<>(copies); // the two buffers change roles
                    copies.clear();
                    copies.addAll(validated);
                    validated = kept;
                } else {
                    copy(ctx, copies);
                }
            }
        } else if (phase == Phase.FIT_END && holdsCopy()) {
            restore(ctx);
            LOG.info(
                    "{} restored the weights of epoch {} ({} = {})",
                    name(),
                    bestEpoch(),
                    monitoredName(ctx),
                    best().orElse(Double.NaN));
            free();
        }
    }

    /** Copies every parameter into {@code into}, made in this callback's memory at first use. */
    private void copy(Context ctx, List<NDArray> into) {
        List<Pair<String, Parameter>> params = ctx.block().getParameters().stream().toList();
        try (GradMode ignored = GradMode.off()) {
            if (memory == null) {
                memory = ctx.model().getNDManager().newSubManager();
                memory.setName("luzj-keep-best-model");
            }
            if (names.isEmpty()) {
                params.forEach(p -> names.add(p.getKey()));
            }
            if (into.isEmpty()) {
                for (Pair<String, Parameter> p : params) {
                    NDArray c = p.getValue().getArray().duplicate();
                    c.attach(memory);
                    into.add(c);
                }
            } else {
                for (int i = 0; i < params.size(); i++) {
                    into.get(i).set(ALL, params.get(i).getValue().getArray());
                }
            }
        }
    }

    private void restore(Context ctx) {
        List<Pair<String, Parameter>> params = ctx.block().getParameters().stream().toList();
        if (params.size() != names.size()) {
            throw new IllegalStateException(
                    "the block has " + params.size() + " parameters, the copy " + names.size());
        }
        try (GradMode ignored = GradMode.off()) {
            for (int i = 0; i < params.size(); i++) {
                if (!params.get(i).getKey().equals(names.get(i))) {
                    throw new IllegalStateException(
                            "parameter " + i + " is " + params.get(i).getKey() + ", the copy's "
                                    + names.get(i));
                }
                params.get(i).getValue().getArray().set(ALL, copies.get(i));
            }
        }
    }

    private void free() {
        if (memory != null) {
            memory.close();
            memory = null;
        }
        copies.clear();
        validated.clear();
        validatedEpoch = -1;
        names.clear();
    }
}
