package io.github.luzj.record;

import io.github.luzj.base.LuzjException;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Metric values by abbreviation, read-only, in the order computed; asking for a metric that was
 * not computed is a {@link LuzjException} listing those that were, not a silent null.
 */
public final class MetricValues extends AbstractMap<String, Double> {

    private final Map<String, Double> values;

    /**
     * Copies {@code values}.
     *
     * @param values the values by abbreviation
     */
    public MetricValues(Map<String, Double> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    @Override
    public Set<Entry<String, Double>> entrySet() {
        return values.entrySet();
    }

    @Override
    public boolean containsKey(Object key) {
        return values.containsKey(key);
    }

    /**
     * Returns the value of metric {@code key}.
     *
     * @param key the abbreviation, such as {@code "loss"} or {@code "acc"}
     * @return the value
     * @throws LuzjException when no such metric was computed
     */
    @Override
    public Double get(Object key) {
        Double v = values.get(key);
        if (v == null) {
            throw new LuzjException(
                    "no metric '" + key + "' was computed; the metrics are " + values.keySet()
                            + " (add it to Luz.setup's metrics)");
        }
        return v;
    }

    @Override
    public Double getOrDefault(Object key, Double defaultValue) {
        return values.getOrDefault(key, defaultValue);
    }
}
