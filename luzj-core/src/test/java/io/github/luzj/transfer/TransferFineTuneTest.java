package io.github.luzj.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.training.loss.Loss;
import io.github.luzj.FittedModel;
import io.github.luzj.base.LuzjException;
import io.github.luzj.metric.Metric;
import io.github.luzj.optim.Optimizers;
import io.github.luzj.optim.ParamGroup;
import io.github.luzj.testing.ResnetFixtures;
import io.github.luzj.vision.models.ResNet18;
import org.junit.jupiter.api.Test;

/** fastai's fine_tune: head first with the backbone frozen, then everything at split rates. */
class TransferFineTuneTest {

    @Test
    void theFrozenStageTrainsTheHeadAndLeavesTheBackboneAsItWas() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            ResNet18 net = Transfer.resnet18(ResnetFixtures.safetensors(), 10, manager);
            float[] conv1 = weights(net, "conv1.weight");
            float[] bn1 = weights(net, "bn1.weight");
            float[] last = weights(net, "layer4.1.conv2.weight");
            float[] head = weights(net, "fc.weight");
            try (FittedModel fitted =
                    FineTune.of(net, Loss.softmaxCrossEntropyLoss(), Optimizers.adam().lr(1e-3))
                            .frozenEpochs(1)
                            .unfrozenEpochs(0)
                            .run(TransferTrainingTest.syntheticLoader(), null, new Metric[0])) {
                assertThat(fitted.records().epochs()).isEqualTo(1);
                assertThat(weights(net, "conv1.weight")).isEqualTo(conv1);
                assertThat(weights(net, "bn1.weight")).isEqualTo(bn1);
                assertThat(weights(net, "layer4.1.conv2.weight")).isEqualTo(last);
                assertThat(weights(net, "fc.weight")).isNotEqualTo(head);
                assertThat(net.summary().trainable()).isEqualTo(512 * 10 + 10);
            }
        }
    }

    private static float[] weights(ResNet18 net, String name) {
        return net.torchvisionParameters().get(name).getArray().toFloatArray();
    }

    @Test
    void trainsTheHeadFrozenThenEverythingWithTheBackboneAtATenth() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            ResNet18 net = Transfer.resnet18(ResnetFixtures.safetensors(), 10, manager);
            float[] conv1 = net.torchvisionParameters().get("conv1.weight").getArray().toFloatArray();
            try (FittedModel fitted =
                    FineTune.of(net, Loss.softmaxCrossEntropyLoss(), Optimizers.adam().lr(1e-3))
                            .frozenEpochs(1)
                            .unfrozenEpochs(1)
                            .run(TransferTrainingTest.syntheticLoader(), null, new Metric[0])) {
                assertThat(fitted.records().epochs()).isEqualTo(2);
                assertThat(fitted.optimizer().groups())
                        .extracting(ParamGroup::name, ParamGroup::lr)
                        .containsExactly(
                                org.assertj.core.groups.Tuple.tuple("backbone", 1e-4),
                                org.assertj.core.groups.Tuple.tuple("default", 1e-3));
                assertThat(net.torchvisionParameters().get("conv1.weight").getArray().toFloatArray())
                        .isNotEqualTo(conv1);
                assertThat(net.summary().trainable()).isEqualTo(net.summary().parameters());
            }
        }
        assertThatThrownBy(() -> FineTune.of(ResNet18.create(10), Loss.l2Loss(), Optimizers.adam()).backboneLrFactor(2))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("backboneLrFactor must be in (0, 1], got 2.0");
    }

    /** A run that fails in its second stage gives the net back with its weights, free for a retry. */
    @Test
    void aFailedRunLeavesThePretrainedNetUsable() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            ResNet18 net = Transfer.resnet18(ResnetFixtures.safetensors(), 10, manager);
            io.github.luzj.callback.Callback failsUnfrozen = io.github.luzj.callback.Callback.on(
                    io.github.luzj.callback.Phase.EPOCH_BEGIN, ctx -> {
                        if (ctx.epoch() == 2) {
                            throw new IllegalStateException("stop in stage two");
                        }
                    });
            FineTune<ResNet18> recipe =
                    FineTune.of(net, Loss.softmaxCrossEntropyLoss(), Optimizers.adam().lr(1e-3))
                            .frozenEpochs(1)
                            .unfrozenEpochs(1);
            assertThatThrownBy(() -> recipe.run(TransferTrainingTest.syntheticLoader(), null,
                            new Metric[0], failsUnfrozen))
                    .isInstanceOf(LuzjException.class)
                    .hasMessageContaining("stop in stage two");
            assertThat(net.torchvisionParameters().get("conv1.weight").getArray().isReleased()).isFalse();
            try (FittedModel retry = recipe.run(TransferTrainingTest.syntheticLoader(), null, new Metric[0])) {
                assertThat(retry.records().epochs()).isEqualTo(2);
            }
            // the retry's fitted model is closed: its weights with it
            assertThatThrownBy(() -> recipe.run(TransferTrainingTest.syntheticLoader(), null, new Metric[0]))
                    .isInstanceOf(LuzjException.class)
                    .hasMessageContaining("FineTune: the net has no weights any more");
        }
    }
}
