package io.github.luzj.metric;

import ai.djl.ndarray.NDArray;

/**
 * What one batch adds to a fraction-correct metric: device scalars for the hits and the labels
 * that were not valid, and the host count of predictions judged.
 *
 * @param hits the number of correct predictions (int64 scalar, on the device)
 * @param invalid the number of labels outside the metric's domain (int64 scalar, on the device)
 * @param total the number of predictions judged, known from the shapes
 * @param labelRule what valid labels are, for messages, such as "class indices in [0, 10)"
 */
record HitCount(NDArray hits, NDArray invalid, long total, String labelRule) {

    /** Counts one batch's hits, on the device. */
    @FunctionalInterface
    interface Counter {
        /**
         * Counts the hits of a batch.
         *
         * @param predictions the model's output
         * @param labels the labels
         * @return the batch's counts
         */
        HitCount count(NDArray predictions, NDArray labels);
    }
}
