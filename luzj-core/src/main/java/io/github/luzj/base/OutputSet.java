package io.github.luzj.base;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Writes a command's output files as one set: all of them go to a staging folder beside the
 * output folder first, and only when every one is complete are they moved in (a rename each),
 * then {@value #MANIFEST} is written last to list them. A failure while writing (a full disk)
 * leaves the previous outputs untouched, never half old and half new; other files in the folder
 * are kept.
 *
 * <p>Only files an earlier set listed in its {@value #MANIFEST} are replaced. When the folder
 * holds a file of the same name that luzj did not write (or a folder where a file goes), nothing
 * in it is touched: the new set goes to a fresh folder beside it, and the error names both, so
 * neither the user's file nor the run's results are lost.
 */
public final class OutputSet {

    /** The file written last, naming the files of the set. */
    public static final String MANIFEST = "outputs.json";

    /**
     * The error when a set could not go where it was asked to and went to a fresh folder beside
     * it instead, complete: the caller may fix what depends on the place (a report's links).
     */
    public static final class KeptAside extends LuzjException {
        private final transient Path kept;

        KeptAside(String message, Path kept, Throwable cause) {
            super(message, cause);
            this.kept = kept;
        }

        /**
         * Returns where the set went.
         *
         * @return the folder beside the one asked for
         */
        public Path kept() {
            return kept;
        }
    }

    /** More than any list of outputs luzj writes; a larger file is not read. */
    private static final long MAX_MANIFEST_BYTES = 1 << 20;

    private OutputSet() {}

    /**
     * Writes the set.
     *
     * @param out the output folder, created when missing
     * @param writer fills the staging folder it is given, as it would fill {@code out}
     */
    public static void write(Path out, AtomicFiles.Writer writer) {
        checkWritable(out, "output folder");
        Path abs = AtomicFiles.resolved(out);
        Path stage = null;
        List<String> names;
        try {
            Files.createDirectories(abs.getParent());
            stage = Files.createTempDirectory(abs.getParent(), "." + abs.getFileName() + ".staging-");
            openToOthers(stage);
            writer.write(stage);
            names = new ArrayList<>();
            try (Stream<Path> files = Files.walk(stage)) {
                for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                    names.add(stage.relativize(f).toString().replace('\\', '/'));
                }
            }
        } catch (IOException e) {
            AtomicFiles.deleteRecursively(stage);
            throw new LuzjException(
                    "cannot write the outputs into " + out + ": " + e + "; the previous outputs there"
                            + " are unchanged; " + WriteFailures.fix(e),
                    e);
        }
        List<String> moved = new ArrayList<>();
        try {
            List<String> foreign = foreign(abs, names);
            if (!foreign.isEmpty()) {
                Path kept = keepAside(abs, stage, names);
                stage = null;
                throw new KeptAside(String.format(
                        "%s already holds %s, which no earlier luzj run wrote there (its %s does not"
                                + " list %s), so luzj left the folder as it was; this run's outputs are"
                                + " in %s instead. Move %s away, or pass another folder",
                        out, shown(foreign), MANIFEST, foreign.size() == 1 ? "it" : "them", kept,
                        foreign.size() == 1 ? "it" : "them"), kept, null);
            }
            Set<String> earlier = listed(abs);
            Files.createDirectories(abs);
            for (String name : names) {
                Path target = abs.resolve(name);
                Files.createDirectories(target.getParent());
                AtomicFiles.move(stage.resolve(name), target);
                moved.add(name);
            }
            writeManifest(abs, stillThere(abs, earlier, names));
        } catch (IOException e) {
            Path kept = null;
            if (moved.isEmpty()) {
                // nothing replaced yet: the run's complete outputs are worth keeping
                try {
                    kept = keepAside(abs, stage, names);
                    stage = null;
                } catch (IOException again) {
                    e.addSuppressed(again);
                }
            }
            String message = "cannot write the outputs into " + out + ": " + e + "; " + (moved.isEmpty()
                    ? "the previous outputs there are unchanged"
                            + (kept != null ? "; this run's outputs are in " + kept : "")
                    : "these were already replaced: " + shown(moved) + ", the others are as before")
                    + "; " + WriteFailures.fix(e);
            throw kept != null ? new KeptAside(message, kept, e) : new LuzjException(message, e);
        } finally {
            AtomicFiles.deleteRecursively(stage);
        }
    }

    /**
     * The manifest's names after a set: the new ones and the earlier set's that are still there
     * (a command writing fewer files than the last one leaves those as luzj's).
     */
    private static List<String> stillThere(Path out, Set<String> earlier, List<String> names) {
        Set<String> all = new java.util.TreeSet<>(names);
        if (earlier != null) {
            for (String name : earlier) {
                Path p = out.resolve(name).normalize();
                if (p.startsWith(out) && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    all.add(name);
                }
            }
        }
        return List.copyOf(all);
    }

    /** The staging folder becomes the output folder: readable by others, as a created one is. */
    private static void openToOthers(Path dir) throws IOException {
        try {
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: it keeps what it gives
        }
    }

    /**
     * The names the set would write over that are not an earlier set's: an existing file the
     * manifest does not list, or anything that is not a regular file (a folder, a link, or a
     * file where one of the name's folders goes).
     */
    private static List<String> foreign(Path out, List<String> names) {
        if (!Files.exists(out, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        Set<String> ours = listed(out);
        List<String> foreign = new ArrayList<>();
        Path manifest = out.resolve(MANIFEST);
        if (ours == null && Files.exists(manifest, LinkOption.NOFOLLOW_LINKS)) {
            foreign.add(MANIFEST); // not a list luzj wrote: it would be overwritten too
            ours = Set.of();
        } else if (ours == null) {
            ours = Set.of();
        }
        for (String name : names) {
            Path target = out.resolve(name);
            for (Path p = target.getParent(); !p.equals(out); p = p.getParent()) {
                if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    foreign.add(out.relativize(p).toString().replace('\\', '/'));
                }
            }
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)
                    && (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS) || !ours.contains(name))) {
                foreign.add(name);
            }
        }
        return foreign.stream().distinct().toList();
    }

    /** The files an earlier set's manifest lists, or null when there is no readable luzj manifest. */
    private static Set<String> listed(Path out) {
        Path manifest = out.resolve(MANIFEST);
        if (!Files.isRegularFile(manifest, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        try {
            // luzj's lists are a few hundred bytes: a larger one is someone else's, left unread
            String text = new String(InputFiles.readBounded(manifest, "output list", MAX_MANIFEST_BYTES, ""),
                    StandardCharsets.UTF_8);
            JsonElement files = JsonText.parse(text).getAsJsonObject().get("files");
            Set<String> names = new HashSet<>();
            for (JsonElement e : files.getAsJsonArray()) {
                names.add(e.getAsString());
            }
            return names;
        } catch (RuntimeException e) {
            return null; // damaged, or someone else's outputs.json: no file in the folder is ours
        }
    }

    /** Moves the staged set to a new folder beside {@code out}, with its manifest. */
    private static Path keepAside(Path out, Path stage, List<String> names) throws IOException {
        Path kept = out.resolveSibling(out.getFileName() + "-new");
        for (int i = 2; Files.exists(kept, LinkOption.NOFOLLOW_LINKS); i++) {
            kept = out.resolveSibling(out.getFileName() + "-new-" + i);
        }
        Files.move(stage, kept);
        writeManifest(kept, names);
        return kept;
    }

    private static void writeManifest(Path dir, List<String> names) throws IOException {
        JsonObject manifest = new JsonObject();
        JsonArray list = new JsonArray();
        names.forEach(list::add);
        manifest.add("files", list);
        AtomicFiles.writeString(dir.resolve(MANIFEST),
                new GsonBuilder().setPrettyPrinting().create().toJson(manifest) + "\n");
    }

    private static String shown(List<String> names) {
        return names.size() <= 3 ? String.join(", ", names)
                : String.join(", ", names.subList(0, 3)) + " and " + (names.size() - 3) + " more";
    }

    /**
     * Fails before any work when {@code dir} cannot become a writable folder: it is a file, its
     * nearest existing ancestor is not a folder, or nothing can be created there.
     *
     * @param dir the folder
     * @param what the option or role, e.g. {@code "--out"}, for the message
     */
    public static void checkWritable(Path dir, String what) {
        Path abs = AtomicFiles.resolved(dir);
        if (abs.getParent() == null) {
            throw new LuzjException(
                    what + " " + dir + " is the file system's root; pass a folder inside it");
        }
        if (Files.exists(abs) && !Files.isDirectory(abs)) {
            throw new LuzjException(
                    what + " " + dir + " is a file, not a folder; pass a folder (it is created"
                            + " when missing)");
        }
        Path existing = abs;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing)) {
            throw new LuzjException(
                    what + " " + dir + " cannot be created: " + existing + " is a file, not a"
                            + " folder; pass another folder");
        }
        try {
            Files.delete(Files.createTempFile(existing, ".luzj-write-check-", ".tmp"));
        } catch (IOException e) {
            throw new LuzjException(
                    what + " " + dir + " is not writable (" + (existing.equals(abs) ? ""
                            : "in " + existing + ": ") + e.getClass().getSimpleName() + " "
                            + e.getMessage() + "); pass a folder you can write to",
                    e);
        }
    }
}
