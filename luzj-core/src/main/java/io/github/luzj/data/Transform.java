package io.github.luzj.data;

import io.github.luzj.base.LuzjException;
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
        if (next == null) {
            throw new LuzjException("the transform to run next is null");
        }
        return (x, rng) -> next.apply(apply(x, rng), rng);
    }

    /**
     * Runs {@code transforms} one after the other, like torchvision's {@code Compose}. They share
     * the sample's generator, in order, so the composition is as repeatable as each part.
     *
     * @param transforms the transforms, first to last; none gives the identity
     * @return the composition
     */
    static Transform compose(Transform... transforms) {
        Transform out = identity();
        for (Transform t : transforms) {
            out = out.andThen(t);
        }
        return out;
    }

    /**
     * The transform that returns its input.
     *
     * @return the identity
     */
    static Transform identity() {
        return (x, rng) -> x;
    }
}
