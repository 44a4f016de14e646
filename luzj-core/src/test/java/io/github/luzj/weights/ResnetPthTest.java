package io.github.luzj.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.github.luzj.base.LuzjException;
import io.github.luzj.testing.ResnetFixtures;
import io.github.luzj.vision.models.ResNet18;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The restricted {@code .pth} reader, on files laid out as {@code torch.save} writes them. */
class ResnetPthTest {

    @TempDir Path tmp;

    private Path resource(String name) throws IOException {
        Path out = tmp.resolve(name);
        try (InputStream in = getClass().getResourceAsStream("pth/" + name)) {
            Files.copy(in, out);
        }
        return out;
    }

    @Test
    void readsAPickleWrittenByPythonIncludingViewsOffsetsAndDtypes() throws IOException {
        StateDict sd = PthReader.read(resource("small_state_dict.pth"));
        assertThat(sd.names()).containsExactly("a.weight", "a.transposed", "a.tail", "b.half",
                "b.num_batches_tracked");
        assertThat(sd.get("a.weight").tensor().shape()).containsExactly(2, 3);
        assertThat(sd.get("a.weight").tensor().data())
                .containsExactly(-1f, -0.5f, 0f, 0.5f, 1f, 1.5f);
        assertThat(sd.get("a.transposed").tensor().data())
                .containsExactly(-1f, 0.5f, -0.5f, 1f, 0f, 1.5f);
        assertThat(sd.get("a.tail").tensor().data()).containsExactly(1f, 1.5f);
        assertThat(sd.get("b.half").dtype()).isEqualTo("F16");
        assertThat(sd.get("b.half").tensor().data()).containsExactly(1f, -2f, 0.25f, 65504f);
        assertThat(sd.get("b.num_batches_tracked").dtype()).isEqualTo("I64");
        assertThat(sd.get("b.num_batches_tracked").tensor().shape()).isEmpty();
        assertThat(sd.get("b.num_batches_tracked").tensor().data()).containsExactly(7f);
    }

    @Test
    void refusesAPickleThatWouldRunCode() throws IOException {
        Path evil = resource("evil.pth");
        assertThatThrownBy(() -> PthReader.read(evil))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("refusing to unpickle")
                .hasMessageContaining("system")
                .hasMessageContaining("Convert a trusted copy to .safetensors");
    }

    @Test
    void checkpointDictIsNotAStateDict() throws IOException {
        Path checkpoint = resource("checkpoint.pth");
        assertThatThrownBy(() -> PthReader.read(checkpoint))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("not a flat state_dict")
                .hasMessageContaining("key epoch");
    }

    @Test
    void fullResnetFromPthReproducesTheLogits() throws IOException {
        Path pth = tmp.resolve("resnet18.pth");
        ResnetPthFiles.write(pth, Safetensors.read(ResnetFixtures.safetensors()));
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList ref = ResnetFixtures.reference(manager);
            ResNet18 net = ResNet18.pretrained(pth, manager);
            NDArray logits =
                    net.forward(new ParameterStore(manager, false), new NDList(ref.get("x")), false)
                            .head();
            assertThat(ResnetFixtures.maxAbsDiff(logits, ref.get("logits"))).isLessThan(1e-4f);
        }
        byte[] all = Files.readAllBytes(pth);
        Path cut = Files.write(tmp.resolve("cut.pth"), Arrays.copyOf(all, all.length / 2));
        try (NDManager manager = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> ResNet18.pretrained(cut, manager))
                    .isInstanceOf(LuzjException.class)
                    .hasMessageContaining("not a readable zip archive")
                    .hasMessageContaining("truncated");
        }
    }
}
