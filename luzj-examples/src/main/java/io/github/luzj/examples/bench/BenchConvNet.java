package io.github.luzj.examples.bench;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import io.github.luzj.FittedModel;
import io.github.luzj.Luz;
import io.github.luzj.callback.Callback;
import io.github.luzj.callback.Phase;
import io.github.luzj.data.BatchIterator;
import io.github.luzj.data.DataLoader;
import io.github.luzj.data.HostBatch;
import io.github.luzj.data.SampleDataset;
import io.github.luzj.data.Subset;
import io.github.luzj.data.Transform;
import io.github.luzj.examples.chapter.RunSettings;
import io.github.luzj.fit.FitOptions;
import io.github.luzj.lrfinder.LrFinder;
import io.github.luzj.optim.OptimizerSpec;
import io.github.luzj.optim.Optimizers;
import io.github.luzj.vision.models.ChapterConvNet;
import java.util.ArrayList;
import java.util.List;

/**
 * The chapter's convnet (batch norm, Adam at 1e-3) measured several ways on the same data: luzj's
 * fit, the hand-written DJL loop, fit with the chapter's augmentation, the augmentation alone,
 * and the LR finder against as many plain steps. Every variant is warmed up first, then the
 * variants take turns, one epoch each per round, in an order that rotates from round to round,
 * so that a change in the machine's load hits all of them alike.
 */
final class BenchConvNet {

    /** Batches each variant trains on before anything is timed: JIT, allocator, thread pools. */
    static final int WARMUP_BATCHES = 5;

    /** The chapter's Adam learning rate. */
    static final double LR = 1e-3;

    /**
     * Returns the chapter's optimizer, Adam at {@link #LR}.
     *
     * @param fused true for the fused update instead of PyTorch's exact one
     * @return the spec
     */
    static OptimizerSpec adam(boolean fused) {
        return Optimizers.adam().lr(LR).fused(fused);
    }

    /**
     * The timings of every variant, one entry per round.
     *
     * @param fit an epoch of luzj's fit, no augmentation
     * @param raw an epoch of the hand-written DJL loop on the same batches
     * @param augmented an epoch of luzj's fit with the augmentation
     * @param augmentationOnly the loader's workers augmenting one epoch, no model
     * @param residentMb resident memory during each epoch of the memory phase (plain {@code fit},
     *     epoch after epoch, after the rounds): the median of readings spread over the epoch
     * @param heapMb the Java heap's committed memory after each epoch of the memory phase
     * @param liveArrays the engine's open NDArrays after each epoch of the memory phase: the
     *     models' weights and optimizer state, constant unless something per batch is left
     *     unclosed
     * @param lrFinder the LR finder's sweep
     * @param steps as many plain training steps as the sweep has
     * @param samples training samples per epoch
     * @param sweepSteps steps per sweep
     * @param evaluate an epoch of luzj's {@code evaluate} over the training images
     * @param pytorch PyTorch's epochs, empty lists when PyTorch was not run
     */
    record Results(
            List<BenchTiming> fit,
            List<BenchTiming> raw,
            List<BenchTiming> augmented,
            List<BenchTiming> augmentationOnly,
            List<Double> residentMb,
            List<Double> heapMb,
            List<Integer> liveArrays,
            List<BenchTiming> lrFinder,
            List<BenchTiming> steps,
            int samples,
            int sweepSteps,
            List<BenchTiming> evaluate,
            PyTorchRuns pytorch) {}

