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
}
