package io.github.luzj.callbacks.lr;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** PyTorch 1.13's schedules from {@code oracles/lr_schedules.json}, and a tolerant comparison. */
public final class Oracle {

    /** Relative tolerance of every comparison against PyTorch. */
    public static final double REL = 1e-9;

    private Oracle() {}

    /** Every case of the oracle file. */
    public static List<JsonObject> cases() {
        try (InputStream in = Oracle.class.getResourceAsStream("/oracles/lr_schedules.json")) {
            assertThat(in).as("oracles/lr_schedules.json on the test classpath").isNotNull();
            JsonObject root =
                    JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8))
                            .getAsJsonObject();
            List<JsonObject> out = new ArrayList<>();
            for (JsonElement e : root.getAsJsonArray("cases")) {
                out.add(e.getAsJsonObject());
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The case called {@code name}. */
    public static JsonObject byName(String name) {
        return cases().stream()
                .filter(c -> c.get("name").getAsString().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no oracle case " + name));
    }

    /** A numeric list of a case, such as {@code "lr"}. */
    public static double[] series(JsonObject c, String key) {
        JsonArray a = c.getAsJsonArray(key);
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsDouble();
        }
        return out;
    }

    /** Asserts {@code actual} equals {@code expected} to {@link #REL}, element by element. */
    public static void assertClose(String what, double[] actual, double[] expected) {
        assertThat(actual).as(what + " length").hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            double tol = REL * Math.abs(expected[i]) + 1e-300;
            assertThat(Math.abs(actual[i] - expected[i]))
                    .as("%s at step %d: got %s, PyTorch %s", what, i, actual[i], expected[i])
                    .isLessThanOrEqualTo(tol);
        }
    }
}
