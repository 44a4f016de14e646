package io.github.luzj.examples.chapter;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import io.github.luzj.base.LuzjException;
import io.github.luzj.data.DataLoader;
import io.github.luzj.data.Transform;
import io.github.luzj.fit.FitOptions;
import io.github.luzj.optim.OptimizerSpec;
import io.github.luzj.optim.Optimizers;
import io.github.luzj.transfer.Transfer;
import io.github.luzj.vision.models.FineTunable;
import io.github.luzj.vision.models.ParameterSummary;
import io.github.luzj.vision.models.ResNet18;
import io.github.luzj.vision.transforms.ExpandChannels;
import io.github.luzj.vision.transforms.Normalize;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The chapter's 17.3: ResNet-18 with pretrained weights, every weight frozen, {@code fc} replaced
 * by a 10-class linear layer, trained on MNIST expanded to 3 channels.
 *
 * <p>With pretraining the weights are made here, offline: ResNet-18 is first trained on
 * Fashion-MNIST ({@link PretrainFashionMnist}), saved as {@code .safetensors}, read back and
 * transferred; then the same head is trained on a random frozen backbone
 * ({@link PretrainBackbones}) with the same seed, epochs and data, and the result holds both
 * accuracies.
 */
public final class TransferExperiment {

    /** The head's learning rate when not told, as the CLI's option default. */
    public static final String DEFAULT_LR = "0.001";

    /** The backbone's rate as a fraction of the head's when not told, as the CLI's default. */
    public static final String DEFAULT_BACKBONE_LR_FACTOR = "0.1";

    private final RunSettings run;
    private final TransferSettings settings;

    private TransferExperiment(RunSettings run, TransferSettings settings) {
        this.run = run;
        this.settings = settings;
    }

    /**
     * Runs the experiment. The pretraining, when asked for, writes its weights and history into
     * {@code out} at once, since the transfer reads them back.
     *
     * @param run the data, seed, device and checkpoint settings
     * @param settings the experiment's settings
     * @param out the output folder
     * @return the result, empty when Ctrl-C cut the pretraining short (no weights were written)
     */
    public static Optional<TransferResult> run(RunSettings run, TransferSettings settings, Path out) {
        return new TransferExperiment(run, settings).run(out);
    }

    private Optional<TransferResult> run(Path out) {
        ChapterData data = ChapterData.load(run);
        Transform toRgb = ExpandChannels.toRgb();
        if (settings.imagenetNormalize()) {
            toRgb = toRgb.andThen(Normalize.imagenet());
        }
        DataLoader train = data.trainLoader(run, ChapterData.augmentation().andThen(toRgb));
        DataLoader valid = data.validLoader(run, toRgb);
        PretrainResult pre = null;
        if (settings.pretrain() != null) {
            pre = PretrainFashionMnist.run(run, settings.pretrain(), toRgb, out);
            if (pre.interrupted()) {
                return Optional.empty();
            }
        }
        try (NDManager manager = NDManager.newBaseManager(run.device());
                Backbone net = pre != null ? pretrained(pre, manager) : load(manager)) {
            ParameterSummary summary = net.model.summary();
            if (!run.quiet()) {
                System.out.println(summary);
            }
            Arm arm = fit(net.model, net.block, train, valid, run);
            BaselineResult baseline = null;
            if (pre != null && !arm.training.interrupted()) {
                baseline = baseline(manager, train, valid);
                printComparison(pre, arm.training.validAccuracy(), baseline);
            }
            return Optional.of(new TransferResult(
                    arm.training, arm.fineTuneSeconds, summary.parameters(), summary.trainable(),
                    net.source, settings, run.batchSize(), run.seed(), pre, baseline));
        }
    }

    /**
     * One trained arm: the frozen-backbone fit, then the optional fine-tuning, and the
     * parameters trainable at its end (all of them after fine-tuning).
     */
    private record Arm(TrainingResult training, double fineTuneSeconds, long trainableParameters) {}

    private Arm fit(FineTunable model, Block block, DataLoader train, DataLoader valid, RunSettings armRun) {
        OptimizerSpec adam =
                Optimizers.adam()
                        .lr(settings.lr())
                        .group("backbone", model.backboneParameters(), settings.backboneLrFactor());
        TrainingRun fit =
                TrainingRun.fit(
                        armRun,
                        block,
                        adam,
                        train,
                        valid,
                        settings.epochs(),
                        "transfer",
                        Map.of(
                                "command", "transfer",
                                "--lr", settings.lr(),
                                "--weights", settings.weights() == null
                                        ? "pretrained here or DJL's zoo" : settings.weights().toString(),
                                "--imagenet-normalize", settings.imagenetNormalize(),
                                "--backbone-lr-factor", settings.backboneLrFactor(),
                                "--batch-size", run.batchSize()));
        double fineTuneSeconds = 0;
        long trainable;
        TrainingResult training;
        try {
            if (settings.fineTuneEpochs() > 0 && !fit.interrupted()) {
                model.unfreeze();
                long t = System.nanoTime();
                fit.fitted().fit(
                        FitOptions.builder(train)
                                .valid(valid)
                                .epochs(settings.fineTuneEpochs())
                                .seed(run.seed())
                                .verbose(!run.quiet())
                                .build());
                fineTuneSeconds = (System.nanoTime() - t) / 1e9;
            }
            trainable = model.summary().trainable(); // counted while the parameters are open
        } finally {
            training = fit.finish(); // the model is closed also when the fine-tuning fails
        }
        return new Arm(training, fineTuneSeconds, trainable);
    }

    /** The comparison's other arm: the same head, seed, epochs and data on a random backbone. */
    private BaselineResult baseline(NDManager manager, DataLoader train, DataLoader valid) {
        if (!run.quiet()) {
            System.out.println("Baseline: the same head on a randomly initialized, frozen ResNet-18");
        }
        ResNet18 net = PretrainBackbones.random(run.seed(), manager);
        Arm arm = fit(net, net, train, valid, run.withoutCheckpoints());
        return new BaselineResult(
                arm.training, arm.trainableParameters, settings.fineTuneEpochs(), run.seed());
    }

    private static void printComparison(PretrainResult pre, double accuracy, BaselineResult baseline) {
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
                baseline.validAccuracy(),
                accuracy - baseline.validAccuracy());
    }

    private Backbone pretrained(PretrainResult pre, NDManager manager) {
        ResNet18 net = PretrainBackbones.pretrained(pre.weightsFile(), run.seed(), manager);
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
        Engine.getInstance().setRandomSeed((int) run.seed());
        Path weights = settings.weights();
        if (weights == null) {
            var ts = Transfer.zooResNet18Embedding(10, run.device());
            return new Backbone(ts, ts, Transfer.ZOO_RESNET18_EMBEDDING, ts);
        }
        String name = weights.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".safetensors") || name.endsWith(".pth")) {
            var net = Transfer.resnet18(weights, 10, manager);
            return new Backbone(net, net, weights.toString(), null);
        }
        if (name.endsWith(".pt") || Files.isDirectory(weights)) {
            var ts = Transfer.torchScript(weights, 10, run.device());
            return new Backbone(ts, ts, weights.toString(), ts);
        }
        throw new LuzjException(
                "--weights " + weights + " is neither .safetensors, .pth, a TorchScript .pt file nor"
                        + " a folder; pass torchvision weights or a TorchScript model");
    }
}
