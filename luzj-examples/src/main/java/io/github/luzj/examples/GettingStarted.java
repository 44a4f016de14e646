package io.github.luzj.examples;

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

/** The getting-started program of docs/getting-started.md: train a convnet on MNIST digits. */
public final class GettingStarted {

    private GettingStarted() {}

    /**
     * Trains the chapter's convnet for one epoch on the bundled MNIST subset.
     *
     * @param args unused
     */
    public static void main(String[] args) {
        DataLoader train = DataLoader.builder(Mnist.subset(Split.TRAIN))   // 6,000 real digits
                .batchSize(128).shuffle(true).seed(1)
                .transform(RandomAffine.of(45, 0.1, 0.1))                  // rotate, shift
                .build();
        DataLoader valid = DataLoader.builder(Mnist.subset(Split.TEST)).batchSize(500).build();

        try (FittedModel fitted = Luz.setup(ChapterConvNet.withBatchNorm(),
                        Loss.softmaxCrossEntropyLoss(), Optimizers.adam(), Metrics.accuracy())
                .fit(train, 1, valid)) {
            System.out.println(fitted.records().last("valid", "acc"));
        }
    }
}
