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
