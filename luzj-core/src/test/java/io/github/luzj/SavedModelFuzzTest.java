package io.github.luzj;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.training.loss.Loss;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.luzj.base.LuzjException;
import io.github.luzj.fit.FitOptions;
import io.github.luzj.optim.Optimizers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@link Luz#load} on any weights file beside a sound {@code parameters.json} and
 * {@code records.json}: the model loads, or one {@link LuzjException} says why not; never another
 * exception, never an OutOfMemoryError. Inside {@code mvn verify} it replays the committed corpus
 * ({@code SavedModelFuzzTestInputs/loadsAnyWeightsFile}: a file {@link FittedModel#save} wrote for
 * {@link LuzApiTest#net()} on 4 features, and that file with forged dimension counts in its
 * header, a block's metadata and an array, cut short, or foreign); {@code JAZZER_FUZZ=1} fuzzes
 * it (see docs/fuzzing.md).
 */
class SavedModelFuzzTest {

    /** One saved folder for every input, whose weights file each input replaces. */
    private static final Path SAVED = saveOnce();

    private static Path saveOnce() {
        try {
            Path dir = Files.createTempDirectory("luzj-saved-model-fuzz").resolve("model");
            try (FittedModel fitted =
                    Luz.setup(LuzApiTest.net(), Loss.softmaxCrossEntropyLoss(), Optimizers.adam())
                            .fit(FitOptions.builder(LuzApiTest.data(32, 3)).epochs(1).verbose(false).build())) {
                fitted.save(dir);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "3m")
    void loadsAnyWeightsFile(byte[] data) throws IOException {
        Files.write(SAVED.resolve("luzj-0000.params"), data);
        try (FittedModel loaded = Luz.load(SAVED,
                Luz.setup(LuzApiTest.net(), Loss.softmaxCrossEntropyLoss(), Optimizers.adam()))) {
            assertThat(loaded.block().isInitialized()).isTrue();
        } catch (LuzjException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }
}
