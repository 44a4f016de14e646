package io.github.luzj.vision.models;

import ai.djl.nn.Parameter;
import io.github.luzj.base.LuzjException;
import java.util.List;
import java.util.Locale;

/**
 * Parameter counts of a model, total and trainable, per top-level layer: what R prints for a
 * module ({@code An `nn_module` containing 11,181,642 parameters.}), with the trainable share that
 * freezing leaves. BatchNorm running statistics are not parameters (PyTorch's buffers) and are
 * counted apart.
 *
 * @param model the model's name
 * @param rows one row per top-level layer, in forward order
 * @param runningStatistics the number of BatchNorm running-statistic values, 0 when unknown
 */
public record ParameterSummary(String model, List<Row> rows, long runningStatistics) {

    /**
     * One top-level layer.
     *
     * @param name the layer's name, such as {@code layer1}
     * @param type its kind, such as {@code Conv2d}
     * @param parameters its number of parameter values
     * @param trainable how many of them take gradients
     */
    public record Row(String name, String type, long parameters, long trainable) {

        /**
         * Counts a layer's parameters.
         *
         * @param name the layer's name
         * @param type its kind
         * @param params its gradient parameters
         * @return the row
         */
        static Row of(String name, String type, Iterable<Parameter> params) {
            long total = 0;
            long trainable = 0;
            for (Parameter p : params) {
                long n = Params.size(p);
                total += n;
                if (p.requiresGradient()) {
                    trainable += n;
                }
            }
            return new Row(name, type, total, trainable);
        }
    }

    /**
     * Copies the rows.
     *
     * @param model the model's name
     * @param rows the rows
     * @param runningStatistics the running-statistic count
     */
    public ParameterSummary {
        rows = List.copyOf(rows);
    }

    /**
     * Returns the total number of parameter values.
     *
     * @return the sum over rows
     */
    public long parameters() {
        return rows.stream().mapToLong(Row::parameters).sum();
    }

    /**
     * Returns the number of trainable parameter values.
     *
     * @return the sum over rows
     */
    public long trainable() {
        return rows.stream().mapToLong(Row::trainable).sum();
    }

    /**
     * Returns one layer's row.
     *
     * @param name the layer's name
     * @return the row
     */
    public Row row(String name) {
        return rows.stream()
                .filter(r -> r.name().equals(name))
                .findFirst()
                .orElseThrow(
                        () -> new LuzjException(
                                "no layer '" + name + "' in the summary of " + model
                                        + "; layers are " + rows.stream().map(Row::name).toList()));
    }

    /**
     * Renders the summary as a table, e.g.
     *
     * <pre>
     * ResNet18: 11,181,642 parameters, 5,130 trainable
     *   layer   type          parameters   trainable
     *   conv1   Conv2d             9,408           0
     *   ...
     *   fc      Linear             5,130       5,130
     *   + 9,600 BatchNorm running statistics (buffers, never trainable)
     * </pre>
     *
     * @return the table
     */
    @Override
    public String toString() {
        int nameWidth = Math.max(5, rows.stream().mapToInt(r -> r.name().length()).max().orElse(0));
        int typeWidth = Math.max(4, rows.stream().mapToInt(r -> r.type().length()).max().orElse(0));
        String rowFormat = "  %-" + nameWidth + "s  %-" + typeWidth + "s  %12s  %12s%n";
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s: %,d parameters, %,d trainable%n", model,
                parameters(), trainable()));
        sb.append(String.format(Locale.ROOT, rowFormat, "layer", "type", "parameters",
                "trainable"));
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, rowFormat, r.name(), r.type(),
                    String.format(Locale.ROOT, "%,d", r.parameters()),
                    String.format(Locale.ROOT, "%,d", r.trainable())));
        }
        if (runningStatistics > 0) {
            sb.append(String.format(Locale.ROOT,
                    "  + %,d BatchNorm running statistics (buffers, never trainable)%n",
                    runningStatistics));
        }
        return sb.toString();
    }
}
