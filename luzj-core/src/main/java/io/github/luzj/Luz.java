package io.github.luzj;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.nn.Block;
import ai.djl.training.loss.Loss;
import io.github.luzj.base.LuzjException;
import io.github.luzj.metric.Metric;
import io.github.luzj.optim.OptimizerSpec;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Where luzj starts: luz's {@code setup()} and {@code luz_load()}.
 *
 * <pre>{@code
 * FittedModel fitted = Luz.setup(net, Loss.softmaxCrossEntropyLoss(), Optimizers.adam(),
 *                 Metrics.accuracy())
 *         .fit(trainLoader, 5, validLoader);
 * System.out.println(fitted.records().last("valid", "acc"));
 * }</pre>
 */
public final class Luz {

    private Luz() {}

    /**
     * Sets up a network for fitting.
     *
     * @param block the network (any DJL block)
     * @param loss the loss (any DJL loss)
     * @param optimizer the optimizer's description
     * @param metrics metrics beyond the loss, which is always recorded
     * @return the set-up model
     */
    public static SetupModel setup(
            Block block, Loss loss, OptimizerSpec optimizer, Metric... metrics) {
        check(block != null, "block");
        check(loss != null, "loss");
        check(optimizer != null, "optimizer");
        checkMetrics(metrics);
        return new SetupModel(block, null, loss, optimizer, List.of(metrics), defaultDevice());
    }

    /**
     * Sets up a loaded DJL model (such as a {@code ZooModel}) for fitting.
     *
     * @param model the model
     * @param loss the loss
     * @param optimizer the optimizer's description
     * @param metrics metrics beyond the loss
     * @return the set-up model
     */
    public static SetupModel setup(
            Model model, Loss loss, OptimizerSpec optimizer, Metric... metrics) {
        check(model != null && model.getBlock() != null, "model (with a block)");
        check(loss != null, "loss");
        check(optimizer != null, "optimizer");
        checkMetrics(metrics);
        return new SetupModel(
                model.getBlock(), model, loss, optimizer, List.of(metrics), defaultDevice());
    }

    /**
     * Loads a model saved by {@link FittedModel#save(Path)} (luz's {@code luz_load}).
     *
     * @param dir the folder written by {@code save}
     * @param setup the same architecture, set up as when it was trained
     * @return the fitted model
     */
    public static FittedModel load(Path dir, SetupModel setup) {
        return FittedModel.load(dir, setup);
    }

    /**
     * Returns the device luzj trains on by default: the first GPU when DJL sees one, else the CPU.
     *
     * @return the device
     */
    public static Device defaultDevice() {
        return Engine.getInstance().getGpuCount() > 0 ? Device.gpu() : Device.cpu();
    }

    private static void checkMetrics(Metric... metrics) {
        if (metrics == null) {
            throw new LuzjException("metrics is null; pass none, or metrics that are not null");
        }
        Set<String> names = new HashSet<>(Set.of("loss"));
        for (Metric m : metrics) {
            if (m == null) {
                throw new LuzjException("a metric is null; remove it from Luz.setup's metrics");
            }
            String name = m.abbrev();
            if (name == null || name.isBlank()) {
                throw new LuzjException(
                        "a metric (" + m.getClass().getName() + ") has no name: its abbrev() is "
                                + (name == null ? "null" : "'" + name + "'") + "; records and"
                                + " progress name each metric, so give it a short name");
            }
            if (!names.add(m.abbrev())) {
                throw new LuzjException(
                        "two metrics are both named '" + m.abbrev() + "' (the loss is always"
                                + " 'loss'); records would mix them, so pass each once");
            }
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new LuzjException(what + " is null; pass Luz.setup the " + what + " to train with");
        }
    }
}
