package io.github.luzj.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.luzj.base.LuzjException;
import io.github.luzj.testing.Synthetic;
import org.junit.jupiter.api.Test;

class TensorDatasetTest {

    @Test
    void rowsAndLabelsBecomeSamples() {
        float[][] x = {{1, 2}, {3, 4}, {5, 6}};
        TensorDataset ds = TensorDataset.of(x, new int[] {0, 2, 1});
        x[0][0] = 99; // copied
        assertThat(ds.size()).isEqualTo(3);
        assertThat(ds.get(0).x().data()).containsExactly(1, 2);
        assertThat(ds.get(0).x().shape()).containsExactly(2);
        assertThat(ds.get(1).y().data()).containsExactly(2f);
        assertThat(ds.get(1).y().shape()).isEmpty();
        assertThat(TensorDataset.of(x, new float[] {0.5f, 1, 2}).get(0).y().data())
                .containsExactly(0.5f);
    }

    @Test
    void unlabeledRowsHaveNoLabelAndBatchWithoutOne() {
        TensorDataset ds = TensorDataset.of(new float[][] {{1, 2}, {3, 4}, {5, 6}});
        assertThat(ds.labeled()).isFalse();
        assertThat(ds.get(2).labeled()).isFalse();
        DataLoader dl = DataLoader.builder(ds).batchSize(2).workers(0).build();
        assertThat(dl.labeled()).isFalse();
        try (BatchIterator it = dl.iterator(1)) {
            HostBatch b = it.next();
            assertThat(b.labeled()).isFalse();
            assertThat(b.x().shape()).containsExactly(2, 2);
        }
    }

    @Test
    void reshapeGivesEachRowAnImageShape() {
        float[][] pixels = new float[2][64];
        pixels[1][63] = 1;
        TensorDataset ds = TensorDataset.of(pixels, new int[] {3, 4}).reshape(1, 8, 8);
        assertThat(ds.get(1).x().shape()).containsExactly(1, 8, 8);
        assertThat(ds.get(1).x().data()[63]).isEqualTo(1f);
        assertThat(DataLoader.builder(ds).batchSize(2).build().featureShape())
                .containsExactly(2, 1, 8, 8);
        assertThatThrownBy(() -> ds.reshape(1, 8, 7))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("cannot reshape rows of 64 values to [1, 8, 7]");
    }

    @Test
    void badArraysAreRefusedByName() {
        assertThatThrownBy(() -> TensorDataset.of(new float[][] {{1, 2}, {3}}, new int[] {0, 1}))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("feature row 1 has 1 values but row 0 has 2");
        assertThatThrownBy(() -> TensorDataset.of(new float[][] {{1}}, new float[] {0, 1}))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("1 feature rows but 2 labels");
        assertThatThrownBy(() -> TensorDataset.of(new float[][] {{1}}, new int[] {-1}))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("negative");
        assertThatThrownBy(() -> TensorDataset.of(new float[0][]))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("no feature rows");
    }

    @Test
    void nanAndInfinityAreRefusedByRowAndColumn() {
        float[][] x = {{1, 2, 3}, {4, 5, Float.NaN}};
        assertThatThrownBy(() -> TensorDataset.of(x, new int[] {0, 1}))
                .isExactlyInstanceOf(LuzjException.class)
                .hasMessageContaining("feature row 1, column 2 is NaN")
                .hasMessageContaining("fill in or drop missing values");
        assertThatThrownBy(() -> TensorDataset.of(new float[][] {{Float.NEGATIVE_INFINITY}}))
                .isExactlyInstanceOf(LuzjException.class)
                .hasMessageContaining("feature row 0, column 0 is -Infinity");
        assertThatThrownBy(() -> TensorDataset.of(new float[][] {{1}, {2}}, new float[] {0.5f, Float.NaN}))
                .isExactlyInstanceOf(LuzjException.class)
                .hasMessageContaining("the label of row 1 is NaN");
        // the largest finite floats are numbers
        assertThat(TensorDataset.of(new float[][] {{Float.MAX_VALUE, -Float.MAX_VALUE}}).size()).isEqualTo(1);
    }

    @Test
    void aBatchRefusesLabeledAndUnlabeledSamplesMixed() {
        SampleDataset mixed = Synthetic.of(2, i -> {
            FloatTensor x = FloatTensor.scalar(i);
            return i == 0 ? new Sample(x, FloatTensor.scalar(1)) : Sample.unlabeled(x);
        });
        DataLoader dl = DataLoader.builder(mixed).batchSize(2).workers(0).build();
        try (BatchIterator it = dl.iterator(1)) {
            assertThatThrownBy(it::next)
                    .isInstanceOf(LuzjException.class)
                    .hasMessageContaining("sample 1 has no label but the batch's first sample has one");
        }
    }
}
