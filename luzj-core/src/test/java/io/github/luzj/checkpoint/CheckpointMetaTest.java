package io.github.luzj.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.luzj.base.LuzjException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CheckpointMetaTest {

    @Test
    void aFieldGivenTwiceIsDamageNotTheLastOneWins() throws IOException {
        String valid = seed("valid");
        assertThat(CheckpointMeta.parse(valid, Path.of("ckpt")).meta().position().globalStep())
                .isNotNegative();
        String twice = valid.replaceFirst("\\{", "{\"global_step\": 0,");
        assertThat(twice).isNotEqualTo(valid);
        assertThatThrownBy(() -> CheckpointMeta.parse(twice, Path.of("ckpt")))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("checkpoint.json is not valid JSON (the name 'global_step' appears"
                        + " twice in one object)");
    }

    private static String seed(String name) throws IOException {
        try (InputStream in = CheckpointMetaTest.class.getResourceAsStream(
                "CheckpointMetaFuzzTestInputs/readsAnyCheckpointJson/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
