package io.github.luzj.examples.chapter;

import ai.djl.Device;
import io.github.luzj.base.AtomicFiles;
import io.github.luzj.base.LuzjException;
import io.github.luzj.base.OutputSet;
import io.github.luzj.data.FashionMnist;
import io.github.luzj.data.Mnist;
import io.github.luzj.data.Split;
import io.github.luzj.transfer.Transfer;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The whole chapter in one run: batch norm with and without, the LR finder, one-cycle,
 * schedule-free AdamW and transfer learning, each written into a subfolder of the output folder
 * as its command writes it, then gathered in {@code report.md}. An experiment that fails is
 * reported and the others still run.
 */
public final class Chapter {

    /**
     * The chapter's settings.
     *
     * @param data the MNIST folder, {@code bundled}, {@code djl}, or null for the default lookup
     * @param out the output folder
     * @param quick small subsets, a few minutes on 2 cores
     * @param weights the pretrained ResNet-18 for the transfer, null for DJL's model zoo, else
     *     pretraining on Fashion-MNIST when offline
     * @param seed the seed of every experiment
     * @param debug print a failed experiment's stack trace
     */
    public record Settings(String data, Path out, boolean quick, Path weights, long seed, boolean debug) {}

    /** One experiment: its title, subfolder, the command that runs it alone, and the run. */
    private record Step(
            String title, String folder, List<String> args, Supplier<ExperimentResult> experiment) {}

    private final Settings settings;

    private Chapter(Settings settings) {
        this.settings = settings;
    }

    /**
     * Runs every experiment in order and writes {@code report.md}.
     *
     * @param settings the chapter's settings
     * @throws LuzjException when some experiment failed, after the report is written
     */
    public static void run(Settings settings) {
        new Chapter(settings).run();
    }

    private void run() {
        Path out = settings.out();
        String dataArg = resolveData();
        List<Step> steps = plan(dataArg);
        Map<String, ExperimentResult> results = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        long start = System.nanoTime();
        for (Step s : steps) {
            System.out.printf(Locale.ROOT, "%n== %s ==%n", s.title());
            int code = runStep(s, results);
            if (code != 0) {
                failures.add(s.title() + " (exit code " + code + ")");
            }
        }
        double minutes = (System.nanoTime() - start) / 60e9;
        List<ChapterReport.Section> sections = new ArrayList<>();
        for (Step s : steps) {
            sections.add(new ChapterReport.Section(s.title(), s.folder(), s.args(), results.get(s.folder())));
        }
        ChapterReport report = new ChapterReport(settings, dataArg, sections);
        // through OutputSet, like each experiment's files: a report.md of the user's is not replaced
        try {
            OutputSet.write(out, stage -> Files.writeString(
                    stage.resolve("report.md"), report.markdown(stage, "", minutes, failures),
                    StandardCharsets.UTF_8));
        } catch (OutputSet.KeptAside e) {
            // the report went beside --out: its links to the experiments start from there
            Path kept = e.kept();
            String experiments = kept.relativize(out.toAbsolutePath().normalize()) + "/";
            try {
                AtomicFiles.writeString(kept.resolve("report.md"),
                        report.markdown(kept, experiments, minutes, failures));
            } catch (RuntimeException again) {
                e.addSuppressed(again); // the report stays as written, its links from --out
            }
            throw e;
        }
        System.out.printf(Locale.ROOT, "%nWrote %s (%.1f minutes)%n", out.resolve("report.md"), minutes);
        if (!failures.isEmpty()) {
            throw new LuzjException("some experiments failed: " + String.join(", ", failures) + "; see their errors above");
        }
    }

    /** Runs one experiment and writes its files; returns its exit code as its command's. */
    private int runStep(Step s, Map<String, ExperimentResult> results) {
        Path dir = settings.out().resolve(s.folder());
        try {
            OutputSet.checkWritable(dir, "--out");
            ExperimentResult result = s.experiment().get();
            if (result == null) {
                System.err.println("Pretraining was interrupted; no weights were written.");
                return 130;
            }
            OutputSet.write(dir, result::write);
            results.put(s.folder(), result);
            System.out.println("Wrote " + dir.resolve("summary.json"));
            return result.interrupted() ? 130 : 0;
        } catch (RuntimeException e) {
            return ErrorReport.print(e, settings.debug(), new PrintWriter(System.err, true));
        }
    }

    private String resolveData() {
        if (settings.data() != null || !settings.quick()) {
            return settings.data();
        }
        try {
            Mnist.source().download(false).build().load(Split.TEST);
            return null;
        } catch (LuzjException e) {
            System.out.println(
                    "No MNIST found ($LUZJ_DATA, ~/.luzj/datasets): --quick uses the 6,000/1,000-image"
                            + " subset bundled in the jar.");
            return "bundled";
        }
    }

    /** The runs' common settings: the CLI's defaults, no checkpoints, the data and limits given. */
    private RunSettings runs(String dataArg, Integer limit, Integer validLimit) {
        return new RunSettings(
                dataArg, limit, validLimit, Integer.parseInt(RunSettings.DEFAULT_BATCH_SIZE), settings.seed(), null,
                null, false, Checkpointing.NONE, null);
    }

