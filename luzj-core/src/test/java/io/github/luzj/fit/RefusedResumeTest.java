package io.github.luzj.fit;

import static io.github.luzj.fit.ResumeTest.allParameters;
import static io.github.luzj.fit.ResumeTest.setup;
import static io.github.luzj.fit.ResumeTest.train;
import static io.github.luzj.fit.ResumeTest.valid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.loss.Loss;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.luzj.FittedModel;
import io.github.luzj.Luz;
import io.github.luzj.SetupModel;
import io.github.luzj.base.LuzjException;
import io.github.luzj.callback.Callback;
import io.github.luzj.callback.Phase;
import io.github.luzj.optim.Optimizers;
import io.github.luzj.record.Records;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A resume that is refused, or fails in any way before its first batch, leaves the model as it
 * was: weights, batch-norm statistics, optimizer state, records and counters. Some refusals can
 * only be made once the checkpoint is read and the fit has begun (an optimizer that does not fit,
 * a split epoch's forged sums, a callback's check at {@code FIT_BEGIN}); the model is put back
 * after each, so that its next fit is the one it would have run had the resume not been tried.
 */
class RefusedResumeTest {

    static FitOptions.Builder options(int epochs) {
        return FitOptions.builder(train()).valid(valid()).epochs(epochs).verbose(false);
    }

    static Callback saveAtEpoch(int epoch, Path ckpt) {
        return Callback.on(Phase.EPOCH_END, ctx -> {
            if (ctx.epoch() == epoch) {
                ctx.saveCheckpoint(ckpt);
            }
        });
    }

    static Callback failAtFitBegin() {
        return Callback.on(Phase.FIT_BEGIN, ctx -> {
            throw new LuzjException("refused at fit begin");
        });
    }

    /** The parts of a model a resume writes, as values. */
    private record State(float[] parameters, List<Records.Entry> entries, List<Records.StepEntry> steps,
            long step, int epochs) {
        static State of(FittedModel m) {
            return new State(allParameters(m), List.copyOf(m.records().entries()),
                    List.copyOf(m.records().steps()), m.globalStep(), m.records().epochs());
        }

        void assertSameAs(State other) {
            assertThat(parameters).as("weights and batch-norm statistics").containsExactly(other.parameters);
            assertThat(entries).as("records").isEqualTo(other.entries);
            assertThat(steps).as("step records").isEqualTo(other.steps);
            assertThat(step).as("global step").isEqualTo(other.step);
            assertThat(epochs).as("epochs").isEqualTo(other.epochs);
        }
    }

    @Test
    void aCallbackFailingAtFitBeginOfAResumeLeavesATrainedModelAsItWas(@TempDir Path dir) {
        Path ckpt = dir.resolve("ckpt");
        try (FittedModel model = setup().fit(options(3).callbacks(saveAtEpoch(1, ckpt)).build())) {
            State before = State.of(model);
            assertThatThrownBy(() -> model.fit(options(3).resumeFrom(ckpt).callbacks(failAtFitBegin()).build()))
                    .isInstanceOf(LuzjException.class)
                    .hasMessageContaining("refused at fit begin");
            State.of(model).assertSameAs(before);
        }
    }

    @Test
    void aTrainedModelWhoseResumeWasRefusedTrainsOnAsItsTwinThatNeverTried(@TempDir Path dir) {
        Path ckpt = dir.resolve("ckpt");
        try (FittedModel tried = setup().fit(options(2).callbacks(saveAtEpoch(1, ckpt)).build());
                FittedModel twin = setup().fit(options(2).build())) {
            assertThatThrownBy(() -> tried.fit(options(2).resumeFrom(ckpt).callbacks(failAtFitBegin()).build()))
                    .isInstanceOf(LuzjException.class);
            // Adam's moments and step counts must be the ones before the attempt, not the checkpoint's
            tried.fit(options(2).build());
            twin.fit(options(2).build());
            State.of(tried).assertSameAs(State.of(twin));
        }
    }

