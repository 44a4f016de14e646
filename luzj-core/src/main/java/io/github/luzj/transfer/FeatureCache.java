package io.github.luzj.transfer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.UninitializedParameterException;
import io.github.luzj.base.Checks;
import io.github.luzj.base.LuzjException;
import io.github.luzj.data.DataLoader;
import io.github.luzj.data.FloatTensor;
import io.github.luzj.data.HostBatch;
import io.github.luzj.data.HostStaging;
import io.github.luzj.data.Sample;
import io.github.luzj.data.SampleDataset;
import io.github.luzj.fit.internal.BatchErrors;
import io.github.luzj.fit.internal.BatchRunner;
import io.github.luzj.vision.models.FineTunable;
import java.util.Arrays;
import java.util.function.UnaryOperator;

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
        Checks.notNull("model", model, "pass the network whose backbone computes the features");
        Checks.notNull("data", data, "pass the examples to cache the features of");
        Checks.check(
                data.sampleCount() == data.dataset().size(),
                "feature caching needs every example: build the loader without drop-last");
        Collector collector = new Collector(data.dataset().size(), data.order(1), model);
        try (NDManager manager = NDManager.newBaseManager()) {
            // staged NCHW, as DJL does: the features are bit for bit those of the model's forward
            new BatchRunner(manager, manager.getDevice(), new HostStaging(false))
                    .featuresOnly()
                    .run(data, 1, collector);
        } catch (UninitializedParameterException e) {
            // the cache runs the backbone outside any fit, so nothing initializes it here; the
            // head may be new (a TorchScript backbone), only the backbone's weights matter
            throw new LuzjException(
                    "the backbone's weights are not initialized, so it has no features to cache ("
                            + e.getMessage() + "): load its weights first (Transfer.resnet18"
                            + " with a weights file), or, for a random backbone, initialize the"
                            + " block for the images' shape (block.initialize(manager,"
                            + " DataType.FLOAT32, new Shape(1, 3, h, w)))",
                    e);
        }
        return new FeatureCache(collector.features, collector.labels, collector.shape);
    }

    /** Copies each batch's features, and its labels, into the rows of the examples, in order. */
    private static final class Collector implements BatchRunner.Step {
        final float[][] features;
        final FloatTensor[] labels;
        long[] shape;
        private final int[] order;
        private final UnaryOperator<NDArray> backbone;
        private int next;

        Collector(int n, int[] order, FineTunable model) {
            this.features = new float[n][];
            this.labels = new FloatTensor[n];
            this.order = order;
            this.backbone = model::features;
        }

        @Override
        public boolean run(HostBatch hb, NDList x, NDList y, int index) {
            NDArray f = BatchErrors.forward(backbone, x.head());
            long per = f.size() / hb.size();
            shape = new long[] {per};
            float[] all = f.toFloatArray();
            int ySize = hb.labeled() ? hb.y().size() / hb.size() : 0;
            for (int i = 0; i < hb.size(); i++) {
                int row = order[next++];
                features[row] = Arrays.copyOfRange(all, (int) (i * per), (int) ((i + 1) * per));
                if (!hb.labeled()) {
                    continue; // features to predict on: no label to keep
                }
                float[] label = Arrays.copyOfRange(hb.y().data(), i * ySize, (i + 1) * ySize);
                long[] labelShape = Arrays.copyOfRange(hb.y().shape(), 1, hb.y().shape().length);
                labels[row] = new FloatTensor(label, labelShape);
            }
            return true;
        }
    }

    @Override
    public int size() {
        return features.length;
    }

    @Override
    public Sample get(int index) {
        return new Sample(new FloatTensor(features[Checks.index(index, features.length)], shape),
                labels[index]);
    }
}
