package io.github.luzj.data;

import io.github.luzj.base.Checks;
import io.github.luzj.base.InputFiles;
import io.github.luzj.base.LuzjException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Finds an MNIST-style dataset on disk, downloads the missing files when it is nowhere to be
 * found, and reads them. Every way this can fail ends in one {@link LuzjException} that names the
 * folders searched and how to fix it.
 *
 * <pre>{@code
 * ImageDataset train = Mnist.source().dir(Path.of("data/mnist")).build().load(Split.TRAIN);
 * }</pre>
 */
public final class IdxDatasetSource {

    private final IdxDatasetSpec spec;
    private final DataDirectory directory;
    private final boolean download;
    private final Downloader downloader;

    private IdxDatasetSource(Builder b) {
        this.spec = b.spec;
        this.directory = b.directory;
        this.download = b.download;
        this.downloader = new Downloader(b.timeout, b.progress);
    }

    /**
     * Starts a source of {@code spec}.
     *
     * @param spec the dataset
     * @return a builder
     */
    public static Builder builder(IdxDatasetSpec spec) {
        return new Builder(spec);
    }

    /**
     * Reads one split, downloading it first if needed.
     *
     * @param split the split
     * @return the images and labels
     */
    public ImageDataset load(Split split) {
        Checks.notNull("split", split, "pass Split.TRAIN or Split.TEST");
        DataDirectory.SplitFiles files = locate(split);
        IdxData images = IdxReader.read(files.images(), IdxReader.IMAGES_MAGIC);
        IdxData labels = IdxReader.read(files.labels(), IdxReader.LABELS_MAGIC);
        int[] d = images.dims();
        Checks.check(
                d.length == 3 && d[1] == spec.rows() && d[2] == spec.cols(),
                "%s holds images of %dx%d but %s images are %dx%d; the file belongs to another"
                        + " dataset or is damaged: delete it so luzj downloads it again",
                files.images(),
                d.length == 3 ? d[1] : -1,
                d.length == 3 ? d[2] : -1,
                spec.title(),
                spec.rows(),
                spec.cols());
        return ImageDataset.of(
                images, files.images().toString(), labels, files.labels().toString(), spec.classes());
    }

    /**
     * Returns the files of one split: found in the searched folders, or downloaded.
     *
     * @param split the split
     * @return the image and label files
     */
    public DataDirectory.SplitFiles locate(Split split) {
        Optional<DataDirectory.SplitFiles> found = directory.find(spec, split);
        if (found.isPresent()) {
            return found.get();
        }
        Path target = directory.downloadFolder(spec);
        if (InputFiles.present(target) && !Files.isDirectory(target)) {
            throw new LuzjException("data folder " + target + " "
                    + InputFiles.problem(target).orElse("is a file, not a folder")
                    + "; pass the folder that holds the " + spec.title() + " IDX files with --data");
        }
        String lookedIn = directory.candidates(spec).stream()
                .map(Path::toString)
                .collect(Collectors.joining(", "));
        String missing = String.format(
                "%s %s data not found: looked for %s[.gz] and %s[.gz] in %s",
                spec.title(), split.name().toLowerCase(Locale.ROOT),
                split.imagesFile(), split.labelsFile(), lookedIn);
        if (!download) {
            throw new LuzjException(missing + ", and downloading is off. " + fix(target));
        }
        try {
            for (String base : List.of(split.imagesFile(), split.labelsFile())) {
                if (DataDirectory.findFile(target, base).isEmpty()) {
                    String gz = base + ".gz";
                    downloader.download(spec.mirrors(), gz, spec.md5().get(gz), target.resolve(gz));
                }
            }
        } catch (LuzjException e) {
            throw new LuzjException(
                    missing + ". Downloading into " + target + " failed: " + e.getMessage() + ". "
                            + fix(target),
                    e);
        }
        return directory.find(spec, split).orElseThrow(() -> new LuzjException(
                missing + " even after downloading into " + target + ". " + fix(target)));
    }

    private String fix(Path target) {
        return "Fix: copy the four " + spec.title() + " IDX files into " + target
                + ", or pass their folder with --data, or set " + DataDirectory.ENV_VAR
                + " to a folder that contains " + spec.folder() + "/; or connect to the internet"
                + " and run again" + (spec.installHint().isEmpty() ? "" : "; or " + spec.installHint());
    }

    /** Settings of an {@link IdxDatasetSource}. */
    public static final class Builder {
        private IdxDatasetSpec spec;
        private DataDirectory directory = DataDirectory.of(null);
        private boolean download = true;
        private boolean progress = true;
        private Duration timeout = Duration.ofSeconds(30);

        private Builder(IdxDatasetSpec spec) {
            if (spec == null) {
                throw new LuzjException("dataset spec is null; use Mnist.source() or FashionMnist.source()");
            }
            this.spec = spec;
        }

        /**
         * Searches only {@code dir} (and its dataset-named subfolder), and downloads into it.
         *
         * @param dir the folder, or null for the usual lookup ({@code $LUZJ_DATA}, home)
         * @return this builder
         */
        public Builder dir(Path dir) {
            this.directory = DataDirectory.of(dir);
            return this;
        }

        /**
         * Replaces the whole lookup, e.g. with a given environment in tests.
         *
         * @param directory the lookup
         * @return this builder
         */
        public Builder directory(DataDirectory directory) {
            Checks.check(directory != null, "data directory is null");
            this.directory = directory;
            return this;
        }

        /**
         * Downloads missing files (on by default).
         *
         * @param download false to fail instead
         * @return this builder
         */
        public Builder download(boolean download) {
            this.download = download;
            return this;
        }

        /**
         * Draws a progress bar on stderr while downloading (on by default).
         *
         * @param progress false for silence
         * @return this builder
         */
        public Builder progress(boolean progress) {
            this.progress = progress;
            return this;
        }

        /**
         * Sets how long to wait for a mirror to connect and answer (30 s by default).
         *
         * @param timeout a positive duration
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            Checks.check(
                    timeout != null && !timeout.isNegative() && !timeout.isZero(),
                    "download timeout must be positive, got %s",
                    timeout);
            this.timeout = timeout;
            return this;
        }

        /**
         * Replaces the download mirrors.
         *
         * @param baseUrls base URLs tried in order, each ending with {@code /}
         * @return this builder
         */
        public Builder mirrors(List<URI> baseUrls) {
            Checks.check(
                    baseUrls != null && !baseUrls.isEmpty(), "mirrors must name at least one URL");
            this.spec = spec.withMirrors(baseUrls);
            return this;
        }

        /**
         * Builds the source.
         *
         * @return the source
         */
        public IdxDatasetSource build() {
            return new IdxDatasetSource(this);
        }
    }
}
