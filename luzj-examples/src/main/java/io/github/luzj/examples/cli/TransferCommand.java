package io.github.luzj.examples;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import com.google.gson.JsonObject;
import io.github.luzj.LuzjException;
import io.github.luzj.data.DataLoader;
import io.github.luzj.data.Transform;
import io.github.luzj.fit.FitOptions;
import io.github.luzj.io.OutputSet;
import io.github.luzj.optim.OptimizerSpec;
import io.github.luzj.optim.Optimizers;
import io.github.luzj.record.Records;
import io.github.luzj.vision.ExpandChannels;
import io.github.luzj.vision.FineTunable;
import io.github.luzj.vision.Normalize;
import io.github.luzj.vision.ParameterSummary;
import io.github.luzj.vision.ResNet18;
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
 *
 * <p>With {@code --pretrain fashion-mnist} the weights are made here, offline: ResNet-18 is first
 * trained on Fashion-MNIST ({@link PretrainFashionMnist}), saved as {@code .safetensors}, read
 * back and transferred; then the same head is trained on a random frozen backbone
 * ({@link PretrainBackbones}) with the same seed, epochs and data, and {@code summary.json}
 * reports both accuracies and their difference.
 */
@Command(
        name = "transfer",
        mixinStandardHelpOptions = true,
        description = "Train a new 10-class head on a frozen, pretrained ResNet-18.")
final class TransferCommand implements Callable<Integer> {

    @Mixin CommonOptions common;

    /** The baseline arm's history and summary, inside the output folder. */
    static final String BASELINE_DIR = "baseline-random-backbone";

    @Mixin CheckpointOptions checkpoints;

    @Mixin PretrainOptions pretrain;

