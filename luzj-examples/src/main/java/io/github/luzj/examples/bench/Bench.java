package io.github.luzj.examples.bench;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import io.github.luzj.data.DataLoader;
import io.github.luzj.data.SampleDataset;
import io.github.luzj.examples.bench.BenchReport.Target;
import io.github.luzj.examples.chapter.ChapterData;
import io.github.luzj.examples.chapter.RunSettings;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Measures luzj on this machine: the chapter's convnet under {@code fit} against a hand-written
 * DJL loop, the cost of augmentation, of the LR finder and of memory, and frozen against
 * trainable ResNet-18 epochs, and plain PyTorch in the same rounds when it is installed
 * ({@link BenchPyTorch}), each figure with its target. Every figure is the median of the
 * rounds taken after a warm-up, the variants alternating within each round.
 * {@code docs/performance.md} explains the figures and keeps the latest table.
 */
public final class Bench {

    /**
     * What to measure.
     *
     * @param run the data, batch size, seed, workers, device and quiet
     * @param rounds epochs of each variant, whose median is reported
     * @param memoryEpochs epochs of plain fit after the rounds, resident memory read after each
     * @param lrSteps steps of the LR finder's sweep, and of the plain training it is compared with
     * @param resnetSamples images per ResNet-18 epoch, at least the batch size
     * @param weights torchvision resnet18 weights, null for the fixture's or random ones
     * @param fused train the convnets with the fused Adam instead of PyTorch's exact one
     * @param threads the engine's intra-op threads for this run, null for DJL's
     * @param python the Python that runs plain PyTorch beside luzj, null to look for one
     * @param noPyTorch skip the side-by-side with plain PyTorch
     */
    public record Settings(
            RunSettings run,
            int rounds,
            int memoryEpochs,
            int lrSteps,
            int resnetSamples,
            Path weights,
            boolean fused,
            Integer threads,
            String python,
            boolean noPyTorch) {}

    private final Settings settings;
    private final RunSettings common;

    private Bench(Settings settings) {
        this.settings = settings;
        this.common = settings.run();
    }

    /**
     * Measures everything.
     *
     * @param settings what to measure
     * @return the figures and ratios, for {@code bench.json} and the table
     */
    public static BenchReport run(Settings settings) {
        Engine.getInstance(); // loads the native library JniUtils calls into
        int before = JniUtils.getNumThreads();
        if (settings.threads() != null) {
            JniUtils.setNumThreads(settings.threads());
        }
        try {
            return new Bench(settings).measure();
        } finally {
            JniUtils.setNumThreads(before); // the caller's engine, as it was (tests run in one JVM)
        }
    }

    private BenchReport measure() {
        int epochs = settings.rounds();
        Path weightFile = BenchResNet.locateWeights(settings.weights());
        BenchLog log = new BenchLog(common.quiet());
        double[] loadBefore = BenchMachine.loadAverage();
        SampleDataset train = ChapterData.load(common).train();

        BenchOptimizer.Results o = new BenchOptimizer(common).run(epochs);
        log.line(
                "Adam step: luzj exact %.2f ms, luzj fused %.2f ms, DJL %.2f ms (medians)",
                median(o.exact()), median(o.fused()), median(o.djl()));
        String pytorchVersion;
        BenchConvNet convnet;
        BenchConvNet.Results c;
        try (BenchPyTorch pytorch = startPyTorch(train, log)) {
            pytorchVersion = pytorch == null ? null : pytorch.version();
            convnet =
                    new BenchConvNet(
                            common,
                            train,
                            epochs,
                            settings.memoryEpochs(),
                            settings.lrSteps(),
                            ChapterData.augmentation(),
                            BenchConvNet.adam(settings.fused()),
                            log,
                            pytorch);
            c = convnet.run();
        }
        BenchResNet.Results r =
                new BenchResNet(common, epochs, weightFile, log).run(train, settings.resnetSamples());
        double[] loadAfter = BenchMachine.loadAverage();

        BenchReport report = new BenchReport();
        describe(report, convnet.loader(train, null), r, loadBefore, loadAfter);
        report.json().put("pytorch", pytorchVersion != null ? pytorchVersion : "skipped: " + pytorchSkipped);
        addFigures(report, o, c, r);
        addPageFaults(report, c, convnet.loader(train, null).size());
        addRatios(report, c, r);
        report.ratio("adam_exact_vs_djl", "Adam step, luzj exact / DJL", paired(o.exact(), o.djl()), Target.atMost(1.2));
        if (pytorchVersion != null) {
            addPyTorch(report, c);
        }
        return report;
    }

