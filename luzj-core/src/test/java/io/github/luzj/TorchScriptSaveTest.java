package io.github.luzj;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.luzj.base.LuzjException;
import io.github.luzj.data.DataLoader;
import io.github.luzj.data.TensorDataset;
import io.github.luzj.loss.Losses;
import io.github.luzj.optim.Optimizers;
import io.github.luzj.testing.ResnetFixtures;
import io.github.luzj.transfer.FeatureCache;
import io.github.luzj.transfer.Transfer;
import io.github.luzj.vision.models.TorchScriptTransfer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model with a TorchScript backbone saves and loads back: its weights file holds the module as
 * LibTorch's archive, which the saved-model checks place as one region, and a damaged archive is
 * still refused before LibTorch reads it.
 */
class TorchScriptSaveTest {

    private static DataLoader images(int n) {
        SplittableRandom r = new SplittableRandom(2);
        float[][] x = new float[n][3 * 32 * 32];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < x[i].length; j++) {
                x[i][j] = (float) r.nextDouble();
            }
            y[i] = i % 2;
        }
        return DataLoader.builder(TensorDataset.of(x, y).reshape(3, 32, 32)).batchSize(4).workers(0).build();
    }

    private static SetupModel setup(TorchScriptTransfer net) {
        return Luz.setup(net, Losses.crossEntropy(), Optimizers.adam());
    }

    @Test
    void aTorchScriptTransferModelLoadsBackAndPredictsTheSame(@TempDir Path tmp) throws Exception {
        Path saved = tmp.resolve("saved");
        float[][] before;
        try (TorchScriptTransfer net = Transfer.torchScript(ResnetFixtures.torchScript(), 2);
                FittedModel fitted = setup(net).fit(images(8), 1)) {
            fitted.save(saved);
            before = fitted.predictRows(images(4));
        }
        try (TorchScriptTransfer net = Transfer.torchScript(ResnetFixtures.torchScript(), 2);
                FittedModel loaded = Luz.load(saved, setup(net))) {
            float[][] after = loaded.predictRows(images(4));
            for (int i = 0; i < before.length; i++) {
                assertThat(after[i]).containsExactly(before[i]);
            }
        }
        // a byte flipped inside the archive's frame (its length) is refused before LibTorch reads it
        Path weights = saved.resolve("luzj-0000.params");
        byte[] bytes = Files.readAllBytes(weights);
        int frame = indexOfZip(bytes) - Long.BYTES;
        bytes[frame + 3] ^= 0x40;
        Files.write(weights, bytes);
        try (TorchScriptTransfer net = Transfer.torchScript(ResnetFixtures.torchScript(), 2)) {
            assertThatThrownBy(() -> Luz.load(saved, setup(net)))
                    .isInstanceOf(LuzjException.class)
                    .hasMessageContaining("layout differs from the set-up model's");
        }
    }

    /** Only the backbone needs weights for a feature cache: a TorchScript one has them, its head not yet. */
    @Test
    void aFreshTorchScriptBackboneCachesFeatures() {
        try (TorchScriptTransfer net = Transfer.torchScript(ResnetFixtures.torchScript(), 2)) {
            FeatureCache cache = FeatureCache.of(net, images(4));
            assertThat(cache.size()).isEqualTo(4);
        }
    }

    /** The first zip local header ("PK\3\4") in the file: the module's archive. */
    private static int indexOfZip(byte[] b) {
        for (int i = 0; i + 3 < b.length; i++) {
            if (b[i] == 'P' && b[i + 1] == 'K' && b[i + 2] == 3 && b[i + 3] == 4) {
                return i;
            }
        }
        throw new AssertionError("no zip archive in the weights file");
    }
}
