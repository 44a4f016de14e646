package io.github.luzj;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.training.loss.Loss;
import io.github.luzj.base.LuzjException;
import io.github.luzj.checkpoint.ParameterManifest;
import io.github.luzj.fit.FitOptions;
import io.github.luzj.loss.Losses;
import io.github.luzj.optim.Optimizers;
import io.github.luzj.record.Records;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@link FittedModel#save} may overwrite and what {@link Luz#load} makes of damaged files. */
class SavedModelTest {

    /** DJL@, the version, "luzj", "FLOAT32", one input, its name "data0", then its rank. */
    static final int HEADER_RANK = 4 + 4 + 2 + 4 + 2 + 7 + 4 + 2 + 5;

    @TempDir static Path shared;
    static Path saved;
    static byte[] weights;

    @BeforeAll
    static void saveOnce() throws Exception {
        saved = shared.resolve("model");
        try (FittedModel fitted = fitted()) {
            fitted.save(saved);
        }
        weights = Files.readAllBytes(saved.resolve("luzj-0000.params"));
    }

    static FittedModel fitted() {
        return Luz.setup(LuzApiTest.net(), Loss.softmaxCrossEntropyLoss(), Optimizers.adam())
                .fit(FitOptions.builder(LuzApiTest.data(32, 3)).epochs(1).verbose(false).build());
    }

    static SetupModel setup() {
        return Luz.setup(LuzApiTest.net(), Loss.softmaxCrossEntropyLoss(), Optimizers.adam());
    }

    /** A copy of the saved model whose weights file holds {@code bytes}. */
    static Path withWeights(Path dir, byte[] bytes) throws Exception {
        Path copy = Files.createDirectories(dir.resolve("copy"));
        for (String f : new String[] {ParameterManifest.FILE, "records.json"}) {
            Files.copy(saved.resolve(f), copy.resolve(f));
        }
        Files.write(copy.resolve("luzj-0000.params"), bytes);
        return copy;
    }

    @Test
    void aLoadWithAnotherLossIsRefused() {
        SetupModel otherLoss = Luz.setup(LuzApiTest.net(), Losses.crossEntropy(), Optimizers.adam());
        assertThatThrownBy(() -> Luz.load(saved, otherLoss))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("trained with the loss 'SoftmaxCrossEntropyLoss', but this"
                        + " setup's is 'cross_entropy'");
    }

    /** A fit of a loaded model numbers its epochs on from the saved records, as before the save. */
    @Test
    void fittingALoadedModelContinuesItsEpochs() {
        try (FittedModel loaded = Luz.load(saved, setup())) {
            loaded.fit(FitOptions.builder(LuzApiTest.data(32, 3)).epochs(1).verbose(false).build());
            assertThat(loaded.records().entries("train", "loss"))
                    .extracting(Records.Entry::epoch)
                    .containsExactly(1, 2);
        }
    }

    /** The epoch numbers a loaded model's fit counts on from are checked: none negative, none at the end of int. */
    @Test
    void recordsWithEpochsAFitCannotCountOnFromAreRefused(@TempDir Path dir) throws Exception {
        Path copy = withWeights(dir, weights);
        String json = Files.readString(copy.resolve("records.json"));
        Files.writeString(copy.resolve("records.json"), json.replaceFirst("(\\[\\s*\"train\",\\s*\"loss\",\\s*)1,", "$1-1,"));
        assertThatThrownBy(() -> Luz.load(copy, setup()))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("are damaged (an epoch of -1)");
        Files.writeString(copy.resolve("records.json"),
                json.replaceFirst("(\\[\\s*\"train\",\\s*\"loss\",\\s*)1,", "$1" + Integer.MAX_VALUE + ","));
        try (FittedModel loaded = Luz.load(copy, setup())) {
            assertThatThrownBy(() -> loaded.fit(
                            FitOptions.builder(LuzApiTest.data(32, 3)).epochs(1).verbose(false).build()))
                    .isInstanceOf(LuzjException.class)
                    .hasMessageContaining("would count past 2147483647");
        }
    }