    /** Why PyTorch was skipped, when it was. */
    private String pytorchSkipped;

    /** Starts the PyTorch worker, or says why not and returns null. */
    private BenchPyTorch startPyTorch(SampleDataset train, BenchLog log) {
        if (settings.noPyTorch() || "none".equals(settings.python())) {
            pytorchSkipped = "--no-pytorch";
            return null;
        }
        try {
            BenchPyTorch p =
                    BenchPyTorch.start(
                            settings.python(), train, common.batchSize(), common.seed(), JniUtils.getNumThreads(),
                            JniUtils.getNumInteropThreads(), BenchConvNet.WARMUP_BATCHES);
            log.line("PyTorch %s runs beside luzj, in the same rounds", p.version());
            return p;
        } catch (BenchPyTorch.Unavailable e) {
            pytorchSkipped = e.getMessage();
            System.err.println("note: PyTorch figures skipped: " + e.getMessage());
            return null;
        }
    }

    /** PyTorch's figures, and luzj's against them, each ratio the median of the rounds' own. */
    private static void addPyTorch(BenchReport report, BenchConvNet.Results c) {
        int n = c.samples();
        BenchConvNet.PyTorchRuns t = c.pytorch();
        report.figure("pytorch_samples_per_second", "PyTorch train, NCHW", "samples/s", perSecond(n, t.train()), List.of())
                .figure("pytorch_channels_last_samples_per_second", "PyTorch train, channels_last", "samples/s", perSecond(n, t.trainChannelsLast()), List.of())
                .figure("pytorch_evaluate_samples_per_second", "PyTorch evaluate, NCHW", "samples/s", perSecond(n, t.evaluate()), List.of())
                .figure("pytorch_channels_last_evaluate_samples_per_second", "PyTorch evaluate, channels_last", "samples/s", perSecond(n, t.evaluateChannelsLast()), List.of());
        List<Double> fit = walls(c.fit());
        List<Double> eval = walls(c.evaluate());
        report.ratio("fit_vs_pytorch", "fit / PyTorch NCHW", paired(walls(t.train()), fit), Target.atLeast(1.15))
                .ratio("fit_vs_pytorch_channels_last", "fit / PyTorch channels_last", paired(walls(t.trainChannelsLast()), fit), Target.atLeast(1.0))
                .ratio("evaluate_vs_pytorch", "evaluate / PyTorch NCHW", paired(walls(t.evaluate()), eval), Target.atLeast(1.0))
                .ratio("evaluate_vs_pytorch_channels_last", "evaluate / PyTorch channels_last", paired(walls(t.evaluateChannelsLast()), eval), Target.atLeast(1.0));
    }

