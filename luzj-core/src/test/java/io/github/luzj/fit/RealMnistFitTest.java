package io.github.luzj.fit;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.training.loss.Loss;
import io.github.luzj.FittedModel;
import io.github.luzj.Luz;
import io.github.luzj.data.DataLoader;
import io.github.luzj.data.Mnist;
import io.github.luzj.data.Split;
import io.github.luzj.metric.Metrics;
import io.github.luzj.optim.Optimizers;
import io.github.luzj.vision.models.ChapterConvNet;
import io.github.luzj.vision.transforms.RandomAffine;
import org.junit.jupiter.api.Test;

/** The chapter's convnet, one epoch on 6,000 real digits with augmentation, held-out test. */
class RealMnistFitTest {

    @Test
    void oneEpochOnSixThousandDigitsScoresAtLeastPointSixOnHeldOutDigits() {
        DataLoader train =
                DataLoader.builder(Mnist.subset(Split.TRAIN))
                        .batchSize(128)
                        .shuffle(true)
                        .seed(1)
                        .transform(RandomAffine.of(45, 0.1, 0.1))
                        .build();
        DataLoader test = DataLoader.builder(Mnist.subset(Split.TEST)).batchSize(500).build();
        try (FittedModel fitted =
                Luz.setup(
                                ChapterConvNet.withBatchNorm(),
                                Loss.softmaxCrossEntropyLoss(),
                                Optimizers.adam(),
                                Metrics.accuracy())
                        .fit(FitOptions.builder(train).valid(test).epochs(1).verbose(false).build())) {
            assertThat(fitted.records().last("valid", "acc")).isGreaterThanOrEqualTo(0.6);
            assertThat(fitted.evaluate(test).get("acc"))
                    .isEqualTo(fitted.records().last("valid", "acc"));
        }
    }
}
