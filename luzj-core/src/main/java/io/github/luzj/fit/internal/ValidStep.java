package io.github.luzj.fit.internal;

import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;
import io.github.luzj.callback.Phase;
import io.github.luzj.data.HostBatch;

/**
 * A validation batch, as fit's validation and {@code evaluate} both run it: forward with
 * {@code training = false} (batch norm folded, {@link ForwardPass}), loss, sums, with the
 * validation batch phases; an abort (Ctrl-C) stops after the batch.
 */
final class ValidStep implements BatchRunner.Step {

    private final FitContext ctx;
    private final ForwardPass forward;
    private final Loss loss;
    private final SetSums sums;

    ValidStep(FitContext ctx, Session session, SetSums sums, ForwardPass forward) {
        this.ctx = ctx;
        this.forward = forward;
        this.loss = session.loss();
        this.sums = sums;
    }

    @Override
    public boolean run(HostBatch host, NDList x, NDList y, int index) {
        ctx.fire(Phase.VALID_BATCH_BEGIN);
        ctx.pred = forward.forward(x);
        ctx.fire(Phase.VALID_BATCH_AFTER_PRED);
        ctx.loss = BatchErrors.loss(loss, y, ctx.pred);
        ctx.fire(Phase.VALID_BATCH_AFTER_LOSS);
        sums.update(ctx.loss, host.size(), ctx.pred, y);
        ctx.fire(Phase.VALID_BATCH_END);
        return !ctx.aborted;
    }
}
