package io.github.luzj.transfer;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import io.github.luzj.optim.LuzOptimizer;
import io.github.luzj.optim.Optimizers;
import io.github.luzj.testing.ResnetFixtures;
import io.github.luzj.vision.models.ResNet18;
import io.github.luzj.vision.models.TorchScriptTransfer;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A measurement, not a check: milliseconds per training step (forward, loss, backward, Adam
 * step) for batches of 32 images 3x28x28, backbone frozen versus fully trainable, alternating
 * rounds and keeping each configuration's fastest round, since the machine is shared. Run on
 * demand with {@code -Dluzj.timing=true}.
 */
@EnabledIfSystemProperty(named = "luzj.timing", matches = "true")
class TransferTimingTest {

    private static final int STEPS = 20;
    private static final int ROUNDS = 3;

    @Test
    void frozenVersusTrainable() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            ResNet18 frozen = Transfer.resnet18(ResnetFixtures.safetensors(), 10, manager);
            ResNet18 trainable = Transfer.resnet18(ResnetFixtures.safetensors(), 10, manager);
            trainable.unfreeze();
            compare("native", frozen, trainable, manager);
            fitLoop("native", frozen, trainable);
        }
        try (NDManager manager = NDManager.newBaseManager(Device.cpu());
                TorchScriptTransfer frozen =
                        Transfer.torchScript(ResnetFixtures.torchScript(), 10, Device.cpu());
                TorchScriptTransfer trainable =
                        Transfer.torchScript(ResnetFixtures.torchScript(), 10, Device.cpu())) {
            trainable.unfreeze();
            compare("torchscript", frozen, trainable, manager);
        }
    }

    private static void compare(String route, Block frozen, Block trainable, NDManager manager) {
        ParameterStore ps = new ParameterStore(manager, false);
        try (LuzOptimizer a = Optimizers.adam().build(trainableParameters(frozen));
                LuzOptimizer b = Optimizers.adam().build(trainableParameters(trainable))) {
            steps(frozen, a, ps, manager, 5); // warm-up: allocator, profiling executor
            steps(trainable, b, ps, manager, 5);
            double bestFrozen = Double.MAX_VALUE;
            double bestTrainable = Double.MAX_VALUE;
            for (int r = 0; r < ROUNDS; r++) {
                bestFrozen = Math.min(bestFrozen, steps(frozen, a, ps, manager, STEPS));
                bestTrainable = Math.min(bestTrainable, steps(trainable, b, ps, manager, STEPS));
            }
            System.out.printf(Locale.ROOT,
                    "TIMING %s: frozen %.1f ms/step, trainable %.1f ms/step, trainable/frozen"
                            + " %.2f%n",
                    route, bestFrozen, bestTrainable, bestTrainable / bestFrozen);
        }
    }

    /** The same steps through luzj's fit loop, data loader and records included. */
    private static void fitLoop(String route, Block frozen, Block trainable) {
        io.github.luzj.data.DataLoader loader = TransferTrainingTest.syntheticLoader()
                .toBuilder().batchSize(32).build(); // 64 samples: 2 steps per epoch
        double[] best = {Double.MAX_VALUE, Double.MAX_VALUE};
        Block[] nets = {frozen, trainable};
        io.github.luzj.FittedModel[] fitted = new io.github.luzj.FittedModel[2];
        for (int i = 0; i < 2; i++) {
            fitted[i] = io.github.luzj.Luz.setup(nets[i], Loss.softmaxCrossEntropyLoss(),
                    Optimizers.adam()).device(Device.cpu()).fit(
                            io.github.luzj.fit.FitOptions.builder(loader).epochs(2).verbose(false)
                                    .build());
        }
        for (int r = 0; r < ROUNDS; r++) {
            for (int i = 0; i < 2; i++) {
                long start = System.nanoTime();
                fitted[i].fit(io.github.luzj.fit.FitOptions.builder(loader).epochs(STEPS / 2)
                        .verbose(false).build());
                best[i] = Math.min(best[i], (System.nanoTime() - start) / 1e6 / STEPS);
            }
        }
        System.out.printf(Locale.ROOT,
                "TIMING %s via fit loop: frozen %.1f ms/step, trainable %.1f ms/step,"
                        + " trainable/frozen %.2f%n", route, best[0], best[1], best[1] / best[0]);
    }

    /** Returns milliseconds per step. */
    private static double steps(
            Block net, LuzOptimizer opt, ParameterStore ps, NDManager manager, int n) {
        Loss loss = Loss.softmaxCrossEntropyLoss();
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            try (NDManager bm = manager.newSubManager()) {
                NDArray x = bm.randomUniform(0, 1, new Shape(32, 3, 28, 28));
                NDArray y = bm.randomInteger(0, 10, new Shape(32), ai.djl.ndarray.types.DataType.INT64)
                        .toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDList pred = net.forward(ps, new NDList(x), true);
                    gc.backward(loss.evaluate(new NDList(y), pred));
                }
                opt.step();
            }
        }
        return (System.nanoTime() - start) / 1e6 / n;
    }

    private static Map<String, Parameter> trainableParameters(Block net) {
        Map<String, Parameter> out = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : net.getParameters()) {
            if (p.getValue().requiresGradient()) {
                out.put(p.getKey(), p.getValue());
            }
        }
        return out;
    }
}
