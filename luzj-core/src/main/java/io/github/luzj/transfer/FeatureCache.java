package io.github.luzj.transfer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.luzj.base.Checks;
import io.github.luzj.data.BatchIterator;
import io.github.luzj.data.DataLoader;
import io.github.luzj.data.FloatTensor;
import io.github.luzj.data.HostBatch;
import io.github.luzj.data.Sample;
import io.github.luzj.data.SampleDataset;
import io.github.luzj.vision.models.FineTunable;
import java.nio.FloatBuffer;

/**
 * The frozen backbone's features of every example, computed once: with no random augmentation
 * they are the same every epoch, so the head can then be trained on them alone, at the cost of a
 * linear layer per batch instead of a ResNet-18 forward pass.
 *
 * <pre>{@code
 * SampleDataset cached = FeatureCache.of(net, loaderWithoutAugmentation);
 * try (FittedModel head = Luz.setup(net.head(), Loss.softmaxCrossEntropyLoss(), Optimizers.adam())
 *         .fit(DataLoader.builder(cached).batchSize(128).shuffle(true).build(), 5, null)) {
 *     // net's head is trained: the full network predicts with it while `head` is open
 * }
 * }</pre>
 *
 * <p>As with every fit, the fitted model owns the weights it trained (DJL frees a model's arrays
 * when it is closed or collected): keep it open while the network is in use.
 */
public final class FeatureCache implements SampleDataset {

    private final float[][] features;
    private final FloatTensor[] labels;
    private final long[] shape;

    private FeatureCache(float[][] features, FloatTensor[] labels, long[] shape) {
        this.features = features;
        this.labels = labels;
        this.shape = shape;
    }

    /**
     * Runs the backbone of {@code model} over every example of {@code data}, in order.
     *
     * @param model a model whose backbone is frozen
     * @param data the examples, with no random transform (it would be frozen into the cache)
     * @return the features with their labels
     */
    public static FeatureCache of(FineTunable model, DataLoader data) {
        Checks.check(
                data.sampleCount() == data.dataset().size(),
                "feature caching needs every example: build the loader without drop-last");
        int n = data.dataset().size();
        float[][] feats = new float[n][];
        FloatTensor[] labels = new FloatTensor[n];
        int[] order = data.order(1);
        int next = 0;
        long[] shape = null;
        try (NDManager manager = NDManager.newBaseManager();
                BatchIterator it = data.iterator(1)) {
            while (it.hasNext()) {
                HostBatch hb = it.next();
                try (NDManager bm = manager.newSubManager()) {
                    NDArray images = bm.create(FloatBuffer.wrap(hb.x().data()), new Shape(hb.x().shape()));
                    NDArray f = model.features(images);
                    long per = f.size() / hb.size();
                    shape = new long[] {per};
                    float[] all = f.toFloatArray();
                    int ySize = hb.labeled() ? hb.y().size() / hb.size() : 0;
                    for (int i = 0; i < hb.size(); i++) {
                        int index = order[next++];
                        float[] row = new float[(int) per];
                        System.arraycopy(all, (int) (i * per), row, 0, (int) per);
                        feats[index] = row;
                        if (!hb.labeled()) {
                            continue; // features to predict on: no label to keep
                        }
                        float[] y = new float[ySize];
                        System.arraycopy(hb.y().data(), i * ySize, y, 0, ySize);
                        long[] yShape = new long[hb.y().shape().length - 1];
                        System.arraycopy(hb.y().shape(), 1, yShape, 0, yShape.length);
                        labels[index] = new FloatTensor(y, yShape);
                    }
                }
            }
        }
        return new FeatureCache(feats, labels, shape);
    }

    @Override
    public int size() {
        return features.length;
    }

    @Override
    public Sample get(int index) {
        return new Sample(new FloatTensor(features[index], shape), labels[index]);
    }
}
