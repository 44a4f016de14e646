package io.github.luzj;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.nn.Block;
import ai.djl.training.loss.Loss;
import io.github.luzj.fit.FitLoop;
import io.github.luzj.fit.FitOptions;
import io.github.luzj.fit.Session;
import io.github.luzj.metric.Metric;
import io.github.luzj.optim.OptimizerSpec;
import java.util.List;

/**
 * A network with its loss, optimizer and metrics, ready to fit (luz's {@code setup()} result).
 * Immutable; {@link #fit} trains the block's own parameters, as luz trains the module it was given.
 */
public final class SetupModel implements Fittable {

    private final Block block;
    private final Model model;
    private final Loss loss;
    private final OptimizerSpec optimizer;
    private final List<Metric> metrics;
    private final Device device;
    private final boolean channelsLast;

    SetupModel(
            Block block,
            Model model,
            Loss loss,
            OptimizerSpec optimizer,
            List<Metric> metrics,
            Device device) {
        this(block, model, loss, optimizer, metrics, device, true);
    }

    private SetupModel(
            Block block,
            Model model,
            Loss loss,
            OptimizerSpec optimizer,
            List<Metric> metrics,
            Device device,
            boolean channelsLast) {
        this.channelsLast = channelsLast;
        this.block = block;
        this.model = model;
        this.loss = loss;
        this.optimizer = optimizer;
        this.metrics = List.copyOf(metrics);
        this.device = device;
    }

    /**
     * Trains on {@code device} instead of the default (a GPU when DJL sees one, else the CPU).
     *
     * @param device the device
     * @return a new set-up model
     */
    public SetupModel device(Device device) {
        return new SetupModel(block, model, loss, optimizer, metrics, device, channelsLast);
    }

    /**
     * Turns channels-last staging of image batches on (the default) or off. With it on, every
     * 4-D feature batch reaches the model with its usual NCHW shape but NHWC memory, which
     * LibTorch's convolutions and batch norm run faster on a CPU; the results agree with NCHW's
     * within float rounding. Turn it off to get DJL's NCHW layout bit for bit, or for a model
     * whose first layer is not a convolution and that reshapes 3-channel images (a copy per
     * batch).
     *
     * @param on true for channels-last, false for NCHW
     * @return a new set-up model
     */
    public SetupModel channelsLast(boolean on) {
        return new SetupModel(block, model, loss, optimizer, metrics, device, on);
    }

    /**
     * Tells whether image batches are staged channels-last.
     *
     * @return true unless {@link #channelsLast(boolean)} turned it off
     */
    public boolean channelsLast() {
        return channelsLast;
    }

    /**
     * Returns the training device.
     *
     * @return the device
     */
    public Device device() {
        return device;
    }

    /**
     * Returns the optimizer's description.
     *
     * @return the spec
     */
    public OptimizerSpec optimizer() {
        return optimizer;
    }

    /**
     * Fits with every option ({@link FitOptions}).
     *
     * @param options the fit's arguments
     * @return the fitted model
     */
    @Override
    public FittedModel fit(FitOptions options) {
        Session session = newSession(options.seed());
        try {
            FitLoop.fit(session, options);
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
        return new FittedModel(session);
    }

    /**
     * Creates the session a fit, an LR-finder sweep or an evaluation runs in, seeding the
     * engine's generator for repeatable weight initialization.
     *
     * @param seed the seed
     * @return a new session (the caller closes it)
     */
    public Session newSession(long seed) {
        Engine.getInstance().setRandomSeed((int) seed);
        Model m = model;
        if (m == null) {
            m = Model.newInstance("luzj", device);
            m.setBlock(block);
        }
        return new Session(m, loss, optimizer, metrics, device, channelsLast);
    }
}
