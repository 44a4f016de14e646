package io.github.luzj.callbacks;

import io.github.luzj.callback.Phase;
import io.github.luzj.callbacks.lr.SchedulerSpec;

/**
 * Factories for luzj's built-in callbacks, named after luz's {@code luz_callback_*} functions.
 *
 * <pre>{@code
 * var oneCycle = LuzCallbacks.lrScheduler(
 *         LrSchedulers.oneCycle(0.01).epochs(5), "on_batch_end");
 * }</pre>
 */
public final class LuzCallbacks {

    private LuzCallbacks() {}

    /**
     * luz's {@code luz_callback_lr_scheduler(spec)}: steps {@code spec} at every epoch's end.
     *
     * @param spec the schedule
     * @return the callback
     */
    public static LrSchedulerCallback lrScheduler(SchedulerSpec spec) {
        return LrSchedulerCallback.of(spec);
    }

    /**
     * luz's {@code luz_callback_lr_scheduler(spec, call_on = callOn)}.
     *
     * @param spec the schedule
     * @param callOn luz's name of the phase, such as {@code "on_batch_end"}
     * @return the callback
     */
    public static LrSchedulerCallback lrScheduler(SchedulerSpec spec, String callOn) {
        return LrSchedulerCallback.of(spec).callOn(callOn);
    }

    /**
     * Steps {@code spec} at {@code callOn}.
     *
     * @param spec the schedule
     * @param callOn the phase
     * @return the callback
     */
    public static LrSchedulerCallback lrScheduler(SchedulerSpec spec, Phase callOn) {
        return LrSchedulerCallback.of(spec).callOn(callOn);
    }
}
