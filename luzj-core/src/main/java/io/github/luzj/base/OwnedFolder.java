package io.github.luzj.base;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The one rule by which luzj decides that a folder it is about to write is its own: missing,
 * empty, or holding only entries of luzj's naming. Anything else belongs to the user, who may
 * have nothing else of it, so a write there is refused before anything is touched.
 */
public final class OwnedFolder {

    private OwnedFolder() {}

    /**
     * Refuses {@code dir} when it is a file.
     *
     * @param dir the folder luzj is to write
     * @param kind what luzj writes there, for the message ("checkpoint folder")
     * @param fix what the user can do instead
     * @return whether {@code dir} exists (then it is a folder)
     * @throws LuzjException when {@code dir} is a file
     */
    public static boolean checkNotAFile(Path dir, String kind, String fix) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        if (!Files.isDirectory(dir)) {
            throw new LuzjException(
                    dir + " is a file, not a luzj " + kind + ", and luzj leaves it alone; " + fix);
        }
        return true;
    }

    /**
     * Refuses {@code dir} when it holds an entry that {@code own} does not accept, naming up to
     * three of them.
     *
     * @param dir an existing folder
     * @param own whether an entry is one luzj wrote
     * @param fix what the user can do instead
     * @throws LuzjException when a foreign entry is there, or the folder cannot be listed
     */
    public static void checkOnlyOwn(Path dir, Predicate<Path> own, String fix) {
        List<String> foreign = new ArrayList<>();
        try (Stream<Path> entries = Files.list(dir)) {
            entries.filter(own.negate())
                    .map(p -> p.getFileName().toString())
                    .sorted()
                    .limit(3)
                    .forEach(foreign::add);
        } catch (IOException e) {
            throw new LuzjException("cannot list " + dir + ": " + e + "; check its permissions", e);
        }
        if (!foreign.isEmpty()) {
            throw new LuzjException(
                    dir + " holds files luzj did not write (" + String.join(", ", foreign)
                            + "), and luzj leaves them alone; " + fix);
        }
    }
}
