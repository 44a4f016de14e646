package io.github.luzj.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import ai.djl.util.Pair;
import io.github.luzj.base.LuzjException;
import io.github.luzj.optim.LuzOptimizer;
import io.github.luzj.optim.OptimizerSpec;
import io.github.luzj.optim.Optimizers;
import io.github.luzj.optim.ParamGroup;
import io.github.luzj.testing.ResnetFixtures;
import io.github.luzj.vision.models.ParameterSummary;
import io.github.luzj.vision.models.ResNet18;
import io.github.luzj.vision.models.TorchScriptTransfer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransferFreezingTest {

    private static final long TOTAL_10_CLASSES = 11_181_642L;

    @TempDir Path tmp;

    @Test
    void aNetWhoseWeightsAreFreedSaysSoInEachOfItsCalls() {
        ResNet18 net;
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            net = Transfer.resnet18(ResnetFixtures.safetensors(), 10, manager);
        } // the manager closed: DJL said "Native resource has been released already" to each call
        for (org.assertj.core.api.ThrowableAssert.ThrowingCallable call : java.util.List.<
                org.assertj.core.api.ThrowableAssert.ThrowingCallable>of(
                net::freeze, net::unfreeze, () -> net.freezeUpTo("layer2"), net::summary,
                () -> net.replaceHead(3))) {
            assertThatThrownBy(call)
                    .isExactlyInstanceOf(io.github.luzj.base.LuzjException.class)
                    .hasMessageContaining("the net's weights are freed")
                    .hasMessageContaining("make a new net");
        }
    }

    @Test
    void theHeadOfANetAnOpenFittedModelTrainsIsNotReplaced() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            ResNet18 net = Transfer.resnet18(ResnetFixtures.safetensors(), 10, manager);
            try (io.github.luzj.FittedModel fitted = io.github.luzj.Luz.setup(net,
                            ai.djl.training.loss.Loss.softmaxCrossEntropyLoss(),
                            io.github.luzj.optim.Optimizers.adam())
                    .fit(io.github.luzj.fit.FitOptions.builder(TransferTrainingTest.syntheticLoader())
                            .epochs(1).verbose(false).build())) {
                // it freed the trained head: predict then answered from a new, untrained one
                assertThatThrownBy(() -> net.replaceHead(5))
                        .isExactlyInstanceOf(io.github.luzj.base.LuzjException.class)
                        .hasMessageContaining("trained in an open FittedModel");
                assertThat(net.classes()).isEqualTo(10);
            }
        }
    }

    @Test
    void nativeFreezeUnfreezeAndRunningStatisticsNeverTrainable() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            ResNet18 net = Transfer.resnet18(ResnetFixtures.safetensors(), 10, manager);
            assertThat(net.classes()).isEqualTo(10);
            assertThat(trainable(net)).containsOnlyKeys("fc_weight", "fc_bias");

            net.unfreeze();
            assertThat(net.summary().trainable()).isEqualTo(TOTAL_10_CLASSES);
            assertThat(trainable(net)).hasSize(62);
            net.freezeParameters(true);
            assertThat(net.summary().trainable()).isZero();
            // DJL's own unfreeze would make running statistics trainable; luzj's never does
            net.freezeParameters(false);
            assertThat(net.summary().trainable()).isEqualTo(TOTAL_10_CLASSES);
            for (Pair<String, Parameter> p : net.getParameters()) {
                if (p.getKey().endsWith("runningMean") || p.getKey().endsWith("runningVar")) {
                    assertThat(p.getValue().requiresGradient()).as(p.getKey()).isFalse();
                }
            }

            net.freezeUpTo("layer3");
            ParameterSummary s = net.summary();
            assertThat(s.trainable()).isEqualTo(s.row("layer4").parameters() + 5130);
            assertThat(s.row("layer3").trainable()).isZero();
            assertThat(s.runningStatistics()).isEqualTo(2 * (64 + 4 * 64 + 4 * 128 + 4 * 256
                    + 4 * 512 + 128 + 256 + 512));
            assertThat(s.toString())
                    .containsPattern("layer4 +Sequential +8,393,728 +8,393,728\n")
                    .containsPattern("layer3 +Sequential +2,099,712 +0\n")
                    .containsPattern("fc +Linear +5,130 +5,130\n");

            assertThatThrownBy(() -> net.freezeUpTo("layer5"))
                    .isInstanceOf(LuzjException.class)
                    .hasMessageContaining("'layer5'")
                    .hasMessageContaining("[conv1, bn1, layer1, layer2, layer3, layer4]");
            assertThatThrownBy(() -> net.freezeUpTo(null))
                    .isExactlyInstanceOf(LuzjException.class)
                    .hasMessageContaining("layer is null");
            assertThatThrownBy(() -> net.replaceHead(0))
                    .isInstanceOf(LuzjException.class)
                    .hasMessageContaining("classes must be >= 1, got 0");
            // a head too large to allocate (512 x 200M floats): refused, the old head kept
            float[] head = net.head().getParameters().get("weight").getArray().toFloatArray();
            assertThatThrownBy(() -> net.replaceHead(200_000_000))
                    .isExactlyInstanceOf(LuzjException.class)
                    .hasMessageContaining("a head of 200,000,000 classes needs 102,600,000,000 weights");
            assertThat(net.classes()).isEqualTo(10);
            assertThat(net.head().getParameters().get("weight").getArray().toFloatArray())
                    .containsExactly(head);
        }
    }

    @Test
    void nativeParameterPredicatesGiveDiscriminativeLearningRates() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            ResNet18 net = Transfer.resnet18(ResnetFixtures.safetensors(), 10, manager);
            net.unfreeze();
            OptimizerSpec spec = Optimizers.adam().lr(1e-3)
                    .group("layer4", net.layerParameters("layer4"), 0.5)
                    .group("backbone", net.backboneParameters(), 0.1);
            try (LuzOptimizer opt = spec.build(trainable(net))) {
                Map<String, ParamGroup> groups = new LinkedHashMap<>();
                opt.groups().forEach(g -> groups.put(g.name(), g));
                assertThat(groups).containsOnlyKeys("layer4", "backbone", "default");
                assertThat(groups.get("layer4").lr()).isEqualTo(5e-4);
                assertThat(groups.get("layer4").parameters()).hasSize(15);
                assertThat(groups.get("backbone").lr()).isCloseTo(1e-4, within());
                assertThat(groups.get("backbone").parameters()).hasSize(45);
                assertThat(groups.get("default").parameters()).hasSize(2);
            }
        }
    }

    @Test
    void frozenLayersBeforeEveryTrainableOneRecordNoGradient() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            ResNet18 net = Transfer.resnet18(ResnetFixtures.safetensors(), 10, manager);
            ParameterStore ps = new ParameterStore(manager, false);
            assertThat(inputGradientNorm(net, ps, manager)).isZero();
            net.freezeUpTo("layer3");
            assertThat(inputGradientNorm(net, ps, manager)).isZero();
            net.unfreeze();
            assertThat(inputGradientNorm(net, ps, manager)).isPositive();
        }
    }

    /** Backpropagates to an input that asks for a gradient: only a recorded graph delivers one. */
    private static float inputGradientNorm(Block net, ParameterStore ps, NDManager manager) {
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.randomUniform(0, 1, new Shape(2, 3, 28, 28));
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = net.forward(ps, new NDList(x), true).head();
                gc.backward(y.sum());
            }
            return x.getGradient().abs().sum().getFloat();
        }
    }

    @Test
    void torchScriptFreezingUsesTorchvisionLayerNames() {
        try (TorchScriptTransfer net =
                Transfer.torchScript(ResnetFixtures.torchScript().getParent(), 10, Device.cpu())) {
            assertThat(net.features()).isEqualTo(512);
            assertThat(net.layers())
                    .containsExactly("conv1", "bn1", "layer1", "layer2", "layer3", "layer4");
            net.freezeUpTo("layer3");
            ParameterSummary s = net.summary();
            assertThat(s.trainable()).isEqualTo(s.row("layer4").parameters() + 5130);
            assertThat(trainable(net).keySet()).allMatch(
                    n -> n.startsWith("backbone_7.") || n.startsWith("fc_"));

            net.unfreeze();
            assertThat(net.summary().trainable()).isEqualTo(TOTAL_10_CLASSES);
            OptimizerSpec spec = Optimizers.adam().group("backbone", net.backboneParameters(), 0.1);
            try (LuzOptimizer opt = spec.build(trainable(net))) {
                assertThat(opt.groups()).extracting(ParamGroup::name)
                        .containsExactly("backbone", "default");
                assertThat(opt.groups().get(0).parameters()).hasSize(60);
                assertThat(opt.groups().get(1).parameters()).hasSize(2);
            }
            net.replaceHead(3);
            assertThat(net.classes()).isEqualTo(3);
            assertThat(net.summary().row("fc").parameters()).isEqualTo(512 * 3 + 3);
            assertThatThrownBy(() -> net.layerParameters("layer9"))
                    .isInstanceOf(LuzjException.class)
                    .hasMessageContaining("no layer 'layer9'");
        }
    }

    @Test
    void torchScriptLoadingErrorsAreClear() throws Exception {
        assertThatThrownBy(() -> Transfer.torchScript(tmp.resolve("nope.pt"), 10, Device.cpu()))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> Transfer.torchScript(tmp, 10, Device.cpu()))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("holds 0 .pt files");
        Path bogus = java.nio.file.Files.writeString(tmp.resolve("bogus.pt"), "not a model");
        assertThatThrownBy(() -> Transfer.torchScript(bogus, 10, Device.cpu()))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("cannot load TorchScript model");
    }

    @Test
    void zooWithoutNetworkSaysToPassWeights() {
        Engine.getEngine("PyTorch"); // the engine's native cache must be found before the switch
        String previous = System.getProperty("DJL_CACHE_DIR");
        System.setProperty("DJL_CACHE_DIR", tmp.toString()); // an empty cache: nothing downloaded
        try {
            assertThatThrownBy(() -> Transfer.zooResNet18Embedding(10, Device.cpu()))
                    .isInstanceOf(LuzjException.class)
                    .hasMessageContaining(Transfer.ZOO_RESNET18_EMBEDDING)
                    .hasMessageContaining("pass --weights FILE");
        } finally {
            if (previous == null) {
                System.clearProperty("DJL_CACHE_DIR");
            } else {
                System.setProperty("DJL_CACHE_DIR", previous);
            }
        }
    }

    private static Map<String, Parameter> trainable(Block net) {
        Map<String, Parameter> out = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : net.getParameters()) {
            if (p.getValue().requiresGradient()) {
                out.put(p.getKey(), p.getValue());
            }
        }
        return out;
    }

    private static org.assertj.core.data.Offset<Double> within() {
        return org.assertj.core.data.Offset.offset(1e-12);
    }
}
