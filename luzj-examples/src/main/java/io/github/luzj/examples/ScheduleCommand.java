package io.github.luzj.examples;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.github.luzj.LuzjException;
import io.github.luzj.callbacks.lr.ScheduleCase;
import io.github.luzj.callbacks.lr.ScheduleSpecs;
import io.github.luzj.callbacks.lr.ScheduleTrace;
import io.github.luzj.io.AtomicFiles;
import io.github.luzj.record.Records;
import io.github.luzj.record.StepPlot;
import java.io.IOException;
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

    @Override
    public Integer call() {
        ScheduleCase c = ScheduleSpecs.parse(read(spec));
        ScheduleTrace trace = ScheduleSpecs.simulate(c);
        boolean cycled = c.scheduler().build(c.buildOptimizer().groups()).cyclesMomentum();
        StringBuilder csv = new StringBuilder("step,lr,momentum\n");
        for (int i = 0; i < trace.steps(); i++) {
            csv.append(i).append(',').append(trace.lr(i, 0)).append(',');
            if (cycled) {
                csv.append(trace.momentum(i, 0));
            }
            csv.append('\n');
        }
        AtomicFiles.writeString(out.resolve("schedule.csv"), csv.toString());
        writePlot(trace, cycled, out.resolve("schedule.png"));
        System.out.printf(
                Locale.ROOT, "Wrote %s and schedule.png (%d steps)%n", out.resolve("schedule.csv"), trace.steps());
        return 0;
    }

    private static JsonObject read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new LuzjException("spec file " + file + " does not exist; pass --spec FILE.json");
        }
        try {
            return JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException | JsonParseException | IllegalStateException e) {
            throw new LuzjException(
                    "spec file " + file + " is not a JSON object (" + e.getMessage() + "); see"
                            + " docs/learning-rate-schedulers.md for the format");
        }
    }

    /** The schedule through luzj's step plot: a numeric step axis, momentum below when cycled. */
    private static void writePlot(ScheduleTrace trace, boolean cycled, Path file) {
        Records steps = new Records();
        for (int i = 0; i < trace.steps(); i++) {
            steps.addStep(new Records.StepEntry(
                    i, 1, "lr", trace.lr(i, 0), cycled ? trace.momentum(i, 0) : Double.NaN));
        }
        StepPlot.defaults().writePng(steps, file);
    }
}
