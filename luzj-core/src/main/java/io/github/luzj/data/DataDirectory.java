package io.github.luzj.data;

import io.github.luzj.base.InputFiles;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where luzj looks for a dataset's files. With an explicit folder (the CLI's {@code --data}),
 * only that folder and its {@code <dataset>} subfolder are searched. Otherwise, in order:
 * {@code $LUZJ_DATA/<dataset>}, {@code ~/.luzj/datasets/<dataset>}, then the folders a system
 * package installs into (e.g. {@code /usr/share/datasets/fashion-mnist}). Downloads go to the
 * first of the user's folders.
 *
 * <p>The environment and home folder are given, not read from globals, so tests can point them
 * anywhere.
 */
public final class DataDirectory {

    /** The environment variable naming the folder that holds the datasets' folders. */
    public static final String ENV_VAR = "LUZJ_DATA";

    private final Path explicit;
    private final Path envRoot;
    private final Path home;

    private DataDirectory(Path explicit, Path envRoot, Path home) {
        this.explicit = explicit;
        this.envRoot = envRoot;
        this.home = home;
    }

    /**
     * The lookup of this process: {@code $LUZJ_DATA} and the user's home folder.
     *
     * @param explicit a folder given by the user, or null to search the usual places
     * @return the lookup
     */
    public static DataDirectory of(Path explicit) {
        return of(explicit, System.getenv(ENV_VAR), Path.of(System.getProperty("user.home")));
    }

    /**
     * A lookup with the given environment.
     *
     * @param explicit a folder given by the user, or null to search the usual places
     * @param luzjData the value of {@code LUZJ_DATA}, or null/blank when unset
     * @param home the user's home folder
     * @return the lookup
     */
    public static DataDirectory of(Path explicit, String luzjData, Path home) {
        Path env = luzjData == null || luzjData.isBlank() ? null : Path.of(luzjData);
        return new DataDirectory(explicit, env, home);
    }

    /**
     * Returns the folders searched for {@code spec}, in order.
     *
     * @param spec the dataset
     * @return the folders
     */
    public List<Path> candidates(IdxDatasetSpec spec) {
        List<Path> out = new ArrayList<>();
        if (explicit != null) {
            out.add(explicit);
            out.add(explicit.resolve(spec.folder()));
            return out;
        }
        if (envRoot != null) {
            out.add(envRoot.resolve(spec.folder()));
        }
        out.add(userFolder(spec));
        out.addAll(spec.systemFolders());
        return out;
    }

    /**
     * Returns the folder that downloads of {@code spec} go to.
     *
     * @param spec the dataset
     * @return the explicit folder, else {@code $LUZJ_DATA/<dataset>}, else
     *     {@code ~/.luzj/datasets/<dataset>}
     */
    public Path downloadFolder(IdxDatasetSpec spec) {
        if (explicit != null) {
            return explicit;
        }
        return envRoot != null ? envRoot.resolve(spec.folder()) : userFolder(spec);
    }

    private Path userFolder(IdxDatasetSpec spec) {
        return home.resolve(".luzj").resolve("datasets").resolve(spec.folder());
    }

    /**
     * Finds the first searched folder that holds both files of {@code split}.
     *
     * @param spec the dataset
     * @param split the split
     * @return the two files, if some folder has both
     */
    public Optional<SplitFiles> find(IdxDatasetSpec spec, Split split) {
        for (Path folder : candidates(spec)) {
            Optional<Path> images = findFile(folder, split.imagesFile());
            Optional<Path> labels = findFile(folder, split.labelsFile());
            if (images.isPresent() && labels.isPresent()) {
                return Optional.of(new SplitFiles(images.get(), labels.get()));
            }
        }
        return Optional.empty();
    }

    /**
     * Finds one IDX file in {@code folder} under its usual names: {@code name.gz}, {@code name},
     * or the variant with a dot before {@code idx} ({@code train-images.idx3-ubyte}) that some
     * copies use.
     *
     * @param folder the folder
     * @param baseName the name without {@code .gz}, e.g. {@code train-images-idx3-ubyte}
     * @return the file, if present
     */
    public static Optional<Path> findFile(Path folder, String baseName) {
        String dotted = baseName.replace("-idx", ".idx");
        for (String name : List.of(baseName + ".gz", baseName, dotted + ".gz", dotted)) {
            Path p = folder.resolve(name);
            if (Files.isRegularFile(p)) {
                return Optional.of(p);
            }
            if (InputFiles.present(p)) {
                // something is there, but not a file: say what rather than "not found"
                InputFiles.checkReadable(p, "IDX file", "replace it with the IDX file itself");
            }
        }
        return Optional.empty();
    }

    /**
     * The two files of one split.
     *
     * @param images the image file
     * @param labels the label file
     */
    public record SplitFiles(Path images, Path labels) {}
}
