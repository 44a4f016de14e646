package io.github.luzj;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import io.github.luzj.base.LuzjException;
import io.github.luzj.data.DataLoader;
import io.github.luzj.data.TensorDataset;
import io.github.luzj.fit.FitOptions;
import io.github.luzj.loss.Losses;
import io.github.luzj.optim.Optimizers;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A set-up block is fitted or loaded once: a second fit or load of the same {@link SetupModel}
 * is refused with the cause named, instead of sharing the first fitted model's weights while it
 * is open or failing on freed weights after it closed with an error about the data's shape.
 */
class SetupModelReuseTest {

    private static SetupModel setup() {
        SequentialBlock net = new SequentialBlock()
                .add(Linear.builder().setUnits(8).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(2).build());
        return Luz.setup(net, Losses.crossEntropy(), Optimizers.adam().lr(0.01));
    }

    private static FitOptions options() {
        float[][] x = UserDataErrorsTest.rows(16, 3);
        int[] y = new int[16];
        for (int i = 0; i < y.length; i++) {
            y[i] = i % 2;
        }
        DataLoader train = DataLoader.builder(TensorDataset.of(x, y)).batchSize(8).workers(0).build();
        return FitOptions.builder(train).epochs(1).verbose(false).build();
    }

    @Test
    void aSecondFitWhileTheFirstIsOpenIsRefusedAndTheFirstKeepsItsWeights() {
        SetupModel s = setup();
        try (FittedModel first = s.fit(options())) {
            assertThatThrownBy(() -> s.fit(options()))
                    .isInstanceOf(LuzjException.class)
                    .hasMessageContaining("already trained in an open FittedModel")
                    .hasMessageContaining("new block for each run");
            // the copies an option makes train the same block
            assertThatThrownBy(() -> s.channelsLast(false).fit(options()))
                    .isInstanceOf(LuzjException.class)
                    .hasMessageContaining("already trained in an open FittedModel");
            // continuing in the fitted model itself is the way to train on
            first.fit(options());
            assertThat(first.globalStep()).isEqualTo(4);
        }
    }

    @Test
    void theSameBlockInASecondSetupIsRefusedToo() {
        SequentialBlock net = new SequentialBlock().add(Linear.builder().setUnits(2).build());
        try (FittedModel first = Luz.setup(net, Losses.crossEntropy(), Optimizers.adam()).fit(options())) {
            assertThatThrownBy(() -> Luz.setup(net, Losses.crossEntropy(), Optimizers.sgd()).fit(options()))
                    .isInstanceOf(LuzjException.class)
                    .hasMessageContaining("already trained in an open FittedModel");
            first.globalStep();
        }
        SequentialBlock other = new SequentialBlock().add(Linear.builder().setUnits(2).build());
        Model model = Model.newInstance("mine");
        model.setBlock(other);
        try (FittedModel first = Luz.setup(model, Losses.crossEntropy(), Optimizers.adam()).fit(options())) {
            assertThatThrownBy(() -> Luz.setup(model, Losses.crossEntropy(), Optimizers.adam()).fit(options()))
                    .isInstanceOf(LuzjException.class)
                    .hasMessageContaining("already trained in an open FittedModel");
            first.globalStep();
        }
    }

    @Test
    void aFitOrLoadAfterTheFittedModelClosedSaysTheWeightsWereFreed(@TempDir Path tmp) {
        SetupModel s = setup();
        Path saved = tmp.resolve("saved");
        try (FittedModel f = s.fit(options())) {
            f.save(saved);
        }
        assertThatThrownBy(() -> s.fit(options()))
                .isInstanceOf(LuzjException.class)
                .hasMessageStartingWith("fit: ")
                .hasMessageContaining("were freed");
        assertThatThrownBy(() -> Luz.load(saved, s))
                .isInstanceOf(LuzjException.class)
                .hasMessageStartingWith("Luz.load: ")
                .hasMessageContaining("were freed");
        // a new block loads the save
        try (FittedModel loaded = Luz.load(saved, setup())) {
            DataLoader rows = DataLoader.builder(TensorDataset.of(UserDataErrorsTest.rows(3, 3)))
                    .workers(0).build();
            assertThat(loaded.predictRows(rows)).hasDimensions(3, 2);
        }
    }

    @Test
    void aClosedDjlModelIsNamedBeforeAnyBatch() {
        SetupModel s = setup();
        try (FittedModel f = s.fit(options())) {
            f.globalStep();
        }
        SequentialBlock net = new SequentialBlock().add(Linear.builder().setUnits(2).build());
        Model model = Model.newInstance("closed");
        model.setBlock(net);
        try (FittedModel f = Luz.setup(model, Losses.crossEntropy(), Optimizers.adam()).fit(options())) {
            f.globalStep();
        }
        model.close();
        assertThatThrownBy(() -> Luz.setup(model, Losses.crossEntropy(), Optimizers.adam()).fit(options()))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("the DJL model given to Luz.setup is closed");
    }

    @Test
    void aFailedFitLeavesTheBlockFreeForAnotherTry() {
        SetupModel s = setup();
        float[][] wrongWidth = UserDataErrorsTest.rows(8, 3);
        DataLoader bad = DataLoader.builder(TensorDataset.of(wrongWidth, new int[] {0, 1, 2, 0, 1, 2, 0, 1}))
                .batchSize(8).workers(0).build();
        assertThatThrownBy(() -> s.fit(FitOptions.builder(bad).epochs(1).verbose(false).build()))
                .isInstanceOf(LuzjException.class);
        try (FittedModel f = s.fit(options())) {
            assertThat(f.globalStep()).isEqualTo(2);
        }
    }
}
