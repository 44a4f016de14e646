package io.github.luzj.examples.chapter;

import io.github.luzj.base.LuzjException;
import io.github.luzj.lrfinder.Suggestion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The chapter's {@code report.md}: a table of every experiment, the two comparisons at equal
 * epochs, and a section an experiment with the command that runs it alone and its plots.
 */
final class ChapterReport {

    /** The batch-norm comparison's plot, in the chapter's output folder. */
    static final String BATCH_NORM_PLOT = "batchnorm-comparison.png";

    /** The schedule-free comparison's plot, in the chapter's output folder. */
    static final String SCHEDULE_FREE_PLOT = "schedule-free-comparison.png";

    /**
     * One experiment of the report.
     *
     * @param title its title
     * @param folder its subfolder
     * @param args the command that runs it alone
     * @param result its result, null when it failed
     */
    record Section(String title, String folder, List<String> args, ExperimentResult result) {}

    private final Chapter.Settings settings;
    private final String dataArg;
    private final List<Section> sections;

    ChapterReport(Chapter.Settings settings, String dataArg, List<Section> sections) {
        this.settings = settings;
        this.dataArg = dataArg;
        this.sections = sections;
    }

    /**
     * The report's text; its comparison plots are written into {@code dir}, where the report goes.
     *
     * @param experiments the path from the report's folder to the experiments' folder, ending in
     *     '/', or "" when the report goes beside them
     */
    String markdown(Path dir, String experiments, double minutes, List<String> failures) {
        StringBuilder md = new StringBuilder("# Speeding up training: the chapter's experiments in luzj\n\n");
        md.append(String.format(
                Locale.ROOT,
                "Command: `java -jar luzj-examples.jar chapter%s%s --out %s --seed %d`  %n"
                        + "Data: %s. Total time: %.1f minutes on %d cores.%n%n",
                settings.quick() ? " --quick" : "",
                settings.data() != null ? " --data " + settings.data() : "",
                settings.out(),
                settings.seed(),
                dataArg == null ? "MNIST (found by the default lookup)" : dataArg,
                minutes,
                Runtime.getRuntime().availableProcessors()));
        md.append("| experiment | epochs | train images | valid accuracy | valid loss | time (s) |\n");
        md.append("|---|---|---|---|---|---|\n");
        for (Section s : sections) {
            md.append(row(s));
        }
        if (!failures.isEmpty()) {
            md.append("\nFailed: ").append(String.join(", ", failures)).append("\n");
        }
        md.append(batchNormComparison(dir));
        md.append(scheduleFreeComparison(dir));
        for (Section s : sections) {
            md.append("\n## ").append(s.title()).append("\n\n");
            md.append("`java -jar luzj-examples.jar ").append(String.join(" ", s.args())).append("`\n\n");
            md.append(s.result() instanceof TransferResult t ? pretrainingNote(t) : "");
            for (String img : List.of("history.png", "lr_finder.png", "lr.png")) {
                if (Files.exists(settings.out().resolve(s.folder()).resolve(img))) {
                    md.append("![").append(s.title()).append(" ").append(img).append("](")
                            .append(experiments).append(s.folder()).append('/').append(img)
                            .append(")\n\n");
                }
            }
        }
        return md.toString();
    }

    private static String row(Section s) {
        if (s.result() instanceof LrSweepResult sweep) {
            return String.format(
                    Locale.ROOT,
                    "| %s | %d steps | %d | (suggested lr: %s) | | %.1f |%n",
                    s.title(), sweep.finder().steps(), sweep.trainSamples(),
                    suggestions(sweep), sweep.seconds());
        }
        if (s.result() instanceof TrainedResult trained) {
            TrainingResult t = trained.training();
            return String.format(
                    Locale.ROOT,
                    "| %s | %d | %d | %.4f | %.4f | %.1f |%n",
                    s.title(), t.records().epochs(), t.trainSamples(),
                    t.validAccuracy(), t.validLoss(), t.seconds());
        }
        return "| " + s.title() + " | failed | | | | |\n";
    }

