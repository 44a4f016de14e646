package io.github.luzj;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.util.Pair;
import io.github.luzj.base.EncodedArrays;
import io.github.luzj.base.InputFiles;
import io.github.luzj.base.LuzjException;
import io.github.luzj.base.TorchScriptArchive;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a DJL {@code .params} file before DJL's {@code Model.load} reads it: DJL allocates by
 * every count the file claims (a forged dimension count runs the JVM out of memory) and never
 * checks that the counts fit the bytes. The file is a header (magic {@code DJL@}, version, name,
 * data type, the input shapes, the properties), then what {@code Block.saveParameters} writes.
 * That second part is checked against the set-up block's own: once {@code parameters.json} has
 * matched the architecture, every count in it (dimensions, layouts, lengths) is the block's, and
 * only the arrays' values may differ, so a count of the file's own is never believed. A
 * TorchScript part of the block (a {@code PtSymbolBlock}, such as a transfer backbone) is written
 * by LibTorch as one zip archive of the module, weights inside: its frame (version and length)
 * must be the block's, and its archive must pass the checks a {@code .pt} file passes before
 * LibTorch opens it ({@link TorchScriptArchive}: a {@code code/} folder, compressed entries
 * within their declared sizes and a budget).
 */
final class ParamsFile {

    /** More than any header holds: a name, a data type, a few input shapes and properties. */
    private static final int MAX_HEADER = 1 << 20;

    private ParamsFile() {}

    /**
     * Checks {@code file} against {@code block}.
     *
     * @param file a weights file of a saved model
     * @param block the set-up block, initialized, whose parameters match the saved ones
     * @throws LuzjException naming the damage
     */
    static void check(Path file, Block block) {
        if (Files.isDirectory(file)) {
            throw damaged(file, "is a directory, not a weights file");
        }
        byte[] expected = blockBytes(block);
        byte[] bytes = read(file, expected.length + (long) MAX_HEADER);
        ByteBuffer b = ByteBuffer.wrap(bytes);
        String headerProblem = headerProblem(b);
        if (headerProblem != null) {
            throw damaged(file, headerProblem);
        }
        int start = b.position();
        int have = bytes.length - start;
        if (have < expected.length) {
            throw damaged(file, "is truncated: its weights end after " + have + " of the "
                    + expected.length + " bytes this model's take; it was not written completely");
        }
        if (have > expected.length) {
            throw damaged(file, "is not a luzj model file of this architecture: it holds "
                    + (have - expected.length) + " bytes more than this model's weights take");
        }
        int from = 0;
        for (Region r : regions(block, expected)) {
            ByteBuffer region = ByteBuffer.wrap(bytes, start + r.start(), r.end() - r.start()).slice();
            String problem = r.module()
                    ? moduleProblem(region)
                    : EncodedArrays.arrayHeaderProblem(region);
            if (problem != null) {
                throw damaged(file, "is damaged: a parameter's array " + problem);
            }
            // outside the arrays' values, the file must be what the set-up block writes
            checkSame(file, bytes, start, expected, from, r.values());
            from = r.end();
        }
        checkSame(file, bytes, start, expected, from, expected.length);
    }

    private static void checkSame(Path file, byte[] bytes, int start, byte[] expected, int from, int to) {
        int at = Arrays.mismatch(bytes, start + from, start + to, expected, from, to);
        if (at >= 0) {
            throw damaged(file, "is damaged or not a luzj model file of this architecture: its"
                    + " layout differs from the set-up model's at byte " + (start + from + at));
        }
    }

