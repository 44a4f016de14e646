package io.github.luzj.fit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.luzj.base.GradMode;
import io.github.luzj.callback.Callback;
import io.github.luzj.callback.CallbackList;
import io.github.luzj.callback.Phase;
import io.github.luzj.data.BatchIterator;
import io.github.luzj.data.DataLoader;
import io.github.luzj.data.HostBatch;
import io.github.luzj.data.HostStaging;
import io.github.luzj.metric.LossAverage;
import io.github.luzj.metric.Metric;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** luz's {@code evaluate} and {@code predict}: forward passes with {@code training = false}. */
public final class Inference {

    private Inference() {}

    /**
     * Computes the loss and every metric over {@code data}.
     *
     * @param session the fitted model
     * @param data the examples
     * @return the values by abbreviation, {@code "loss"} first
     */
    public static Map<String, Double> evaluate(Session session, DataLoader data) {
        BatchErrors.requireLabels(data, "the data to evaluate", "evaluate");
        session.prepareForInference(new Shape(data.featureShape()));
        session.toEvaluationPoint();
        try (NDManager mm = session.model().getNDManager().newSubManager()) {
            LossAverage loss = new LossAverage(mm);
            Map<String, Metric.Accumulator> acc = new LinkedHashMap<>();
            for (Metric m : session.metrics()) {
                acc.put(m.abbrev(), m.newAccumulator(mm));
            }
            HostStaging staging = session.newStaging();
            try (BatchIterator it = data.iterator(1);
                    GradMode ignored = GradMode.off()) {
                while (it.hasNext()) {
                    HostBatch hb = it.next();
                    try (NDManager bm = mm.newSubManager(session.device())) {
                        NDList x = staging.features(hb, bm);
                        NDList y = staging.labels(hb, bm);
                        NDList pred =
                                BatchErrors.forward(
                                        session.model().getBlock(), session.parameterStore(), x, false);
                        loss.update(BatchErrors.loss(session.loss(), y, pred), hb.size());
                        for (Metric.Accumulator a : acc.values()) {
                            a.update(pred, y);
                        }
                    }
                }
            }
            Map<String, Double> out = new LinkedHashMap<>();
            out.put("loss", loss.compute());
            acc.forEach((k, a) -> out.put(k, a.compute()));
            return new io.github.luzj.record.MetricValues(out);
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
            Session session, DataLoader data, NDManager manager, List<Callback> callbacks) {
        session.prepareForInference(new Shape(data.featureShape()));
        session.toEvaluationPoint();
        CallbackList cbs = new CallbackList(callbacks);
        FitContext ctx =
                new FitContext(session, cbs, false, session.epochsDone(), 0, 0, data.size());
        ctx.epoch = session.epochsDone();
        List<NDArray> parts = new ArrayList<>();
        try (NDManager scratch = manager.newSubManager(session.device())) {
            fire(cbs, ctx, Phase.PREDICT_BEGIN);
            HostStaging staging = session.newStaging();
            try (BatchIterator it = data.iterator(1);
                    GradMode ignored = GradMode.off()) {
                int index = 0;
                while (it.hasNext()) {
                    HostBatch hb = it.next();
                    try (NDManager bm = scratch.newSubManager()) {
                        NDList x = staging.features(hb, bm);
                        ctx.startBatch(bm, x, staging.labels(hb, bm), index++);
                        fire(cbs, ctx, Phase.PREDICT_BATCH_BEGIN);
                        ctx.pred =
                                BatchErrors.forward(
                                        session.model().getBlock(), session.parameterStore(), x, false);
                        fire(cbs, ctx, Phase.PREDICT_BATCH_END);
                        NDArray out = ctx.pred.head();
                        out.attach(scratch);
                        parts.add(out);
                    } finally {
                        ctx.endBatch();
                    }
                }
            }
            fire(cbs, ctx, Phase.PREDICT_END);
            NDArray stacked = NDArrays.concat(new NDList(parts), 0);
            stacked.attach(manager);
            return stacked;
        }
    }

    private static void fire(CallbackList cbs, FitContext ctx, Phase phase) {
        ctx.setPhase(phase);
        cbs.fire(phase, ctx);
    }
}
