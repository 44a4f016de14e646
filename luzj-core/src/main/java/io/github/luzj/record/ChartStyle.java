package io.github.luzj.record;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The look the record plots share: ggplot-like light panels, titled like luz's facets. */
final class ChartStyle {

    /** ggplot's first two hues, the colours luz's plot gives train and valid. */
    private static final Color TRAIN = new Color(0xF8, 0x76, 0x6D);

    private static final Color VALID = new Color(0x00, 0xBF, 0xC4);

    private static final Color[] OTHERS = {
        new Color(0x7C, 0xAE, 0x00), new Color(0xC7, 0x7C, 0xFF), new Color(0x61, 0x9C, 0xFF),
        new Color(0xE7, 0x86, 0x1A), new Color(0x33, 0x33, 0x33)
    };

    private ChartStyle() {}

    /**
     * Creates an empty panel.
     *
     * @param title the panel's title, such as the metric's name
     * @param xTitle the x axis's title
     * @return the chart, sized when painted
     */
    static XYChart panel(String title, String xTitle) {
        XYChart chart = new XYChartBuilder().width(400).height(300).title(title)
                .xAxisTitle(xTitle).yAxisTitle("").build();
        XYStyler s = chart.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(new Color(0xEB, 0xEB, 0xEB));
        s.setPlotGridLinesColor(Color.WHITE);
        s.setPlotBorderVisible(false);
        s.setChartTitleBoxVisible(false);
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        // below the plot, like ggplot's bottom legend, so that it never hides a line
        s.setLegendPosition(Styler.LegendPosition.OutsideS);
        s.setLegendLayout(Styler.LegendLayout.Horizontal);
        s.setLegendBorderColor(Color.WHITE);
        s.setChartPadding(8);
        s.setAntiAlias(true);
        return chart;
    }

    /**
     * Returns a series' colour: luz's for train and valid, then ggplot-like hues by position.
     *
     * @param name the series' name
     * @param index the series' position among the others
     * @return the colour
     */
    static Color color(String name, int index) {
        return switch (name) {
            case Records.TRAIN -> TRAIN;
            case Records.VALID -> VALID;
            default -> OTHERS[index % OTHERS.length];
        };
    }

    /**
     * Adds a line, with points when there are few of them.
     *
     * @param chart the chart
     * @param name the series' name
     * @param color the series' colour
     * @param x the x values
     * @param y the y values
     */
    static void line(XYChart chart, String name, Color color, double[] x, double[] y) {
        line(chart, name, new LineStyle(color, false), x, y);
    }

    /**
     * How a series is drawn: its colour, and a dashed line (validation) or a solid one.
     *
     * @param color the colour
     * @param dashed true for a dashed line
     */
    record LineStyle(Color color, boolean dashed) {}

    private static final BasicStroke SOLID = new BasicStroke(1.5f);

    private static final BasicStroke DASHED = new BasicStroke(
            1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f);

    private static void line(XYChart chart, String name, LineStyle style, double[] x, double[] y) {
        XYSeries series = chart.addSeries(name, x, y);
        series.setLineColor(style.color());
        series.setMarkerColor(style.color());
        series.setLineStyle(style.dashed() ? DASHED : SOLID);
        series.setMarker(x.length <= 60 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
    }

    /**
     * Returns a run's colour: one per run, in order, the same for its training and validation.
     *
     * @param run the run's position
     * @return the colour
     */
    static Color runColor(int run) {
        return OTHERS[run % OTHERS.length];
    }

    /**
     * Gives the x axis round ticks from 0 to a round end past {@code maxX}. XChart puts a tick
     * under every n-th point of equally spaced x values (steps 1, 2, 3, ... become ticks 1, 101,
     * 201, ... that run together), as if they were categories; an invisible series at 0 and at
     * the round end breaks the equal spacing, so XChart picks round ticks itself. Call it after
     * the visible series.
     *
     * @param chart the chart
     * @param maxX the largest x value
     * @param y a y value inside the plotted range, so that the axis range does not change
     */
    static void numericXAxis(XYChart chart, double maxX, double y) {
        if (chart.getSeriesMap().isEmpty()) {
            return;
        }
        XYSeries anchor = chart.addSeries(" axis", new double[] {0, roundEnd(maxX)}, new double[] {y, y});
        anchor.setLineColor(new Color(0, 0, 0, 0));
        anchor.setMarker(SeriesMarkers.NONE);
        anchor.setShowInLegend(false);
    }

    /**
     * Returns the smallest multiple of a round step (1, 2 or 5 times a power of ten, about a
     * tenth of {@code max}) that is at least {@code max}.
     *
     * @param max the largest value, {@code > 0}
     * @return the round end, such as 2500 for 2345
     */
    static double roundEnd(double max) {
        if (!(max > 0)) {
            return 1;
        }
        double raw = max / 10;
        double power = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = power;
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * power >= raw) {
                step = m * power;
                break;
            }
        }
        return Math.ceil(max / step) * step;
    }

    /**
     * Adds a line through the points whose y is finite, so that a diverged value breaks no axis;
     * adds nothing when none is.
     *
     * @param <T> the points' type
     * @param chart the chart
     * @param name the series' name
     * @param style the series' colour and dash
     * @param points the points, in x order
     * @param x a point's x value
     * @param y a point's y value
     */
    static <T> void finiteLine(
            XYChart chart,
            String name,
            LineStyle style,
            List<T> points,
            ToDoubleFunction<T> x,
            ToDoubleFunction<T> y) {
        List<T> finite = points.stream().filter(p -> Double.isFinite(y.applyAsDouble(p))).toList();
        if (!finite.isEmpty()) {
            line(
                    chart,
                    name,
                    style,
                    finite.stream().mapToDouble(x).toArray(),
                    finite.stream().mapToDouble(y).toArray());
        }
    }
}
