package io.github.luzj.fit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.loss.Loss;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import io.github.luzj.FittedModel;
import io.github.luzj.Luz;
import io.github.luzj.SetupModel;
import io.github.luzj.base.LuzjException;
import io.github.luzj.callback.Callback;
import io.github.luzj.callback.Phase;
import io.github.luzj.checkpoint.Checkpoint;
import io.github.luzj.loss.Losses;
import io.github.luzj.metric.Metrics;
import io.github.luzj.optim.Optimizers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who may write where, what a damaged checkpoint says, what a resume compares. */
class CheckpointLifecycleTest {

    static FitOptions.Builder options(Path ckpt) {
        return FitOptions.builder(ResumeTest.train())
                .valid(ResumeTest.valid())
                .epochs(1)
                .verbose(false)
                .callbacks(Callback.on(Phase.EPOCH_END, ctx -> ctx.saveCheckpoint(ckpt)));
    }

    static void fit(FitOptions.Builder b) {
        try (FittedModel ignored = ResumeTest.setup().fit(b.build())) {
            // only the checkpoint matters
        }
    }

    static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    static JsonObject json(Path ckpt) throws Exception {
        return JsonParser.parseString(Files.readString(ckpt.resolve("checkpoint.json"))).getAsJsonObject();
    }

    @Test
    void aFreshRunRefusesAnEarlierRunsCheckpointUnlessAskedToReplaceIt(@TempDir Path tmp) throws Exception {
        Path ckpt = tmp.resolve("ckpt");
        fit(options(ckpt));
        String before = Files.readString(ckpt.resolve("checkpoint.json"));
        assertThatThrownBy(() -> fit(options(ckpt)))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("holds a checkpoint of an earlier run (epoch 1 of 1, written at ")
                .hasMessageContaining("overwriteCheckpoints");
        assertThat(Files.readString(ckpt.resolve("checkpoint.json"))).isEqualTo(before);
        fit(options(ckpt).overwriteCheckpoints(true));
        assertThat(json(ckpt).get("run_id")).isNotEqualTo(JsonParser.parseString(before).getAsJsonObject().get("run_id"));
        // one checkpoint's files only: the replaced one's are gone
        assertThat(names(ckpt)).hasSize(4).contains(".luzj-lock", "checkpoint.json");
    }

    @Test
    void foldersAndFilesLuzjDidNotWriteAreLeftAlone(@TempDir Path tmp) throws Exception {
        Path mine = Files.createDirectories(tmp.resolve("mine"));
        Files.writeString(mine.resolve("notes.txt"), "keep me");
        assertThatThrownBy(() -> fit(options(mine).overwriteCheckpoints(true)))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("holds files luzj did not write (notes.txt)");
        assertThat(names(mine)).containsExactly("notes.txt");
        // luzj's names on folders are not luzj's files: refused before training, not after it
        Path odd = Files.createDirectories(tmp.resolve("odd").resolve("checkpoint.json"));
        assertThatThrownBy(() -> fit(options(odd.getParent())))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("holds files luzj did not write (checkpoint.json)");
        Path file = Files.writeString(tmp.resolve("file"), "data");
        assertThatThrownBy(() -> fit(options(file).overwriteCheckpoints(true)))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("is a file, not a luzj checkpoint folder");
        assertThat(Files.readString(file)).isEqualTo("data");
        Path foreignJson = Files.createDirectories(tmp.resolve("keras"));
        Files.writeString(foreignJson.resolve("checkpoint.json"), "{}");
        assertThatThrownBy(() -> fit(options(foreignJson).overwriteCheckpoints(true)))
                .hasMessageContaining("that luzj did not write");
        assertThat(Files.readString(foreignJson.resolve("checkpoint.json"))).isEqualTo("{}");
    }

