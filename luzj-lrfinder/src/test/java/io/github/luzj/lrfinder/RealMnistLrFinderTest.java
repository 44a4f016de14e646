package io.github.luzj.lrfinder;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.training.loss.Loss;
import io.github.luzj.Luz;
import io.github.luzj.data.DataLoader;
import io.github.luzj.data.Mnist;
import io.github.luzj.data.Split;
import io.github.luzj.optim.Optimizers;
import io.github.luzj.vision.models.ChapterConvNet;
import io.github.luzj.vision.transforms.RandomAffine;
import org.junit.jupiter.api.Test;

/** The chapter's sweep on 6,000 real MNIST digits (the subset bundled with luzj-core). */
class RealMnistLrFinderTest {

    @Test
    void theSmoothedLossBottomsOutBetweenOneThousandthAndPointThree() {
        DataLoader train =
                DataLoader.builder(Mnist.subset(Split.TRAIN))
                        .batchSize(128)
                        .shuffle(true)
                        .seed(1)
                        .transform(RandomAffine.of(45, 0.1, 0.1))
                        .build();
        LrFinderResult r =
                LrFinder.builder()
                        .startLr(1e-4)
                        .endLr(0.3)
                        .build()
                        .run(
                                Luz.setup(
                                        ChapterConvNet.withBatchNorm(),
                                        Loss.softmaxCrossEntropyLoss(),
                                        Optimizers.adam()),
                                train);
        assertThat(r.steps()).isEqualTo(100);
        assertThat(r.lr()[0]).isCloseTo(1e-4 * Math.pow(3000, 0.01), org.assertj.core.data.Offset.offset(1e-15));
        assertThat(r.lr()[99]).isEqualTo(0.3);
        int argmin = 0;
        for (int i = 1; i < r.steps(); i++) {
            if (r.smoothedLoss()[i] < r.smoothedLoss()[argmin]) {
                argmin = i;
            }
        }
        assertThat(r.lr()[argmin]).isBetween(1e-3, 0.3);
        // it learns at first: the smoothed loss falls well below its start before blowing up
        assertThat(r.smoothedLoss()[argmin]).isLessThan(r.smoothedLoss()[0] * 0.8);
        assertThat(r.smoothedLoss()[99]).isGreaterThan(r.smoothedLoss()[argmin]);
    }
}