    private void describe(
            BenchReport report,
            DataLoader plain,
            BenchResNet.Results r,
            double[] loadBefore,
            double[] loadAfter) {
        report.json()
                .put("command", "bench")
                .put("nproc", Runtime.getRuntime().availableProcessors())
                .put("cpu", BenchMachine.cpuModel())
                .put("load_before", toList(loadBefore))
                .put("load_after", toList(loadAfter))
                .put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"))
                .put("device", common.device().toString())
                .put("intra_op_threads", JniUtils.getNumThreads())
                .put("interop_threads", JniUtils.getNumInteropThreads())
                .put("loader_workers", plain.workers())
                .put("train_samples", plain.sampleCount())
                .put("batch_size", common.batchSize())
                .put("rounds", settings.rounds())
                .put("memory_epochs", settings.memoryEpochs())
                .put("warmup_batches", BenchConvNet.WARMUP_BATCHES)
                .put("seed", common.seed())
                .put("optimizer", BenchConvNet.adam(settings.fused()).toString())
                .put("lr_steps", settings.lrSteps())
                .put("resnet_samples", r.samples())
                .put("resnet_weights", r.weights())
                .put("allocator_env", allocatorEnvironment())
                .put("jvm_options", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
    }

    /**
     * The environment variables that change the native allocator (bin/luzj sets the first three),
     * "unset" for those not set: the page faults and the speed depend on them.
     */
    private static String allocatorEnvironment() {
        List<String> out = new ArrayList<>();
        for (String name : List.of("MALLOC_ARENA_MAX", "MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "GLIBC_TUNABLES", "LD_PRELOAD")) {
            String v = System.getenv(name);
            out.add(name + "=" + (v == null ? "unset" : v));
        }
        return String.join(" ", out);
    }

    private static void addFigures(
            BenchReport report,
            BenchOptimizer.Results o,
            BenchConvNet.Results c,
            BenchResNet.Results r) {
        int n = c.samples();
        report.figure("fit_samples_per_second", "fit, no augmentation", "samples/s", perSecond(n, c.fit()), cpus(c.fit()))
                .figure("raw_djl_samples_per_second", "plain DJL loop", "samples/s", perSecond(n, c.raw()), cpus(c.raw()))
                .figure("augmented_samples_per_second", "fit, random affine", "samples/s", perSecond(n, c.augmented()), cpus(c.augmented()))
                .figure("augmentation_images_per_second", "augmentation alone", "images/s", perSecond(n, c.augmentationOnly()), cpus(c.augmentationOnly()))
                .figure("evaluate_samples_per_second", "evaluate", "samples/s", perSecond(n, c.evaluate()), cpus(c.evaluate()))
                .figure("steps_seconds", c.sweepSteps() + " plain training steps", "s", walls(c.steps()), cpus(c.steps()))
                .figure("lrfinder_seconds", "LR finder, " + c.sweepSteps() + " steps", "s", walls(c.lrFinder()), cpus(c.lrFinder()))
                .figure("resnet_frozen_epoch_seconds", "ResNet-18 frozen epoch", "s", walls(r.frozen()), cpus(r.frozen()))
                .figure("resnet_trainable_epoch_seconds", "ResNet-18 trainable epoch", "s", walls(r.trainable()), cpus(r.trainable()))
                .figure("adam_step_ms_exact", "Adam step, luzj exact", "ms", o.exact(), List.of())
                .figure("adam_step_ms_fused", "Adam step, luzj fused", "ms", o.fused(), List.of())
                .figure("adam_step_ms_djl", "Adam step, DJL", "ms", o.djl(), List.of());
        report.json()
                .put("rss_mb_after_epoch", c.residentMb())
                .put("rss_warmup_growth", warmUpGrowth(c.residentMb()))
                .put("java_heap_committed_mb_after_epoch", c.heapMb())
                .put("live_ndarrays_after_epoch", c.liveArrays());
    }

    /**
     * Each ratio is the median over the rounds of that round's ratio: the two variants of a pair
     * ran back to back in the same round, so a change in the machine's speed from one round to
     * the next, which on a shared machine is often larger than the effect measured, cancels out.
     */
    private static void addRatios(BenchReport report, BenchConvNet.Results c, BenchResNet.Results r) {
        List<Double> fit = walls(c.fit());
        report.ratio("fit_vs_raw", "fit / plain DJL", paired(walls(c.raw()), fit), Target.atLeast(0.97))
                .ratio("augmented_vs_plain", "augmented / plain fit", paired(fit, walls(c.augmented())), Target.atLeast(0.95))
                .ratio("augmentation_vs_training", "augmentation alone / fit", paired(fit, walls(c.augmentationOnly())), Target.atLeast(20))
                .ratio("lrfinder_vs_steps", "LR finder / plain steps", paired(walls(c.lrFinder()), walls(c.steps())), Target.atMost(1.05))
                .ratio("rss_growth_per_epoch", "RSS growth per fit epoch after the first", growthPerEpoch(c.residentMb()), Target.below(0.01))
                .ratio("ndarray_growth_per_epoch", "open NDArrays added per fit epoch", arrayGrowthPerEpoch(c.liveArrays()), Target.atMost(0))
                .ratio("frozen_vs_trainable", "frozen / trainable ResNet epoch", paired(walls(r.frozen()), walls(r.trainable())), Target.atMost(0.5));
    }

    /**
     * The median over rounds of {@code numerator[i] / denominator[i]}.
     *
     * @param numerator one value per round
     * @param denominator one value per round, as many
     * @return the median ratio
     */
    static double paired(List<Double> numerator, List<Double> denominator) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < Math.min(numerator.size(), denominator.size()); i++) {
            ratios.add(numerator.get(i) / denominator.get(i));
        }
        return median(ratios);
    }

