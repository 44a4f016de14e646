package io.github.luzj.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.luzj.base.LuzjException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StandardizerTest {

    @Test
    void whatFitGivesOfRebuilds() {
        // a spread of a few subnormal floats is a constant column: only centered
        Standardizer tiny = Standardizer.fit(new float[][] {{0, 1}, {4 * Float.MIN_VALUE, 2}});
        assertThat(tiny.stds()[0]).isEqualTo(1.0);
        Standardizer rebuilt = Standardizer.of(tiny.means(), tiny.stds());
        assertThat(rebuilt.apply(new float[][] {{1, 3}})).isDeepEqualTo(tiny.apply(new float[][] {{1, 3}}));
    }

    @Test
    void valuesThatWouldStandardizeToNanOrInfinityAreRefused() {
        Standardizer s = Standardizer.fit(new float[][] {{0, 1}, {1e-30f, 2}});
        assertThatThrownBy(() -> s.apply(new float[][] {{0, Float.NaN}}))
                .isExactlyInstanceOf(LuzjException.class)
                .hasMessageContaining("row 0, column 1 is NaN")
                .hasMessageContaining("fill in or drop missing values");
        assertThatThrownBy(() -> s.apply(new float[][] {{0, 1}, {1e10f, 1}}))
                .isExactlyInstanceOf(LuzjException.class)
                .hasMessageContaining("row 1, column 0 is 1.0E10, which standardizes to Infinity")
                .hasMessageContaining("far outside the training data's range");
    }

    @Test
    void aTableIsScaledOnlyWithTheColumnsItWasFittedOn(@TempDir Path dir) throws Exception {
        Path train = Files.writeString(dir.resolve("train.csv"), "a,b,y\n1,10,0\n3,30,1\n");
        Path reordered = Files.writeString(dir.resolve("new.csv"), "b,a\n20,2\n");
        Standardizer s = Standardizer.fit(CsvDataset.builder(train).label("y").build());
        assertThatThrownBy(() -> s.apply(CsvDataset.builder(reordered).build()))
                .isExactlyInstanceOf(LuzjException.class)
                .hasMessageContaining("feature columns [b, a] are not the ones the standardizer was fitted on, [a, b]")
                .hasMessageContaining("features(...)");
        CsvDataset inOrder = CsvDataset.builder(reordered).features("a", "b").build();
        assertThat(s.apply(inOrder).features()[0]).containsExactly(0f, 0f);
        // statistics rebuilt from numbers know no names: the width is all there is to check
        Standardizer rebuilt = Standardizer.of(s.means(), s.stds());
        assertThat(rebuilt.apply(CsvDataset.builder(reordered).build()).features()[0]).containsExactly(18f, -1.8f);
    }
}
