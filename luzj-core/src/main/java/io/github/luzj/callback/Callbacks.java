package io.github.luzj.callback;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/** Small factories for callbacks written as lambdas. */
public final class Callbacks {

    private Callbacks() {}

    /**
     * A callback that runs {@code action} at one or more phases.
     *
     * @param phase the first phase
     * @param action what to do
     * @param more further phases
     * @return the callback
     */
    public static Callback on(Phase phase, Consumer<Context> action, Phase... more) {
        Objects.requireNonNull(action, "action");
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
    public static Callback on(String luzName, Consumer<Context> action) {
        return on(Phase.parse(luzName), action);
    }
}