    /**
     * PyTorch's epochs, one entry per round, in the rounds luzj's ran in.
     *
     * @param train training, NCHW
     * @param trainChannelsLast training, channels_last
     * @param evaluate evaluation, NCHW
     * @param evaluateChannelsLast evaluation, channels_last
     */
    record PyTorchRuns(
            List<BenchTiming> train,
            List<BenchTiming> trainChannelsLast,
            List<BenchTiming> evaluate,
            List<BenchTiming> evaluateChannelsLast) {

        static PyTorchRuns empty() {
            return new PyTorchRuns(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        }
    }

    private final RunSettings options;
    private final SampleDataset train;
    private final int rounds;
    private final int memoryEpochs;
    private final int sweepSteps;
    private final Transform augmentation;
    private final OptimizerSpec optimizer;
    private final BenchLog log;
    private final BenchPyTorch pytorch;

    BenchConvNet(
            RunSettings options,
            SampleDataset train,
            int rounds,
            int memoryEpochs,
            int sweepSteps,
            Transform augmentation,
            OptimizerSpec optimizer,
            BenchLog log,
            BenchPyTorch pytorch) {
        this.pytorch = pytorch;
        this.options = options;
        this.train = train;
        this.rounds = rounds;
        this.memoryEpochs = memoryEpochs;
        this.sweepSteps = sweepSteps;
        this.augmentation = augmentation;
        this.optimizer = optimizer;
        this.log = log;
    }

    Results run() {
        DataLoader plain = loader(train, null);
        DataLoader augmented = loader(train, augmentation);
        // an epoch with exactly the sweep's steps is the plain run the sweep is compared with
        boolean epochIsSweep = plain.size() == sweepSteps;
        DataLoader sweepData =
                epochIsSweep ? plain : loader(cycle(train, sweepSteps * options.batchSize()), null);
        SampleDataset warmData =
                Subset.first(train, Math.min(train.size(), WARMUP_BATCHES * options.batchSize()));
        List<BenchRawLoop.Batch> batches = hostBatches(plain);
        LrFinder finder = LrFinder.builder().steps(sweepSteps).build();
        List<BenchTiming> fit = new ArrayList<>();
        List<BenchTiming> raw = new ArrayList<>();
        List<BenchTiming> aug = new ArrayList<>();
        List<BenchTiming> alone = new ArrayList<>();
        List<Double> rss = new ArrayList<>();
        List<Double> heap = new ArrayList<>();
        List<Integer> arrays = new ArrayList<>();
        List<BenchTiming> sweep = new ArrayList<>();
        List<BenchTiming> steps = new ArrayList<>();
        List<BenchTiming> eval = new ArrayList<>();
        PyTorchRuns torch = PyTorchRuns.empty();
        log.line("warm-up: %d batches of each variant", Math.min(plain.size(), WARMUP_BATCHES));
        try (FittedModel plainFit = setUp(loader(warmData, null));
                FittedModel augFit = setUp(loader(warmData, augmentation));
                BenchRawLoop loop =
                        new BenchRawLoop(
                                ChapterConvNet.withBatchNorm(),
                                new Shape(plain.featureShape()),
                                options.seed(),
                                LR,
                                options.device())) {
            loop.run(batches.subList(0, Math.min(batches.size(), WARMUP_BATCHES)));
            drain(loader(warmData, augmentation), 1);
            plainFit.evaluate(loader(warmData, null));
            List<Runnable> variants = new ArrayList<>();
            variants.add(() -> fit.add(BenchTiming.of(() -> epoch(plainFit, plain))));
            variants.add(() -> raw.add(loop.run(batches)));
            variants.add(() -> aug.add(BenchTiming.of(() -> epoch(augFit, augmented))));
            variants.add(() -> sweep.add(sweep(finder, plainFit, sweepData)));
            variants.add(() -> eval.add(BenchTiming.of(() -> plainFit.evaluate(plain))));
            if (pytorch != null) {
                variants.add(() -> torch.train().add(pytorch.train(BenchPyTorch.Layout.NCHW)));
                variants.add(() -> torch.trainChannelsLast().add(pytorch.train(BenchPyTorch.Layout.CHANNELS_LAST)));
                variants.add(() -> torch.evaluate().add(pytorch.evaluate(BenchPyTorch.Layout.NCHW)));
                variants.add(() -> torch.evaluateChannelsLast().add(pytorch.evaluate(BenchPyTorch.Layout.CHANNELS_LAST)));
            }
            for (int r = 1; r <= rounds; r++) {
                // the variants' order rotates from round to round, so that none always runs in
                // the wake of the same other one
                for (int v = 0; v < variants.size(); v++) {
                    variants.get((v + r - 1) % variants.size()).run();
                }
                if (!epochIsSweep) {
                    steps.add(BenchTiming.of(() -> epoch(plainFit, sweepData)));
                }
                int epoch = r;
                alone.add(BenchTiming.of(() -> drain(augmented, epoch)));
                log.line(
                        "round %d/%d: fit %.2f s, raw DJL %.2f s, fit+augmentation %.2f s,"
                                + " augmentation alone %.3f s, %d plain steps %.2f s, LR finder"
                                + " %.2f s",
                        r, rounds, last(fit).wall(), last(raw).wall(), last(aug).wall(),
                        last(alone).wall(), sweepSteps, last(epochIsSweep ? fit : steps).wall(),
                        last(sweep).wall());
                log.line("round %d/%d: evaluate %.2f s", r, rounds, last(eval).wall());
                if (pytorch != null) {
                    log.line(
                            "round %d/%d: PyTorch train %.2f s, channels_last %.2f s; evaluate %.2f"
                                    + " s, channels_last %.2f s",
                            r, rounds, last(torch.train()).wall(), last(torch.trainChannelsLast()).wall(),
                            last(torch.evaluate()).wall(), last(torch.evaluateChannelsLast()).wall());
                }
            }
            // Memory is watched over one workload repeated, the way a long training run uses it:
            // readings taken after different variants differ by the allocators' caching of
            // each one's buffer sizes, tens of MiB that would pass for growth. Even then one
            // reading can catch the native allocator's free lists full or just trimmed, so each
            // epoch's figure is the median of readings spread over the epoch.
            for (int e = 1; e <= memoryEpochs; e++) {
                rss.add(residentDuring(plainFit, plain));
                heap.add(BenchMachine.heapCommittedMegabytes());
                arrays.add(liveArrays());
                log.line(
                        "memory, fit epoch %d/%d: RSS %.0f MiB (Java heap %.0f MiB, direct buffers"
                                + " %.1f MiB), %d live NDArrays",
                        e, memoryEpochs, rss.get(e - 1), heap.get(e - 1),
                        BenchMachine.directBufferMegabytes(), arrays.get(e - 1));
            }
        }
        return new Results(
                fit, raw, aug, alone, rss, heap, arrays, sweep, epochIsSweep ? fit : steps,
                plain.sampleCount(), sweepSteps, eval, torch);
    }

    /** Readings of resident memory taken during an epoch of fit. */
    static final int MEMORY_READINGS = 10;

    /**
     * Runs one epoch of {@code fit}, reading the resident memory {@link #MEMORY_READINGS} times
     * evenly over its batches and once more after a garbage collection at its end.
     *
     * @return the median reading, MiB
     */
    private double residentDuring(FittedModel model, DataLoader data) {
        List<Double> readings = new ArrayList<>();
        int every = Math.max(1, data.size() / MEMORY_READINGS);
        Callback reader =
                Callback.on(
                        Phase.TRAIN_BATCH_END,
                        ctx -> {
                            if ((ctx.batchIndex() + 1) % every == 0) {
                                readings.add(BenchMachine.residentMegabytes());
                            }
                        });
        epoch(model, data, reader);
        readings.add(BenchMachine.residentMegabytesAfterGc());
        return BenchReport.median(readings);
    }

    /** Times a sweep, scaled up to the full step count when the loss diverged before its end. */
    private BenchTiming sweep(LrFinder finder, FittedModel model, DataLoader data) {
        int[] done = new int[1];
        BenchTiming t = BenchTiming.of(() -> done[0] = finder.run(model, data).steps());
        if (done[0] == sweepSteps) {
            return t;
        }
        log.line("the LR finder stopped after %d of %d steps; its time is scaled to %d steps",
                done[0], sweepSteps, sweepSteps);
        double f = (double) sweepSteps / done[0];
        return t.scaled(f);
    }

    private FittedModel setUp(DataLoader warmUp) {
        return Luz.setup(ChapterConvNet.withBatchNorm(), Loss.softmaxCrossEntropyLoss(), optimizer)
                .device(options.device())
                .fit(FitOptions.builder(warmUp).epochs(1).seed(options.seed()).verbose(false).build());
    }

    private void epoch(FittedModel model, DataLoader data, Callback... callbacks) {
        model.fit(
                FitOptions.builder(data)
                        .epochs(1)
                        .seed(options.seed())
                        .verbose(false)
                        .callbacks(callbacks)
                        .build());
    }

    DataLoader loader(SampleDataset data, Transform transform) {
        DataLoader.Builder b =
                DataLoader.builder(data)
                        .batchSize(options.batchSize())
                        .shuffle(true)
                        .seed(options.seed())
                        .transform(transform);
        if (options.workers() != null) {
            b.workers(options.workers());
        }
        return b.build();
    }

    /** The first epoch's batches as plain arrays, built once, outside any timing. */
    private static List<BenchRawLoop.Batch> hostBatches(DataLoader loader) {
        List<BenchRawLoop.Batch> out = new ArrayList<>();
        try (BatchIterator it = loader.iterator(1)) {
            while (it.hasNext()) {
                HostBatch b = it.next();
                out.add(
                        new BenchRawLoop.Batch(
                                b.x().data(), new Shape(b.x().shape()),
                                b.y().data(), new Shape(b.y().shape())));
            }
        }
        return out;
    }

    /**
     * Counts the NDArrays open in the whole engine: every manager is a descendant of the engine's
     * root manager, which a new base manager has for parent.
     */
    private int liveArrays() {
        try (NDManager probe = NDManager.newBaseManager(options.device())) {
            return probe.getParentManager().getManagedArrays().size();
        }
    }

    /** Runs one epoch of the loader with no model; returns the samples seen. */
    static int drain(DataLoader loader, int epoch) {
        int n = 0;
        try (BatchIterator it = loader.iterator(epoch)) {
            while (it.hasNext()) {
                n += it.next().size();
            }
        }
        return n;
    }

    /** {@code n} samples cycling through {@code data}, so a sweep has exactly its steps. */
    private static SampleDataset cycle(SampleDataset data, int n) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i % data.size();
        }
        return new Subset(data, idx);
    }

    private static <T> T last(List<T> xs) {
        return xs.get(xs.size() - 1);
    }
}
