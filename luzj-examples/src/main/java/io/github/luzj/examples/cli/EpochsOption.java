package io.github.luzj.examples.cli;

import io.github.luzj.base.Checks;
import picocli.CommandLine.Option;

/** {@code --epochs N} of the commands that train the chapter's convnet. */
final class EpochsOption {

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "5", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    /** The epochs, checked. */
    int epochs() {
        Checks.check(epochs >= 1, "--epochs must be >= 1, got %d", epochs);
        return epochs;
    }
}
