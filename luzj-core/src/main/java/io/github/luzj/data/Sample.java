package io.github.luzj.data;

import io.github.luzj.base.Checks;

/**
 * One example: its features and, when known, its label. Data to predict on has no label; fitting
 * and evaluating need one.
 *
 * @param x the features, such as a 1×28×28 image in [0, 1]
 * @param y the label, such as a scalar class index, or null for an unlabeled example
 */
public record Sample(FloatTensor x, FloatTensor y) {

    /**
     * Checks that there are features.
     *
     * @param x the features
     * @param y the label, or null
     */
    public Sample {
        Checks.check(x != null, "a sample's features are null; every sample needs features");
    }

    /**
     * An example without a label, for prediction.
     *
     * @param x the features
     * @return the sample
     */
    public static Sample unlabeled(FloatTensor x) {
        return new Sample(x, null);
    }

    /**
     * Tells whether the example has a label.
     *
     * @return true when {@link #y()} is not null
     */
    public boolean labeled() {
        return y != null;
    }
}
