package io.github.luzj.examples.bench;

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
import io.github.luzj.examples.chapter.RunSettings;
import io.github.luzj.optim.LuzOptimizer;
import io.github.luzj.optim.Optimizers;
import io.github.luzj.vision.models.ChapterConvNet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The optimizer step alone, on the convnet's parameters and real gradients: luzj's exact Adam
 * (PyTorch's update, op by op), luzj's fused Adam, and DJL's Adam. It isolates the one part of a
 * training step where luzj's loop runs different native code from the hand-written DJL loop.
 */
final class BenchOptimizer {

    /** Steps per timing: enough to dwarf the timer, few enough to be cheap. */
    static final int STEPS = 20;

    /**
     * Milliseconds per step, one entry per round.
     *
     * @param exact luzj's default Adam
     * @param fused luzj's {@code fused(true)} Adam
     * @param djl DJL's own Adam
     */
    record Results(List<Double> exact, List<Double> fused, List<Double> djl) {}

    /** The gradients come from a small batch: their size is the parameters', whatever the batch. */
    private static final Shape INPUT = new Shape(2, 1, 28, 28);

    private final RunSettings options;

    BenchOptimizer(RunSettings options) {
        this.options = options;
    }

    Results run(int rounds) {
        List<Double> exact = new ArrayList<>();
        List<Double> fused = new ArrayList<>();
        List<Double> djl = new ArrayList<>();
        try (Model model = Model.newInstance("optimizer-bench", options.device())) {
            Block block = ChapterConvNet.withBatchNorm();
            model.setBlock(block);
            Shape shape = INPUT;
            block.initialize(model.getNDManager(), DataType.FLOAT32, shape);
            Map<String, Parameter> trainable = new LinkedHashMap<>();
            for (Pair<String, Parameter> p : block.getParameters()) {
                if (p.getValue().requiresGradient()) {
                    trainable.put(p.getKey(), p.getValue());
                }
            }
            try (LuzOptimizer luzExact = Optimizers.adam().build(trainable);
                    LuzOptimizer luzFused = Optimizers.adam().fused(true).build(trainable)) {
                Optimizer djlAdam =
                        Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).build();
                Runnable djlStep = () -> djlStep(djlAdam, trainable.values());
                for (int r = 0; r <= rounds; r++) { // round 0 is the warm-up
                    double e = perStep(model, block, shape, luzExact::step);
                    double f = perStep(model, block, shape, luzFused::step);
                    double d = perStep(model, block, shape, djlStep);
                    if (r > 0) {
                        exact.add(e);
                        fused.add(f);
                        djl.add(d);
                    }
                }
            }
        }
        return new Results(exact, fused, djl);
    }

    /** Gives every parameter a real gradient, then times {@link #STEPS} steps; ms per step. */
    private static double perStep(Model model, Block block, Shape shape, Runnable step) {
        double total = 0;
        for (int i = 0; i < STEPS; i++) {
            backward(model, block, shape);
            total += BenchTiming.of(step).wall();
        }
        return total * 1000 / STEPS;
    }

    private static void backward(Model model, Block block, Shape shape) {
        try (NDManager bm = model.getNDManager().newSubManager();
                GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            ParameterStore ps = new ParameterStore(bm, false);
            NDList x = new NDList(bm.randomUniform(0, 1, shape));
            NDList y = new NDList(bm.zeros(new Shape(shape.get(0))));
            gc.backward(Loss.softmaxCrossEntropyLoss().evaluate(y, block.forward(ps, x, true)));
        }
    }

    private static void djlStep(Optimizer adam, Iterable<Parameter> params) {
        for (Parameter p : params) {
            NDArray weight = p.getArray();
            try (NDArray grad = weight.getGradient()) {
                adam.update(p.getId(), weight, grad);
            }
        }
    }
}
