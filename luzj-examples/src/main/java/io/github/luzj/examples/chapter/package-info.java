/**
 * The chapter's experiments as Java methods: {@link io.github.luzj.examples.chapter.Chapter}
 * runs them all; each {@code *Experiment.run} takes a
 * {@link io.github.luzj.examples.chapter.RunSettings} and its own settings and returns a typed
 * result whose {@code write} writes the files its command writes. Depends on luzj, never on the
 * CLI.
 */
package io.github.luzj.examples.chapter;
