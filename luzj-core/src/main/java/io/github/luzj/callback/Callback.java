package io.github.luzj.callback;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import io.github.luzj.base.Checks;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Something the fit loop calls at the phases it declares.
 *
 * <p>A callback declares its phases once ({@link #callOn()}); the loop calls {@link #on} only at
 * those, in ascending {@link #weight()} order among the callbacks of the same phase (ties keep the
 * order in which the callbacks were passed). Everything the callback may read or change is on the
 * {@link Context}. To stop training, call {@link Context#stopTraining(String)}: stopping never
 * escapes {@code fit()} as an exception.
 *
 * <p>A callback that keeps state across epochs (a best value, a patience counter) resets it at
 * {@link Phase#FIT_BEGIN}, so one instance can serve several fits, and exposes it through
 * {@link #state()} / {@link #loadState} so that a checkpoint can carry it (large arrays through
 * {@link #stateBytes()} / {@link #loadStateBytes}).
 *
 * <pre>{@code
 * Callback printer = Callback.on(Phase.EPOCH_END,
 *         ctx -> System.out.println("epoch " + ctx.epoch() + " done"));
 * }</pre>
 */
public interface Callback {

    /**
     * A callback that runs {@code action} at one or more phases (luz's {@code luz_callback}).
     *
     * @param phase the first phase
     * @param action what to do
     * @param more further phases
     * @return the callback
     */
    static Callback on(Phase phase, Consumer<Context> action, Phase... more) {
        Checks.notNull("action", action, "pass what the callback should do, as ctx -> ...");
        Checks.notNull("phase", phase, "pass the phase to run at, e.g. Phase.EPOCH_END");
        Set<Phase> phases = EnumSet.of(phase, more);
        return new Callback() {
            @Override
            public Set<Phase> callOn() {
                return phases;
            }

            @Override
            public void on(Phase p, Context ctx) {
                action.accept(ctx);
            }

            @Override
            public String name() {
                return "lambda callback at " + phases;
            }
        };
    }

    /**
     * A callback that runs {@code action} at the phase with luz's name {@code luzName} (for
     * example {@code "on_batch_end"}).
     *
     * @param luzName the phase's luz name
     * @param action what to do
     * @return the callback
     */
    static Callback on(String luzName, Consumer<Context> action) {
        return on(Phase.parse(luzName), action);
    }

    /**
     * Returns the phases at which this callback wants to be called.
     *
     * @return the phases, never empty
     */
    Set<Phase> callOn();

    /**
     * Called at each phase of {@link #callOn()}.
     *
     * @param phase the phase being fired
     * @param ctx the fit's context
     */
    void on(Phase phase, Context ctx);

    /**
     * Returns the order weight: lower weights run first at a phase. Metrics and records are
     * complete before any callback runs at {@link Phase#EPOCH_END}.
     *
     * @return the weight, 0 by default
     */
    default int weight() {
        return 0;
    }

    /**
     * Returns the name used in error messages and checkpoints.
     *
     * @return the name, the class's simple name by default
     */
    default String name() {
        String simple = getClass().getSimpleName();
        return simple.isEmpty() ? getClass().getName() : simple;
    }

    /**
     * Returns the state that a checkpoint must carry for an exact resume.
     *
     * @return the state as JSON, {@link JsonNull#INSTANCE} when stateless
     */
    default JsonElement state() {
        return JsonNull.INSTANCE;
    }

    /**
     * Restores the state returned by {@link #state()}.
     *
     * @param state the saved state
     */
    default void loadState(JsonElement state) {}

    /**
     * Returns the bytes a checkpoint must carry beside {@link #state()}, for a state too large
     * for JSON (an average of the weights). The checkpoint writes them to a binary file of its
     * own, with their size and digest in {@code checkpoint.json}.
     *
     * @return the bytes, or null when the JSON state says everything (the default)
     */
    default byte[] stateBytes() {
        return null;
    }

    /**
     * Restores the bytes returned by {@link #stateBytes()}, after {@link #loadState}; called only
     * when the checkpoint holds bytes for this callback.
     *
     * @param bytes the saved bytes, checked against their digest; the callback's own
     */
    default void loadStateBytes(byte[] bytes) {}

    /**
     * Drops a state restored by {@link #loadState} / {@link #loadStateBytes} and not yet taken up
     * at {@link Phase#FIT_BEGIN}: called when a fit fails (a resumed one before it began, say),
     * so that the instance's next fit starts afresh instead of continuing the checkpoint.
     */
    default void forgetLoadedState() {}
}
