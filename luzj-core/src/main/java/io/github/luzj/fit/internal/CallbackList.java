package io.github.luzj.fit.internal;

import com.google.gson.JsonElement;
import io.github.luzj.base.LuzjException;
import io.github.luzj.callback.Callback;
import io.github.luzj.callback.Context;
import io.github.luzj.callback.Phase;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The callbacks of one fit, indexed by phase once so that firing a phase in the batch loop is a
 * plain array walk. A failure inside a callback is re-thrown naming the callback and the phase.
 */
final class CallbackList {

    private static final Callback[] NONE = new Callback[0];

    private final List<Callback> all;
    private final List<String> keys = new ArrayList<>();
    private final Map<Phase, Callback[]> byPhase = new EnumMap<>(Phase.class);

    /**
     * Indexes {@code callbacks} by the phases they declare.
     *
     * @param callbacks the callbacks, in the user's order
     */
    public CallbackList(List<? extends Callback> callbacks) {
        this.all = List.copyOf(callbacks);
        Set<Callback> once = Collections.newSetFromMap(new IdentityHashMap<>());
        Map<String, Integer> seen = new HashMap<>();
        for (Callback cb : all) {
            if (!once.add(cb)) {
                // a callback keeps state: given twice it would count each epoch and batch twice
                throw new LuzjException("callback " + cb.name() + " is passed twice to one fit; pass it"
                        + " once, or make a second one for a second role");
            }
            int n = seen.merge(cb.name(), 1, Integer::sum);
            keys.add(n == 1 ? cb.name() : cb.name() + "#" + n);
        }
        for (Phase phase : Phase.values()) {
            List<Callback> at = new ArrayList<>();
            for (Callback cb : all) {
                Set<Phase> phases = cb.callOn();
                if (phases == null || phases.isEmpty()) {
                    throw new LuzjException(
                            "callback " + cb.name() + " declares no phase; return at least one "
                                    + "Phase from callOn()");
                }
                if (phases.contains(phase)) {
                    at.add(cb);
                }
            }
            at.sort(Comparator.comparingInt(Callback::weight)); // stable: user order on ties
            byPhase.put(phase, at.isEmpty() ? NONE : at.toArray(NONE));
        }
    }

    /**
     * Returns the callbacks in the user's order.
     *
     * @return the callbacks
     */
    public List<Callback> all() {
        return all;
    }

    /**
     * Returns each callback's state by a stable key (its name, with {@code #2}, {@code #3}, ...
     * for repeated names), for checkpoints.
     *
     * @return the states
     */
    public Map<String, JsonElement> states() {
        Map<String, JsonElement> out = new LinkedHashMap<>();
        for (int i = 0; i < all.size(); i++) {
            out.put(keys.get(i), all.get(i).state());
        }
        return out;
    }

    /**
     * Returns the bytes each callback carries beside its state ({@link Callback#stateBytes()}),
     * by the keys of {@link #states()}; callbacks without bytes are left out.
     *
     * @return the bytes
     */
    public Map<String, byte[]> stateBytes() {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (int i = 0; i < all.size(); i++) {
            byte[] b = all.get(i).stateBytes();
            if (b != null) {
                out.put(keys.get(i), b);
            }
        }
        return out;
    }

    /**
     * Restores states returned by {@link #states()} and {@link #stateBytes()}; callbacks without
     * a saved state keep theirs.
     *
     * @param states the saved states
     * @param bytes the saved bytes
     */
    public void loadStates(Map<String, JsonElement> states, Map<String, byte[]> bytes) {
        for (int i = 0; i < all.size(); i++) {
            JsonElement s = states.get(keys.get(i));
            if (s != null && !s.isJsonNull()) {
                all.get(i).loadState(s);
            }
            byte[] b = bytes.get(keys.get(i));
            if (b != null) {
                all.get(i).loadStateBytes(b);
            }
        }
    }

    /** Tells every callback to drop a state loaded for a fit that failed. */
    public void forgetLoadedStates() {
        all.forEach(Callback::forgetLoadedState);
    }

    /**
     * Calls every callback that declared {@code phase}.
     *
     * @param phase the phase
     * @param ctx the context
     */
    public void fire(Phase phase, Context ctx) {
        Callback[] cbs = byPhase.get(phase);
        if (cbs.length == 0) {
            return;
        }
        for (Callback cb : cbs) {
            try {
                cb.on(phase, ctx);
            } catch (LuzjException e) {
                throw e;
            } catch (RuntimeException e) {
                LuzjException freed = BatchErrors.weightsFreed(e);
                throw freed != null ? freed : new LuzjException(
                        "callback " + cb.name() + " failed at " + phase.luzName() + ": " + e, e);
            }
        }
    }
}
