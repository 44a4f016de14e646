package io.github.luzj.data;

import java.util.SplittableRandom;

/**
 * A per-sample transform of features on the host, run by the loader's worker threads. The random
 * generator is derived from the loader's seed, the epoch and the sample's index, so a run is
 * repeatable whatever the number of workers.
 */
@FunctionalInterface
public interface Transform {

    /**
     * Transforms one sample's features.
     *
     * @param x the features
     * @param rng this sample's random generator
     * @return the transformed features (may be {@code x} itself when nothing changes)
     */
    FloatTensor apply(FloatTensor x, SplittableRandom rng);

    /**
     * Runs this transform, then {@code next}.
     *
     * @param next the transform to run after this one
     * @return the composition
     */
    default Transform andThen(Transform next) {
        return (x, rng) -> next.apply(apply(x, rng), rng);
    }
}