    @Test
    void genericNamesAreLuzjsOnlyBesideALuzjCheckpointJson(@TempDir Path tmp) throws Exception {
        // luzj 0.1's fixed names are anyone's: a user's own weights.params and optimizer.bin
        Path last = Files.createDirectories(tmp.resolve("D").resolve("last"));
        Files.writeString(last.resolve("weights.params"), "my weights");
        Files.writeString(last.resolve("optimizer.bin"), "my optimizer");
        assertThatThrownBy(() -> fit(options(last).overwriteCheckpoints(true)))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("holds files luzj did not write (optimizer.bin, weights.params)");
        assertThatThrownBy(() -> Checkpoint.delete(last))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("holds files luzj did not write");
        assertThat(names(last)).containsExactly("optimizer.bin", "weights.params");
        assertThat(Files.readString(last.resolve("weights.params"))).isEqualTo("my weights");
        assertThat(Files.readString(last.resolve("optimizer.bin"))).isEqualTo("my optimizer");

        // beside a luzj checkpoint.json they are luzj 0.1's checkpoint, replaced by the new one
        Path old = Files.createDirectories(tmp.resolve("old"));
        Files.writeString(old.resolve("checkpoint.json"), "{\"format\": \"luzj-checkpoint\", \"version\": 1}");
        Files.writeString(old.resolve("weights.params"), "w");
        Files.writeString(old.resolve("optimizer.bin"), "o");
        fit(options(old).overwriteCheckpoints(true));
        assertThat(names(old)).hasSize(4).doesNotContain("weights.params", "optimizer.bin");

        // beside a later checkpoint.json, which names versioned files, they are the user's again
        Files.writeString(old.resolve("weights.params"), "my export");
        Files.writeString(old.resolve("optimizer.bin"), "my notes");
        fit(options(old).overwriteCheckpoints(true));
        Checkpoint.delete(old);
        assertThat(names(old)).containsExactly("optimizer.bin", "weights.params");
        assertThat(old.resolve("weights.params")).hasContent("my export");
    }

    @Test
    void theNextWriteRemovesWhatKilledWritesLeftAndDeleteKeepsOtherFiles(@TempDir Path tmp) throws Exception {
        Path ckpt = tmp.resolve("ckpt");
        fit(options(ckpt));
        Files.writeString(ckpt.resolve("weights-3-deadbeef.params"), "half");
        Files.writeString(ckpt.resolve("optimizer-3-deadbeef.bin"), "half");
        Files.writeString(ckpt.resolve(".checkpoint.json.123.tmp"), "{");
        // luzj 0.1's writer left these beside the folder when killed
        Path old = Files.createDirectories(tmp.resolve(".ckpt.4711"));
        Files.writeString(old.resolve("weights.params"), "w");
        Path notOurs = Files.createDirectories(tmp.resolve(".ckpt.4712"));
        Files.writeString(notOurs.resolve("notes.txt"), "mine");
        fit(options(ckpt).overwriteCheckpoints(true));
        assertThat(old).doesNotExist();
        assertThat(notOurs.resolve("notes.txt")).exists();
        assertThat(names(ckpt)).hasSize(4).doesNotContain(
                "weights-3-deadbeef.params", "optimizer-3-deadbeef.bin", ".checkpoint.json.123.tmp");
        Files.writeString(ckpt.resolve("mine.txt"), "keep");
        Checkpoint.delete(ckpt);
        assertThat(names(ckpt)).containsExactly("mine.txt");
    }

    @Test
    void anyOtherFailureWhileReadingTheBinaryFilesIsOneDamagedMessage(@TempDir Path tmp) throws Exception {
        Path ckpt = tmp.resolve("ckpt");
        fit(options(ckpt));
        String weights = json(ckpt).getAsJsonObject("files").getAsJsonObject("weights").get("name").getAsString();
        // a reader's slip that its own checks miss, as the forged optimizer files once were
        ai.djl.nn.Block slips = new ai.djl.nn.SequentialBlock() {
            @Override
            public ai.djl.nn.ParameterList getParameters() {
                throw new IllegalStateException("slipped");
            }
        };
        assertThatThrownBy(() -> Checkpoint.load(ckpt, slips, null, new io.github.luzj.record.Records(),
                        Checkpoint.info(ckpt).run().config()))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("checkpoint " + ckpt + " is damaged: " + weights + " cannot be read"
                        + " (java.lang.IllegalStateException: slipped)")
                .hasMessageContaining("resume from another checkpoint")
                .hasCauseInstanceOf(IllegalStateException.class);
    }

