package io.github.luzj.record;

import io.github.luzj.base.Checks;
import io.github.luzj.base.LuzjException;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;

/**
 * luz's {@code plot(fitted)}: one panel per metric, train and valid against the epoch, panels in
 * a grid ({@code facet_wrap}) in one picture. Non-finite values (a diverged epoch) are left out
 * of the lines. Immutable; configure with {@link #builder()}.
 *
 * <pre>{@code
 * HistoryPlot plot = HistoryPlot.builder().size(1200, 500).build();
 * plot.writePng(fitted.records(), dir.resolve("history.png"));
 * }</pre>
 */
public final class HistoryPlot extends PanelPlot {

    private final int columns;

    private HistoryPlot(Builder b) {
        super(b.size);
        this.columns = b.columns;
    }

    /**
     * Returns a plot with the defaults: 480 x 360 pixels a panel, facet_wrap's columns.
     *
     * @return the plot
     */
    public static HistoryPlot defaults() {
        return builder().build();
    }

    /**
     * Starts a configuration.
     *
     * @return a builder with the defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    PanelGrid grid(Records records) {
        if (records.metrics().isEmpty()) {
            throw new LuzjException(
                    "cannot plot the history: no metric was recorded; fit the model for at least"
                            + " one epoch first");
        }
        List<Painter> panels = new ArrayList<>();
        for (String metric : records.metrics()) {
            panels.add(panel(records, metric));
        }
        int cols = columns > 0 ? columns : PanelGrid.defaultColumns(panels.size());
        return new PanelGrid(panels, cols);
    }

    private static Painter panel(Records records, String metric) {
        XYChart chart = ChartStyle.panel(metric, "epoch");
        chart.getStyler().setXAxisDecimalPattern("0.#");
        List<String> sets = RecordsCsv.orderedSets(records);
        List<String> runs = sets.stream().map(HistoryPlot::runOf).distinct().toList();
        for (int i = 0; i < sets.size(); i++) {
            ChartStyle.finiteLine(
                    chart,
                    sets.get(i),
                    style(sets.get(i), i, runs),
                    records.entries(sets.get(i), metric),
                    Records.Entry::epoch,
                    Records.Entry::value);
        }
        return PanelGrid.chartOrNote(chart, metric);
    }

    /**
     * A set's line: sets named {@code "train, <run>"} and {@code "valid, <run>"} (runs compared
     * in one plot) get one colour per run, solid for training and dashed for validation; a
     * single run's {@code train} and {@code valid} keep luz's two colours, validation dashed.
     */
    static ChartStyle.LineStyle style(String set, int index, List<String> runs) {
        String run = runOf(set);
        boolean dashed = set.startsWith(Records.VALID);
        if (run.isEmpty()) {
            return new ChartStyle.LineStyle(ChartStyle.color(set, index), dashed);
        }
        return new ChartStyle.LineStyle(ChartStyle.runColor(runs.indexOf(run)), dashed);
    }

    /** The run a set belongs to: what follows {@code ", "}, or "" for a single run's set. */
    private static String runOf(String set) {
        int cut = set.indexOf(", ");
        return cut < 0 ? "" : set.substring(cut + 2);
    }

    /**
     * Configures a {@link HistoryPlot}; each setter returns a new builder. Panels are 480 x 360
     * by default.
     */
    public static final class Builder extends SizedBuilder<Builder> {

        private final int columns;

        private Builder() {
            this(new PlotSize(480, 360, true), 0);
        }

        private Builder(PlotSize size, int columns) {
            super(size);
            this.columns = columns;
        }

        @Override
        Builder withSize(PlotSize size) {
            return new Builder(size, columns);
        }

        /**
         * Sets the number of panel columns instead of facet_wrap's near-square grid.
         *
         * @param columns at least 1
         * @return a new builder
         */
        public Builder columns(int columns) {
            Checks.atLeast("columns", columns, 1);
            return new Builder(size, columns);
        }

        /**
         * Creates the plot.
         *
         * @return the plot
         */
        public HistoryPlot build() {
            return new HistoryPlot(this);
        }
    }
}
