package io.github.luzj.examples;

import io.github.luzj.callback.Callback;
import io.github.luzj.callback.Callbacks;
import io.github.luzj.callback.Phase;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C during a fit finishes the current batch, writes a checkpoint when checkpointing is on,
 * and ends the fit with a message saying how to resume. A second Ctrl-C exits at once.
 */
final class Interruption implements AutoCloseable {

    private final AtomicBoolean requested = new AtomicBoolean();
    private final SignalHandler previous;
    private boolean happened;

    Interruption() {
        SignalHandler h = null;
        try {
            h = Signal.handle(new Signal("INT"), this::onSignal);
        } catch (IllegalArgumentException e) {
            // no SIGINT on this platform or it is reserved: Ctrl-C keeps its default meaning
        }
        previous = h;
    }

    private void onSignal(Signal s) {
        if (!requested.compareAndSet(false, true)) {
            System.err.println("\nInterrupted again: exiting now.");
            Runtime.getRuntime().halt(130);
        }
        System.err.println("\nInterrupted: finishing the current batch (Ctrl-C again to quit now)...");
    }

    /** Tells whether the fit was cut short by Ctrl-C. */
    boolean happened() {
        return happened;
    }

    Callback callback(Path checkpoint, String resumeHint) {
        return Callbacks.on(
                Phase.TRAIN_BATCH_END,
                ctx -> {
                    if (!requested.get() || happened) {
                        return;
                    }
                    happened = true;
                    if (checkpoint != null) {
                        ctx.saveCheckpoint(checkpoint);
                        System.err.printf(
                                "Checkpoint written to %s after batch %d of epoch %d. Resume with:%n  %s%n",
                                checkpoint, ctx.batchIndex() + 1, ctx.epoch(), resumeHint);
                    } else {
                        System.err.println(
                                "No checkpoint was written: pass --checkpoint-dir DIR to be able to resume.");
                    }
                    ctx.abortTraining("interrupted by Ctrl-C");
                });
    }

    @Override
    public void close() {
        if (previous != null) {
            Signal.handle(new Signal("INT"), previous);
        }
    }
}
