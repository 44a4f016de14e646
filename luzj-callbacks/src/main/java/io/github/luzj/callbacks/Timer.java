package io.github.luzj.callbacks;

import io.github.luzj.callback.Callback;
import io.github.luzj.callback.Context;
import io.github.luzj.callback.Phase;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures the wall time of the fit's parts (luz's {@code luz_callback_profile}): the whole fit,
 * each epoch, each epoch's training and validation halves, and each training and validation
 * batch. {@link #summary()} gives a table of count, total, mean, min and max per part; it is
 * logged at INFO at the fit's end when the fit is verbose.
 *
 * <p>Times are host wall times. On a GPU, work is queued asynchronously, so a batch's time is
 * the time to queue it until something (a metric read, a loss check) waits for the device; the
 * epoch and fit times are exact. The timer runs first at every phase (weight
 * {@value #WEIGHT}), so a part's time includes the other callbacks' work at its beginning but
 * not at its end (an epoch's time leaves out the checkpoint written at its end). Times are reset
 * at each fit's beginning.
 *
 * <pre>{@code
 * Timer timer = LuzCallbacks.profile();
 * // ... fit with it, then
 * System.out.println(timer.summary());
 * }</pre>
 */
public final class Timer implements Callback {

    /** First at every phase. */
    public static final int WEIGHT = -1000;

    private static final Logger LOG = LoggerFactory.getLogger(Timer.class);

    /** A timed part of the fit. */
    public enum Part {
        /** From {@code on_fit_begin} to {@code on_fit_end}. */
        FIT(Phase.FIT_BEGIN, Phase.FIT_END),
        /** From {@code on_epoch_begin} to {@code on_epoch_end}. */
        EPOCH(Phase.EPOCH_BEGIN, Phase.EPOCH_END),
        /** From {@code on_train_begin} to {@code on_train_end}. */
        TRAIN(Phase.TRAIN_BEGIN, Phase.TRAIN_END),
        /** From {@code on_valid_begin} to {@code on_valid_end}. */
        VALID(Phase.VALID_BEGIN, Phase.VALID_END),
        /** From {@code on_train_batch_begin} to {@code on_train_batch_end}. */
        TRAIN_BATCH(Phase.TRAIN_BATCH_BEGIN, Phase.TRAIN_BATCH_END),
        /** From {@code on_valid_batch_begin} to {@code on_valid_batch_end}. */
        VALID_BATCH(Phase.VALID_BATCH_BEGIN, Phase.VALID_BATCH_END);

        private final Phase begin;
        private final Phase end;

        Part(Phase begin, Phase end) {
            this.begin = begin;
            this.end = end;
        }
    }

    /**
     * The durations of one part.
     *
     * @param count how many times it ran
     * @param totalSeconds the sum
     * @param minSeconds the shortest, 0 when it never ran
     * @param maxSeconds the longest, 0 when it never ran
     */
    public record Stats(long count, double totalSeconds, double minSeconds, double maxSeconds) {

        /**
         * Returns the mean duration.
         *
         * @return the mean in seconds, 0 when it never ran
         */
        public double meanSeconds() {
            return count == 0 ? 0 : totalSeconds / count;
        }
    }

    private final LongSupplier clock;
    private final Map<Part, Long> started = new EnumMap<>(Part.class);
    private final Map<Part, long[]> sums = new EnumMap<>(Part.class); // count, total, min, max

    /**
     * Creates a timer on {@link System#nanoTime()}.
     *
     * @return the timer
     */
    public static Timer create() {
        return new Timer(System::nanoTime);
    }

    /**
     * Creates a timer on another nanosecond clock, for tests.
     *
     * @param nanoClock the clock
     * @return the timer
     */
    static Timer withClock(LongSupplier nanoClock) {
        return new Timer(nanoClock);
    }

    private Timer(LongSupplier clock) {
        this.clock = clock;
    }

    @Override
    public Set<Phase> callOn() {
        Set<Phase> phases = EnumSet.noneOf(Phase.class);
        for (Part p : Part.values()) {
            phases.add(p.begin);
            phases.add(p.end);
        }
        return phases;
    }

    @Override
    public int weight() {
        return WEIGHT;
    }

    @Override
    public void on(Phase phase, Context ctx) {
        long now = clock.getAsLong();
        if (phase == Phase.FIT_BEGIN) {
            started.clear();
            sums.clear();
        }
        for (Part p : Part.values()) {
            if (phase == p.begin) {
                started.put(p, now);
            } else if (phase == p.end) {
                Long t0 = started.remove(p);
                if (t0 != null) {
                    add(p, now - t0);
                }
            }
        }
        if (phase == Phase.FIT_END && ctx.verbose()) {
            LOG.info("time per part of the fit:\n{}", summary());
        }
    }

    private void add(Part p, long nanos) {
        long[] s = sums.computeIfAbsent(p, k -> new long[] {0, 0, Long.MAX_VALUE, 0});
        s[0]++;
        s[1] += nanos;
        s[2] = Math.min(s[2], nanos);
        s[3] = Math.max(s[3], nanos);
    }

    /**
     * Returns the durations of {@code part} in the current or last fit.
     *
     * @param part the part
     * @return the statistics, all 0 when it never ran
     */
    public Stats stats(Part part) {
        long[] s = sums.get(part);
        if (s == null) {
            return new Stats(0, 0, 0, 0);
        }
        return new Stats(s[0], s[1] / 1e9, s[2] / 1e9, s[3] / 1e9);
    }

    /**
     * Returns a table of every part that ran: count, total seconds, mean, min and max
     * milliseconds.
     *
     * @return the table, one line per part after a header
     */
    public String summary() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "%-12s %8s %10s %10s %10s %10s%n",
                "part", "count", "total s", "mean ms", "min ms", "max ms"));
        for (Part p : Part.values()) {
            Stats s = stats(p);
            if (s.count() == 0) {
                continue;
            }
            sb.append(String.format(Locale.ROOT, "%-12s %8d %10.3f %10.3f %10.3f %10.3f%n",
                    p.name().toLowerCase(Locale.ROOT),
                    s.count(),
                    s.totalSeconds(),
                    s.meanSeconds() * 1e3,
                    s.minSeconds() * 1e3,
                    s.maxSeconds() * 1e3));
        }
        return sb.toString();
    }
}
