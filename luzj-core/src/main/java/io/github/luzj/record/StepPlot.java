package io.github.luzj.record;

import io.github.luzj.base.LuzjException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.XYChart;

/**
 * The hyperparameters the optimizer applied against the training step ({@link Records#steps()}):
 * a learning-rate panel and, below it, a momentum (or Adam's beta1) panel, one line per
 * parameter group. This is the picture that shows a one-cycle or cyclic schedule at work.
 * Immutable; configure with {@link #builder()}.
 */
public final class StepPlot extends PanelPlot {

    private final boolean momentum;

    private StepPlot(Builder b) {
        super(b.size);
        this.momentum = b.momentum;
    }

    /**
     * Returns a plot with the defaults: 800 x 300 pixels a panel, momentum shown.
     *
     * @return the plot
     */
    public static StepPlot defaults() {
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
        List<Records.StepEntry> steps = records.steps();
        if (steps.isEmpty()) {
            throw new LuzjException(
                    "cannot plot the learning rate: no training step was recorded; fit the model"
                            + " first");
        }
        List<Painter> panels = new ArrayList<>();
        panels.add(PanelGrid.chartOrNote(panel(steps, "lr", Records.StepEntry::lr), "lr"));
        if (momentum && steps.stream().anyMatch(s -> Double.isFinite(s.momentum()))) {
            panels.add(PanelGrid.chartOrNote(
                    panel(steps, "momentum", Records.StepEntry::momentum), "momentum"));
        }
        return new PanelGrid(panels, 1);
    }

    /** One panel's chart, against a numeric step axis with round ticks. */
    static XYChart panel(
            List<Records.StepEntry> steps,
            String title,
            ToDoubleFunction<Records.StepEntry> value) {
        XYChart chart = ChartStyle.panel(title, "step");
        chart.getStyler().setXAxisDecimalPattern("0");
        chart.getStyler().setYAxisDecimalPattern("0.######");
        Set<String> groups = new LinkedHashSet<>();
        steps.forEach(s -> groups.add(s.group()));
        chart.getStyler().setLegendVisible(groups.size() > 1);
        int index = 0;
        for (String group : groups) {
            ChartStyle.finiteLine(
                    chart,
                    group,
                    new ChartStyle.LineStyle(ChartStyle.color(group, index), false),
                    steps.stream().filter(s -> s.group().equals(group)).toList(),
                    Records.StepEntry::step,
                    value);
            index++;
        }
        steps.stream().mapToDouble(value).filter(Double::isFinite).findFirst().ifPresent(
                y -> ChartStyle.numericXAxis(
                        chart, steps.stream().mapToDouble(Records.StepEntry::step).max().orElse(1), y));
        return chart;
    }

    /**
     * Configures a {@link StepPlot}; each setter returns a new builder. Panels are 800 x 300 by
     * default.
     */
    public static final class Builder extends SizedBuilder<Builder> {

        private final boolean momentum;

        private Builder() {
            this(new PlotSize(800, 300, true), true);
        }

        private Builder(PlotSize size, boolean momentum) {
            super(size);
            this.momentum = momentum;
        }

        @Override
        Builder withSize(PlotSize size) {
            return new Builder(size, momentum);
        }

        /**
         * Sets whether to add the momentum (beta1) panel when any step recorded one.
         *
         * @param show true to show it (the default)
         * @return a new builder
         */
        public Builder momentum(boolean show) {
            return new Builder(size, show);
        }

        /**
         * Creates the plot.
         *
         * @return the plot
         */
        public StepPlot build() {
            return new StepPlot(this);
        }
    }
}
