package io.github.luzj.examples.yourdata;

import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import io.github.luzj.FittedModel;
import io.github.luzj.Luz;
import io.github.luzj.data.DataLoader;
import io.github.luzj.data.TensorDataset;
import io.github.luzj.fit.FitOptions;
import io.github.luzj.loss.Losses;
import io.github.luzj.metric.Metrics;
import io.github.luzj.optim.Optimizers;
import java.util.Random;

/** Java arrays as a dataset: 4×4 "images" of a bar, vertical or horizontal. */
public final class ArraysClassifier {

    private ArraysClassifier() {}

    /**
     * Trains and prints the predicted classes of two new images.
     *
     * @param args unused
     */
    public static void main(String[] args) {
        int[] classes = run();
        System.out.println(classes[0] + " " + classes[1]);
    }

    /** 16 pixels with one bright row (class 0) or column (class 1), plus noise. */
    static float[] bar(boolean vertical, int at, Random rng) {
        float[] pixels = new float[16];
        for (int i = 0; i < 16; i++) {
            pixels[i] = 0.2f * rng.nextFloat() + ((vertical ? i % 4 : i / 4) == at ? 1 : 0);
        }
        return pixels;
    }

    /**
     * Trains the classifier.
     *
     * @return the predicted classes of a horizontal and a vertical bar it did not see
     */
    public static int[] run() {
        Random rng = new Random(1);
        float[][] pixels = new float[200][];
        int[] labels = new int[200];
        for (int i = 0; i < 200; i++) {
            labels[i] = i % 2;
            pixels[i] = bar(labels[i] == 1, rng.nextInt(4), rng);
        }
        // your-data.md: begin
        TensorDataset images = TensorDataset.of(pixels, labels)   // float[][] rows, int[] classes
                .reshape(1, 4, 4);                                 // each row as a 1×4×4 image
        SequentialBlock net = new SequentialBlock()
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(16).build()).add(Activation.reluBlock())
                .add(Linear.builder().setUnits(2).build());
        try (FittedModel fitted = Luz.setup(net, Losses.crossEntropy(), Optimizers.adam().lr(0.01),
                        Metrics.accuracy())
                .fit(FitOptions.builder(DataLoader.builder(images).batchSize(20).shuffle(true).build())
                        .epochs(10).validFraction(0.2).build())) {
            float[][] fresh = {bar(false, 2, rng), bar(true, 1, rng)};
            TensorDataset unlabeled = TensorDataset.of(fresh).reshape(1, 4, 4);
            return fitted.predictClasses(DataLoader.builder(unlabeled).build());   // {0, 1}
        }
        // your-data.md: end
    }
}