    private List<Step> plan(String dataArg) {
        boolean quick = settings.quick();
        List<String> d = dataArg == null ? List.of() : List.of("--data", dataArg);
        // Quick still needs ~160 batches: fewer leave BatchNorm's running statistics (momentum
        // 0.1) too near their initial values for validation to say anything.
        int epochs = quick ? 2 : 5;
        String e = Integer.toString(epochs);
        List<String> limits = quick ? List.of("--limit", "10000", "--valid-limit", "2000") : List.of();
        RunSettings limited = quick ? runs(dataArg, 10000, 2000) : runs(dataArg, null, null);
        double adamLr = Double.parseDouble(BatchNormExperiment.DEFAULT_LR);
        double freeLr = Double.parseDouble(ScheduleFreeExperiment.DEFAULT_LR);
        List<Step> steps = new ArrayList<>();
        steps.add(new Step("Batch normalization", "batchnorm",
                concat(List.of("batchnorm", "--epochs", e), d, limits),
                () -> BatchNormExperiment.run(limited, epochs, adamLr, BatchNormExperiment.Layers.WITH_BATCH_NORM)));
        steps.add(new Step("Without batch normalization", "no-batchnorm",
                concat(List.of("batchnorm", "--no-batchnorm", "--epochs", e), d, limits),
                () -> BatchNormExperiment.run(limited, epochs, adamLr, BatchNormExperiment.Layers.WITHOUT_BATCH_NORM)));
        steps.add(new Step("Learning rate finder", "lr-finder",
                concat(List.of("lr-finder", "--start-lr", "1e-4", "--end-lr", "0.3"), d, quick ? List.of("--limit", "6000") : List.of()),
                () -> LrFinderExperiment.run(
                        runs(dataArg, quick ? 6000 : null, null),
                        new LrFinderExperiment.Sweep(1e-4, 0.3, Integer.parseInt(LrFinderExperiment.DEFAULT_STEPS),
                                Double.parseDouble(LrFinderExperiment.DEFAULT_BETA), true, false))));
        steps.add(new Step("One-cycle learning rate", "one-cycle",
                concat(List.of("one-cycle", "--max-lr", "0.01", "--epochs", e), d, limits),
                () -> OneCycleExperiment.run(limited, epochs, 0.01)));
        steps.add(new Step("Schedule-free AdamW, no schedule", "schedule-free",
                concat(List.of("schedule-free", "--lr", ScheduleFreeExperiment.DEFAULT_LR, "--epochs", e), d, limits),
                () -> ScheduleFreeExperiment.run(limited, epochs, freeLr, 0, 0)));
        List<String> transferArgs = new ArrayList<>(List.of("transfer", "--epochs", e));
        TransferSettings transfer = transfer(epochs, transferArgs);
        RunSettings transferRuns = quick ? runs(dataArg, 5000, 2000) : runs(dataArg, null, null);
        steps.add(new Step("Transfer learning", "transfer",
                concat(transferArgs, d, quick ? List.of("--limit", "5000", "--valid-limit", "2000") : List.of()),
                () -> TransferExperiment.run(transferRuns, transfer, settings.out().resolve("transfer")).orElse(null)));
        return steps;
    }

    /** The transfer's settings; adds their options to {@code args}, the command shown. */
    private TransferSettings transfer(int epochs, List<String> args) {
        PretrainSettings pretrain = null;
        if (settings.weights() != null) {
            args.addAll(List.of("--weights", settings.weights().toString()));
        } else if (!zooReachable()) {
            boolean installed = fashionMnistFound();
            System.out.println(
                    "DJL's model zoo is out of reach (offline): the transfer experiment pretrains its"
                            + " ResNet-18 on Fashion-MNIST instead of using ImageNet weights"
                            + (installed ? "." : ", the 6,000-image subset bundled in the jar (install"
                                    + " dataset-fashion-mnist for all 60,000)."));
            args.addAll(List.of("--pretrain", PretrainSettings.FASHION_MNIST));
            if (!installed) {
                args.addAll(List.of("--pretrain-data", "bundled"));
            }
            if (settings.quick()) {
                args.addAll(List.of("--pretrain-epochs", "1", "--pretrain-limit", "10000"));
            }
            pretrain = new PretrainSettings(
                    PretrainSettings.FASHION_MNIST,
                    settings.quick() ? 1 : PretrainSettings.DEFAULT_EPOCHS,
                    settings.quick() ? 10000 : null,
                    installed ? null : Path.of("bundled"));
        }
        return new TransferSettings(
                settings.weights(), epochs, Double.parseDouble(TransferExperiment.DEFAULT_LR), 0,
                Double.parseDouble(TransferExperiment.DEFAULT_BACKBONE_LR_FACTOR), false, pretrain);
    }

    private static boolean fashionMnistFound() {
        try {
            FashionMnist.source().download(false).build().load(Split.TEST);
            return true;
        } catch (LuzjException e) {
            return false;
        }
    }

    private static boolean zooReachable() {
        try (var ts = Transfer.zooResNet18Embedding(10, Device.cpu())) {
            return true;
        } catch (LuzjException e) {
            return false;
        }
    }

    @SafeVarargs
    private static List<String> concat(List<String>... parts) {
        List<String> all = new ArrayList<>();
        for (List<String> p : parts) {
            all.addAll(p);
        }
        return all;
    }
}
