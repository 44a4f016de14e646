package io.github.luzj;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.github.luzj.base.EncodedArrays;
import io.github.luzj.base.InputFiles;
import io.github.luzj.base.LuzjException;
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
import java.util.List;

/**
 * Checks a DJL {@code .params} file before DJL's {@code Model.load} reads it: DJL allocates by
 * every count the file claims (a forged dimension count runs the JVM out of memory) and never
 * checks that the counts fit the bytes. The file is a header (magic {@code DJL@}, version, name,
 * data type, the input shapes, the properties), then what {@code Block.saveParameters} writes.
 * That second part is checked against the set-up block's own: once {@code parameters.json} has
 * matched the architecture, every count in it (dimensions, layouts, lengths) is the block's, and
 * only the arrays' values may differ, so a count of the file's own is never believed.
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
        for (int[] array : arrays(block, expected)) {
            String problem = EncodedArrays.arrayHeaderProblem(
                    ByteBuffer.wrap(bytes, start + array[0], array[2] - array[0]).slice());
            if (problem != null) {
                throw damaged(file, "is damaged: a parameter's array " + problem);
            }
            // outside the arrays' values, the file must be what the set-up block writes
            checkSame(file, bytes, start, expected, from, array[1]);
            from = array[2];
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
     * Where each parameter's encoded array lies in {@code expected}: its start, the start of its
     * values and its end. {@code Parameter.save} writes {@code NDArray.encode}'s bytes whole, the
     * values last, in the order of {@code getParameters}.
     */
    private static List<int[]> arrays(Block block, byte[] expected) {
        List<int[]> arrays = new ArrayList<>();
        int cursor = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray array = p.getValue().getArray();
            byte[] encoded = array.encode();
            int at = indexOf(expected, encoded, cursor);
            if (at < 0) {
                throw new LuzjException("cannot find parameter " + p.getKey() + " in the set-up"
                        + " model's own encoding; report this as a luzj bug");
            }
            int end = at + encoded.length;
            long values = array.size() * array.getDataType().getNumOfBytes();
            arrays.add(new int[] {at, (int) Math.max(at, end - values), end});
            cursor = end;
        }
        return arrays;
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