    @Test
    void saveLeavesAFolderWithTheUsersFilesAlone(@TempDir Path dir) throws Exception {
        Path thesis = Files.writeString(dir.resolve("thesis.txt"), "three years");
        try (FittedModel fitted = fitted()) {
            assertThatThrownBy(() -> fitted.save(dir))
                    .isInstanceOf(LuzjException.class)
                    .hasMessageContaining("holds files luzj did not write (thesis.txt)")
                    .hasMessageContaining("choose an empty or new folder");
            // a folder under luzj's name is not luzj's: the save would delete it whole
            Path other = Files.createDirectories(dir.resolve("other"));
            Files.createDirectories(other.resolve("records.json"));
            Files.writeString(other.resolve("records.json").resolve("notes"), "mine");
            assertThatThrownBy(() -> fitted.save(other))
                    .isInstanceOf(LuzjException.class)
                    .hasMessageContaining("(records.json)");
            assertThat(other.resolve("records.json").resolve("notes")).hasContent("mine");
            Path empty = Files.createDirectories(dir.resolve("empty"));
            fitted.save(empty);
            fitted.save(empty); // an earlier save is replaced
            assertThat(empty.resolve("luzj-0000.params")).isRegularFile();
        }
        assertThat(thesis).hasContent("three years");
    }

