package io.github.luzj.callbacks.lr;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import io.github.luzj.base.JsonText;
import io.github.luzj.base.LuzjException;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes schedule specs: the JSON as the {@code schedule} command parses it, then the case, then
 * up to {@value #STEPS} simulated steps (enough for every kind to wrap around; the step count's
 * range is checked by the parse). Only a {@link LuzjException} or a trace may come out.
 * Regression inputs: {@code src/test/resources/io/github/luzj/callbacks/lr/ScheduleSpecsFuzzTestInputs/};
 * see docs/fuzzing.md to fuzz.
 */
class ScheduleSpecsFuzzTest {

    private static final int STEPS = 3000;

    @FuzzTest(maxDuration = "10m")
    void parsesAndSimulatesOrRefuses(byte[] input) {
        JsonElement json;
        try {
            json = JsonText.parse(new String(input, StandardCharsets.UTF_8));
        } catch (JsonParseException notJson) {
            return; // the command reports this itself; Gson is not under test
        }
        if (!json.isJsonObject()) {
            return;
        }
        try {
            ScheduleCase c = ScheduleSpecs.parse(json.getAsJsonObject());
            ScheduleCase shortened = new ScheduleCase(c.name(), c.optimizer(), c.scheduler(),
                    Math.min(c.steps(), STEPS), c.metrics());
            ScheduleSpecs.simulate(shortened, (step, lr, momentum) -> { });
        } catch (LuzjException expected) {
            // the one way a bad spec may fail
        }
    }
}
