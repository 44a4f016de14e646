package io.github.luzj.callbacks;

import io.github.luzj.callback.Callback;
import io.github.luzj.callback.Context;
import io.github.luzj.callback.Phase;
import io.github.luzj.optim.ParamGroup;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records every parameter group's learning rate and momentum (SGD's momentum, Adam's
 * {@code beta1}) at the start of every epoch or every training step, into {@link #entries()}
 * and the log (Lightning's {@code LearningRateMonitor}). Per epoch it logs at INFO, per step at
 * DEBUG. With gradient accumulation a step spans several batches and is recorded once, at its
 * first batch.
 *
 * <p>The values are those the coming step or epoch will use: a scheduler stepping at a batch's
 * or an epoch's end has already written them. The fit loop itself records what every step
 * applied in {@link io.github.luzj.record.Records#steps()}; this callback is for watching a
 * schedule live or at epoch granularity. Entries are cleared at each fit's beginning.
 *
 * <pre>{@code
 * LrMonitor lrs = LuzCallbacks.lrMonitor();          // per epoch; LrMonitor.perStep() per step
 * }</pre>
 */
public final class LrMonitor implements Callback {

    private static final Logger LOG = LoggerFactory.getLogger(LrMonitor.class);

    /**
     * One group's hyperparameters at the start of an epoch or step.
     *
     * @param epoch the epoch, from 1
     * @param step the global step about to be taken, from 1
     * @param group the group's name
     * @param lr the learning rate
     * @param momentum SGD's momentum or Adam's {@code beta1}
     */
    public record Entry(int epoch, long step, String group, double lr, double momentum) {}

    private final Phase at;
    private final List<Entry> entries = new ArrayList<>();
    /** The step last recorded, so that a step accumulated over k batches is recorded once. */
    private long recordedStep;

    private LrMonitor(Phase at) {
        this.at = at;
    }

    /**
     * Records at every epoch's beginning.
     *
     * @return the callback
     */
    public static LrMonitor perEpoch() {
        return new LrMonitor(Phase.EPOCH_BEGIN);
    }

    /**
     * Records at every training batch's beginning.
     *
     * @return the callback
     */
    public static LrMonitor perStep() {
        return new LrMonitor(Phase.TRAIN_BATCH_BEGIN);
    }

    /**
     * Returns what was recorded in the current or last fit, in order.
     *
     * @return the entries
     */
    public List<Entry> entries() {
        return Collections.unmodifiableList(entries);
    }

    @Override
    public Set<Phase> callOn() {
        return EnumSet.of(Phase.FIT_BEGIN, at);
    }

    @Override
    public void on(Phase phase, Context ctx) {
        if (phase == Phase.FIT_BEGIN) {
            entries.clear();
            recordedStep = 0;
            return;
        }
        long step = ctx.globalStep() + 1;
        if (at == Phase.TRAIN_BATCH_BEGIN && step == recordedStep) {
            return; // a later batch of the same accumulated step
        }
        recordedStep = step;
        for (ParamGroup g : ctx.optimizer().groups()) {
            Entry e = new Entry(ctx.epoch(), step, g.name(), g.lr(), g.momentum());
            entries.add(e);
            if (at == Phase.EPOCH_BEGIN) {
                LOG.info("epoch {} group {}: lr {}, momentum {}",
                        e.epoch(), e.group(), e.lr(), e.momentum());
            } else if (LOG.isDebugEnabled()) {
                LOG.debug("step {} group {}: lr {}, momentum {}",
                        e.step(), e.group(), e.lr(), e.momentum());
            }
        }
    }
}