    /** The set-up block's parameters as DJL writes them: the layout the file must have. */
    private static byte[] blockBytes(Block block) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DataOutputStream dos = new DataOutputStream(out)) {
            block.saveParameters(dos);
        } catch (IOException e) {
            throw new LuzjException("cannot encode the set-up model's parameters: " + e, e);
        }
        return out.toByteArray();
    }

    /**
     * Where a parameter's encoded array, or a TorchScript part's archive, lies in the encoding:
     * its start, the start of its values (of the archive, after the frame) and its end.
     */
    private record Region(int start, int values, int end, boolean module) {}

    /**
     * The regions of {@code expected}, in order. {@code Parameter.save} writes
     * {@code NDArray.encode}'s bytes whole, the values last, in the order of
     * {@code getParameters}; a TorchScript part writes its version byte, the archive's length and
     * the archive, which holds all of its parameters.
     */
    private static List<Region> regions(Block block, byte[] expected) {
        List<Region> arrays = new ArrayList<>();
        Map<Parameter, PtSymbolBlock> inModule = new IdentityHashMap<>();
        torchScriptParts(block, inModule);
        Set<PtSymbolBlock> placed = Collections.newSetFromMap(new IdentityHashMap<>());
        int cursor = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            PtSymbolBlock module = inModule.get(p.getValue());
            if (module != null) {
                if (!placed.add(module)) {
                    continue;
                }
                // the module's parameters are inside its archive: one region for all of them
                byte[] encoded = blockBytes(module);
                int at = indexOf(expected, encoded, cursor);
                if (at < 0) {
                    throw new LuzjException("cannot find the TorchScript part of the set-up model"
                            + " in its own encoding; report this as a luzj bug");
                }
                int end = at + encoded.length;
                // version byte and archive length are the frame; the archive is the values
                arrays.add(new Region(at, Math.min(end, at + 1 + Long.BYTES), end, true));
                cursor = end;
                continue;
            }
            NDArray array = p.getValue().getArray();
            byte[] encoded = array.encode();
            int at = indexOf(expected, encoded, cursor);
            if (at < 0) {
                throw new LuzjException("cannot find parameter " + p.getKey() + " in the set-up"
                        + " model's own encoding; report this as a luzj bug");
            }
            int end = at + encoded.length;
            long values = array.size() * array.getDataType().getNumOfBytes();
            arrays.add(new Region(at, (int) Math.max(at, end - values), end, false));
            cursor = end;
        }
        return arrays;
    }

    /** Maps each parameter of a TorchScript part of {@code block} to that part. */
    private static void torchScriptParts(Block block, Map<Parameter, PtSymbolBlock> into) {
        if (block instanceof PtSymbolBlock m) {
            m.getParameters().forEach(p -> into.put(p.getValue(), m));
            return;
        }
        for (Pair<String, Block> child : block.getChildren()) {
            torchScriptParts(child.getValue(), into);
        }
    }

    /** What is wrong with a TorchScript part's archive (after its frame), or null. */
    private static String moduleProblem(ByteBuffer region) {
        byte[] archive = new byte[Math.max(0, region.remaining() - 1 - Long.BYTES)];
        region.position(region.limit() - archive.length);
        region.get(archive);
        // the archive checks work on a file (a zip's central directory is at its end)
        Path tmp = null;
        try {
            tmp = Files.createTempFile("luzj-module-", ".pt");
            Files.write(tmp, archive);
            TorchScriptArchive.check(tmp);
            return null;
        } catch (LuzjException e) {
            return "of the TorchScript part is not an archive LibTorch wrote: "
                    + e.getMessage().replace(tmp.toString(), "(its archive)");
        } catch (IOException e) {
            throw new LuzjException("cannot check the TorchScript part of the weights file: " + e
                    + "; check that the temporary folder is writable", e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a temporary copy left behind holds nothing of the user's
                }
            }
        }
    }

    private static int indexOf(byte[] in, byte[] what, int from) {
        for (int i = from; i <= in.length - what.length; i++) {
            if (Arrays.equals(in, i, i + what.length, what, 0, what.length)) {
                return i;
            }
        }
        return -1;
    }

    /** Walks DJL's model header, leaving {@code b} after it. */
    private static String headerProblem(ByteBuffer b) {
        try {
            byte[] magic = new byte[4];
            b.get(magic);
            if (!"DJL@".equals(new String(magic, StandardCharsets.US_ASCII))) {
                return "is not a luzj model file (it does not start with DJL's DJL@)";
            }
            b.getInt(); // version: DJL's load names a wrong one
            EncodedArrays.skipUtf(b);
            EncodedArrays.skipUtf(b);
            int inputs = b.getInt();
            // each input is at least an empty name and an empty shape: 2 + 4 + 4 bytes
            if (inputs < 0 || inputs > b.remaining() / 10) {
                return "is damaged: its header claims " + inputs + " inputs";
            }
            for (int i = 0; i < inputs; i++) {
                EncodedArrays.skipUtf(b);
                String problem = EncodedArrays.shapeProblem(b);
                if (problem != null) {
                    return "is damaged: an input shape in its header " + problem;
                }
            }
            int properties = b.getInt();
            if (properties < 0 || properties > b.remaining() / 4) {
                return "is damaged: its header claims " + properties + " properties";
            }
            for (int i = 0; i < 2 * properties; i++) {
                EncodedArrays.skipUtf(b);
            }
            return null;
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            return "is truncated: its header is cut short";
        }
    }

    private static byte[] read(Path file, long limit) {
        // bounded, and only a regular file: a link to /dev/zero or a pipe is never read
        return InputFiles.readBounded(file, "weights file", limit,
                "it is not a luzj model file of this architecture; save the model again with FittedModel.save");
    }

    private static LuzjException damaged(Path file, String what) {
        return new LuzjException("the weights file " + file + " " + what
                + "; save the model again with FittedModel.save");
    }
}
