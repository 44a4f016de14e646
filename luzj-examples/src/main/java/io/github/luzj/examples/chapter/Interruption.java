package io.github.luzj.examples.chapter;

import io.github.luzj.callback.Callback;
import io.github.luzj.callback.Phase;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ctrl-C during a fit finishes the current batch, writes a checkpoint when checkpointing is on,
 * and ends the fit with a message saying how to resume. A second Ctrl-C exits at once.
 *
 * <p>Java has no public API for SIGINT; {@code sun.misc.Signal} (module jdk.unsupported) is the
 * one every JDK ships. It is reached by reflection so that the build does not depend on an
 * internal API: where it is missing, Ctrl-C keeps its default meaning.
 */
final class Interruption implements AutoCloseable {

    private final AtomicBoolean requested = new AtomicBoolean();
    private final Object previous;
    private boolean happened;

    Interruption() {
        previous = install(this::onSignal);
    }

    private void onSignal() {
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

    /**
     * Acts at the end of a training or validation batch: an epoch whose training is done but
     * whose validation is cut short is validated again on resume.
     */
    Callback callback(Path checkpoint, String resumeHint) {
        return Callback.on(
                Phase.TRAIN_BATCH_END,
                ctx -> {
                    if (!requested.get() || happened) {
                        return;
                    }
                    happened = true;
                    if (checkpoint != null) {
                        ctx.saveCheckpoint(checkpoint);
                        System.err.printf(
                                "Checkpoint written to %s after %s batch %d of epoch %d. Resume with:%n  %s%n",
                                checkpoint, ctx.training() ? "training" : "validation",
                                ctx.batchIndex() + 1, ctx.epoch(), resumeHint);
                    } else {
                        System.err.println(
                                "No checkpoint was written: pass --checkpoint-dir DIR to be able to resume.");
                    }
                    ctx.abortTraining("interrupted by Ctrl-C");
                },
                Phase.VALID_BATCH_END);
    }

    @Override
    public void close() {
        if (previous != null) {
            restore(previous);
        }
    }

    /** Installs {@code action} as the SIGINT handler; returns the previous handler, or null. */
    private static Object install(Runnable action) {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handler = Class.forName("sun.misc.SignalHandler");
            InvocationHandler call =
                    (proxy, method, args) -> {
                        if (method.getName().equals("handle")) {
                            action.run();
                        }
                        return null;
                    };
            Object h = Proxy.newProxyInstance(handler.getClassLoader(), new Class<?>[] {handler}, call);
            Object sigint = signal.getConstructor(String.class).newInstance("INT");
            Method handle = signal.getMethod("handle", signal, handler);
            return handle.invoke(null, sigint, h);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // no SIGINT handling here: Ctrl-C ends the process as usual
        }
    }

    private static void restore(Object previousHandler) {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handler = Class.forName("sun.misc.SignalHandler");
            Object sigint = signal.getConstructor(String.class).newInstance("INT");
            signal.getMethod("handle", signal, handler).invoke(null, sigint, previousHandler);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // the process is ending its fit; the default handler matters no more
        }
    }
}
