package io.github.luzj.djl;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Sampler;
import ai.djl.translate.TranslateException;
import ai.djl.util.PairList;
import io.github.luzj.base.Checks;
import io.github.luzj.base.LuzjException;
import io.github.luzj.data.FloatTensor;
import io.github.luzj.data.Sample;
import io.github.luzj.data.SampleDataset;
import java.io.IOException;
import java.lang.reflect.Field;
import java.util.Iterator;
import java.util.List;

/**
 * A DJL {@link RandomAccessDataset} read one example at a time as luzj {@link Sample}s.
 *
 * <p>Each example is fetched through the dataset's own {@code getData} with a sampler that yields
 * just that index. {@code get(manager, index)} alone would skip the dataset's {@code Pipeline}
 * and target {@code Pipeline}, which DJL applies only while batching (in {@code DataIterable},
 * or per batch in {@code ArrayDataset}'s bulk iterable); going through {@code getData} keeps
 * every transform, batchifier and device setting the DJL user configured.
 *
 * <p>Thread-safe: every read uses a manager of its own, closed before returning, so luzj's loader
 * may read from several threads and no native memory outlives a read.
 */
final class DjlSampleDataset implements SampleDataset {

    private final RandomAccessDataset dataset;
    private final int size;

    DjlSampleDataset(RandomAccessDataset dataset) {
        if (dataset == null) {
            throw new LuzjException("the DJL dataset is null; pass a RandomAccessDataset");
        }
        try {
            dataset.prepare();
        } catch (LuzjException e) {
            throw e;
        } catch (IOException | TranslateException | RuntimeException e) {
            // DJL's ImageFolder throws IllegalArgumentException for a root that is missing, a
            // file or empty: whatever prepare() throws, the user's fix is in their files
            throw new LuzjException(
                    "cannot prepare the DJL dataset "
                            + dataset.getClass().getSimpleName()
                            + ": "
                            + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName())
                            + "; check that its files are present (an ImageFolder's root needs one"
                            + " subfolder of images per class; DJL runs offline here)",
                    e);
        }
        long n = dataset.size();
        Checks.check(
                n > 0 && n <= Integer.MAX_VALUE,
                "the DJL dataset %s has %d records; luzj needs 1 to %d",
                dataset.getClass().getSimpleName(),
                n,
                Integer.MAX_VALUE);
        this.dataset = dataset;
        this.size = (int) n;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Sample get(int index) {
        Checks.index(index, size);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Iterator<Batch> it = dataset.getData(manager, new OneIndex(index)).iterator();
            // next() without hasNext(): hasNext() at the end would close DJL's iterator manager
            Batch batch = it.next();
            FloatTensor x = HostArrays.data(batch.getData(), true, dataset);
            NDList labels = batch.getLabels();
            if (labels == null || labels.isEmpty()) {
                return Sample.unlabeled(x); // features only, for prediction
            }
            return new Sample(x, HostArrays.labels(labels, true, dataset));
        } catch (IOException | TranslateException e) {
            throw unreadable(index, e);
        } catch (LuzjException e) {
            throw e;
        } catch (RuntimeException e) {
            // DJL's iterator wraps a record it cannot decode (a damaged image in an ImageFolder)
            // in IllegalStateException("Data loading failed"): the cause is what the user can fix
            throw unreadable(index, e);
        }
    }

    private LuzjException unreadable(int index, Exception e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String file = imageFolderFile(index);
        return new LuzjException(
                "cannot read record "
                        + index
                        + (file == null ? "" : " (" + file + ")")
                        + " of the DJL dataset "
                        + dataset.getClass().getSimpleName()
                        + ": "
                        + (root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName())
                        + (root instanceof OutOfMemoryError
                                // a forged header can declare a picture of gigabytes in a few bytes
                                ? "; the decoded image does not fit in the Java heap: give the JVM more"
                                        + " (-Xmx) or replace the file with a smaller image"
                                : "; the record's file is damaged or in a format DJL cannot decode:"
                                        + " replace or remove it"),
                e);
    }

    /**
     * The file of an {@code ImageFolder}'s record, so that the message names the damaged image
     * among thousands. DJL keeps it only in a protected list of {@code AbstractImageFolder}, and
     * luzj does not depend on DJL's {@code basicdataset}, hence the lookup by name; anything in
     * the way gives null and the message names the record alone.
     */
    private String imageFolderFile(int index) {
        for (Class<?> c = dataset.getClass(); c != null; c = c.getSuperclass()) {
            if (c.getName().equals("ai.djl.basicdataset.cv.classification.AbstractImageFolder")) {
                try {
                    Field items = c.getDeclaredField("items");
                    items.setAccessible(true);
                    return items.get(dataset) instanceof PairList<?, ?> list && index < list.size()
                            ? String.valueOf(list.keyAt(index))
                            : null;
                } catch (ReflectiveOperationException | RuntimeException e) {
                    return null;
                }
            }
        }
        return null;
    }

    /** A sampler of one batch holding one index. */
    private static final class OneIndex implements Sampler {
        private final long index;

        OneIndex(long index) {
            this.index = index;
        }

        @Override
        public Iterator<List<Long>> sample(RandomAccessDataset dataset) {
            return List.of(List.of(index)).iterator();
        }

        @Override
        public int getBatchSize() {
            return 1;
        }
    }
}
