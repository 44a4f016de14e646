package io.github.luzj.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import io.github.luzj.FittedModel;
import io.github.luzj.Luz;
import io.github.luzj.data.DataLoader;
import io.github.luzj.data.FloatTensor;
import io.github.luzj.data.Sample;
import io.github.luzj.data.SampleDataset;
import io.github.luzj.fit.FitOptions;
import io.github.luzj.optim.Optimizers;
import io.github.luzj.testing.ResnetFixtures;
import io.github.luzj.vision.models.ParameterSummary;
import io.github.luzj.vision.models.ResNet18;
import io.github.luzj.vision.models.TorchScriptTransfer;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A few luzj training steps leave a frozen backbone, BatchNorm statistics included, untouched. */
class TransferTrainingTest {

    private static final long RESNET18_10_CLASSES = 11_181_642L;
    private static final long HEAD_10_CLASSES = 512 * 10 + 10;

    @Test
    void nativeFrozenBackboneIsBitwiseUnchangedAndHeadLearns() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            ResNet18 net = Transfer.resnet18(ResnetFixtures.safetensors(), 10, manager);
            ParameterSummary summary = net.summary();
            assertThat(summary.parameters()).isEqualTo(RESNET18_10_CLASSES);
            assertThat(summary.trainable()).isEqualTo(HEAD_10_CLASSES);
            assertThat(summary.row("fc").trainable()).isEqualTo(HEAD_10_CLASSES);
            assertThat(summary.row("layer4").trainable()).isZero();
            assertThat(summary.toString()).contains("11,181,642 parameters, 5,130 trainable");

            Map<String, byte[]> before = snapshot(net);
            Map<String, byte[]> after;
            try (FittedModel ignored = fit(net)) {
                after = snapshot(net);
            }

