package io.github.luzj.examples.chapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.luzj.examples.cli.CliErrorsTest;
import io.github.luzj.vision.models.ResNet18;
import io.github.luzj.vision.models.ResNet18StateDict;
import io.github.luzj.weights.Safetensors;
import io.github.luzj.weights.SafetensorsWriter;
import io.github.luzj.weights.StateDict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code transfer --pretrain fashion-mnist}: its options, its two arms, and the whole pipeline. */
class PretrainTransferTest {

    @TempDir Path tmp;

    @Test
    void badPretrainOptionsAreNamedBeforeAnythingRuns() {
        Path out = tmp.resolve("out");
        CliErrorsTest.Run r = CliErrorsTest.run("transfer", "--data", "bundled", "--pretrain", "imagenet",
                "--out", out.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--pretrain must be fashion-mnist, got 'imagenet'");
        r = CliErrorsTest.run("transfer", "--data", "bundled", "--pretrain", "fashion-mnist",
                "--weights", "w.safetensors", "--out", out.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--weights w.safetensors was given too");
        r = CliErrorsTest.run("transfer", "--data", "bundled", "--pretrain-limit", "5", "--out",
                out.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--pretrain-limit needs --pretrain fashion-mnist");
        r = CliErrorsTest.run("transfer", "--data", "bundled", "--pretrain", "fashion-mnist",
                "--pretrain-epochs", "0", "--out", out.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--pretrain-epochs must be >= 1, got 0");
        r = CliErrorsTest.run("transfer", "--data", "bundled", "--pretrain", "fashion-mnist",
                "--checkpoint-dir", tmp.toString(), "--resume", "--out", out.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--resume cannot continue a --pretrain run");
        assertThat(Files.exists(out)).isFalse();
    }

    @Test
    void bothArmsStartFromTheSameHeadAndDifferOnlyInTheBackbone() {
        Path weights = tmp.resolve("pretrained.safetensors");
        try (NDManager manager = NDManager.newBaseManager()) {
            // any weights other than the seed's own initialization stand in for pretrained ones
            SafetensorsWriter.write(ResNet18StateDict.of(PretrainBackbones.random(99, manager)), weights);
            ResNet18 pretrained = PretrainBackbones.pretrained(weights, 3, manager);
            ResNet18 random = PretrainBackbones.random(3, manager);
            var p = pretrained.torchvisionParameters();
            var q = random.torchvisionParameters();
            assertThat(values(p.get("fc.weight"))).isEqualTo(values(q.get("fc.weight")));
            assertThat(values(p.get("fc.bias"))).isEqualTo(values(q.get("fc.bias")));
            assertThat(values(p.get("conv1.weight"))).isNotEqualTo(values(q.get("conv1.weight")));
            for (ResNet18 net : new ResNet18[] {pretrained, random}) {
                assertThat(net.summary().trainable()).isEqualTo(5_130);
            }
        }
    }

    private static float[] values(ai.djl.nn.Parameter p) {
        return p.getArray().toFloatArray();
    }

    @Test
    void pretrainsSavesTransfersAndComparesOnTinyLimits() throws IOException {
        // the Fashion-MNIST subset in the jar: runs offline, with or without Debian's package
        Path out = tmp.resolve("run");
        CliErrorsTest.Run r = CliErrorsTest.run("transfer", "--pretrain", "fashion-mnist",
                "--pretrain-epochs", "1", "--pretrain-limit", "256", "--pretrain-data", "bundled",
                "--data", "bundled",
                "--limit", "256", "--valid-limit", "256", "--epochs", "1", "--device", "cpu",
                "--quiet", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("Transfer gain: ").contains("Trainable parameters: 5,130");

        JsonObject s = JsonParser.parseString(Files.readString(out.resolve("summary.json")))
                .getAsJsonObject();
        assertThat(s.get("trainable_parameters").getAsLong()).isEqualTo(5_130);
        JsonObject pre = s.getAsJsonObject("pretrain");
        assertThat(pre.get("dataset").getAsString()).isEqualTo("fashion-mnist");
        assertThat(pre.get("epochs").getAsInt()).isEqualTo(1);
        assertThat(pre.get("samples").getAsInt()).isEqualTo(256);
        assertThat(pre.get("batches").getAsLong()).isEqualTo(2);
        assertThat(pre.get("valid_accuracy").getAsDouble()).isBetween(0.0, 1.0);
        Path weights = Path.of(pre.get("weights_file").getAsString());
        assertThat(s.get("weights").getAsString()).isEqualTo(weights.toString());
        JsonObject base = s.getAsJsonObject("baseline_random_backbone");
        double gain = s.get("valid_accuracy").getAsDouble() - base.get("valid_accuracy").getAsDouble();
        assertThat(s.get("transfer_gain").getAsDouble()).isCloseTo(gain, within(1e-12));
        assertThat(base.get("valid_loss").getAsDouble()).isPositive();
        for (String f : new String[] {"history.csv", "pretrain-fashion-mnist/history.csv",
                "pretrain-fashion-mnist/summary.json", "baseline-random-backbone/history.csv",
                "baseline-random-backbone/summary.json"}) {
            assertThat(out.resolve(f)).isRegularFile();
        }

        // the weights are the trained network: moved away from its seeded start, BatchNorm
        // statistics learnt, the two batches counted, and loadable as torchvision names
        StateDict sd = Safetensors.read(weights);
        assertThat(sd.size()).isEqualTo(122);
        assertThat(sd.get("layer4.1.bn2.num_batches_tracked").dtype()).isEqualTo("I64");
        assertThat(sd.get("layer4.1.bn2.num_batches_tracked").tensor().data()).containsExactly(2f);
        try (NDManager manager = NDManager.newBaseManager()) {
            StateDict start = ResNet18StateDict.of(PretrainBackbones.random(1, manager));
            for (String name : new String[] {"conv1.weight", "bn1.running_mean", "bn1.running_var",
                    "layer3.0.conv2.weight"}) {
                assertThat(Arrays.equals(sd.get(name).tensor().data(), start.get(name).tensor().data()))
                        .as(name + " changed by pretraining")
                        .isFalse();
            }
            assertThat(ResNet18.pretrained(weights, manager).classes()).isEqualTo(10);
        }
    }
}
