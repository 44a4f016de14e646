package io.github.luzj.callback;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import java.util.Set;

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
 * {@link #state()} / {@link #loadState} so that a checkpoint can carry it.
 *
 * <pre>{@code
 * Callback printer = Callbacks.on(Phase.EPOCH_END,
 *         ctx -> System.out.println("epoch " + ctx.epoch() + " done"));
 * }</pre>
 */
public interface Callback {

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
}
