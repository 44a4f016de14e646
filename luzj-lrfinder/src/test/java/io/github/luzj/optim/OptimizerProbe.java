package io.github.luzj.optim;

import ai.djl.nn.Block;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Map;

/** Reads an optimizer's whole state, for bitwise before/after comparisons in tests. */
public final class OptimizerProbe {

    private OptimizerProbe() {}

    /**
     * Returns the optimizer's checkpoint bytes (moments, step counts, hyperparameters).
     *
     * @param optimizer the optimizer
     * @param block unused; kept so the call sites read as before
     * @return the state, Base64-encoded under one key
     */
    public static Map<String, String> state(LuzOptimizer optimizer, Block block) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            optimizer.saveState(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("state", Base64.getEncoder().encodeToString(bytes.toByteArray()));
    }
}
