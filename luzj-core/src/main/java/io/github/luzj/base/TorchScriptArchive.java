package io.github.luzj.base;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Checks a TorchScript file in Java before libtorch opens it: that it is a zip archive with the
 * {@code code/} folder {@code torch.jit.save} writes, and that its compressed entries together
 * inflate to no more than {@link #MAX_INFLATED_BYTES}, none past the size it declares. A damaged
 * or hostile archive so fails with a message instead of exhausting native memory or the CPU: the
 * cap is on the sum because a central directory may point thousands of entries at one bomb.
 */
public final class TorchScriptArchive {

    /** The most all compressed entries together may inflate to; torch.jit.save stores entries uncompressed. */
    static final long MAX_INFLATED_BYTES = 1L << 30;

    /** The largest data.pkl read: it holds the module's structure, the tensors are records beside it. */
    static final long MAX_PICKLE_BYTES = 256L << 20;

    private TorchScriptArchive() {}

    /**
     * Validates the archive.
     *
     * @param file the {@code .pt} file
     */
    public static void check(Path file) {
        check(file, MAX_INFLATED_BYTES);
    }

    /** {@link #check(Path)} with another budget for the compressed entries, for the tests. */
    static void check(Path file, long maxInflated) {
        InputFiles.checkReadable(file, "TorchScript model", "pass a .pt file written by torch.jit.save");
        try (ZipFile zip = new ZipFile(file.toFile())) {
            boolean code = false;
            byte[] buffer = new byte[1 << 16];
            long inflated = 0;
            for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
                ZipEntry e = en.nextElement();
                code |= e.getName().contains("/code/") || e.getName().startsWith("code/");
                if (e.getMethod() == ZipEntry.STORED) {
                    continue; // its bytes are in the file: nothing to inflate
                }
                long left = maxInflated - inflated;
                boolean declared = e.getSize() >= 0 && e.getSize() <= left;
                long cap = declared ? e.getSize() : left;
                long total = 0;
                try (InputStream in = zip.getInputStream(e)) {
                    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                        total += n;
                        if (total > cap) {
                            throw new LuzjException(String.format(Locale.ROOT,
                                    "cannot load TorchScript model %s: entry %s inflates past %s; the"
                                            + " archive is damaged or a zip bomb, not a file of"
                                            + " torch.jit.save",
                                    file, e.getName(), declared
                                            ? String.format(Locale.ROOT, "the %,d bytes it declares", cap)
                                            : String.format(Locale.ROOT,
                                                    "%,d bytes inflated from all its entries together",
                                                    maxInflated)));
                        }
                    }
                }
                inflated += total;
            }
            if (!code) {
                throw new LuzjException(
                        "cannot load TorchScript model " + file + ": a zip archive without a"
                                + " code/ folder,"
                                + " so not a TorchScript file (a torch.save state_dict goes to"
                                + " --weights as .pth); pass a file written by torch.jit.save");
            }
            checkStorages(file, zip);
        } catch (ZipException | IllegalArgumentException e) {
            throw new LuzjException(
                    "cannot load TorchScript model " + file + ": not a readable zip archive ("
                            + e.getMessage() + "); is it truncated? pass a file written by"
                            + " torch.jit.save", e);
        } catch (IOException e) {
            throw InputFiles.unreadable(file, "TorchScript model", e);
        }
    }

    /**
     * Refuses a tensor record shorter than its storage: LibTorch takes the size from the pickle
     * and reads that many bytes from the record, past its end when the file was cut or edited.
     */
    private static void checkStorages(Path file, ZipFile zip) throws IOException {
        for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
            ZipEntry pkl = en.nextElement();
            String name = pkl.getName();
            String folder = name.endsWith("/data.pkl") || name.equals("data.pkl") ? "data/"
                    : name.endsWith("/constants.pkl") || name.equals("constants.pkl") ? "constants/"
                    : null;
            if (folder == null) {
                continue;
            }
            String prefix = name.substring(0, name.lastIndexOf('/') + 1);
            List<TorchScriptStorages.Storage> storages;
            try (InputStream in = zip.getInputStream(pkl)) {
                if (pkl.getSize() > MAX_PICKLE_BYTES) {
                    throw damaged(file, name + " declares " + pkl.getSize() + " bytes");
                }
                storages = TorchScriptStorages.of(in.readNBytes((int) MAX_PICKLE_BYTES + 1));
            } catch (LuzjException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                // Pyrolite's PickleException, and a stack or memo a forged pickle empties
                throw damaged(file, name + " is not a pickle torch.jit.save writes (" + e.getMessage() + ")");
            }
            for (TorchScriptStorages.Storage st : storages) {
                ZipEntry record = zip.getEntry(prefix + folder + st.key());
                if (record == null) {
                    throw damaged(file, name + " names the tensor record " + prefix + folder + st.key()
                            + ", which the archive lacks");
                }
                if (record.getSize() < st.bytes()) {
                    throw damaged(file, String.format(Locale.ROOT,
                            "the tensor record %s holds %,d bytes where its %s needs %,d",
                            record.getName(), record.getSize(), st.type(), st.bytes()));
                }
            }
        }
    }

    private static LuzjException damaged(Path file, String what) {
        return new LuzjException("cannot load TorchScript model " + file + ": " + what + "; the file is"
                + " damaged (cut short or edited): pass the file torch.jit.save wrote");
    }
}
