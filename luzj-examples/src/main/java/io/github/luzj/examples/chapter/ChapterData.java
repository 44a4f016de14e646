package io.github.luzj.examples.chapter;

import ai.djl.modality.cv.transform.ToTensor;
import ai.djl.training.dataset.Dataset.Usage;
import ai.djl.translate.Pipeline;
import ai.djl.translate.TranslateException;
import io.github.luzj.base.LuzjException;
import io.github.luzj.data.DataLoader;
import io.github.luzj.data.ImageDataset;
import io.github.luzj.data.Mnist;
import io.github.luzj.data.SampleDataset;
import io.github.luzj.data.Split;
import io.github.luzj.data.Subset;
import io.github.luzj.data.Transform;
import io.github.luzj.djl.DjlDatasets;
import io.github.luzj.vision.transforms.RandomAffine;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chapter's data: MNIST training images with torchvision's
 * {@code RandomAffine(degrees = (-45, 45), translate = (0.1, 0.1))}, validated on the test set.
 */
public final class ChapterData {

    private static final Logger LOG = LoggerFactory.getLogger(ChapterData.class);

    private final SampleDataset train;
    private final SampleDataset valid;

    private ChapterData(SampleDataset train, SampleDataset valid) {
        this.train = train;
        this.valid = valid;
    }

    /** The chapter's augmentation. */
    public static Transform augmentation() {
        return RandomAffine.of(45, 0.1, 0.1);
    }

    /**
     * Loads MNIST as {@code run} says: a folder, the bundled subset, DJL's own, or the default
     * lookup, each split cut to its limit.
     *
     * @param run the data settings
     * @return the training and validation images
     */
    public static ChapterData load(RunSettings run) {
        ImageDataset train;
        ImageDataset test;
        if ("djl".equals(run.data())) {
            return new ChapterData(
                    cap(djlMnist(Usage.TRAIN), run.limit(), "--limit"),
                    cap(djlMnist(Usage.TEST), run.validLimit(), "--valid-limit"));
        }
        if ("bundled".equals(run.data())) {
            train = Mnist.subset(Split.TRAIN);
            test = Mnist.subset(Split.TEST);
        } else if (run.data() != null) {
            train = Mnist.load(Split.TRAIN, Path.of(run.data()));
            test = Mnist.load(Split.TEST, Path.of(run.data()));
        } else {
            train = Mnist.load(Split.TRAIN);
            test = Mnist.load(Split.TEST);
        }
        return new ChapterData(cap(train, run.limit(), "--limit"), cap(test, run.validLimit(), "--valid-limit"));
    }

    /** The training images, before any loader. */
    public SampleDataset train() {
        return train;
    }

    /** DJL's own MNIST (basicdataset), downloaded through DJL's repository into ~/.djl.ai. */
    private static SampleDataset djlMnist(Usage usage) {
        // qualified: the name Mnist is luzj's here
        var mnist =
                ai.djl.basicdataset.cv.classification.Mnist.builder()
                        .optUsage(usage)
                        .optPipeline(new Pipeline(new ToTensor()))
                        .setSampling(1, false)
                        .build();
        try {
            mnist.prepare();
        } catch (IOException | TranslateException | RuntimeException e) {
            throw new LuzjException(
                    "--data djl: DJL could not download MNIST (" + e.getMessage() + "); connect to the"
                            + " internet, or pass --data DIR with the IDX files, or --data bundled",
                    e);
        }
        return DjlDatasets.samples(mnist);
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

    DataLoader trainLoader(RunSettings run, Transform transform) {
        DataLoader.Builder b =
                DataLoader.builder(train).batchSize(run.batchSize()).shuffle(true).seed(run.seed()).transform(transform);
        if (run.workers() != null) {
            b.workers(run.workers());
        }
        return b.build();
    }

    DataLoader validLoader(RunSettings run, Transform transform) {
        DataLoader.Builder b = DataLoader.builder(valid).batchSize(Math.max(run.batchSize(), 256)).transform(transform);
        if (run.workers() != null) {
            b.workers(run.workers());
        }
        return b.build();
    }
}
