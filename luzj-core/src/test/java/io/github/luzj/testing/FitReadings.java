package io.github.luzj.testing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.luzj.FittedModel;
import io.github.luzj.data.DataLoader;
import java.util.Map;

/**
 * What tests compare between two fits of the same model by two routes (a layout, a kernel): the
 * weights, the predictions and the losses, and the worst relative difference between two such
 * readings.
 */
public final class FitReadings {

    private FitReadings() {}

    /**
     * Reads a fitted model: its weights flattened in parameter order, its predictions on
     * {@code data}, and {@code {evaluate's loss, the last training loss}}.
     *
     * @param fitted the fitted model
     * @param data the data to evaluate and predict on
     * @param out the manager the predictions are made in
     * @return the three readings
     */
    public static float[][] read(FittedModel fitted, DataLoader data, NDManager out) {
        Map<String, Double> eval = fitted.evaluate(data);
        NDArray pred = fitted.predict(data, out);
        float[] weights =
                fitted.block().getParameters().values().stream()
                        .map(p -> p.getArray().flatten())
                        .reduce(NDArray::concat)
                        .orElseThrow()
                        .toFloatArray();
        return new float[][] {
            weights,
            pred.toFloatArray(),
            {eval.get("loss").floatValue(), (float) fitted.records().last("train", "loss")}
        };
    }

    /**
     * The worst of {@code |a - b| / (1 + |b|)} over two readings of the same size.
     *
     * @param a one reading
     * @param b the other
     * @return the worst relative difference
     */
    public static double worst(float[] a, float[] b) {
        double worst = 0;
        for (int i = 0; i < b.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]) / (1 + Math.abs(b[i])));
        }
        return worst;
    }
}
