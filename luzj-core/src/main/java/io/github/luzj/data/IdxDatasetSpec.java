package io.github.luzj.data;

import io.github.luzj.base.Checks;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What luzj knows about one MNIST-style dataset: its name, the folder name it lives in, where to
 * download it, the md5 of each published {@code .gz} file, extra folders where a system package
 * installs it, and the shape of its images.
 *
 * @param title the name in messages, e.g. {@code MNIST}
 * @param folder the folder's name under {@code $LUZJ_DATA} or {@code ~/.luzj/datasets}
 * @param mirrors base URLs tried in order, each ending with {@code /}
 * @param md5 the md5 of each {@code .gz} file, by file name
 * @param systemFolders folders a system package installs the files into, searched last
 * @param installHint how else to get the files, appended to the not-found message (may be empty)
 * @param rows image height
 * @param cols image width
 * @param classes number of classes
 */
public record IdxDatasetSpec(
        String title,
        String folder,
        List<URI> mirrors,
        Map<String, String> md5,
        List<Path> systemFolders,
        String installHint,
        int rows,
        int cols,
        int classes) {

    /**
     * Copies the lists and checks the sizes.
     *
     * @param title the name in messages
     * @param folder the folder's name
     * @param mirrors base URLs
     * @param md5 md5 by file name
     * @param systemFolders system folders
     * @param installHint extra fix
     * @param rows image height
     * @param cols image width
     * @param classes number of classes
     */
    public IdxDatasetSpec {
        mirrors = List.copyOf(mirrors);
        md5 = Map.copyOf(md5);
        systemFolders = List.copyOf(systemFolders);
        Checks.check(rows >= 1 && cols >= 1, "image size must be positive, got %dx%d", rows, cols);
        Checks.check(classes >= 1, "classes must be >= 1, got %d", classes);
    }

    /**
     * Returns this spec with other download mirrors, e.g. a local mirror or, in tests, one that
     * cannot be reached.
     *
     * @param baseUrls base URLs tried in order
     * @return a copy with those mirrors
     */
    public IdxDatasetSpec withMirrors(List<URI> baseUrls) {
        return new IdxDatasetSpec(
                title, folder, baseUrls, md5, systemFolders, installHint, rows, cols, classes);
    }

    /**
     * Returns this spec without system folders, so that only the user's folders are searched.
     *
     * @return a copy without system folders
     */
    public IdxDatasetSpec withoutSystemFolders() {
        return new IdxDatasetSpec(
                title, folder, mirrors, md5, List.of(), installHint, rows, cols, classes);
    }
}
