package io.github.luzj.testing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.dataset.ArrayDataset;
import io.github.luzj.data.SampleDataset;

/** DJL arrays holding the same examples as a luzj dataset. */
public final class DjlFixtures {

    private DjlFixtures() {}

    /** The features {@code [N, F]} of {@code s}. */
    public static NDArray features(NDManager m, SampleDataset s) {
        int n = s.size();
        int f = s.get(0).x().size();
        float[] xs = new float[n * f];
        for (int i = 0; i < n; i++) {
            System.arraycopy(s.get(i).x().data(), 0, xs, i * f, f);
        }
        return m.create(xs, new Shape(n, f));
    }

    /** The scalar labels {@code [N]} of {@code s}. */
    public static NDArray labels(NDManager m, SampleDataset s) {
        float[] ys = new float[s.size()];
        for (int i = 0; i < ys.length; i++) {
            ys[i] = s.get(i).y().data()[0];
        }
        return m.create(ys, new Shape(ys.length));
    }

    /** An {@code ArrayDataset} builder over {@code s}'s arrays, without sampling set. */
    public static ArrayDataset.Builder arrays(NDManager m, SampleDataset s) {
        return new ArrayDataset.Builder().setData(features(m, s)).optLabels(labels(m, s));
    }

    /** A one-layer classifier with {@code classes} outputs. */
    public static SequentialBlock linear(int classes) {
        return new SequentialBlock().add(Linear.builder().setUnits(classes).build());
    }
}
