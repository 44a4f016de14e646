package io.github.luzj.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.luzj.base.LuzjException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The checkpoint reader on any bytes: a checked result or one {@link LuzjException}, never another
 * exception. Inside {@code mvn verify} it replays the committed corpus ({@code
 * CheckpointMetaFuzzTestInputs/readsAnyCheckpointJson}: a valid {@code checkpoint.json} and the
 * damaged ones of issue 13); {@code JAZZER_FUZZ=1} fuzzes it (see docs/troubleshooting.md).
 */
class CheckpointMetaFuzzTest {

    @FuzzTest(maxDuration = "3m")
    void readsAnyCheckpointJson(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        boolean marked = CheckpointMeta.hasFormatMarker(text);
        try {
            CheckpointMeta.Parsed p = CheckpointMeta.parse(text, Path.of("fuzz"));
            assertThat(marked).isTrue();
            Checkpoint.Position at = p.meta().position();
            assertThat(at.epochsDone()).isBetween(0, p.meta().run().epochs());
            assertThat(at.batchesDone()).isNotNegative();
            assertThat(at.globalStep()).isNotNegative();
            assertThat(p.weights().sha256()).matches(CheckpointMeta.SHA256);
            p.entries().forEach(e -> assertThat(e.epoch()).isBetween(1, at.epochsDone()));
        } catch (LuzjException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }
}
