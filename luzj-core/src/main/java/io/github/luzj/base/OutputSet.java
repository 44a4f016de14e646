package io.github.luzj.base;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes a command's output files as one set: all of them go to a staging folder beside the
 * output folder first, and only when every one is complete are they moved in (a rename each),
 * then {@value #MANIFEST} is written last to list them. A failure while writing (a full disk)
 * leaves the previous outputs untouched, never half old and half new; other files in the folder
 * are kept.
 */
public final class OutputSet {

    /** The file written last, naming the files of the set. */
    public static final String MANIFEST = "outputs.json";

    private OutputSet() {}

    /**
     * Writes the set.
     *
     * @param out the output folder, created when missing
     * @param writer fills the staging folder it is given, as it would fill {@code out}
     */
    public static void write(Path out, AtomicFiles.Writer writer) {
        checkWritable(out, "output folder");
        Path abs = out.toAbsolutePath();
        Path stage = null;
        try {
            Files.createDirectories(abs.getParent());
            stage = Files.createTempDirectory(abs.getParent(), "." + abs.getFileName() + ".staging-");
            writer.write(stage);
            Files.createDirectories(abs);
            List<String> names = new ArrayList<>();
            try (Stream<Path> files = Files.walk(stage)) {
                for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                    Path rel = stage.relativize(f);
                    Path target = abs.resolve(rel.toString());
                    Files.createDirectories(target.getParent());
                    AtomicFiles.move(f, target);
                    names.add(rel.toString().replace('\\', '/'));
                }
            }
            JsonObject manifest = new JsonObject();
            JsonArray list = new JsonArray();
            names.forEach(list::add);
            manifest.add("files", list);
            AtomicFiles.writeString(abs.resolve(MANIFEST),
                    new GsonBuilder().setPrettyPrinting().create().toJson(manifest) + "\n");
        } catch (IOException e) {
            throw new LuzjException(
                    "cannot write the outputs into " + out + ": " + e + "; the previous outputs"
                            + " there are unchanged; check that the folder is writable and the"
                            + " disk has room",
                    e);
        } finally {
            AtomicFiles.deleteRecursively(stage);
        }
    }

    /**
     * Fails before any work when {@code dir} cannot become a writable folder: it is a file, its
     * nearest existing ancestor is not a folder, or nothing can be created there.
     *
     * @param dir the folder
     * @param what the option or role, e.g. {@code "--out"}, for the message
     */
    public static void checkWritable(Path dir, String what) {
        Path abs = dir.toAbsolutePath();
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
