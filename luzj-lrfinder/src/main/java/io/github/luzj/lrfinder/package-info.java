/**
 * The learning-rate finder: {@link io.github.luzj.lrfinder.LrFinder} sweeps the learning rate
 * over a few training batches inside luzj's fit loop and puts the model back;
 * {@link io.github.luzj.lrfinder.LrFinderResult} holds the curve and fastai's suggestions;
 * {@link io.github.luzj.lrfinder.LrFinderPlot} draws it.
 */
package io.github.luzj.lrfinder;
