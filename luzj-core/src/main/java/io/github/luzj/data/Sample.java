package io.github.luzj.data;

/**
 * One example: its features and its label.
 *
 * @param x the features, such as a 1×28×28 image in [0, 1]
 * @param y the label, such as a scalar class index
 */
public record Sample(FloatTensor x, FloatTensor y) {}
