package io.github.luzj.optim;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a {@link LuzOptimizer}'s per-parameter state for tests, from the optimizer's own package
 * because the state is not public API.
 */
public final class OptimizerProbe {

    private OptimizerProbe() {}

    /**
     * Copies every state array to the host, bit for bit, with the step counters.
     *
     * @param optimizer the optimizer
     * @param block the network, whose parameter paths name the entries
     * @return by parameter path and field, the bytes of the array (or the step count)
     */
    public static Map<String, String> state(LuzOptimizer optimizer, Block block) {
        Map<String, String> nameOf = new HashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            nameOf.put(p.getValue().getId(), p.getKey());
        }
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, LuzOptimizer.State> e : optimizer.states().entrySet()) {
            LuzOptimizer.State s = e.getValue();
            String name = nameOf.get(e.getKey());
            out.put(name + "/step", Long.toString(s.step));
            if (s.expAvg != null) {
                out.put(name + "/exp_avg", java.util.Base64.getEncoder()
                        .encodeToString(s.expAvg.toByteArray()));
                out.put(name + "/exp_avg_sq", java.util.Base64.getEncoder()
                        .encodeToString(s.expAvgSq.toByteArray()));
            }
            if (s.momentumBuffer != null) {
                out.put(name + "/momentum_buffer", java.util.Base64.getEncoder()
                        .encodeToString(s.momentumBuffer.toByteArray()));
            }
        }
        return out;
    }
}