    /**
     * The relative growth per epoch after the first: the least-squares slope of the resident
     * memory from the second reading on, divided by the second reading. The first epoch is left
     * out because it is the memory's warm-up (the allocators' pools fill once); the slope weighs
     * every later reading, so one reading caught high or low by the allocator moves it less than
     * a last-minus-first difference. NaN with fewer than three readings.
     *
     * @param residentMb resident memory after each epoch
     * @return the growth per epoch, 0.01 for 1%
     */
    static double growthPerEpoch(List<Double> residentMb) {
        if (residentMb.size() < 3 || residentMb.get(1) <= 0) {
            return Double.NaN;
        }
        List<Double> judged = residentMb.subList(1, residentMb.size());
        int n = judged.size();
        double meanX = (n - 1) / 2.0;
        double meanY = judged.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double cov = 0;
        double var = 0;
        for (int i = 0; i < n; i++) {
            cov += (i - meanX) * (judged.get(i) - meanY);
            var += (i - meanX) * (i - meanX);
        }
        return cov / var / judged.get(0);
    }

    /**
     * The NDArrays left open per epoch: an exact count, with no allocator's caching to blur it, so
     * anything above zero is a leak (an array a batch makes that outlives it).
     *
     * @param liveArrays the engine's open NDArrays after each epoch
     * @return the mean growth per epoch, NaN with one reading
     */
    static double arrayGrowthPerEpoch(List<Integer> liveArrays) {
        if (liveArrays.size() < 2) {
            return Double.NaN;
        }
        return (double) (liveArrays.get(liveArrays.size() - 1) - liveArrays.get(0)) / (liveArrays.size() - 1);
    }

    /**
     * The growth from the first epoch's reading to the second, the memory's warm-up; reported,
     * not judged.
     *
     * @param residentMb resident memory after each epoch
     * @return the relative growth, NaN with one reading
     */
    static double warmUpGrowth(List<Double> residentMb) {
        if (residentMb.size() < 2 || residentMb.get(0) <= 0) {
            return Double.NaN;
        }
        return (residentMb.get(1) - residentMb.get(0)) / residentMb.get(0);
    }

    /**
     * The minor page faults per batch of fit and of the plain DJL loop: how many freshly mapped
     * pages the native allocator had the kernel zero, a count no other process's load changes
     * (see docs/performance.md on the allocator). Left out where /proc cannot tell.
     */
    private static void addPageFaults(BenchReport report, BenchConvNet.Results c, int batches) {
        List<Double> fit = perBatch(batches, c.fit());
        if (fit.stream().anyMatch(f -> f.isNaN())) {
            return;
        }
        report.figure("fit_page_faults_per_batch", "fit, minor page faults", "per batch", fit, List.of())
                .figure("raw_page_faults_per_batch", "plain DJL loop, minor page faults", "per batch", perBatch(batches, c.raw()), List.of());
    }

    private static List<Double> perBatch(int batches, List<BenchTiming> runs) {
        return BenchTiming.pageFaults(runs).stream().map(f -> f / batches).toList();
    }

    private static List<Double> perSecond(int samples, List<BenchTiming> runs) {
        return runs.stream().map(t -> samples / t.wall()).toList();
    }

    private static List<Double> walls(List<BenchTiming> runs) {
        return BenchTiming.walls(runs);
    }

    private static List<Double> cpus(List<BenchTiming> runs) {
        return BenchTiming.cpus(runs);
    }

    private static double median(List<Double> values) {
        return BenchReport.median(values);
    }

    private static List<Double> toList(double[] values) {
        List<Double> out = new ArrayList<>();
        for (double v : values) {
            out.add(v);
        }
        return out;
    }
}
