package io.github.luzj.testing;

import java.io.IOException;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Zip entries written uncompressed, as torch.save and torch.jit.save write theirs. */
public final class StoredZip {

    private StoredZip() {}

    /**
     * Writes one stored entry.
     *
     * @param zip the archive
     * @param name the entry's name
     * @param data its bytes
     * @throws IOException when writing fails
     */
    public static void entry(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }
}
