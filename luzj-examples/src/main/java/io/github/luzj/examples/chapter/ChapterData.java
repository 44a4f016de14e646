package io.github.luzj.examples;

import io.github.luzj.data.DataLoader;
import io.github.luzj.data.ImageDataset;
import io.github.luzj.data.Mnist;
import io.github.luzj.data.SampleDataset;
import io.github.luzj.data.Split;
import io.github.luzj.data.Subset;
import io.github.luzj.data.Transform;
import io.github.luzj.vision.RandomAffine;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chapter's data: MNIST training images with torchvision's
 * {@code RandomAffine(degrees = (-45, 45), translate = (0.1, 0.1))}, validated on the test set.
 */
final class ChapterData {

    private static final Logger LOG = LoggerFactory.getLogger(ChapterData.class);

    final SampleDataset train;
    final SampleDataset valid;

    private ChapterData(SampleDataset train, SampleDataset valid) {
        this.train = train;
        this.valid = valid;
    }

    /** The chapter's augmentation. */
    static Transform augmentation() {
        return RandomAffine.of(45, 0.1, 0.1);
    }

    static ChapterData load(CommonOptions o) {
        ImageDataset train;
        ImageDataset test;
        if ("djl".equals(o.data)) {
            return new ChapterData(
                    cap(djlMnist(ai.djl.training.dataset.Dataset.Usage.TRAIN), o.limit, "--limit"),
                    cap(djlMnist(ai.djl.training.dataset.Dataset.Usage.TEST), o.validLimit, "--valid-limit"));
        }
        if ("bundled".equals(o.data)) {
            train = Mnist.subset(Split.TRAIN);
            test = Mnist.subset(Split.TEST);
        } else if (o.data != null) {
            train = Mnist.load(Split.TRAIN, Path.of(o.data));
            test = Mnist.load(Split.TEST, Path.of(o.data));
        } else {
            train = Mnist.load(Split.TRAIN);
            test = Mnist.load(Split.TEST);
        }
        return new ChapterData(cap(train, o.limit, "--limit"), cap(test, o.validLimit, "--valid-limit"));
    }

    /** DJL's own MNIST (basicdataset), downloaded through DJL's repository into ~/.djl.ai. */
    private static SampleDataset djlMnist(ai.djl.training.dataset.Dataset.Usage usage) {
        ai.djl.basicdataset.cv.classification.Mnist mnist =
                ai.djl.basicdataset.cv.classification.Mnist.builder()
                        .optUsage(usage)
                        .optPipeline(new ai.djl.translate.Pipeline(new ai.djl.modality.cv.transform.ToTensor()))
                        .setSampling(1, false)
                        .build();
        try {
            mnist.prepare();
        } catch (java.io.IOException | ai.djl.translate.TranslateException | RuntimeException e) {
            throw new io.github.luzj.LuzjException(
                    "--data djl: DJL could not download MNIST (" + e.getMessage() + "); connect to the"
                            + " internet, or pass --data DIR with the IDX files, or --data bundled",
                    e);
        }
        return io.github.luzj.djl.DjlDatasets.samples(mnist);
    }

    private static SampleDataset cap(SampleDataset ds, Integer limit, String option) {
        if (limit == null) {
            return ds;
        }
        if (limit > ds.size()) {
            LOG.warn("{} {} is more than the {} images there are; using all {}", option, limit, ds.size(), ds.size());
            return ds;
        }
        return Subset.first(ds, limit);
    }

    DataLoader trainLoader(CommonOptions o, Transform transform) {
        DataLoader.Builder b =
                DataLoader.builder(train).batchSize(o.batchSize).shuffle(true).seed(o.seed).transform(transform);
        if (o.workers != null) {
            b.workers(o.workers);
        }
        return b.build();
    }

    DataLoader validLoader(CommonOptions o, Transform transform) {
        DataLoader.Builder b = DataLoader.builder(valid).batchSize(Math.max(o.batchSize, 256)).transform(transform);
        if (o.workers != null) {
            b.workers(o.workers);
        }
        return b.build();
    }
}
