package io.github.luzj.fit.internal;

import io.github.luzj.base.Checks;
import io.github.luzj.data.DataLoader;
import io.github.luzj.data.SampleDataset;
import io.github.luzj.data.Subset;
import java.util.Arrays;

/** luz's {@code valid_data = 0.2}: a seeded random hold-out of the training examples. */
final class ValidationSplit {

    private ValidationSplit() {}

    /**
     * Splits {@code train}'s examples into a training and a validation loader. The validation
     * loader keeps the batch size, is not shuffled and applies no random transform.
     *
     * @param train the training loader
     * @param fraction the share held out, in (0, 1)
     * @param seed the split's seed
     * @return the training and the validation loader
     */
    static DataLoader[] split(DataLoader train, double fraction, long seed) {
        SampleDataset all = train.dataset();
        int n = all.size();
        int nValid = (int) Math.round(n * fraction);
        Checks.check(
                nValid >= 1 && nValid < n,
                "valid fraction %s of %d examples leaves %d for validation and %d for training;"
                        + " both need at least one",
                fraction,
                n,
                nValid,
                n - nValid);
        int[] perm = Subset.shuffledIndices(n, seed);
        int[] validIdx = Arrays.copyOfRange(perm, 0, nValid);
        int[] trainIdx = Arrays.copyOfRange(perm, nValid, n);
        Arrays.sort(validIdx);
        Arrays.sort(trainIdx);
        DataLoader t = train.toBuilder().dataset(new Subset(all, trainIdx)).build();
        DataLoader v =
                DataLoader.builder(new Subset(all, validIdx))
                        .batchSize(train.batchSize())
                        .workers(train.workers())
                        .build();
        return new DataLoader[] {t, v};
    }
}
