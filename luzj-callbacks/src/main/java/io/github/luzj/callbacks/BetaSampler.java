package io.github.luzj.callbacks;

import java.util.random.RandomGenerator;

/**
 * Draws from a Beta distribution as the ratio of two Gamma draws (Marsaglia and Tsang's method),
 * in log space so that small shapes (mixup's {@code alpha = 0.2}) cannot underflow to 0/0.
 */
final class BetaSampler {

    private BetaSampler() {}

    /**
     * Draws one value of Beta({@code a}, {@code b}).
     *
     * @param rng the generator
     * @param a the first shape, {@code > 0}
     * @param b the second shape, {@code > 0}
     * @return a value in [0, 1]
     */
    static double beta(RandomGenerator rng, double a, double b) {
        double logX = logGamma(rng, a);
        double logY = logGamma(rng, b);
        return 1 / (1 + Math.exp(logY - logX));
    }

    /** The log of a Gamma(shape, 1) draw. */
    static double logGamma(RandomGenerator rng, double shape) {
        if (shape < 1) {
            // Gamma(a) = Gamma(a + 1) * U^(1/a); U in (0, 1] keeps the log finite
            double u = 1 - rng.nextDouble();
            return logGamma(rng, shape + 1) + Math.log(u) / shape;
        }
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x;
            double v;
            do {
                x = rng.nextGaussian();
                v = 1 + c * x;
            } while (v <= 0);
            v = v * v * v;
            double u = 1 - rng.nextDouble();
            double x2 = x * x;
            if (u < 1 - 0.0331 * x2 * x2 || Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) {
                return Math.log(d * v);
            }
        }
    }
}
