/**
 * {@code java -jar luzj-examples.jar}: {@link io.github.luzj.examples.cli.Main} and one picocli
 * command an experiment. A command parses and checks its options, calls the experiment in
 * {@code chapter} (or the bench in {@code bench}) and writes what it returns.
 */
package io.github.luzj.examples.cli;
