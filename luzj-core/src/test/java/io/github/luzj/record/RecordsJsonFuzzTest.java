package io.github.luzj.record;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.github.luzj.base.LuzjException;
import java.nio.charset.StandardCharsets;

/**
 * The {@code records.json} of a saved model, read as {@code FittedModel.load} reads it: whatever
 * the bytes, {@link RecordsJson#read} adds rows or throws one {@link LuzjException}, never another
 * exception. (Text that is not a JSON object is refused before it, by the loader.)
 */
class RecordsJsonFuzzTest {

    @FuzzTest(maxDuration = "2m")
    void readsAnyRecordsJson(byte[] data) {
        JsonElement root;
        try {
            root = JsonParser.parseString(new String(data, StandardCharsets.UTF_8));
        } catch (JsonParseException e) {
            return; // the loader wraps the parser's own errors
        }
        if (root == null || !root.isJsonObject()) {
            return;
        }
        Records into = new Records();
        try {
            RecordsJson.read(root.getAsJsonObject(), "fuzz", into);
        } catch (LuzjException e) {
            assertThat(e.getMessage()).contains("fuzz").contains("damaged");
        }
    }
}
