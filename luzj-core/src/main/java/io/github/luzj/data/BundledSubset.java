package io.github.luzj.data;

import io.github.luzj.base.Checks;
import io.github.luzj.base.LuzjException;
import java.io.IOException;
import java.io.InputStream;

/**
 * A small IDX subset shipped on the class path beside this class (gzip'd, standard file names),
 * cut from the full files by {@code tools/make_mnist_subset.py}.
 */
final class BundledSubset {

    private BundledSubset() {}

    /** Reads {@code split} of the subset in resource folder {@code dir} of dataset {@code spec}. */
    static ImageDataset read(IdxDatasetSpec spec, String dir, Split split) {
        Checks.notNull("split", split, "pass Split.TRAIN or Split.TEST");
        IdxData images = resource(spec, dir, split.imagesFile() + ".gz", IdxReader.IMAGES_MAGIC);
        IdxData labels = resource(spec, dir, split.labelsFile() + ".gz", IdxReader.LABELS_MAGIC);
        return ImageDataset.of(images, split.imagesFile(), labels, split.labelsFile(), spec.classes());
    }

    private static IdxData resource(IdxDatasetSpec spec, String dir, String name, int magic) {
        try (InputStream in = BundledSubset.class.getResourceAsStream(dir + name)) {
            if (in == null) {
                throw new LuzjException("the bundled " + spec.title() + " subset file " + dir
                        + name + " is missing from the classpath; rebuild luzj-core");
            }
            return IdxReader.read(in, dir + name, magic);
        } catch (IOException e) {
            throw new LuzjException(
                    "cannot read the bundled " + spec.title() + " subset " + name + ": " + e,
                    e);
        }
    }
}