    /** Rewrites checkpoint.json, resumes, and returns the message. */
    static String resumeAfter(Path ckpt, Consumer<JsonObject> damage) throws Exception {
        JsonObject j = json(ckpt);
        String original = j.toString();
        damage.accept(j);
        Files.writeString(ckpt.resolve("checkpoint.json"), j.toString());
        try {
            fit(options(ckpt).epochs(2).resumeFrom(ckpt));
            return "resumed";
        } catch (LuzjException e) {
            return e.getMessage();
        } finally {
            Files.writeString(ckpt.resolve("checkpoint.json"), original);
        }
    }

    @Test
    void everyDamagedFieldIsNamed(@TempDir Path tmp) throws Exception {
        Path ckpt = tmp.resolve("ckpt");
        fit(options(ckpt));
        assertThat(resumeAfter(ckpt, j -> j.remove("version"))).contains("is damaged: version is missing");
        assertThat(resumeAfter(ckpt, j -> j.remove("metrics"))).contains("is damaged: metrics is missing");
        assertThat(resumeAfter(ckpt, j -> j.addProperty("epochs_done", "one")))
                .contains("is damaged: epochs_done must be a whole number, got \"one\"");
        assertThat(resumeAfter(ckpt, j -> j.addProperty("epochs_done", -3)))
                .contains("is damaged: epochs_done is -3, outside [0, 1]");
        assertThat(resumeAfter(ckpt, j -> j.addProperty("epochs_done", 50)))
                .contains("is damaged: epochs_done is 50, outside [0, 1]");
        assertThat(resumeAfter(ckpt, j -> {
            j.addProperty("epochs", 60);
            j.addProperty("epochs_done", 50);
        })).contains("is damaged: epochs_done is 50 but the metrics end at epoch 1");
        assertThat(resumeAfter(ckpt, j -> j.getAsJsonObject("files").getAsJsonObject("weights")
                .add("name", new JsonPrimitive("../../x"))))
                .contains("is damaged: files.weights.name is '../../x', not a name luzj writes");
        assertThat(resumeAfter(ckpt, j -> j.getAsJsonArray("metrics").get(0).getAsJsonArray()
                .set(3, new JsonPrimitive("high"))))
                .contains("is damaged: metrics[0][3] (value) must be a number");
        // a count that would overflow once the resumed run steps on
        assertThat(resumeAfter(ckpt, j -> j.addProperty("global_step", Long.MAX_VALUE)))
                .contains("is damaged: global_step is 9223372036854775807, outside [0, 9007199254740992]");
        // a position in the middle of an epoch without that epoch's running sums
        assertThat(resumeAfter(ckpt, j -> {
            j.addProperty("epochs", 60);
            j.addProperty("batches_done", 1);
            j.add("running", com.google.gson.JsonNull.INSTANCE);
        })).contains("is damaged: running is missing, but batches_done is 1");
        // cut short after its marker: luzj's, damaged, not someone else's file
        String text = Files.readString(ckpt.resolve("checkpoint.json"));
        Files.writeString(ckpt.resolve("checkpoint.json"), text.substring(0, text.length() / 2));
        assertThatThrownBy(() -> fit(options(ckpt).epochs(2).resumeFrom(ckpt)))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("checkpoint " + ckpt + " is damaged");
        assertThatThrownBy(() -> fit(options(ckpt)))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining(ckpt + " holds a checkpoint of an earlier run");
        Files.writeString(ckpt.resolve("checkpoint.json"), text);
        String weights = json(ckpt).getAsJsonObject("files").getAsJsonObject("weights").get("name").getAsString();
        byte[] whole = Files.readAllBytes(ckpt.resolve(weights));
        Files.write(ckpt.resolve(weights), java.util.Arrays.copyOf(whole, whole.length / 2));
        assertThat(resumeAfter(ckpt, j -> { }))
                .contains("is damaged: " + weights + " does not match files.weights")
                .contains("cut short or changed");
        Files.write(ckpt.resolve(weights), whole);
        assertThat(resumeAfter(ckpt, j -> { })).isEqualTo("resumed");
    }

