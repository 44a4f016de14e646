package io.github.luzj;

import io.github.luzj.base.AtomicFiles;
import io.github.luzj.base.LuzjException;
import io.github.luzj.base.OwnedFolder;
import io.github.luzj.checkpoint.ParameterManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The files of a folder that {@link FittedModel#save} writes, and when it may write one. A save
 * replaces the whole folder, so it writes only where nothing of the user's would go with it.
 */
final class SavedModelFolder {

    static final String WEIGHTS_NAME = "luzj";
    static final String RECORDS_FILE = "records.json";
    /** DJL's {@code Model.save} names its weights {@code <name>-<epoch, 4 digits>.params}. */
    private static final Pattern WEIGHTS = Pattern.compile(WEIGHTS_NAME + "-[0-9]{4}\\.params");

    private SavedModelFolder() {}

    /**
     * Checks that a save may replace {@code dir}: missing, empty, or holding only the files of
     * an earlier save.
     *
     * @param dir the folder to save to
     * @return the folder to write: {@code dir}, or the folder a symbolic link {@code dir} leads to
     * @throws LuzjException when {@code dir} is a file or holds anything else, touching nothing
     */
    static Path checkWritable(Path dir) {
        String fix = "choose an empty or new folder for FittedModel.save";
        if (Files.isSymbolicLink(dir) && !Files.exists(dir)) {
            throw new LuzjException(dir + " is a symbolic link that leads nowhere; " + fix);
        }
        // the save replaces a folder whole: the one the operating system reaches, through links
        // (so that the user's link stays and leads to the new save) and "..", is the one checked
        Path target = AtomicFiles.resolved(dir);
        if (OwnedFolder.checkNotAFile(target, "saved-model folder", fix + ", or move the file away")) {
            OwnedFolder.checkOnlyOwn(target, SavedModelFolder::isOwn, fix + ", or delete them yourself");
        }
        return target;
    }

    private static boolean isOwn(Path p) {
        String n = p.getFileName().toString();
        boolean ownName = n.equals(ParameterManifest.FILE) || n.equals(RECORDS_FILE)
                || WEIGHTS.matcher(n).matches();
        // a folder under luzj's name may hold anything, and the save would delete it whole
        return ownName && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Lists the weights files DJL's {@code Model.load} may pick from (it takes the highest
     * number).
     *
     * @param dir the saved model's folder
     * @return the files, folders under their names included, sorted
     */
    static List<Path> weightsFiles(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> WEIGHTS.matcher(p.getFileName().toString()).matches())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new LuzjException("cannot list " + dir + ": " + e + "; check its permissions", e);
        }
    }
}
