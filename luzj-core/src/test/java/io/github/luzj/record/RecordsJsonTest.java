package io.github.luzj.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.luzj.base.LuzjException;
import org.junit.jupiter.api.Test;

class RecordsJsonTest {

    private static Records sample() {
        Records r = new Records();
        r.add(Records.TRAIN, "loss", 1, 0.5);
        r.add(Records.VALID, "loss", 1, Double.NaN);
        r.add(Records.TRAIN, "loss", 2, 0.25);
        r.addStep(new Records.StepEntry(1, 1, "group0", 0.1, 0.9));
        r.addStep(new Records.StepEntry(2, 2, "group0", 0.05, 0.9));
        return r;
    }

    @Test
    void readsBackWhatItWrote() {
        JsonObject root = new JsonObject();
        RecordsJson.write(sample(), Integer.MAX_VALUE, Long.MAX_VALUE, root);
        Records back = new Records();
        RecordsJson.read(root, "records.json", back);
        assertThat(back.entries()).isEqualTo(sample().entries()); // records compare NaN as equal
        assertThat(back.steps()).isEqualTo(sample().steps());
    }

    @Test
    void leavesOutEpochsAndStepsPastTheLastOnes() {
        JsonObject root = new JsonObject();
        RecordsJson.write(sample(), 1, 1, root);
        assertThat(root.getAsJsonArray(RecordsJson.METRICS)).hasSize(2);
        assertThat(root.getAsJsonArray(RecordsJson.STEPS)).hasSize(1);
        assertThat(root.getAsJsonArray(RecordsJson.METRICS).get(0).toString())
                .isEqualTo("[\"train\",\"loss\",1,0.5]");
    }

    @Test
    void readsTheObjectsOlderSavedModelsHold() {
        JsonObject old = JsonParser.parseString(
                        "{\"loss\":\"mse\",\"metrics\":[{\"set\":\"train\",\"metric\":\"loss\","
                                + "\"epoch\":1,\"value\":0.5}]}")
                .getAsJsonObject();
        Records back = new Records();
        RecordsJson.read(old, "records.json", back);
        assertThat(back.last(Records.TRAIN, "loss")).isEqualTo(0.5);
        assertThat(back.steps()).isEmpty();
    }

    @Test
    void damagedRowsFailWithOneMessageNamingTheFile() {
        JsonObject bad = JsonParser.parseString("{\"metrics\":[[\"train\"]]}").getAsJsonObject();
        assertThatThrownBy(() -> RecordsJson.read(bad, "/m/records.json", new Records()))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("/m/records.json")
                .hasMessageContaining("damaged");
    }
}
