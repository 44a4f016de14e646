package io.github.luzj.examples.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import io.github.luzj.base.AtomicFiles;
import io.github.luzj.base.Checks;
import io.github.luzj.base.InputFiles;
import io.github.luzj.base.JsonText;
import io.github.luzj.base.LuzjException;
import io.github.luzj.base.OutputSet;
import io.github.luzj.callbacks.lr.ScheduleCase;
import io.github.luzj.callbacks.lr.ScheduleSpecs;
import io.github.luzj.record.Records;
import io.github.luzj.record.StepPlot;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Simulates one LR schedule given in the JSON of PyTorch's scheduler classes (the format of
 * {@code lr_schedules.json}) and writes {@code schedule.csv} and {@code schedule.png}.
 */
@Command(
        name = "schedule",
        mixinStandardHelpOptions = true,
        description = "Simulate an LR schedule from a JSON spec (PyTorch's class and argument names).")
final class ScheduleCommand implements Callable<Integer> {

    @Option(names = "--spec", paramLabel = "FILE.json", required = true, description = "The schedule case.")
    Path spec;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "results/schedule", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--debug", description = "Show stack traces on errors.")
    boolean debug;

    /** The largest spec read: a case is a few hundred bytes, metrics for 3 million steps fit. */
    static final long MAX_SPEC_BYTES = 64L << 20;

    @Override
    public Integer call() {
        ScheduleCase c = ScheduleSpecs.parse(read(spec));
        boolean cycled = c.scheduler().build(c.buildOptimizer().groups()).cyclesMomentum();
        OutputSet.write(out, stage -> {
            CurveSampler curve = new CurveSampler(c.steps(), PLOT_POINTS);
            AtomicFiles.write(stage.resolve("schedule.csv"), tmp -> {
                try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                    w.write("step,lr,momentum\n");
                    ScheduleSpecs.simulate(c, (step, lr, momentum) -> {
                        curve.add(step, lr[0], momentum[0]);
                        writeRow(w, step, lr[0], cycled ? momentum[0] : Double.NaN);
                    });
                } catch (UncheckedIOException e) {
                    throw e.getCause();
                }
            });
            writePlot(curve, cycled, stage.resolve("schedule.png"));
        });
        System.out.printf(
                Locale.ROOT, "Wrote %s and schedule.png (%d steps)%n", out.resolve("schedule.csv"), c.steps());
        return 0;
    }

    /** Points drawn at most: the curve's shape at 800 pixels, whatever the step count. */
    private static final int PLOT_POINTS = 4000;

    private static void writeRow(BufferedWriter w, int step, double lr, double momentum) {
        try {
            w.write(Integer.toString(step));
            w.write(',');
            w.write(Double.toString(lr));
            w.write(',');
            if (!Double.isNaN(momentum)) {
                w.write(Double.toString(momentum));
            }
            w.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonObject read(Path file) {
        InputFiles.checkReadable(file, "spec file", "pass --spec FILE.json");
        try {
            long size = Files.size(file);
            Checks.check(size <= MAX_SPEC_BYTES,
                    "spec file %s has %,d bytes, more than the %,d a schedule case may have; pass"
                            + " the JSON of one case (see docs/learning-rate-schedulers.md)",
                    file, size, MAX_SPEC_BYTES);
            JsonElement json = JsonText.parse(Files.readString(file, StandardCharsets.UTF_8));
            if (!json.isJsonObject()) {
                throw new IllegalStateException("it holds a " + (json.isJsonArray() ? "list"
                        : json.isJsonNull() ? "null" : "single value"));
            }
            return json.getAsJsonObject();
        } catch (IOException e) {
            throw InputFiles.unreadable(file, "spec file", e);
        } catch (JsonParseException | IllegalStateException e) {
            throw new LuzjException(
                    "spec file " + file + " is not a JSON object (" + e.getMessage() + "); see"
                            + " docs/learning-rate-schedulers.md for the format");
        }
    }

    /**
     * The downsampled schedule through luzj's step plot: a numeric step axis, momentum below when
     * cycled.
     */
    private static void writePlot(CurveSampler curve, boolean cycled, Path file) {
        Records steps = new Records();
        double[] at = curve.steps();
        double[] lr = curve.lr();
        double[] momentum = curve.momentum();
        for (int i = 0; i < at.length; i++) {
            steps.addStep(new Records.StepEntry(
                    (long) at[i], 1, "lr", lr[i], cycled ? momentum[i] : Double.NaN));
        }
        StepPlot.defaults().writePng(steps, file);
    }
}
