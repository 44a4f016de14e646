package io.github.luzj.examples.bench;

import ai.djl.ndarray.NDManager;
import ai.djl.training.loss.Loss;
import io.github.luzj.FittedModel;
import io.github.luzj.Luz;
import io.github.luzj.base.Checks;
import io.github.luzj.data.DataLoader;
import io.github.luzj.data.SampleDataset;
import io.github.luzj.data.Subset;
import io.github.luzj.examples.chapter.RunSettings;
import io.github.luzj.fit.FitOptions;
import io.github.luzj.optim.Optimizers;
import io.github.luzj.transfer.Transfer;
import io.github.luzj.vision.models.ResNet18;
import io.github.luzj.vision.transforms.ExpandChannels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The transfer chapter's claim, timed: an epoch of ResNet-18 with every layer but the new head
 * frozen against one with everything trainable, on the same 3×28×28 digits and the same weights
 * (torchvision's file when one is given, else random ones). The two take turns, one epoch each.
 */
final class BenchResNet {

    /**
     * Timings of one epoch, one entry per round.
     *
     * @param frozen the frozen backbone's
     * @param trainable the fully trainable network's
     * @param samples samples per epoch
     * @param weights the weight file, or "random"
     */
    record Results(List<BenchTiming> frozen, List<BenchTiming> trainable, int samples, String weights) {}

    private final RunSettings options;
    private final int rounds;
    private final Path weights;
    private final BenchLog log;

    BenchResNet(RunSettings options, int rounds, Path weights, BenchLog log) {
        this.options = options;
        this.rounds = rounds;
        this.weights = weights;
        this.log = log;
    }

    /**
     * Finds the weights: {@code --weights}, else {@code $LUZJ_FIXTURES/resnet18/resnet18.safetensors}.
     *
     * @param option the {@code --weights} value, or null
     * @return the file, or null for random weights
     */
    static Path locateWeights(Path option) {
        if (option != null) {
            Checks.check(
                    Files.isRegularFile(option),
                    "--weights %s does not exist; pass a torchvision resnet18 .safetensors or .pth"
                            + " file, or leave it out for random weights",
                    option);
            return option;
        }
        String fixtures = System.getenv("LUZJ_FIXTURES");
        if (fixtures != null) {
            Path file = Path.of(fixtures, "resnet18", "resnet18.safetensors");
            if (Files.isRegularFile(file)) {
                return file;
            }
        }
        return null;
    }

    Results run(SampleDataset train, int samples) {
        int n = Math.min(samples, train.size());
        DataLoader.Builder b =
                DataLoader.builder(Subset.first(train, n))
                        .batchSize(options.batchSize())
                        .shuffle(true)
                        .dropLast(true) // a batch of one cannot train BatchNorm
                        .seed(options.seed())
                        .transform(ExpandChannels.toRgb());
        if (options.workers() != null) {
            b.workers(options.workers());
        }
        DataLoader data = b.build();
        List<BenchTiming> frozen = new ArrayList<>();
        List<BenchTiming> trainable = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager(options.device());
                FittedModel f = setUp(network(manager, true), data);
                FittedModel t = setUp(network(manager, false), data)) {
            for (int r = 1; r <= rounds; r++) {
                frozen.add(BenchTiming.of(() -> epoch(f, data)));
                trainable.add(BenchTiming.of(() -> epoch(t, data)));
                log.line(
                        "round %d/%d: ResNet-18 frozen %.2f s, trainable %.2f s",
                        r, rounds, frozen.get(r - 1).wall(), trainable.get(r - 1).wall());
            }
        }
        return new Results(
                frozen, trainable, data.sampleCount(), weights == null ? "random" : weights.toString());
    }

    private ResNet18 network(NDManager manager, boolean freeze) {
        ResNet18 net;
        if (weights != null) {
            net = Transfer.resnet18(weights, 10, manager);
        } else {
            net = ResNet18.create(10);
            net.freeze();
        }
        if (!freeze) {
            net.unfreeze();
        }
        return net;
    }

    /** The first fit is the warm-up epoch, not timed. */
    private FittedModel setUp(ResNet18 net, DataLoader data) {
        return Luz.setup(net, Loss.softmaxCrossEntropyLoss(), Optimizers.adam())
                .device(options.device())
                .fit(FitOptions.builder(data).epochs(1).seed(options.seed()).verbose(false).build());
    }

    private void epoch(FittedModel model, DataLoader data) {
        model.fit(FitOptions.builder(data).epochs(1).seed(options.seed()).verbose(false).build());
    }
}
