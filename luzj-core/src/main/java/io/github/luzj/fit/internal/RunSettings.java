package io.github.luzj.fit.internal;

import io.github.luzj.data.DataLoader;
import io.github.luzj.fit.FitOptions;
import io.github.luzj.metric.Metric;
import io.github.luzj.optim.OptimizerSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The settings a checkpoint records and a resume must match: what the fit knows itself (seed,
 * data sizes, loss, optimizer and its hyperparameters, metrics) plus the caller's
 * {@link FitOptions#config()}.
 */
final class RunSettings {

    private RunSettings() {}

    static Map<String, String> of(
            Session session, DataLoader train, DataLoader valid, FitOptions options) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("seed", String.valueOf(options.seed()));
        c.put("train samples", String.valueOf(train.sampleCount()));
        c.put("train batches", String.valueOf(train.size()));
        c.put("valid samples", valid == null ? "none" : String.valueOf(valid.sampleCount()));
        c.put("valid batches", valid == null ? "none" : String.valueOf(valid.size()));
        c.put("loss", session.loss().getName());
        c.put("optimizer", describe(session.recipe().optimizer()));
        c.put("accumulate grad batches", String.valueOf(options.accumulateGradBatches()));
        c.put("metrics", session.metrics().stream().map(Metric::abbrev).collect(Collectors.joining(", ")));
        c.putAll(options.config());
        return c;
    }

    private static String describe(OptimizerSpec spec) {
        String groups = spec.groups().stream()
                .map(g -> g.name() + " x" + g.lrFactor())
                .collect(Collectors.joining(", "));
        return groups.isEmpty() ? spec.toString() : spec + " groups [" + groups + "]";
    }
}
