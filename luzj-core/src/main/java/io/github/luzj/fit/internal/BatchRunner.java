package io.github.luzj.fit.internal;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.github.luzj.base.GradMode;
import io.github.luzj.data.BatchIterator;
import io.github.luzj.data.DataLoader;
import io.github.luzj.data.HostBatch;
import io.github.luzj.data.HostStaging;

/**
 * Runs a loader's batches: the one batch loop behind training, validation, {@code evaluate},
 * {@code predict} and the feature cache, each of which supplies only its {@link Step}.
 *
 * <p>For every batch the loader assembled (and prefetched) on the host, the runner opens a manager
 * of the batch's own on the device, stages the features (and the labels) into it through one
 * {@link HostStaging} reused from batch to batch, hands them to the step and closes the manager,
 * so that nothing allocated per batch outlives it. Gradients are off unless the runner trains.
 * The step stops the loop by returning false (a stop request, Ctrl-C, enough batches); its
 * forward pass and loss go through {@link BatchErrors}, which names the shapes and the fix when
 * the engine refuses them.
 *
 * <p>Immutable; the staging buffer it shares makes it a one-thread object all the same.
 */
public final class BatchRunner {

    /** What one use of the loop does with a batch staged on the device. */
    @FunctionalInterface
    public interface Step {
        /**
         * Runs one batch.
         *
         * @param host the batch as the loader assembled it
         * @param x the features, in the batch's manager
         * @param y the labels in the batch's manager, or null (unlabeled data, or a runner that
         *     stages the features only)
         * @param index the batch's index in the epoch, skipped batches counted
         * @return true to go on, false to stop after this batch
         */
        boolean run(HostBatch host, NDList x, NDList y, int index);
    }

    /** Sees every batch start and end around its step: the fit's context, which callbacks read. */
    interface Scope {
        void startBatch(NDManager manager, NDList x, NDList y, int index);

        void endBatch();
    }

    private static final Scope NO_SCOPE =
            new Scope() {
                @Override
                public void startBatch(NDManager manager, NDList x, NDList y, int index) {}

                @Override
                public void endBatch() {}
            };

    /** What the uses differ in: labels staged, gradients recorded, who sees batches go by. */
    private record Mode(boolean labels, boolean gradients, Scope scope) {}

    private final NDManager parent;
    private final Device device;
    private final HostStaging staging;
    private final Mode mode;

    /**
     * Creates a runner that stages features and labels, with gradients off.
     *
     * @param parent the manager each batch's manager descends from
     * @param device where the batches are staged
     * @param staging the staging buffer, reused from batch to batch
     */
    public BatchRunner(NDManager parent, Device device, HostStaging staging) {
        this(parent, device, staging, new Mode(true, false, NO_SCOPE));
    }

    private BatchRunner(NDManager parent, Device device, HostStaging staging, Mode mode) {
        this.parent = parent;
        this.device = device;
        this.staging = staging;
        this.mode = mode;
    }

    /**
     * Returns a runner like this one that stages only the features: the step's labels are null.
     *
     * @return the runner
     */
    public BatchRunner featuresOnly() {
        return new BatchRunner(parent, device, staging, new Mode(false, mode.gradients, mode.scope));
    }

    /** A runner like this one that records the autograd graph (training). */
    BatchRunner withGradients() {
        return new BatchRunner(parent, device, staging, new Mode(mode.labels, true, mode.scope));
    }

    /** A runner like this one that tells {@code scope} of every batch's start and end. */
    BatchRunner within(Scope scope) {
        return new BatchRunner(parent, device, staging, new Mode(mode.labels, mode.gradients, scope));
    }

    /**
     * Runs {@code step} over the batches of {@code data}'s epoch {@code epoch} (its order).
     *
     * @param data the loader
     * @param epoch the epoch, 1-based, which decides the shuffle and the augmentation
     * @param step what to do with each batch
     * @return true when every batch ran, false when the step stopped the loop
     */
    public boolean run(DataLoader data, int epoch, Step step) {
        return run(data, epoch, 0, step);
    }

    /** Runs the batches after the first {@code skip}, trained before a resumed checkpoint. */
    boolean run(DataLoader data, int epoch, int skip, Step step) {
        // grad mode is per thread and on by default; no graph is needed outside training
        Scope scope = mode.scope;
        try (BatchIterator batches = data.iterator(epoch);
                GradMode ignored = mode.gradients ? null : GradMode.off()) {
            int index = 0;
            for (; index < skip && batches.hasNext(); index++) {
                batches.next();
            }
            while (batches.hasNext()) {
                HostBatch host = batches.next();
                boolean goOn;
                try (NDManager manager = parent.newSubManager(device)) {
                    NDList x = staging.features(host, manager);
                    NDList y = mode.labels ? staging.labels(host, manager) : null;
                    scope.startBatch(manager, x, y, index);
                    goOn = step.run(host, x, y, index++);
                } finally {
                    scope.endBatch();
                }
                if (!goOn) {
                    return false;
                }
            }
            return true;
        }
    }
}