    private static String suggestions(LrSweepResult sweep) {
        List<String> parts = new ArrayList<>();
        for (Suggestion s : sweep.finder().suggestions()) {
            parts.add(String.format(Locale.ROOT, "%s %.2g", s.name(), s.lr()));
        }
        return String.join(", ", parts);
    }

    /**
     * Says where a transfer run's backbone came from when it was pretrained here rather than
     * loaded with ImageNet weights, and what the pretraining bought over a random backbone;
     * empty for a run with loaded weights.
     */
    static String pretrainingNote(TransferResult transfer) {
        PretrainResult p = transfer.pretrain();
        if (p == null) {
            return "";
        }
        StringBuilder md = new StringBuilder(String.format(
                Locale.ROOT,
                "No ImageNet weights were at hand (DJL's model zoo is out of reach offline, and no"
                        + " `--weights` was given), so the ResNet-18 backbone was pretrained here on"
                        + " %s (%s, %d images, test accuracy %.4f), then frozen.",
                p.dataset(),
                p.epochs() == 1 ? "1 epoch" : p.epochs() + " epochs",
                p.samples(),
                p.validAccuracy()));
        if (transfer.baseline() != null) {
            md.append(String.format(
                    Locale.ROOT,
                    " The same head on a randomly initialized frozen backbone reached %.4f: a"
                            + " transfer gain of %+.4f.",
                    transfer.baseline().validAccuracy(),
                    transfer.transferGain()));
        }
        return md.append("\n\n").toString();
    }

    /**
     * The first experiment's answer at equal epochs: both runs' histories side by side, and their
     * curves in one plot; empty when either run failed.
     */
    private String batchNormComparison(Path dir) {
        TrainingResult with = training("batchnorm");
        TrainingResult without = training("no-batchnorm");
        if (with == null || without == null) {
            return "";
        }
        try {
            RunComparison c = RunComparison.batchNorm(with.records(), without.records());
            c.writePlot(dir.resolve(BATCH_NORM_PLOT));
            return "\n## Batch normalization against none, epoch by epoch\n\n"
                    + "Same seed, data, augmentation and optimizer; bold marks the better run at"
                    + " each epoch.\n\n"
                    + c.table()
                    + "\n![batch norm against none](" + BATCH_NORM_PLOT + ")\n";
        } catch (LuzjException e) {
            return "\nThe batch-norm comparison could not be drawn: " + e.getMessage() + "\n";
        }
    }

    /**
     * Schedule-free AdamW at a constant rate beside one-cycle, epoch by epoch: whether the
     * schedule the chapter tunes is needed at all; empty when either run failed.
     */
    private String scheduleFreeComparison(Path dir) {
        TrainingResult oneCycle = training("one-cycle");
        TrainingResult scheduleFree = training("schedule-free");
        if (oneCycle == null || scheduleFree == null) {
            return "";
        }
        try {
            RunComparison c =
                    RunComparison.of(scheduleFree.records(), "schedule-free", oneCycle.records(), "one-cycle");
            c.writePlot(dir.resolve(SCHEDULE_FREE_PLOT));
            return "\n## Schedule-free AdamW against one-cycle, epoch by epoch\n\n"
                    + "Same seed, data, augmentation and network. One-cycle: Adam under a one-cycle"
                    + " schedule (max_lr 0.01) stepped every batch. Schedule-free: AdamW's"
                    + " schedule-free variant (Defazio et al. 2024) at the constant rate "
                    + ScheduleFreeExperiment.DEFAULT_LR + ", no scheduler and no warm-up, validated at"
                    + " its average x (batch norm's statistics recomputed there). Bold marks the"
                    + " better run at each epoch.\n\n"
                    + c.table()
                    + "\n![schedule-free against one-cycle](" + SCHEDULE_FREE_PLOT + ")\n";
        } catch (LuzjException e) {
            return "\nThe schedule-free comparison could not be drawn: " + e.getMessage() + "\n";
        }
    }

    /** The fit of the experiment in {@code folder}, null when it failed. */
    private TrainingResult training(String folder) {
        for (Section s : sections) {
            if (s.folder().equals(folder) && s.result() instanceof TrainedResult t) {
                return t.training();
            }
        }
        return null;
    }
}
