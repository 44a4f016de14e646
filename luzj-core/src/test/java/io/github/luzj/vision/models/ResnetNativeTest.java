package io.github.luzj.vision.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.github.luzj.base.LuzjException;
import io.github.luzj.testing.ResnetFixtures;
import io.github.luzj.testing.SafetensorsFiles;
import io.github.luzj.weights.Safetensors;
import io.github.luzj.weights.StateDict;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResnetNativeTest {

    @TempDir Path tmp;

    @Test
    void reproducesTorchvisionEvalLogits() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList ref = ResnetFixtures.reference(manager);
            ResNet18 net = ResNet18.pretrained(ResnetFixtures.safetensors(), manager);
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray logits = net.forward(ps, new NDList(ref.get("x")), false).head();
            NDArray logits224 = net.forward(ps, new NDList(ref.get("x224")), false).head();
            assertThat(logits.getShape()).isEqualTo(new Shape(4, 1000));
            assertThat(ResnetFixtures.maxAbsDiff(logits, ref.get("logits"))).isLessThan(1e-4f);
            assertThat(ResnetFixtures.maxAbsDiff(logits224, ref.get("logits224")))
                    .isLessThan(1e-4f);
        }
    }

    @Test
    void renamedAndReshapedTensorsAreAllListedInOneError() throws IOException {
        StateDict sd = Safetensors.read(ResnetFixtures.safetensors());
        Map<String, SafetensorsFiles.Raw> raw = new LinkedHashMap<>();
        for (Map.Entry<String, SafetensorsFiles.Raw> e :
                SafetensorsFiles.fromStateDict(sd).entrySet()) {
            String name = e.getKey();
            SafetensorsFiles.Raw r = e.getValue();
            if (name.equals("layer1.0.conv1.weight")) {
                raw.put("layer1.0.conv1.weights", r); // renamed
            } else if (name.equals("layer2.0.bn1.running_var")) {
                raw.put(name, SafetensorsFiles.encode("F32", new long[] {64}, new float[64]));
            } else if (name.equals("layer3.0.downsample.0.weight")) {
                raw.put(name, SafetensorsFiles.encode("F32", new long[] {256, 128, 3, 3},
                        new float[256 * 128 * 9]));
            } else {
                raw.put(name, r);
            }
        }
        raw.put("layer9.num_batches_tracked", SafetensorsFiles.encode("I64", new long[0],
                new float[] {1}));
        Path broken = tmp.resolve("broken.safetensors");
        SafetensorsFiles.write(broken, raw);

        try (NDManager manager = NDManager.newBaseManager()) {
            int before = ((ai.djl.ndarray.BaseNDManager) manager).getManagedArrays().size();
            assertThatThrownBy(() -> ResNet18.pretrained(broken, manager))
                    .isInstanceOf(LuzjException.class)
                    .hasMessageContaining("5 problems")
                    .hasMessageContaining("missing 1: [layer1.0.conv1.weight]")
                    .hasMessageContaining(
                            "unexpected 2: [layer1.0.conv1.weights, layer9.num_batches_tracked]")
                    .hasMessageContaining(
                            "layer2.0.bn1.running_var is [64] in the file but [128] in the model")
                    .hasMessageContaining("layer3.0.downsample.0.weight is [256, 128, 3, 3] in the"
                            + " file but [256, 128, 1, 1] in the model");
            // the net never reached the caller: its arrays do not stay in their manager
            assertThat(((ai.djl.ndarray.BaseNDManager) manager).getManagedArrays()).hasSize(before);
            assertThatThrownBy(() -> io.github.luzj.transfer.Transfer.resnet18(ResnetFixtures.safetensors(), 0, manager))
                    .isInstanceOf(LuzjException.class)
                    .hasMessageContaining("classes");
            assertThat(((ai.djl.ndarray.BaseNDManager) manager).getManagedArrays()).hasSize(before);
        }
    }

    @Test
    void headOfAnotherSizeIsAWrongShape() {
        StateDict sd = Safetensors.read(ResnetFixtures.safetensors());
        try (NDManager manager = NDManager.newBaseManager()) {
            ResNet18 net = ResNet18.create(10);
            net.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 28, 28));
            assertThatThrownBy(() -> TorchvisionWeights.load(net, sd, "resnet18.safetensors"))
                    .isInstanceOf(LuzjException.class)
                    .hasMessageContaining("2 problems")
                    .hasMessageContaining("fc.weight is [1000, 512] in the file but [10, 512]")
                    .hasMessageContaining("fc.bias is [1000] in the file but [10]");
        }
    }

    @Test
    void parameterNamesAreTorchvisions() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ResNet18 net = ResNet18.create(1000);
            net.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 224, 224));
            StateDict sd = Safetensors.read(ResnetFixtures.safetensors());
            List<String> expected = sd.names().stream()
                    .filter(n -> !n.endsWith("num_batches_tracked"))
                    .toList();
            assertThat(net.torchvisionParameters().keySet()).containsExactlyElementsOf(expected);
            assertThat(net.getParameters().keys())
                    .contains("layer2_0_downsample_0_weight", "layer1_0_bn1_runningMean",
                            "bn1_gamma", "fc_bias");
        }
    }
}
