package io.github.luzj.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MnistTest {

    @Test
    void bundledSubsetHasTheDocumentedSizesAndAllTenDigits() {
        ImageDataset train = Mnist.subset(Split.TRAIN);
        ImageDataset test = Mnist.subset(Split.TEST);

        assertThat(train.size()).isEqualTo(Mnist.SUBSET_TRAIN).isEqualTo(6000);
        assertThat(test.size()).isEqualTo(Mnist.SUBSET_TEST).isEqualTo(1000);
        // per-class counts of MNIST's first 6,000 / 1,000 examples (numpy.bincount of the labels)
        assertThat(classCounts(train)).containsExactly(592, 671, 581, 608, 623, 514, 608, 651, 551, 601);
        assertThat(classCounts(test)).containsExactly(85, 126, 116, 107, 110, 87, 87, 99, 89, 94);
        // MNIST's first training digits are 5, 0, 4, 1, 9 and its first test digits 7, 2, 1, 0, 4
        assertThat(new int[] {train.label(0), train.label(1), train.label(2), train.label(3), train.label(4)})
                .containsExactly(5, 0, 4, 1, 9);
        assertThat(new int[] {test.label(0), test.label(1), test.label(2), test.label(3), test.label(4)})
                .containsExactly(7, 2, 1, 0, 4);
    }

    @Test
    void subsetSamplesAreImagesInTheUnitRange() {
        Sample s = Mnist.subset(Split.TRAIN).get(0);

        assertThat(s.x().shape()).containsExactly(1, 28, 28);
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        int ink = 0;
        for (float v : s.x().data()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
            ink += v > 0.5f ? 1 : 0;
        }
        assertThat(min).isEqualTo(0f);
        assertThat(max).isEqualTo(1f);
        assertThat(ink).isBetween(50, 400);
        assertThat(s.y().data()).containsExactly(5f);
    }

    @Test
    void fullMnistFromLuzjDataMatchesTheSubsetPrefix() {
        Path root = dataRoot();
        ImageDataset train = Mnist.source().dir(root.resolve("mnist")).download(false).build().load(Split.TRAIN);
        ImageDataset test = Mnist.source().dir(root.resolve("mnist")).download(false).build().load(Split.TEST);

        assertThat(train.size()).isEqualTo(60000);
        assertThat(test.size()).isEqualTo(10000);
        assertThat(classCounts(train)).containsExactly(5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949);
        assertThat(classCounts(test)).containsExactly(980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009);
        ImageDataset subset = Mnist.subset(Split.TEST);
        for (int i : new int[] {0, 1, 500, 999}) {
            assertThat(subset.get(i).x().data()).isEqualTo(test.get(i).x().data());
            assertThat(subset.label(i)).isEqualTo(test.label(i));
        }
    }

    @Test
    void fashionMnistWhereverItIsInstalled() {
        IdxDatasetSource source = FashionMnist.source().download(false).build();
        assumeTrue(DataDirectory.of(null).find(FashionMnist.SPEC, Split.TEST).isPresent(),
                "Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)");

        ImageDataset train = source.load(Split.TRAIN);
        ImageDataset test = source.load(Split.TEST);

        assertThat(classCounts(train)).containsOnly(6000);
        assertThat(classCounts(test)).containsOnly(1000);
        ImageDataset subset = FashionMnist.subset(Split.TRAIN);
        for (int i : new int[] {0, 1, 3000, 5999}) {
            assertThat(subset.get(i).x().data()).isEqualTo(train.get(i).x().data());
            assertThat(subset.label(i)).isEqualTo(train.label(i));
        }
    }

    @Test
    void bundledFashionMnistSubsetHasTheDocumentedSizesAndAllTenClasses() {
        ImageDataset train = FashionMnist.subset(Split.TRAIN);
        ImageDataset test = FashionMnist.subset(Split.TEST);

        assertThat(train.size()).isEqualTo(FashionMnist.SUBSET_TRAIN).isEqualTo(6000);
        assertThat(test.size()).isEqualTo(FashionMnist.SUBSET_TEST).isEqualTo(1000);
        // numpy.bincount of the first 6,000 / 1,000 labels (tools/make_mnist_subset.py prints them)
        assertThat(classCounts(train)).containsExactly(560, 643, 608, 612, 584, 594, 590, 617, 590, 602);
        assertThat(classCounts(test)).containsExactly(107, 105, 111, 93, 115, 87, 97, 95, 95, 95);
        // Fashion-MNIST's first training items: ankle boot, T-shirt/top, T-shirt/top, dress
        assertThat(new int[] {train.label(0), train.label(1), train.label(2), train.label(3)})
                .containsExactly(9, 0, 0, 3);
        assertThat(FashionMnist.class.getResource("fashion-mnist-subset/LICENSE")).isNotNull();
    }

    private static int[] classCounts(ImageDataset d) {
        int[] counts = new int[10];
        for (int i = 0; i < d.size(); i++) {
            counts[d.label(i)]++;
        }
        return counts;
    }

    /** LUZJ_DATA, else the shared data folder beside the project (see the project README). */
    static Path dataRoot() {
        Optional<Path> env = Optional.ofNullable(System.getenv("LUZJ_DATA")).filter(s -> !s.isBlank()).map(Path::of);
        Path root = env.orElse(Path.of("").toAbsolutePath().resolve("../../shared/data").normalize());
        if (!Files.isDirectory(root.resolve("mnist"))) {
            throw new AssertionError("real MNIST not found: " + root.resolve("mnist") + " does not exist;"
                    + " set LUZJ_DATA to the folder that contains mnist/ (the four IDX files)");
        }
        return root;
    }
}
