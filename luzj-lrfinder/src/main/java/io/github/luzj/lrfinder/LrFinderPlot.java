package io.github.luzj.lrfinder;

import io.github.luzj.base.Checks;
import io.github.luzj.base.LuzjException;
import io.github.luzj.record.ChartFiles;
import java.awt.Color;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws an {@link LrFinderResult}: the learning rate on a log axis, the raw loss dotted, the
 * smoothed loss solid, and one marker per suggestion whose legend entry gives its value. The
 * y axis spans the smoothed curve from its minimum up to the highest point before the minimum
 * (the start, usually), so the final blow-up leaves the picture instead of flattening it.
 *
 * <pre>{@code
 * LrFinderPlot.builder().width(1000).height(600).build().writePng(result, Path.of("lr.png"));
 * }</pre>
 */
public final class LrFinderPlot {

    private static final Color RAW = new Color(150, 150, 150);
    private static final Color SMOOTH = new Color(31, 119, 180);
    private static final Color[] MARKERS = {
        new Color(214, 39, 40), new Color(44, 160, 44), new Color(255, 127, 14)
    };
    private static final double MARGIN = 0.1;

    private final int width;
    private final int height;
    private final String title;

    private LrFinderPlot(Builder b) {
        this.width = b.width;
        this.height = b.height;
        this.title = b.title;
    }

    /**
     * Returns a plot of 800 × 500 pixels titled "Learning rate finder".
     *
     * @return the plot
     */
    public static LrFinderPlot defaults() {
        return builder().build();
    }

    /**
     * Starts a plot's settings.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds the XChart chart, for showing in a window or further styling.
     *
     * @param result the sweep
     * @return the chart
     * @throws LuzjException when fewer than 2 finite steps were recorded
     */
    public XYChart chart(LrFinderResult result) {
        int n = Checks.notNull("result", result, "pass the LR finder's result").finiteSteps();
        Checks.check(
                n >= 2,
                "the sweep recorded %d finite losses; a plot needs at least 2. Lower startLr or"
                        + " endLr, or check the data for NaN",
                n);
        double[] lr = Arrays.copyOf(result.lr(), n);
        double[] loss = Arrays.copyOf(result.loss(), n);
        double[] smoothed = Arrays.copyOf(result.smoothedLoss(), n);
        XYChart chart =
                new XYChartBuilder()
                        .width(width)
                        .height(height)
                        .title(title)
                        .xAxisTitle("Learning Rate")
                        .yAxisTitle("Loss")
                        .build();
        chart.getStyler()
                .setXAxisLogarithmic(true)
                .setXAxisDecimalPattern("0E0")
                .setChartBackgroundColor(Color.WHITE)
                .setLegendPosition(Styler.LegendPosition.InsideNE)
                .setChartTitleVisible(!title.isEmpty())
                .setMarkerSize(10);
        double[] y = yRange(smoothed);
        chart.getStyler().setYAxisMin(y[0]).setYAxisMax(y[1]);

        XYSeries raw = chart.addSeries("loss", lr, loss);
        raw.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        raw.setMarker(SeriesMarkers.NONE);
        raw.setLineStyle(SeriesLines.DOT_DOT);
        raw.setLineColor(RAW);
        XYSeries smooth = chart.addSeries("smoothed loss", lr, smoothed);
        smooth.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        smooth.setMarker(SeriesMarkers.NONE);
        smooth.setLineStyle(SeriesLines.SOLID);
        smooth.setLineColor(SMOOTH);
        smooth.setLineWidth(2f);

        List<Suggestion> suggestions = result.suggestions();
        for (int i = 0; i < suggestions.size(); i++) {
            Suggestion s = suggestions.get(i);
            XYSeries m =
                    chart.addSeries(s.label(), new double[] {s.lr()}, new double[] {s.loss()});
            m.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            m.setMarker(SeriesMarkers.CIRCLE);
            m.setMarkerColor(MARKERS[i % MARKERS.length]);
        }
        return chart;
    }

    /**
     * The y axis's range for a smoothed curve: from its minimum to the highest point at or
     * before the minimum, with a 10% margin either side. A curve that only rises, whose range
     * would then be empty, is shown up to its 95th percentile instead.
     *
     * @param smoothed the finite smoothed losses, at least 1
     * @return {@code {ymin, ymax}}
     */
    static double[] yRange(double[] smoothed) {
        int argmin = 0;
        for (int i = 1; i < smoothed.length; i++) {
            if (smoothed[i] < smoothed[argmin]) {
                argmin = i;
            }
        }
        double lo = smoothed[argmin];
        double hi = lo;
        for (int i = 0; i <= argmin; i++) {
            hi = Math.max(hi, smoothed[i]);
        }
        if (!(hi - lo > 1e-12 * Math.max(1, Math.abs(lo)))) {
            double[] sorted = smoothed.clone();
            Arrays.sort(sorted);
            hi = sorted[(int) Math.floor(0.95 * (sorted.length - 1))];
        }
        if (!(hi - lo > 1e-12 * Math.max(1, Math.abs(lo)))) {
            hi = lo + Math.max(1e-3, 0.1 * Math.abs(lo)); // a flat curve still needs a height
        }
        double span = hi - lo;
        return new double[] {lo - MARGIN * span, hi + MARGIN * span};
    }

    /**
     * Writes the plot as a PNG image of the configured size, atomically.
     *
     * @param result the sweep
     * @param file the PNG file
     */
    public void writePng(LrFinderResult result, Path file) {
        ChartFiles.writePng(chart(result), file);
    }

    /**
     * Writes the plot as an SVG drawing, atomically.
     *
     * @param result the sweep
     * @param file the SVG file
     */
    public void writeSvg(LrFinderResult result, Path file) {
        ChartFiles.writeSvg(chart(result), file);
    }

    /**
     * Returns the width in pixels.
     *
     * @return the width
     */
    public int width() {
        return width;
    }

    /**
     * Returns the height in pixels.
     *
     * @return the height
     */
    public int height() {
        return height;
    }

    /** Settings of an {@link LrFinderPlot}. */
    public static final class Builder {
        private int width = 800;
        private int height = 500;
        private String title = "Learning rate finder";

        private Builder() {}

        /**
         * Sets the width (800 by default).
         *
         * @param width pixels, 200 to 10000
         * @return this builder
         */
        public Builder width(int width) {
            Checks.check(
                    width >= 200 && width <= 10_000,
                    "plot width must be in [200, 10000] pixels, got %d",
                    width);
            this.width = width;
            return this;
        }

        /**
         * Sets the height (500 by default).
         *
         * @param height pixels, 150 to 10000
         * @return this builder
         */
        public Builder height(int height) {
            Checks.check(
                    height >= 150 && height <= 10_000,
                    "plot height must be in [150, 10000] pixels, got %d",
                    height);
            this.height = height;
            return this;
        }

        /**
         * Sets the title; empty for none.
         *
         * @param title the title
         * @return this builder
         */
        public Builder title(String title) {
            Checks.check(title != null, "plot title is null; pass \"\" for no title");
            this.title = title;
            return this;
        }

        /**
         * Builds the plot settings.
         *
         * @return the plot
         */
        public LrFinderPlot build() {
            return new LrFinderPlot(this);
        }
    }
}
