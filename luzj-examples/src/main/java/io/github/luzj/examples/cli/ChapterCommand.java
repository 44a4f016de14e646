package io.github.luzj.examples;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.luzj.LuzjException;
import io.github.luzj.data.Mnist;
import io.github.luzj.data.Split;
import io.github.luzj.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The whole chapter in one command: batch norm with and without, the LR finder, one-cycle, and
 * transfer learning, each in a subfolder of {@code --out}, gathered in {@code report.md}.
 */
@Command(
        name = "chapter",
        mixinStandardHelpOptions = true,
        description = "Run every experiment of the chapter in order and write report.md.")
final class ChapterCommand implements Callable<Integer> {

    @Option(names = "--data", paramLabel = "DIR", description = "MNIST folder or its parent (default: $LUZJ_DATA, ~/.luzj/datasets, else download).")
    String data;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "results", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--quick", description = "Small subsets, a few minutes on 2 cores; falls back to the bundled MNIST subset when no MNIST is found, and to the bundled Fashion-MNIST subset for the transfer pretraining when offline without Fashion-MNIST.")
    boolean quick;

    @Option(names = "--weights", paramLabel = "FILE_OR_DIR", description = "Pretrained ResNet-18 for the transfer experiment (as in 'transfer'); default: DJL's model zoo, else --pretrain fashion-mnist when offline.")
    Path weights;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Seed of every experiment (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--debug", description = "Show stack traces on errors.")
    boolean debug;

    static final String SCHEDULE_FREE_PLOT = "schedule-free-comparison.png";

    /** One experiment: its title, subfolder and arguments. */
    private record Step(String title, String folder, List<String> args) {}

    @Override
    public Integer call() {
        String dataArg = resolveData();
        List<Step> steps = plan(dataArg);
        List<String> failures = new ArrayList<>();
        long start = System.nanoTime();
        for (Step s : steps) {
            System.out.printf(Locale.ROOT, "%n== %s ==%n", s.title());
            List<String> args = new ArrayList<>(s.args());
            args.addAll(List.of("--out", out.resolve(s.folder()).toString(), "--seed", Long.toString(seed)));
            if (debug) {
                args.add("--debug");
            }
            int code = Main.execute(args.toArray(new String[0]));
            if (code != 0) {
                failures.add(s.title() + " (exit code " + code + ")");
            }
        }
        double minutes = (System.nanoTime() - start) / 60e9;
        AtomicFiles.writeString(out.resolve("report.md"), report(steps, dataArg, minutes, failures));
        System.out.printf(Locale.ROOT, "%nWrote %s (%.1f minutes)%n", out.resolve("report.md"), minutes);
        if (!failures.isEmpty()) {
            throw new LuzjException("some experiments failed: " + String.join(", ", failures) + "; see their errors above");
        }
        return 0;
    }

    private String resolveData() {
        if (data != null || !quick) {
            return data;
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

    private List<Step> plan(String dataArg) {
        List<String> d = dataArg == null ? List.of() : List.of("--data", dataArg);
        // Quick still needs ~160 batches: fewer leave BatchNorm's running statistics (momentum
        // 0.1) too near their initial values for validation to say anything.
        String epochs = quick ? "2" : "5";
        List<String> limits = quick ? List.of("--limit", "10000", "--valid-limit", "2000") : List.of();
        List<Step> steps = new ArrayList<>();
        steps.add(new Step("Batch normalization", "batchnorm", concat(List.of("batchnorm", "--epochs", epochs), d, limits)));
        steps.add(new Step("Without batch normalization", "no-batchnorm", concat(List.of("batchnorm", "--no-batchnorm", "--epochs", epochs), d, limits)));
        steps.add(new Step("Learning rate finder", "lr-finder", concat(List.of("lr-finder", "--start-lr", "1e-4", "--end-lr", "0.3"), d, quick ? List.of("--limit", "6000") : List.of())));
        steps.add(new Step("One-cycle learning rate", "one-cycle", concat(List.of("one-cycle", "--max-lr", "0.01", "--epochs", quick ? "2" : "5"), d, limits)));
        steps.add(new Step("Schedule-free AdamW, no schedule", "schedule-free", concat(List.of("schedule-free", "--lr", ScheduleFreeCommand.DEFAULT_LR, "--epochs", quick ? "2" : "5"), d, limits)));
        steps.add(new Step("Transfer learning", "transfer", concat(transferArgs(epochs), d, quick ? List.of("--limit", "5000", "--valid-limit", "2000") : List.of())));
        return steps;
    }

    private List<String> transferArgs(String epochs) {
        List<String> a = new ArrayList<>(List.of("transfer", "--epochs", epochs));
        if (weights != null) {
            a.addAll(List.of("--weights", weights.toString()));
        } else if (!zooReachable()) {
            boolean installed = fashionMnistFound();
            System.out.println(
                    "DJL's model zoo is out of reach (offline): the transfer experiment pretrains its"
                            + " ResNet-18 on Fashion-MNIST instead of using ImageNet weights"
                            + (installed ? "." : ", the 6,000-image subset bundled in the jar (install"
                                    + " dataset-fashion-mnist for all 60,000)."));
            a.addAll(List.of("--pretrain", "fashion-mnist"));
            if (!installed) {
                a.addAll(List.of("--pretrain-data", "bundled"));
            }
            if (quick) {
                a.addAll(List.of("--pretrain-epochs", "1", "--pretrain-limit", "10000"));
            }
        }
        return a;
    }

    private static boolean fashionMnistFound() {
        try {
            io.github.luzj.data.FashionMnist.source().download(false).build().load(Split.TEST);
            return true;
        } catch (LuzjException e) {
            return false;
        }
    }

    private static boolean zooReachable() {
        try (var ts = io.github.luzj.vision.Transfer.zooResNet18Embedding(10, ai.djl.Device.cpu())) {
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

    private String report(List<Step> steps, String dataArg, double minutes, List<String> failures) {
        // each step's summary.json, read once: the table, the comparison and the sections use it
        Map<String, JsonObject> summaries = new HashMap<>();
        for (Step s : steps) {
            summaries.put(s.folder(), summary(s.folder()));
        }
        StringBuilder md = new StringBuilder("# Speeding up training: the chapter's experiments in luzj\n\n");
        md.append(String.format(
                Locale.ROOT,
                "Command: `java -jar luzj-examples.jar chapter%s%s --out %s --seed %d`  %n"
                        + "Data: %s. Total time: %.1f minutes on %d cores.%n%n",
                quick ? " --quick" : "",
                data != null ? " --data " + data : "",
                out,
                seed,
                dataArg == null ? "MNIST (found by the default lookup)" : dataArg,
                minutes,
                Runtime.getRuntime().availableProcessors()));
        md.append("| experiment | epochs | train images | valid accuracy | valid loss | time (s) |\n");
        md.append("|---|---|---|---|---|---|\n");
        for (Step s : steps) {
            JsonObject sum = summaries.get(s.folder());
            if (sum == null) {
                md.append("| ").append(s.title()).append(" | failed | | | | |\n");
                continue;
            }
            if (s.folder().equals("lr-finder")) {
                md.append(String.format(
                        Locale.ROOT,
                        "| %s | %d steps | %s | (suggested lr: %s) | | %.1f |%n",
                        s.title(), num(sum, "steps_run").intValue(), str(sum, "train_samples"),
                        suggestions(sum), num(sum, "seconds").doubleValue()));
                continue;
            }
            double seconds = 0;
            for (JsonElement e : sum.getAsJsonArray("epoch_seconds")) {
                seconds += e.getAsDouble();
            }
            md.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %s | %.4f | %.4f | %.1f |%n",
                    s.title(), str(sum, "epochs"), str(sum, "train_samples"),
                    num(sum, "valid_accuracy").doubleValue(), num(sum, "valid_loss").doubleValue(), seconds));
        }
        if (!failures.isEmpty()) {
            md.append("\nFailed: ").append(String.join(", ", failures)).append("\n");
        }
        md.append(batchNormComparison(summaries));
        md.append(scheduleFreeComparison(summaries));
        for (Step s : steps) {
            md.append("\n## ").append(s.title()).append("\n\n");
            md.append("`java -jar luzj-examples.jar ").append(String.join(" ", s.args())).append("`\n\n");
            md.append(pretrainingNote(summaries.get(s.folder())));
            for (String img : List.of("history.png", "lr_finder.png", "lr.png")) {
                if (Files.exists(out.resolve(s.folder()).resolve(img))) {
                    md.append("![").append(s.title()).append(" ").append(img).append("](")
                            .append(s.folder()).append('/').append(img).append(")\n\n");
                }
            }
        }
        return md.toString();
    }

    /**
     * Says where a transfer run's backbone came from when it was pretrained here rather than
     * loaded with ImageNet weights, and what the pretraining bought over a random backbone;
     * empty for any other run.
     */
    static String pretrainingNote(JsonObject summary) {
        if (summary == null || !summary.has("pretrain")) {
            return "";
        }
        JsonObject p = summary.getAsJsonObject("pretrain");
        StringBuilder md = new StringBuilder(String.format(
                Locale.ROOT,
                "No ImageNet weights were at hand (DJL's model zoo is out of reach offline, and no"
                        + " `--weights` was given), so the ResNet-18 backbone was pretrained here on"
                        + " %s (%s, %s images, test accuracy %.4f), then frozen.",
                str(p, "dataset"),
                "1".equals(str(p, "epochs")) ? "1 epoch" : str(p, "epochs") + " epochs",
                str(p, "samples"),
                num(p, "valid_accuracy").doubleValue()));
        if (summary.has("baseline_random_backbone")) {
            md.append(String.format(
                    Locale.ROOT,
                    " The same head on a randomly initialized frozen backbone reached %.4f: a"
                            + " transfer gain of %+.4f.",
                    num(summary.getAsJsonObject("baseline_random_backbone"), "valid_accuracy").doubleValue(),
                    num(summary, "transfer_gain").doubleValue()));
        }
        return md.append("\n\n").toString();
    }

    /**
     * The first experiment's answer at equal epochs: both runs' histories side by side, and their
     * curves in one plot; empty when either run failed.
     */
    private String batchNormComparison(Map<String, JsonObject> summaries) {
        if (summaries.get("batchnorm") == null || summaries.get("no-batchnorm") == null) {
            return "";
        }
        try {
            BatchNormComparison c =
                    BatchNormComparison.read(out.resolve("batchnorm"), out.resolve("no-batchnorm"));
            c.writePlot(out.resolve(BatchNormComparison.PLOT));
            return "\n## Batch normalization against none, epoch by epoch\n\n"
                    + "Same seed, data, augmentation and optimizer; bold marks the better run at"
                    + " each epoch.\n\n"
                    + c.table()
                    + "\n![batch norm against none](" + BatchNormComparison.PLOT + ")\n";
        } catch (LuzjException e) {
            return "\nThe batch-norm comparison could not be drawn: " + e.getMessage() + "\n";
        }
    }

    /**
     * Schedule-free AdamW at a constant rate beside one-cycle, epoch by epoch: whether the
     * schedule the chapter tunes is needed at all; empty when either run failed.
     */
    private String scheduleFreeComparison(Map<String, JsonObject> summaries) {
        if (summaries.get("one-cycle") == null || summaries.get("schedule-free") == null) {
            return "";
        }
        try {
            BatchNormComparison c =
                    BatchNormComparison.read(
                            out.resolve("schedule-free"), "schedule-free",
                            out.resolve("one-cycle"), "one-cycle");
            c.writePlot(out.resolve(SCHEDULE_FREE_PLOT));
            return "\n## Schedule-free AdamW against one-cycle, epoch by epoch\n\n"
                    + "Same seed, data, augmentation and network. One-cycle: Adam under a one-cycle"
                    + " schedule (max_lr 0.01) stepped every batch. Schedule-free: AdamW's"
                    + " schedule-free variant (Defazio et al. 2024) at the constant rate "
                    + ScheduleFreeCommand.DEFAULT_LR + ", no scheduler and no warm-up, validated at"
                    + " its average x (batch norm's statistics recomputed there). Bold marks the"
                    + " better run at each epoch.\n\n"
                    + c.table()
                    + "\n![schedule-free against one-cycle](" + SCHEDULE_FREE_PLOT + ")\n";
        } catch (LuzjException e) {
            return "\nThe schedule-free comparison could not be drawn: " + e.getMessage() + "\n";
        }
    }

    private JsonObject summary(String folder) {
        Path f = out.resolve(folder).resolve("summary.json");
        try {
            return Files.exists(f)
                    ? JsonParser.parseString(Files.readString(f, StandardCharsets.UTF_8)).getAsJsonObject()
                    : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static Number num(JsonObject o, String key) {
        return o.has(key) && !o.get(key).isJsonNull() ? o.get(key).getAsNumber() : Double.NaN;
    }

    private static String str(JsonObject o, String key) {
        return o.has(key) ? o.get(key).getAsString() : "";
    }

    private static String suggestions(JsonObject sum) {
        List<String> parts = new ArrayList<>();
        sum.getAsJsonObject("suggestions")
                .entrySet()
                .forEach(e -> parts.add(String.format(Locale.ROOT, "%s %.2g", e.getKey(), e.getValue().getAsDouble())));
        return String.join(", ", parts);
    }
}