    @Test
    void anOptimizerStateThatCannotBeReadIsRefusedWithTheWeightsAsTheyWere(@TempDir Path dir)
            throws Exception {
        Path ckpt = dir.resolve("ckpt");
        try (FittedModel model = setup().fit(options(3).callbacks(saveAtEpoch(1, ckpt)).build())) {
            // cut short after the weights file was read whole, with a digest that matches
            Path meta = ckpt.resolve("checkpoint.json");
            JsonObject root = JsonParser.parseString(Files.readString(meta)).getAsJsonObject();
            JsonObject entry = root.getAsJsonObject("files").getAsJsonObject("optimizer");
            Path file = ckpt.resolve(entry.get("name").getAsString());
            byte[] content = Arrays.copyOf(Files.readAllBytes(file), 40);
            Files.write(file, content);
            entry.addProperty("bytes", content.length);
            entry.addProperty("sha256",
                    HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)));
            Files.writeString(meta, root.toString());
            State before = State.of(model);
            assertThatThrownBy(() -> model.fit(options(3).resumeFrom(ckpt).build()))
                    .isInstanceOf(LuzjException.class)
                    .hasMessageContaining("does not fit this model");
            State.of(model).assertSameAs(before);
        }
    }

    @Test
    void forgedRunningSumsAreRefusedWithTheModelAsItWas(@TempDir Path dir) throws Exception {
        Path ckpt = dir.resolve("ckpt");
        Callback midEpoch = Callback.on(Phase.TRAIN_BATCH_END, ctx -> {
            if (ctx.epoch() == 2 && ctx.batchIndex() == 1) {
                ctx.saveCheckpoint(ckpt);
            }
        });
        try (FittedModel model = setup().fit(options(3).callbacks(midEpoch).build())) {
            Path meta = ckpt.resolve("checkpoint.json");
            JsonObject root = JsonParser.parseString(Files.readString(meta)).getAsJsonObject();
            JsonArray one = new JsonArray();
            one.add(1.0);
            root.getAsJsonObject("running").add("loss", one);
            Files.writeString(meta, root.toString());
            State before = State.of(model);
            assertThatThrownBy(() -> model.fit(options(3).resumeFrom(ckpt).build()))
                    .isInstanceOf(LuzjException.class);
            State.of(model).assertSameAs(before);
        }
    }

    @Test
    void aResumeOfATrainedModelHasTheCheckpointsRecordsNotBothRuns(@TempDir Path dir) {
        Path ckpt = dir.resolve("ckpt");
        try (FittedModel model = setup().fit(options(3).callbacks(saveAtEpoch(1, ckpt)).build());
                FittedModel fresh = setup().fit(options(3).resumeFrom(ckpt).build())) {
            model.fit(options(3).resumeFrom(ckpt).build());
            State.of(model).assertSameAs(State.of(fresh));
        }
    }

    @Test
    void aRefusedResumeLeavesAUsersPretrainedBlockWithItsOwnWeights(@TempDir Path dir) {
        Path ckpt = dir.resolve("ckpt");
        try (FittedModel writer = setup().fit(options(2).callbacks(saveAtEpoch(1, ckpt)).build());
                NDManager manager = NDManager.newBaseManager()) {
            // the user's block, initialized (pretrained, say) before luzj sees it
            Block block = new SequentialBlock()
                    .add(Linear.builder().setUnits(8).build())
                    .add(BatchNorm.builder().build())
                    .add(Activation.reluBlock())
                    .add(Linear.builder().setUnits(3).build());
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 4));
            float[] before = parameters(block);
            SetupModel pretrained = Luz.setup(block, Loss.softmaxCrossEntropyLoss(), Optimizers.adam().lr(0.01));
            assertThatThrownBy(() -> pretrained.fit(options(2).resumeFrom(ckpt).callbacks(failAtFitBegin()).build()))
                    .isInstanceOf(LuzjException.class);
            assertThat(parameters(block)).as("the user's weights").containsExactly(before);
            assertThat(parameters(block)).as("not the checkpoint's").isNotEqualTo(parameters(writer.block()));
        }
    }

    private static float[] parameters(Block block) {
        return block.getParameters().stream()
                .map(p -> p.getValue().getArray().toFloatArray())
                .reduce(new float[0], ResumeTest::concat);
    }
}
