package io.github.luzj.examples;

import io.github.luzj.callback.Callback;
import io.github.luzj.callbacks.LuzCallbacks;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --tensorboard DIR}: a TensorBoard event file of the run's scalars in DIR. */
final class TensorBoardOption {

    @Option(
            names = "--tensorboard",
            paramLabel = "DIR",
            description = "Also write TensorBoard logs (per-epoch metrics, per-step lr) into DIR; view with 'tensorboard --logdir DIR'.")
    Path dir;

    /** {@code others}, followed by the logger when the option is given. */
    Callback[] plus(Callback... others) {
        if (dir == null) {
            return others;
        }
        Callback[] all = java.util.Arrays.copyOf(others, others.length + 1);
        all[others.length] = LuzCallbacks.tensorboard(dir);
        return all;
    }
}
