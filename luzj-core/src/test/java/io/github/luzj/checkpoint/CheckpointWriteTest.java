package io.github.luzj.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import io.github.luzj.FittedModel;
import io.github.luzj.Luz;
import io.github.luzj.base.LuzjException;
import io.github.luzj.callback.Callback;
import io.github.luzj.callback.Phase;
import io.github.luzj.data.DataLoader;
import io.github.luzj.data.TensorDataset;
import io.github.luzj.fit.FitOptions;
import io.github.luzj.loss.Losses;
import io.github.luzj.optim.Optimizers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a checkpoint write leaves when it cannot finish, and how its rows are laid out. */
class CheckpointWriteTest {

    static FittedModel fitSaving(Path ckpt, int epochs) {
        float[][] x = new float[12][3];
        int[] y = new int[12];
        for (int i = 0; i < 12; i++) {
            x[i] = new float[] {i % 3, i % 2, i};
            y[i] = i % 2;
        }
        DataLoader train = DataLoader.builder(TensorDataset.of(x, y)).batchSize(4).workers(0).build();
        return Luz.setup(new SequentialBlock().add(Linear.builder().setUnits(2).build()),
                        Losses.crossEntropy(), Optimizers.adam())
                .fit(FitOptions.builder(train).epochs(epochs).verbose(false)
                        .callbacks(Callback.on(Phase.EPOCH_END, ctx -> ctx.saveCheckpoint(ckpt)))
                        .build());
    }

    static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void eachStepRowIsOneLine(@TempDir Path tmp) throws Exception {
        Path ckpt = tmp.resolve("ck");
        try (FittedModel ignored = fitSaving(ckpt, 2)) {
            String text = Files.readString(ckpt.resolve(Checkpoint.META));
            Matcher rows = Pattern.compile("\n +\\[\\d+, \\d, \"default\", [-0-9.E]+, [-0-9.E]+\\]")
                    .matcher(text);
            int n = 0;
            while (rows.find()) {
                n++;
            }
            assertThat(n).as(text).isEqualTo(6); // 3 batches x 2 epochs
            assertThat(text).contains("\n  \"epochs_done\": 2,"); // the rest pretty as before
            assertThat(Checkpoint.info(ckpt).position().globalStep()).isEqualTo(6);
        }
    }

    @Test
    void aWriteThatCannotFinishLeavesThePreviousCheckpointAndNoFilesOfItsOwn(@TempDir Path tmp)
            throws Exception {
        Path ckpt = tmp.resolve("ck");
        try (FittedModel fitted = fitSaving(ckpt, 1)) {
            List<String> before = names(ckpt);
            String meta = Files.readString(ckpt.resolve(Checkpoint.META));
            Checkpoint.Info info = Checkpoint.info(ckpt);
            Checkpoint.Meta next = new Checkpoint.Meta(
                    new Checkpoint.Position(1, 0, info.position().globalStep()), Map.of(), null,
                    info.run());
            // a checkpoint.json larger than the reader takes: refused after both binaries
            assertThatThrownBy(() -> Checkpoint.save(ckpt, fitted.block(), fitted.optimizer(),
                            fitted.records(), next, false, 200))
                    .isExactlyInstanceOf(LuzjException.class)
                    .hasMessageMatching("cannot write checkpoint .*: its checkpoint.json would be"
                            + " [0-9,]+ bytes, more than luzj reads back \\(200\\): the"
                            + " callbacks' states take 0, and most of the rest is the 3 rows of"
                            + " records\\(\\).steps\\(\\)\\. This checkpoint is not written and"
                            + " the previous one is kept.*");
            assertThat(names(ckpt)).isEqualTo(before);
            assertThat(Files.readString(ckpt.resolve(Checkpoint.META))).isEqualTo(meta);
        }
    }

    @Test
    void aLargeCallbackStateIsNamedAsTheCause(@TempDir Path tmp) throws Exception {
        Path ckpt = tmp.resolve("ck");
        try (FittedModel fitted = fitSaving(ckpt, 1)) {
            Checkpoint.Info info = Checkpoint.info(ckpt);
            com.google.gson.JsonObject big = new com.google.gson.JsonObject();
            big.addProperty("average", "x".repeat(5_000));
            Checkpoint.Meta next = new Checkpoint.Meta(
                    new Checkpoint.Position(1, 0, info.position().globalStep()),
                    Map.of("ExponentialMovingAverage(decay 0.9)", big), null, info.run());
            assertThatThrownBy(() -> Checkpoint.save(ckpt, fitted.block(), fitted.optimizer(),
                            fitted.records(), next, false, 4_000))
                    .isExactlyInstanceOf(LuzjException.class)
                    .hasMessageContaining("the callbacks' states take 5,014 (ExponentialMovingAverage(decay 0.9): 5,014)");
        }
    }
}
