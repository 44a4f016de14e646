/**
 * The fit loop behind {@code SetupModel.fit}, {@code FittedModel.evaluate} and {@code predict}:
 * the session a model trains in, the loop, the one batch runner every pass over a loader uses, and
 * the callbacks' context. Not part of luzj's API: its types are public only so that luzj's own
 * packages and modules (the entry points, the feature cache, the LR finder) can reach them, and
 * they change without notice. Applications use {@code Luz}, {@code SetupModel},
 * {@code FittedModel} and {@link io.github.luzj.fit.FitOptions}.
 */
package io.github.luzj.fit.internal;