    @Test
    void saveNeverReplacesAFile(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("notes"), "mine");
        try (FittedModel fitted = fitted()) {
            assertThatThrownBy(() -> fitted.save(file))
                    .isInstanceOf(LuzjException.class)
                    .hasMessageContaining("is a file, not a luzj saved-model folder");
        }
        assertThat(file).isRegularFile().hasContent("mine");
    }

    /** Loading the saved weights with the rank at byte {@code at} (a 2 there) forged to 2^31 - 16. */
    private void assertForgedRankRefused(Path dir, int at, boolean checkOld, String message) throws Exception {
        byte[] forged = weights.clone();
        if (checkOld) {
            assertThat(ByteBuffer.wrap(forged).getInt(at)).isEqualTo(2);
        }
        ByteBuffer.wrap(forged).putInt(at, 0x7FFFFFF0);
        assertThatThrownBy(() -> Luz.load(withWeights(dir, forged), setup()))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining(message);
    }

    @Test
    void aForgedDimensionCountIsNamedInsteadOfRunningOutOfMemory(@TempDir Path dir) throws Exception {
        assertForgedRankRefused(dir, firstArrayRank(weights), false, "claims 2147483632 dimensions");
    }

    @Test
    void aForgedInputShapeInTheHeaderIsNamed(@TempDir Path dir) throws Exception {
        assertForgedRankRefused(dir, HEADER_RANK, true, "an input shape in its header claims 2147483632 dimensions");
    }

    @Test
    void aForgedCountOutsideTheArraysIsRefused(@TempDir Path dir) throws Exception {
        // the header's one shape ends it; then the sequential block's version byte, the count of
        // its input shapes and the first one's rank, which DJL's readInputShapes allocates by
        int rank = HEADER_RANK + 4 + 2 * 8 + 4 + 2 * 2 + 4 + 1 + 4;
        assertForgedRankRefused(dir, rank, true, "is damaged or not a luzj model file of this architecture:"
                + " its layout differs from the set-up model's at byte " + rank);
    }

    @Test
    void aSaveThroughALinkKeepsTheLinkAndReplacesTheFolderItLeadsTo(@TempDir Path dir) throws Exception {
        Path real = dir.resolve("real");
        Path link = Files.createSymbolicLink(dir.resolve("link"), real);
        try (FittedModel fitted = fitted()) {
            fitted.save(real);
            fitted.save(link); // over the earlier save, through the link
        }
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(real.resolve(ParameterManifest.FILE)).isRegularFile();
        try (FittedModel loaded = Luz.load(link, setup())) {
            assertThat(loaded.records().epochs()).isPositive();
        }
    }

    @Test
    void dotDotIsFollowedAsTheOperatingSystemDoesSoNoOtherFolderIsReplaced(@TempDir Path dir) throws Exception {
        // "missing/.." is the project folder to Path.normalize(), and no folder at all to the OS:
        // a save checked the one and replaced the other, deleting the user's files
        Path project = Files.createDirectories(dir.resolve("project"));
        Files.writeString(project.resolve("thesis.txt"), "years of work");
        // "link/.." is the parent of the link's target to the OS, the link's own folder to normalize()
        Path user = Files.createDirectories(dir.resolve("user/model"));
        Files.writeString(user.resolve("thesis.txt"), "more work");
        Path sub = Files.createDirectories(dir.resolve("other/sub"));
        Files.createSymbolicLink(dir.resolve("user/link"), sub);
        try (FittedModel fitted = fitted()) {
            assertThatThrownBy(() -> fitted.save(project.resolve("missing/..")))
                    .isExactlyInstanceOf(LuzjException.class)
                    .hasMessageContaining("goes up with '..' from")
                    .hasMessageContaining("does not exist");
            fitted.save(dir.resolve("user/link/../model"));
        }
        assertThat(project.resolve("thesis.txt")).hasContent("years of work");
        assertThat(user.resolve("thesis.txt")).hasContent("more work");
        assertThat(dir.resolve("other/model").resolve(ParameterManifest.FILE)).isRegularFile();
    }

    @Test
    void aSaveKilledBetweenItsTwoRenamesIsPointedTo(@TempDir Path dir) throws Exception {
        // what a kill -9 between "move the old save aside" and "move the new one in" leaves
        Path aside = Files.createDirectories(dir.resolve(".model.old-12345"));
        for (String f : new String[] {ParameterManifest.FILE, "records.json", "luzj-0000.params"}) {
            Files.copy(saved.resolve(f), aside.resolve(f));
        }
        assertThatThrownBy(() -> Luz.load(dir.resolve("model"), setup()))
                .isExactlyInstanceOf(LuzjException.class)
                .hasMessageContaining("no saved model at " + dir.resolve("model") + ", but its earlier save is at "
                        + aside)
                .hasMessageContaining("rename it to model");
        assertThatThrownBy(() -> Luz.load(dir.resolve("other"), setup()))
                .hasMessageEndingWith("; pass the folder that FittedModel.save wrote");
    }

    @Test
    void aForgedInputShapeIsRefusedBeforeTheFirstLayerTakesGigabytes(@TempDir Path dir) throws Exception {
        Path copy = withWeights(dir, weights);
        Path manifest = copy.resolve(ParameterManifest.FILE);
        String text = Files.readString(manifest);
        String forged = text.replaceFirst("\"input_shape\"\\s*:\\s*\\[[^]]*]", "\"input_shape\": [1, 100000000]");
        assertThat(forged).isNotEqualTo(text);
        Files.writeString(manifest, forged);
        // 8 x 10^8 floats for the first Linear: 3.2 GB, where the weights file holds a few hundred bytes
        assertThatThrownBy(() -> Luz.load(copy, setup()))
                .isExactlyInstanceOf(LuzjException.class)
                .hasMessageContaining("the saved model's input shape [1, 100000000] gives")
                .hasMessageContaining("more than its weights file holds")
                .hasMessageContaining("save the model again");
    }

    @Test
    void aFolderThatCannotBeListedIsPermissionDeniedNotIncomplete(@TempDir Path dir) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(
                "root".equals(System.getProperty("user.name")), "root lists every folder");
        Path copy = withWeights(dir, weights);
        Files.setPosixFilePermissions(copy, java.nio.file.attribute.PosixFilePermissions.fromString("-w-------"));
        try {
            assertThatThrownBy(() -> Luz.load(copy, setup()))
                    .isExactlyInstanceOf(LuzjException.class)
                    .hasMessageContaining("permission denied")
                    .hasMessageNotContaining("is missing");
        } finally {
            Files.setPosixFilePermissions(copy, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void devicesAndHugeFilesAreRefusedUnread(@TempDir Path dir) throws Exception {
        Path zero = withWeights(dir.resolve("zero"), weights);
        Files.createSymbolicLink(zero.resolve("luzj-0001.params"), Path.of("/dev/zero"));
        assertThatThrownBy(() -> Luz.load(zero, setup()))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("is not a regular file");
        Path huge = withWeights(dir.resolve("huge"), weights);
        try (var f = new java.io.RandomAccessFile(huge.resolve("records.json").toFile(), "rw")) {
            f.setLength(3L << 30); // sparse
        }
        assertThatThrownBy(() -> Luz.load(huge, setup()))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("more than luzj ever writes there");
    }

    @Test
    void damagedWeightsFilesAreNamed(@TempDir Path dir) throws Exception {
        byte[] cut = java.util.Arrays.copyOf(weights, weights.length - 7);
        assertThatThrownBy(() -> Luz.load(withWeights(dir.resolve("cut"), cut), setup()))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("is truncated");
        byte[] notOurs = "PK\3\4 a zip, say".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> Luz.load(withWeights(dir.resolve("zip"), notOurs), setup()))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("is not a luzj model file");
        Path folder = withWeights(dir.resolve("folder"), weights);
        Files.delete(folder.resolve("luzj-0000.params"));
        Files.createDirectories(folder.resolve("luzj-0000.params"));
        assertThatThrownBy(() -> Luz.load(folder, setup()))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("is a directory");
    }

    @Test
    void aFolderWithoutItsParameterListIsIncomplete(@TempDir Path dir) throws Exception {
        Path copy = withWeights(dir, weights);
        Files.delete(copy.resolve(ParameterManifest.FILE));
        assertThatThrownBy(() -> Luz.load(copy, setup()))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("is incomplete: parameters.json is missing");
    }

    @Test
    void theUntouchedCopyLoads(@TempDir Path dir) throws Exception {
        try (FittedModel loaded = Luz.load(withWeights(dir, weights), setup())) {
            assertThat(loaded.records().values("train", "loss")).hasSize(1);
        }
    }

    @Test
    void aParameterListOfTheWrongKindsIsNamed() {
        assertThatThrownBy(() -> ParameterManifest.parse(
                        "{\"input_shape\": [1, 4], \"parameters\": [{\"name\": {}}]}", "p.json"))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("p.json is not a luzj parameter list");
        assertThatThrownBy(() -> ParameterManifest.parse(
                        "{\"input_shape\": [1, 2], \"parameters\": [{\"name\": \"w\", \"shape\": [3]},"
                                + " {\"name\": \"w\", \"shape\": [5]}]}", "p.json"))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("p.json is not a luzj parameter list (it lists w twice)");
    }

    /** The offset of the first parameter array's dimension count: after "NDAR", its version, ... */
    static int firstArrayRank(byte[] bytes) {
        byte[] magic = {0, 4, 'N', 'D', 'A', 'R'};
        for (int i = 0; i + magic.length < bytes.length; i++) {
            if (java.util.Arrays.equals(bytes, i, i + magic.length, magic, 0, magic.length)) {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                b.position(i + magic.length);
                int version = b.getInt();
                if (version > 1 && b.get() == 1) {
                    b.position(b.position() + 2 + (b.getShort(b.position()) & 0xFFFF));
                }
                for (int s = 0; s < 2; s++) {
                    b.position(b.position() + 2 + (b.getShort(b.position()) & 0xFFFF));
                }
                return b.position();
            }
        }
        throw new AssertionError("no encoded array");
    }
}