            // torchvision's 122 tensors less the 20 num_batches_tracked counters
            assertThat(before.keySet()).hasSize(102);
            assertThat(changed(before, after)).containsExactly("fc_weight", "fc_bias");
        }
    }

    @Test
    void nativeFreezeUpToLayer3TrainsOnlyLayer4AndHead() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            ResNet18 net = ResNet18.pretrained(ResnetFixtures.safetensors(), manager);
            net.replaceHead(10);
            net.freezeUpTo("layer3");
            long layer4 = net.summary().row("layer4").parameters();
            assertThat(net.summary().trainable()).isEqualTo(layer4 + HEAD_10_CLASSES);

            Map<String, byte[]> before = snapshot(net);
            Map<String, byte[]> after;
            try (FittedModel ignored = fit(net)) {
                after = snapshot(net);
            }
            // layer4 trains in training mode, so its BatchNorm statistics move too
            List<String> trains = before.keySet().stream()
                    .filter(name -> name.startsWith("layer4_") || name.startsWith("fc_"))
                    .toList();
            assertThat(trains).contains("layer4_1_bn2_runningMean", "layer4_0_conv1_weight");
            assertThat(changed(before, after)).containsExactlyElementsOf(trains);
        }
    }

    @Test
    void torchScriptFrozenBackboneIsBitwiseUnchangedAndHeadLearns() throws IOException {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu());
                TorchScriptTransfer net =
                        Transfer.torchScript(ResnetFixtures.torchScript(), 10, Device.cpu())) {
            ParameterSummary summary = net.summary();
            assertThat(summary.parameters()).isEqualTo(RESNET18_10_CLASSES);
            assertThat(summary.trainable()).isEqualTo(HEAD_10_CLASSES);
            assertThat(summary.rows()).extracting(ParameterSummary.Row::name)
                    .containsExactly("conv1", "bn1", "layer1", "layer2", "layer3", "layer4", "fc");

            NDArray x = ResnetFixtures.reference(manager).get("x");
            byte[] embeddingBefore = net.features(x).toByteArray();
            byte[] moduleBefore = serialize(net.backbone());
            Map<String, byte[]> before = snapshot(net);
            Map<String, byte[]> after;
            try (FittedModel ignored = fit(net)) {
                after = snapshot(net);
            }

            assertThat(before.keySet()).hasSize(60 + 2); // the module's parameters and the head's
            assertThat(changed(before, after)).containsExactly("fc_weight", "fc_bias");
            // the module's buffers (running statistics) are not DJL parameters: compare the whole
            // serialized module, and the eval-mode embedding that depends on them
            assertThat(Arrays.equals(serialize(net.backbone()), moduleBefore))
                    .as("serialized TorchScript module, buffers included, bitwise unchanged")
                    .isTrue();
            assertThat(Arrays.equals(net.features(x).toByteArray(), embeddingBefore))
                    .as("eval-mode embedding bitwise unchanged")
                    .isTrue();
        }
    }

    @Test
    void fittedNativeModelSavesAndLoadsIntoAFreshNetwork(@TempDir Path tmp) {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            ResNet18 net = Transfer.resnet18(ResnetFixtures.safetensors(), 10, manager);
            NDArray x = ResnetFixtures.reference(manager).get("x");
            FittedModel fitted =
                    Luz.setup(net, Loss.softmaxCrossEntropyLoss(), Optimizers.adam())
                            .device(Device.cpu())
                            .fit(FitOptions.builder(syntheticLoader()).epochs(1).verbose(false)
                                    .build());
            byte[] expected = net.forward(new ParameterStore(manager, false), new NDList(x), false)
                    .head().toByteArray();
            fitted.save(tmp.resolve("model"));
            fitted.close();

            ResNet18 fresh = ResNet18.create(10);
            try (FittedModel loaded = Luz.load(tmp.resolve("model"),
                    Luz.setup(fresh, Loss.softmaxCrossEntropyLoss(), Optimizers.adam())
                            .device(Device.cpu()))) {
                byte[] actual = fresh.forward(new ParameterStore(manager, false), new NDList(x),
                        false).head().toByteArray();
                assertThat(Arrays.equals(actual, expected)).as("same logits after reload").isTrue();
            }
        }
    }

    /** One epoch of 4 batches of 16 random 3x28x28 images through luzj's fit loop. */
    /** Fits one epoch; the caller closes the result after reading the block (it owns its arrays). */
    private static FittedModel fit(Block net) {
        FitOptions options =
                FitOptions.builder(syntheticLoader()).epochs(1).verbose(false).build();
        FittedModel fitted =
                Luz.setup(net, Loss.softmaxCrossEntropyLoss(), Optimizers.adam().lr(0.01))
                        .device(Device.cpu())
                        .fit(options);
        assertThat(fitted.records().entries()).isNotEmpty();
        return fitted;
    }

    static DataLoader syntheticLoader() {
        SplittableRandom rng = new SplittableRandom(42);
        int n = 64;
        Sample[] samples = new Sample[n];
        for (int i = 0; i < n; i++) {
            float[] img = new float[3 * 28 * 28];
            for (int j = 0; j < img.length; j++) {
                img[j] = (float) rng.nextDouble();
            }
            samples[i] = new Sample(
                    new FloatTensor(img, new long[] {3, 28, 28}),
                    FloatTensor.scalar(rng.nextInt(10)));
        }
        SampleDataset ds = new SampleDataset() {
            @Override
            public int size() {
                return n;
            }

            @Override
            public Sample get(int index) {
                return samples[index];
            }
        };
        return DataLoader.builder(ds).batchSize(16).build();
    }

    /** Every parameter's bytes by DJL path, BatchNorm running statistics included. */
    static Map<String, byte[]> snapshot(Block net) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : net.getParameters()) {
            out.put(p.getKey(), p.getValue().getArray().toByteArray());
        }
        return out;
    }

    private static byte[] serialize(PtSymbolBlock module) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        module.saveParameters(new DataOutputStream(bytes));
        return bytes.toByteArray();
    }

    /** The names whose bytes differ, in order. */
    static List<String> changed(Map<String, byte[]> before, Map<String, byte[]> after) {
        List<String> out = new ArrayList<>();
        for (String name : before.keySet()) {
            if (!Arrays.equals(before.get(name), after.get(name))) {
                out.add(name);
            }
        }
        return out;
    }
}
