package io.github.luzj.lrfinder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import io.github.luzj.data.DataLoader;
import io.github.luzj.data.FloatTensor;
import io.github.luzj.data.Sample;
import io.github.luzj.data.SampleDataset;
import java.util.Base64;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/** A small convnet with BatchNorm and synthetic 1×8×8 images of 4 classes, for sweep tests. */
final class TinyConvNet {

    static final int CLASSES = 4;

    private TinyConvNet() {}

    /**
     * conv 3×3 (4 filters) → BatchNorm → relu → max-pool 2×2 → conv 3×3 (6) → BatchNorm → relu
     * → flatten → linear (4).
     */
    static Block block() {
        return new SequentialBlock()
                .add(conv(4))
                .add(BatchNorm.builder().build())
                .add(Activation::relu)
                .add(Pool.maxPool2dBlock(new Shape(2, 2)))
                .add(conv(6))
                .add(BatchNorm.builder().build())
                .add(Activation::relu)
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(CLASSES).build());
    }

    private static Block conv(int filters) {
        return Conv2d.builder()
                .setKernelShape(new Shape(3, 3))
                .optPadding(new Shape(1, 1))
                .setFilters(filters)
                .build();
    }

    /** Images whose class is the brighter quadrant, plus noise. */
    static SampleDataset images(int n, long seed) {
        Sample[] samples = new Sample[n];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            int label = i % CLASSES;
            float[] x = new float[64];
            for (int r = 0; r < 8; r++) {
                for (int c = 0; c < 8; c++) {
                    int quadrant = (r / 4) * 2 + c / 4;
                    x[r * 8 + c] = (quadrant == label ? 1f : 0f) + (float) rng.nextGaussian() * 0.5f;
                }
            }
            samples[i] = new Sample(new FloatTensor(x, new long[] {1, 8, 8}), FloatTensor.scalar(label));
        }
        return new SampleDataset() {
            @Override
            public int size() {
                return n;
            }

            @Override
            public Sample get(int index) {
                return samples[index];
            }
        };
    }

    /** 64 images in 4 shuffled batches of 16 per epoch. */
    static DataLoader loader() {
        return DataLoader.builder(images(64, 7)).batchSize(16).shuffle(true).seed(3).build();
    }

    /** Every parameter of the block, gradient or not, as the bytes of its array. */
    static Map<String, String> parameters(Block block) {
        Map<String, String> out = new TreeMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            out.put(p.getKey(), Base64.getEncoder().encodeToString(p.getValue().getArray().toByteArray()));
        }
        return out;
    }

    /**
     * Softmax cross-entropy that counts its calls and can turn the loss of one call into NaN or
     * inflate the losses from some call on.
     */
    static final class CountingLoss extends Loss {
        private final Loss inner = Loss.softmaxCrossEntropyLoss();
        private int calls;
        private int nanAtCall = -1;
        private int inflateFromCall = Integer.MAX_VALUE;

        CountingLoss() {
            super("SoftmaxCrossEntropyLoss");
        }

        /** Makes the {@code k}-th call from now (from 1) return NaN. */
        void nanAt(int k) {
            nanAtCall = calls + k;
        }

        /** Multiplies the loss by 100 from the {@code k}-th call from now (from 1) on. */
        void inflateFrom(int k) {
            inflateFromCall = calls + k;
        }

        int calls() {
            return calls;
        }

        @Override
        public NDArray evaluate(NDList labels, NDList predictions) {
            calls++;
            NDArray loss = inner.evaluate(labels, predictions);
            if (calls == nanAtCall) {
                return loss.mul(Float.NaN);
            }
            return calls >= inflateFromCall ? loss.mul(100) : loss;
        }
    }
}