    @Mixin TensorBoardOption tensorboard;

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
        pretrain.validate(weights, checkpoints.resume);
        checkpoints.validate();
        Path out = common.outOr("transfer");
        ChapterData data = ChapterData.load(common);
        Transform toRgb = ExpandChannels.toRgb();
        if (imagenetNormalize) {
            toRgb = toRgb.andThen(Normalize.imagenet());
        }
        DataLoader train = data.trainLoader(common, ChapterData.augmentation().andThen(toRgb));
        DataLoader valid = data.validLoader(common, toRgb);
        PretrainResult pre = null;
        if (pretrain.enabled()) {
            pre = PretrainFashionMnist.run(common, pretrain, toRgb, out);
            if (pre.interrupted()) {
                System.err.println("Pretraining was interrupted; no weights were written.");
                return 130;
            }
        }
        try (NDManager manager = NDManager.newBaseManager(common.device());
                Backbone net = pre != null ? pretrained(pre, manager) : load(manager)) {
            FineTunable model = net.model;
            ParameterSummary summary = model.summary();
            if (!common.quiet) {
                System.out.println(summary);
            }
            Arm arm = fit(model, net.block, train, valid, checkpoints);
            boolean[] interrupted = {arm.run.interrupted};
            PretrainResult pretrained = pre;
            try (arm.run.fitted) {
                OutputSet.write(out, stage -> {
                    Summary s = arm.run.writeOutputs(stage, "transfer")
                            .put("parameters", summary.parameters())
                            .put("trainable_parameters", summary.trainable())
                            .put("weights", net.source)
                            .put("fine_tune_epochs", fineTune)
                            .put("fine_tune_seconds", arm.fineTuneSeconds)
                            .put("lr", lr)
                            .put("batch_size", common.batchSize)
                            .put("seed", common.seed);
                    if (pretrained != null) {
                        s.put("pretrain", pretrained.json());
                    }
                    if (pretrained != null && !interrupted[0]) {
                        double accuracy = TrainingRun.lastOrNaN(arm.run.fitted.records(), Records.VALID, "acc");
                        Baseline baseline = baseline(manager, train, valid, stage);
                        interrupted[0] = baseline.interrupted;
                        s.put("baseline_random_backbone", baseline.json())
                                .put("transfer_gain", accuracy - baseline.accuracy);
                        printComparison(pretrained, accuracy, baseline);
                    }
                    s.write(stage.resolve("summary.json"));
                });
            }
            System.out.printf(
                    Locale.ROOT,
                    "Trainable parameters: %,d of %,d%nWrote %s%n",
                    summary.trainable(),
                    summary.parameters(),
                    out.resolve("summary.json"));
            return interrupted[0] ? 130 : 0;
        }
    }

    /** One trained arm: the frozen-backbone fit, then the optional fine-tuning. */
    private record Arm(TrainingRun run, double fineTuneSeconds) {}

    private Arm fit(
            FineTunable model, Block block, DataLoader train, DataLoader valid, CheckpointOptions cps) {
        OptimizerSpec adam =
                Optimizers.adam().lr(lr).group("backbone", model.backboneParameters(), backboneFactor);
        TrainingRun run =
                TrainingRun.fit(
                        common,
                        block,
                        adam,
                        train,
                        valid,
                        epochs,
                        cps,
                        "java -jar luzj-examples.jar transfer ... --checkpoint-dir " + cps.dir + " --resume",
                        java.util.Map.of(
                                "command", "transfer",
                                "--lr", lr,
                                "--weights", weights == null ? "pretrained here or DJL's zoo" : weights.toString(),
                                "--imagenet-normalize", imagenetNormalize,
                                "--backbone-lr-factor", backboneFactor,
                                "--batch-size", common.batchSize),
                        tensorboard.plus());
        if (fineTune == 0 || run.interrupted) {
            return new Arm(run, 0);
        }
        try {
            model.unfreeze();
            long t = System.nanoTime();
            run.fitted.fit(
                    FitOptions.builder(train)
                            .valid(valid)
                            .epochs(fineTune)
                            .seed(common.seed)
                            .verbose(!common.quiet)
                            .build());
            return new Arm(run, (System.nanoTime() - t) / 1e9);
        } catch (RuntimeException e) {
            run.fitted.close();
            throw e;
        }
    }

    /** The comparison's other arm: the same head, seed, epochs and data on a random backbone. */
    private record Baseline(double accuracy, double loss, boolean interrupted) {
        JsonObject json() {
            JsonObject o = new JsonObject();
            o.addProperty("valid_accuracy", accuracy);
            o.addProperty("valid_loss", loss);
            return o;
        }
    }

    private Baseline baseline(NDManager manager, DataLoader train, DataLoader valid, Path out) {
        if (!common.quiet) {
            System.out.println("Baseline: the same head on a randomly initialized, frozen ResNet-18");
        }
        ResNet18 net = PretrainBackbones.random(common.seed, manager);
        Arm arm = fit(net, net, train, valid, new CheckpointOptions());
        try (arm.run.fitted) {
            Records r = arm.run.fitted.records();
            arm.run.writeOutputs(out.resolve(BASELINE_DIR), "transfer baseline")
                    .put("trainable_parameters", net.summary().trainable())
                    .put("weights", "random (seed " + common.seed + ")")
                    .put("fine_tune_epochs", fineTune)
                    .put("seed", common.seed)
                    .write(out.resolve(BASELINE_DIR).resolve("summary.json"));
            return new Baseline(
                    TrainingRun.lastOrNaN(r, Records.VALID, "acc"), TrainingRun.lastOrNaN(r, Records.VALID, "loss"), arm.run.interrupted);
        }
    }

    private static void printComparison(PretrainResult pre, double accuracy, Baseline baseline) {
        System.out.printf(
                Locale.ROOT,
                "Fashion-MNIST pretraining (%d %s, %,d images): test accuracy %.4f, weights %s%n"
                        + "MNIST head on the pretrained frozen backbone: valid accuracy %.4f%n"
                        + "MNIST head on a random frozen backbone:       valid accuracy %.4f%n"
                        + "Transfer gain: %+.4f%n",
                pre.epochs(),
                pre.epochs() == 1 ? "epoch" : "epochs",
                pre.samples(),
                pre.validAccuracy(),
                pre.weightsFile(),
                accuracy,
                baseline.accuracy,
                accuracy - baseline.accuracy);
    }

    private Backbone pretrained(PretrainResult pre, NDManager manager) {
        ResNet18 net = PretrainBackbones.pretrained(pre.weightsFile(), common.seed, manager);
        return new Backbone(net, net, pre.weightsFile().toString(), null);
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
        // the new head is initialized here, before the fit seeds the engine: seed it first
        ai.djl.engine.Engine.getInstance().setRandomSeed((int) common.seed);
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
