package io.github.luzj.fit.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.luzj.base.Checks;
import io.github.luzj.base.LuzjException;
import io.github.luzj.callback.Callback;
import io.github.luzj.callback.Phase;
import io.github.luzj.data.DataLoader;
import io.github.luzj.record.MetricValues;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * luz's {@code evaluate} and {@code predict}: forward passes with {@code training = false} (batch
 * norm folded into the convolutions, {@link ForwardPass}), in the same {@link BatchRunner} as
 * the fit, firing their phases at the callbacks they are given.
 */
public final class Inference {

    private Inference() {}

    /**
     * Computes the loss and every metric over {@code data}, firing the validation phases
     * ({@link Phase#VALID_BEGIN}, per batch {@link Phase#VALID_BATCH_BEGIN} to
     * {@link Phase#VALID_BATCH_END}, {@link Phase#VALID_END}) at {@code callbacks}, as luz's
     * {@code evaluate} does.
     *
     * @param session the fitted model
     * @param data the examples
     * @param callbacks callbacks for the validation phases
     * @return the values by abbreviation, {@code "loss"} first
     */
    public static Map<String, Double> evaluate(
            Session session, DataLoader loader, List<Callback> callbacks) {
        DataLoader data = inOrder(loader, "the data to evaluate");
        BatchErrors.requireLabels(data, "the data to evaluate", "evaluate");
        FitContext ctx = prepare(session, data, callbacks);
        warnIfDropping(ctx, data, "evaluate");
        ctx.training = false;
        try (NDManager mm = session.model().getNDManager().newSubManager()) {
            SetSums sums = new SetSums(mm, session.metrics());
            ctx.fire(Phase.VALID_BEGIN);
            boolean done;
            // folded after VALID_BEGIN, from the weights its callbacks leave (the EMA swaps its
            // average in there), as the fit's validation does
            try (ForwardPass forward = ForwardPass.inference(session, mm)) {
                done = new BatchRunner(mm, session.device(), session.newStaging())
                        .within(ctx)
                        .run(data, 1, new ValidStep(ctx, session, sums, forward));
            }
            ctx.fire(Phase.VALID_END);
            checkNotAborted(ctx, done, "evaluate");
            return new MetricValues(sums.computeAndReset());
        } finally {
            ctx.releaseLocks();
        }
    }

    /**
     * Runs the model over {@code data} and stacks the outputs along the batch axis, firing the
     * predict phases ({@link Phase#PREDICT_BEGIN}, {@link Phase#PREDICT_BATCH_BEGIN},
     * {@link Phase#PREDICT_BATCH_END}, {@link Phase#PREDICT_END}) at {@code callbacks}.
     *
     * @param session the fitted model
     * @param data the examples (labels, when there are any, are ignored)
     * @param manager the manager that will own the result
     * @param callbacks callbacks for the predict phases
     * @return the stacked outputs
     */
    public static NDArray predict(
            Session session, DataLoader loader, NDManager manager, List<Callback> callbacks) {
        DataLoader data = inOrder(loader, "the data to predict");
        Checks.notNull("manager", manager, "pass the NDManager that is to own the predictions");
        Checks.check(
                manager.isOpen(),
                "the NDManager passed to predict is closed; pass an open one, which will own the"
                        + " predictions");
        FitContext ctx = prepare(session, data, callbacks);
        warnIfDropping(ctx, data, "predict");
        List<NDArray> parts = new ArrayList<>();
        try (NDManager scratch = manager.newSubManager(session.device())) {
            ctx.fire(Phase.PREDICT_BEGIN);
            boolean done;
            // folded after PREDICT_BEGIN, from the weights its callbacks leave
            try (ForwardPass forward = ForwardPass.inference(session, scratch)) {
                done = new BatchRunner(scratch, session.device(), session.newStaging())
                        .within(ctx)
                        .run(data, 1, (hb, x, y, index) -> {
                            ctx.fire(Phase.PREDICT_BATCH_BEGIN);
                            ctx.pred = forward.forward(x);
                            ctx.fire(Phase.PREDICT_BATCH_END);
                            NDArray out = ctx.pred.head();
                            out.attach(scratch);
                            parts.add(out);
                            return !ctx.aborted;
                        });
            }
            ctx.fire(Phase.PREDICT_END);
            checkNotAborted(ctx, done, "predict");
            NDArray stacked = NDArrays.concat(new NDList(parts), 0);
            stacked.attach(manager);
            return stacked;
        } finally {
            ctx.releaseLocks();
        }
    }

    /** The examples in order, whatever the loader was built for (a training loader). */
    private static DataLoader inOrder(DataLoader data, String what) {
        return Checks.notNull("data", data, "pass " + what + " as a DataLoader").inOrder();
    }

    /** Drop-last is the user's to set (a model of fixed batches), but rarely meant here. */
    private static void warnIfDropping(FitContext ctx, DataLoader data, String what) {
        int left = data.dataset().size() - data.sampleCount();
        if (left > 0) {
            ctx.warn(what + " reads " + data.sampleCount() + " of the " + data.dataset().size()
                    + " examples: the loader drops its last, partial batch (dropLast); build one"
                    + " without it to " + what + " them all");
        }
    }

    /** Readies the model for a pass over {@code data} and makes the callbacks' context. */
    private static FitContext prepare(Session session, DataLoader data, List<Callback> callbacks) {
        session.prepareForInference(new Shape(data.featureShape()));
        session.toEvaluationPoint();
        FitContext ctx =
                new FitContext(
                        session,
                        new CallbackList(callbacks),
                        false,
                        session.epochsDone(),
                        0,
                        0,
                        data.size());
        ctx.epoch = session.epochsDone();
        // predict and evaluate have no verbose switch, and a warning that examples are left out
        // must reach the user even when no SLF4J provider would show it
        ctx.warnings = FitContext.warningStream(true, Slf4jProvider.present());
        return ctx;
    }

    /** A callback that aborted (Ctrl-C) leaves numbers over part of the data: none are returned. */
    private static void checkNotAborted(FitContext ctx, boolean done, String what) {
        if (!done) {
            throw new LuzjException(
                    what + " stopped after batch " + (ctx.batchIndex + 1) + " of " + ctx.validBatches()
                            + ": " + ctx.stopReason + "; its results would cover only part of the"
                            + " data, so there are none; run it again without the stop");
        }
    }
}
