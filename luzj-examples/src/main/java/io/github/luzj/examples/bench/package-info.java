/**
 * The benchmark harness behind {@code luzj-examples.jar bench}:
 * {@link io.github.luzj.examples.bench.Bench} times the chapter's convnet under fit against a
 * plain DJL loop and plain PyTorch, augmentation, the LR finder, memory and ResNet-18 epochs,
 * and {@link io.github.luzj.examples.bench.BenchReport} holds the figures and their targets.
 * docs/performance.md explains them.
 */
package io.github.luzj.examples.bench;
