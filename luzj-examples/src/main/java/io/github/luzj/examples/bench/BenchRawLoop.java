package io.github.luzj.examples.bench;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;

/**
 * The floor luzj's fit is measured against: a block trained in a hand-written DJL loop (forward,
 * loss, backward, DJL's own fused Adam, every array of a batch closed with its manager, image
 * batches channels-last as luzj stages them) in which no luzj code runs. It is initialized as
 * luzj's session initializes a block (the engine seeded,
 * then {@code Block.initialize} in the model's manager for the same input shape), so both start
 * from the same weights.
 */
final class BenchRawLoop implements AutoCloseable {

    /**
     * One batch as plain host arrays, the same arrays luzj's loader hands the fit loop.
     *
     * @param x features, row-major
     * @param xShape their shape
     * @param y labels
     * @param yShape their shape
     */
    record Batch(float[] x, Shape xShape, float[] y, Shape yShape) {}

    private final Model model;
    private final Block block;
    private final ParameterStore parameterStore;
    private final Optimizer adam;
    private final Loss loss = Loss.softmaxCrossEntropyLoss();
    private final List<Parameter> trainable = new ArrayList<>();

    /**
     * Initializes {@code block} for batches of {@code inputShape}.
     *
     * @param block the network, uninitialized
     * @param inputShape one batch's feature shape
     * @param seed the engine seed, luzj's fit seed
     * @param lr Adam's learning rate
     * @param device the training device
     */
    BenchRawLoop(Block block, Shape inputShape, long seed, double lr, Device device) {
        Engine.getInstance().setRandomSeed((int) seed);
        this.model = Model.newInstance("raw-djl", device);
        this.block = block;
        model.setBlock(block);
        block.initialize(model.getNDManager(), DataType.FLOAT32, inputShape);
        this.parameterStore = new ParameterStore(model.getNDManager(), false);
        this.adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed((float) lr)).build();
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().requiresGradient()) {
                trainable.add(p.getValue());
            }
        }
    }

    /**
     * Trains one step on each batch, in order.
     *
     * @param batches the batches
     * @return the run's timing
     */
    BenchTiming run(List<Batch> batches) {
        return BenchTiming.of(
                () -> {
                    for (Batch b : batches) {
                        step(b);
                    }
                });
    }

    private void step(Batch b) {
        try (NDManager bm = model.getNDManager().newSubManager()) {
            NDList x = new NDList(channelsLast(bm.create(b.x(), b.xShape())));
            NDList y = new NDList(bm.create(b.y(), b.yShape()));
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDList pred = block.forward(parameterStore, x, true);
                gc.backward(loss.evaluate(y, pred));
            }
            for (Parameter p : trainable) {
                NDArray weight = p.getArray();
                // the gradient's handle is a new array in the model's manager: close it, or
                // every step would leave one per parameter behind; DJL's Adam zeroes the gradient
                try (NDArray grad = weight.getGradient()) {
                    adam.update(p.getId(), weight, grad);
                }
            }
        }
    }

    /**
     * The same layout luzj's fit stages image batches in (channels-last, see {@code HostStaging}),
     * written as plain DJL: an NHWC copy, viewed NCHW. So {@code fit_vs_raw} compares the loops,
     * not two memory layouts.
     */
    private static NDArray channelsLast(NDArray x) {
        Shape s = x.getShape();
        if (s.dimension() != 4) {
            return x;
        }
        return x.transpose(0, 2, 3, 1)
                .reshape(s.get(0), -1)
                .reshape(s.get(0), s.get(2), s.get(3), s.get(1))
                .transpose(0, 3, 1, 2);
    }

    /** Frees the model. */
    @Override
    public void close() {
        model.close();
    }
}
