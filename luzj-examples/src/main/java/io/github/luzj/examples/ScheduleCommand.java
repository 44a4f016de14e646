package io.github.luzj.examples;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.github.luzj.LuzjException;
import io.github.luzj.callbacks.lr.ScheduleCase;
import io.github.luzj.callbacks.lr.ScheduleSpecs;
import io.github.luzj.callbacks.lr.ScheduleTrace;
import io.github.luzj.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
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
        writePlot(c.name(), trace, cycled, out.resolve("schedule.png"));
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

    private static void writePlot(String title, ScheduleTrace trace, boolean cycled, Path file) {
        double[] steps = new double[trace.steps()];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = i;
        }
        XYChart chart =
                new XYChartBuilder()
                        .width(800)
                        .height(cycled ? 560 : 400)
                        .title(title)
                        .xAxisTitle("Step")
                        .yAxisTitle("Learning rate")
                        .build();
        chart.getStyler().setLegendVisible(cycled);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setXAxisDecimalPattern("0");
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideN);
        XYSeries lr = chart.addSeries("lr", steps, trace.lrs(0));
        lr.setMarker(SeriesMarkers.NONE);
        if (cycled) {
            XYSeries m = chart.addSeries("momentum / beta1 (right axis)", steps, trace.momentums(0));
            m.setMarker(SeriesMarkers.NONE);
            m.setYAxisGroup(1);
            chart.setYAxisGroupTitle(1, "Momentum / beta1");
            chart.getStyler().setYAxisGroupPosition(1, org.knowm.xchart.style.Styler.YAxisPosition.Right);
        }
        // to a stream: given a file name, XChart appends ".png" to the temporary name
        AtomicFiles.write(
                file,
                tmp -> {
                    try (java.io.OutputStream os = Files.newOutputStream(tmp)) {
                        BitmapEncoder.saveBitmap(chart, os, BitmapEncoder.BitmapFormat.PNG);
                    }
                });
    }
}
