package io.github.luzj.examples;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import io.github.luzj.LuzjException;
import io.github.luzj.data.DataLoader;
import io.github.luzj.data.Transform;
import io.github.luzj.fit.FitOptions;
import io.github.luzj.optim.OptimizerSpec;
import io.github.luzj.optim.Optimizers;
import io.github.luzj.vision.ExpandChannels;
import io.github.luzj.vision.FineTunable;
import io.github.luzj.vision.Normalize;
import io.github.luzj.vision.ParameterSummary;
import io.github.luzj.vision.Transfer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The chapter's 17.3: ResNet-18 with pretrained weights, every weight frozen, {@code fc} replaced
 * by a 10-class linear layer, trained on MNIST expanded to 3 channels.
 */
@Command(
        name = "transfer",
        mixinStandardHelpOptions = true,
        description = "Train a new 10-class head on a frozen, pretrained ResNet-18.")
final class TransferCommand implements Callable<Integer> {

    @Mixin CommonOptions common;

    @Mixin CheckpointOptions checkpoints;

    @Option(
            names = "--weights",
            paramLabel = "FILE_OR_DIR",
            description =
                    "torchvision weights (.safetensors or .pth) for the native ResNet-18, or a"
                            + " TorchScript .pt file or folder of resnet18_embedding's layout;"
                            + " default: DJL's model zoo (online).")
    Path weights;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "5", description = "Epochs with the backbone frozen (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--lr", paramLabel = "LR", defaultValue = "0.001", description = "Adam's learning rate for the head (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(
            names = "--fine-tune",
            paramLabel = "EPOCHS",
            defaultValue = "0",
            description = "Then unfreeze everything and train EPOCHS more, the backbone at --backbone-lr-factor x lr.")
    int fineTune;

    @Option(names = "--backbone-lr-factor", paramLabel = "F", defaultValue = "0.1", description = "Backbone LR as a fraction of the head's when fine-tuning (default: ${DEFAULT-VALUE}).")
    double backboneFactor;

    @Option(names = "--imagenet-normalize", description = "Normalize with ImageNet's channel means and deviations.")
    boolean imagenetNormalize;

    @Override
    public Integer call() {
        common.validate();
        LuzjException.check(epochs >= 1, "--epochs must be >= 1, got %d", epochs);
        LuzjException.check(fineTune >= 0, "--fine-tune must be >= 0, got %d", fineTune);
        Path out = common.outOr("transfer");
        ChapterData data = ChapterData.load(common);
        Transform toRgb = ExpandChannels.toRgb();
        if (imagenetNormalize) {
            toRgb = toRgb.andThen(Normalize.imagenet());
        }
        DataLoader train = data.trainLoader(common, ChapterData.augmentation().andThen(toRgb));
        DataLoader valid = data.validLoader(common, toRgb);
        try (NDManager manager = NDManager.newBaseManager(common.device());
                Backbone net = load(manager)) {
            FineTunable model = net.model;
            ParameterSummary summary = model.summary();
            if (!common.quiet) {
                System.out.println(summary);
            }
            OptimizerSpec adam =
                    Optimizers.adam().lr(lr).group("backbone", model.backboneParameters(), backboneFactor);
            TrainingRun run =
                    TrainingRun.fit(
                            common,
                            net.block,
                            adam,
                            train,
                            valid,
                            epochs,
                            checkpoints,
                            "java -jar luzj-examples.jar transfer ... --checkpoint-dir " + checkpoints.dir + " --resume");
            try (run.fitted) {
                double fineTuneSeconds = 0;
                if (fineTune > 0 && !run.interrupted) {
                    model.unfreeze();
                    long t = System.nanoTime();
                    run.fitted.fit(
                            FitOptions.builder(train)
                                    .valid(valid)
                                    .epochs(fineTune)
                                    .seed(common.seed)
                                    .verbose(!common.quiet)
                                    .build());
                    fineTuneSeconds = (System.nanoTime() - t) / 1e9;
                }
                run.writeOutputs(out, "transfer")
                        .put("parameters", summary.parameters())
                        .put("trainable_parameters", summary.trainable())
                        .put("weights", net.source)
                        .put("fine_tune_epochs", fineTune)
                        .put("fine_tune_seconds", fineTuneSeconds)
                        .put("lr", lr)
                        .put("batch_size", common.batchSize)
                        .put("seed", common.seed)
                        .write(out.resolve("summary.json"));
            }
            System.out.printf(
                    Locale.ROOT,
                    "Trainable parameters: %,d of %,d%nWrote %s%n",
                    summary.trainable(),
                    summary.parameters(),
                    out.resolve("summary.json"));
            return run.exitCode();
        }
    }

    /** The network with its source, closed after the run. */
    private record Backbone(Block block, FineTunable model, String source, AutoCloseable owner)
            implements AutoCloseable {
        @Override
        public void close() {
            if (owner != null) {
                try {
                    owner.close();
                } catch (Exception e) {
                    throw new LuzjException("cannot close the TorchScript model: " + e, e);
                }
            }
        }
    }

    private Backbone load(NDManager manager) {
        if (weights == null) {
            var ts = Transfer.zooResNet18Embedding(10, common.device());
            return new Backbone(ts, ts, Transfer.ZOO_RESNET18_EMBEDDING, ts);
        }
        String name = weights.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".safetensors") || name.endsWith(".pth")) {
            var net = Transfer.resnet18(weights, 10, manager);
            return new Backbone(net, net, weights.toString(), null);
        }
        if (name.endsWith(".pt") || Files.isDirectory(weights)) {
            var ts = Transfer.torchScript(weights, 10, common.device());
            return new Backbone(ts, ts, weights.toString(), ts);
        }
        throw new LuzjException(
                "--weights " + weights + " is neither .safetensors, .pth, a TorchScript .pt file nor"
                        + " a folder; pass torchvision weights or a TorchScript model");
    }
}
