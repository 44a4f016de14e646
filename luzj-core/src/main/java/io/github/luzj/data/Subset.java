package io.github.luzj.data;

import io.github.luzj.base.Checks;
import java.util.SplittableRandom;

/**
 * Some of a dataset's examples, by index: a random split for validation, or the first {@code n}
 * examples for a quick run.
 */
public final class Subset implements SampleDataset {

    private final SampleDataset base;
    private final int[] indices;

    /**
     * Selects {@code indices} of {@code base}.
     *
     * @param base the dataset
     * @param indices the examples to keep, each in {@code [0, base.size())}
     */
    public Subset(SampleDataset base, int[] indices) {
        Checks.notNull("base", base, "pass the dataset to take a subset of");
        Checks.notNull("indices", indices, "pass the indices of the examples to keep");
        for (int i : indices) {
            Checks.check(
                    i >= 0 && i < base.size(),
                    "subset index %d is outside the dataset of %d examples",
                    i,
                    base.size());
        }
        this.base = base;
        this.indices = indices.clone();
    }

    /**
     * The first {@code n} examples of {@code base}.
     *
     * @param base the dataset
     * @param n how many, at most {@code base.size()}
     * @return the subset
     */
    public static Subset first(SampleDataset base, int n) {
        Checks.notNull("base", base, "pass the dataset to take the first examples of");
        Checks.check(
                n >= 1 && n <= base.size(),
                "cannot take %d examples from a dataset of %d; use 1 to %d",
                n,
                base.size(),
                base.size());
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        return new Subset(base, idx);
    }

    /**
     * Returns {@code 0 .. n-1} in a random order that depends only on {@code seed} (a
     * Fisher-Yates shuffle): the one shuffle behind the validation split and table splits.
     *
     * @param n how many indices
     * @param seed the seed
     * @return the shuffled indices
     */
    public static int[] shuffledIndices(int n, long seed) {
        Checks.check(n >= 0, "shuffledIndices needs n >= 0 indices, got %d", n);
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        return perm;
    }

    @Override
    public int size() {
        return indices.length;
    }

    @Override
    public Sample get(int index) {
        return base.get(indices[Checks.index(index, indices.length)]);
    }
}
