package io.github.luzj.lrfinder;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.nn.Block;
import ai.djl.training.loss.Loss;
import io.github.luzj.FittedModel;
import io.github.luzj.Luz;
import io.github.luzj.SetupModel;
import io.github.luzj.data.DataLoader;
import io.github.luzj.optim.Optimizers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the example of {@link LrFinder}'s javadoc, so that it cannot drift from the API. */
class LrFinderExampleTest {

    @Test
    void theJavadocExampleRuns(@TempDir Path dir) {
        Block net = TinyConvNet.block();
        DataLoader trainLoader = TinyConvNet.loader();
        Path csv = dir.resolve("lr_finder.csv");
        Path png = dir.resolve("lr_finder.png");

        // --- the example, with the files in dir and one epoch ---
        SetupModel model = Luz.setup(net, Loss.softmaxCrossEntropyLoss(), Optimizers.adam())
                .device(Device.cpu());
        LrFinderResult r = LrFinder.builder().startLr(1e-4).endLr(0.3).build().run(model, trainLoader);
        r.writeCsv(csv);
        LrFinderPlot.defaults().writePng(r, png);
        Map<String, String> afterSweep = TinyConvNet.parameters(net);
        FittedModel fitted = model.fit(trainLoader, 1, null);
        // ---

        try (fitted) {
            assertThat(r.steps()).isEqualTo(100); // 25 epochs of 4 batches
            assertThat(r.lr()[99]).isEqualTo(0.3);
            assertThat(r.suggestions()).hasSize(3);
            for (Suggestion s : r.suggestions()) {
                assertThat(s.lr()).as(s.name()).isBetween(1e-5, 0.3);
            }
            assertThat(csv).exists();
            assertThat(png).exists();
            assertThat(afterSweep).isNotEqualTo(TinyConvNet.parameters(net));
            assertThat(Files.isRegularFile(png)).isTrue();
        }
    }
}