    @Test
    void aResumeWithAnotherLossIsRefusedAndACheckpointFromBeforeLossesWereRecordedResumes(
            @TempDir Path tmp) throws Exception {
        Path ckpt = tmp.resolve("ckpt");
        fit(options(ckpt).epochs(2));
        assertThat(json(ckpt).getAsJsonObject("config").get("loss").getAsString())
                .isEqualTo("SoftmaxCrossEntropyLoss");
        SequentialBlock net = new SequentialBlock()
                .add(Linear.builder().setUnits(8).build())
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(3).build());
        SetupModel otherLoss = Luz.setup(net, Losses.crossEntropy(), Optimizers.adam().lr(0.01));
        assertThatThrownBy(() -> otherLoss.fit(options(tmp.resolve("copy")).epochs(2).resumeFrom(ckpt).build()))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("loss was SoftmaxCrossEntropyLoss, now cross_entropy");
        // a checkpoint written before luzj recorded the loss has none to compare
        assertThat(resumeAfter(ckpt, j -> j.getAsJsonObject("config").remove("loss"))).isEqualTo("resumed");
    }

    @Test
    void aCheckpointGivenToLuzLoadSaysToResumeFromIt(@TempDir Path tmp) throws Exception {
        Path ckpt = tmp.resolve("ckpt");
        try (FittedModel f = ResumeTest.setup().fit(options(ckpt).build())) {
            String before = Files.readString(ckpt.resolve("checkpoint.json"));
            assertThatThrownBy(() -> f.save(ckpt))
                    .isInstanceOf(LuzjException.class)
                    .hasMessageContaining("is a checkpoint folder, and a save would replace it");
            assertThat(Files.readString(ckpt.resolve("checkpoint.json"))).isEqualTo(before);
        }
        assertThatThrownBy(() -> Luz.load(ckpt, ResumeTest.setup()))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("is a checkpoint, not a saved model")
                .hasMessageContaining("resumeFrom");
        // metrics added on resume: the checkpoint's empty list reads as words
        SetupModel withAccuracy = Luz.setup(
                new SequentialBlock().add(Linear.builder().setUnits(3).build()),
                Loss.softmaxCrossEntropyLoss(), Optimizers.adam().lr(0.01), Metrics.accuracy());
        assertThatThrownBy(() -> withAccuracy.fit(options(tmp.resolve("copy")).epochs(2).resumeFrom(ckpt).build()))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("metrics was (none), now acc");
    }

    @Test
    void aResumeWithOtherSettingsOrCallbacksNamesEachDifference(@TempDir Path tmp) throws Exception {
        Path ckpt = tmp.resolve("ckpt");
        fit(options(ckpt).epochs(2).config("--model", "small"));
        Path copy = tmp.resolve("copy");
        assertThatThrownBy(() -> fit(options(copy).epochs(2).seed(7).config("--model", "large").resumeFrom(ckpt)))
                .hasMessageContaining("--model was small, now large")
                .hasMessageContaining("seed was 1, now 7");
        assertThatThrownBy(() -> fit(options(copy).epochs(1).config("--model", "small").resumeFrom(ckpt)))
                .hasMessageContaining("its run was set to 2 epochs, this fit to 1");
        assertThatThrownBy(() -> fit(options(copy).epochs(3).config("--model", "small").resumeFrom(ckpt)
                        .callbacks(new io.github.luzj.callback.Callback() {
                            @Override
                            public java.util.Set<Phase> callOn() {
                                return java.util.Set.of(Phase.FIT_END);
                            }

                            @Override
                            public void on(Phase phase, io.github.luzj.callback.Context ctx) {}

                            @Override
                            public String name() {
                                return "Stateful";
                            }

                            @Override
                            public com.google.gson.JsonElement state() {
                                return new JsonPrimitive(1);
                            }
                        })))
                .hasMessageContaining("Stateful is in this fit but not in the checkpoint");
        fit(options(copy).epochs(3).config("--model", "small").resumeFrom(ckpt));
        assertThat(Checkpoint.info(copy).position().epochsDone()).isEqualTo(3);
    }
}
