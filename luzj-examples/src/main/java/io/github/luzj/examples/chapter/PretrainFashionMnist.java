package io.github.luzj.examples.chapter;

import io.github.luzj.base.Checks;
import io.github.luzj.data.DataLoader;
import io.github.luzj.data.FashionMnist;
import io.github.luzj.data.SampleDataset;
import io.github.luzj.data.Split;
import io.github.luzj.data.Subset;
import io.github.luzj.data.Transform;
import io.github.luzj.optim.Optimizers;
import io.github.luzj.vision.models.ResNet18;
import io.github.luzj.vision.models.ResNet18StateDict;
import io.github.luzj.weights.SafetensorsWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Trains the whole of a new ResNet-18 on Fashion-MNIST (Adam, lr 1e-3, batch 128, images
 * expanded to 3 channels, no augmentation) and saves it as a torchvision {@code .safetensors}
 * file: offline stand-in for the ImageNet weights the chapter downloads. Its history goes to
 * {@code <out>/pretrain-fashion-mnist/}, its weights to
 * {@code <out>/resnet18-fashion-mnist.safetensors}.
 */
final class PretrainFashionMnist {

    static final double LR = 1e-3;
    static final int BATCH_SIZE = 128;
    static final String WEIGHTS_FILE = "resnet18-fashion-mnist.safetensors";
    static final String HISTORY_DIR = "pretrain-fashion-mnist";

    private PretrainFashionMnist() {}

    /** A split from {@code --pretrain-data}, or from the subset in the jar for 'bundled'. */
    private static SampleDataset fashionMnist(Split split, PretrainSettings p) {
        return p.bundled() ? FashionMnist.subset(split) : FashionMnist.load(split, p.data());
    }

    /**
     * Pretrains and writes the weights, and the pretraining's history and summary beside them.
     *
     * @param o the run's settings: seed, device, workers, {@code --valid-limit}, quiet
     * @param p the pretraining settings
     * @param toModel the transform every image gets (3 channels, optionally normalized)
     * @param out the run's output folder
     * @return what was trained and where it is
     */
    static PretrainResult run(RunSettings o, PretrainSettings p, Transform toModel, Path out) {
        SampleDataset train = cap(fashionMnist(Split.TRAIN, p), p.limit());
        SampleDataset test = cap(fashionMnist(Split.TEST, p), o.validLimit());
        DataLoader trainLoader = loader(o, train, true, BATCH_SIZE, toModel);
        DataLoader testLoader = loader(o, test, false, 256, toModel);
        if (!o.quiet()) {
            System.out.printf(
                    Locale.ROOT,
                    "Pretraining ResNet-18 on Fashion-MNIST: %,d images, %d %s, every layer"
                            + " trained (validated on %,d test images)%n",
                    train.size(),
                    p.epochs(),
                    p.epochs() == 1 ? "epoch" : "epochs",
                    test.size());
        }
        ResNet18 net = ResNet18.create(FashionMnist.CLASSES.size());
        TrainingRun run =
                TrainingRun.fit(
                        o.withoutSideOutputs(),
                        net,
                        Optimizers.adam().lr(LR),
                        trainLoader,
                        testLoader,
                        p.epochs(),
                        "transfer --pretrain " + p.dataset(),
                        Map.of());
        Path weights = null;
        TrainingResult r;
        try {
            if (!run.interrupted()) {
                weights = out.resolve(WEIGHTS_FILE);
                int epochs = run.fitted().records().epochs();
                SafetensorsWriter.write(
                        ResNet18StateDict.of(net, (long) epochs * trainLoader.size()),
                        Map.of(
                                "source", "luzj transfer --pretrain " + p.dataset(),
                                "epochs", Integer.toString(epochs),
                                "samples", Integer.toString(train.size()),
                                "seed", Long.toString(o.seed())),
                        weights);
            }
        } finally {
            r = run.finish(); // the weights are read before the model is closed
        }
        r.writeHistory(out.resolve(HISTORY_DIR));
        r.summary("transfer --pretrain " + p.dataset())
                .put("lr", LR)
                .put("batch_size", BATCH_SIZE)
                .put("seed", o.seed())
                .write(out.resolve(HISTORY_DIR).resolve("summary.json"));
        return new PretrainResult(
                p.dataset(),
                r.records().epochs(),
                train.size(),
                (long) r.records().epochs() * trainLoader.size(),
                r.validAccuracy(),
                r.validLoss(),
                r.seconds(),
                weights,
                r.interrupted());
    }

    private static SampleDataset cap(SampleDataset ds, Integer limit) {
        if (limit == null || limit >= ds.size()) {
            return ds;
        }
        return Subset.first(ds, limit);
    }

    private static DataLoader loader(
            RunSettings o, SampleDataset ds, boolean shuffle, int batchSize, Transform t) {
        Checks.check(ds.size() > 0, "the Fashion-MNIST split is empty; check --pretrain-data");
        DataLoader.Builder b =
                DataLoader.builder(ds).batchSize(batchSize).shuffle(shuffle).seed(o.seed()).transform(t);
        if (o.workers() != null) {
            b.workers(o.workers());
        }
        return b.build();
    }
}
