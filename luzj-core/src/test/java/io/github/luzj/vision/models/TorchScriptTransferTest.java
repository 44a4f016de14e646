package io.github.luzj.vision.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.luzj.testing.ResnetFixtures;
import io.github.luzj.transfer.Transfer;
import org.junit.jupiter.api.Test;

class TorchScriptTransferTest {

    @Test
    void embeddingMatchesTorchvision() {
        try (NDManager manager = NDManager.newBaseManager();
                TorchScriptTransfer net =
                        Transfer.torchScript(ResnetFixtures.torchScript(), 10, Device.cpu())) {
            NDList ref = ResnetFixtures.reference(manager);
            NDArray emb = net.features(ref.get("x"));
            NDArray emb224 = net.features(ref.get("x224"));
            assertThat(emb.getShape()).isEqualTo(new Shape(4, 512));
            assertThat(ResnetFixtures.maxAbsDiff(emb, ref.get("embedding").reshape(4, 512)))
                    .isLessThan(1e-5f);
            assertThat(ResnetFixtures.maxAbsDiff(emb224, ref.get("embedding224").reshape(2, 512)))
                    .isLessThan(1e-5f);
        }
    }
}
