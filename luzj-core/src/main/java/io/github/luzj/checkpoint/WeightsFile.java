package io.github.luzj.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.github.luzj.base.LuzjException;
import io.github.luzj.base.NamedArrays;
import io.github.luzj.data.ChannelsLastWeights;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every parameter of a block (BatchNorm statistics included) by path, read back IN PLACE: the
 * arrays keep their identity, so gradients, the optimizer's references and the parameter store
 * stay valid (DJL's own {@code loadParameters} replaces the arrays and drops their gradients).
 */
final class WeightsFile {

    private static final int MAGIC = 0x4C5A4A57; // "LZJW"
    private static final int VERSION = 1;

    private WeightsFile() {}

    /**
     * Writes every parameter of {@code block}.
     *
     * @param block the network
     * @param out the stream
     * @throws IOException when writing fails
     */
    static void write(Block block, DataOutputStream out) throws IOException {
        List<Pair<String, Parameter>> params = block.getParameters().stream().toList();
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        NamedArrays.write(
                params.stream().map(Pair::getKey).toList(),
                params.stream().map(p -> p.getValue().getArray()).toList(),
                out);
    }

    /**
     * Reads what {@link #write} wrote into {@code block}'s existing arrays. Every mismatch (a
     * missing, unexpected or differently shaped parameter) is reported at once, and nothing is
     * changed unless all match.
     *
     * @param block the network, initialized
     * @param in the stream
     * @throws IOException when reading fails
     */
    static void readInto(Block block, DataInputStream in) throws IOException {
        Map<String, Parameter> params = new LinkedHashMap<>();
        block.getParameters().forEach(p -> params.put(p.getKey(), p.getValue()));
        NDManager first = params.values().iterator().next().getArray().getManager();
        try (NDManager scratch = first.newSubManager()) {
            int magic;
            int version;
            try {
                magic = in.readInt();
                version = in.readInt();
            } catch (EOFException e) {
                throw new LuzjException("the weights file is truncated; it was not written completely", e);
            }
            if (magic != MAGIC) {
                throw new LuzjException("not a luzj weights file (wrong magic number)");
            }
            if (version != VERSION) {
                throw new LuzjException("weights file version " + version + ", expected " + VERSION);
            }
            Map<String, NDArray> read = NamedArrays.read(in, scratch, "the weights file");
            List<String> problems = new ArrayList<>();
            for (Map.Entry<String, Parameter> e : params.entrySet()) {
                NDArray saved = read.get(e.getKey());
                if (saved == null) {
                    problems.add("missing " + e.getKey());
                } else if (!saved.getShape().equals(e.getValue().getArray().getShape())) {
                    problems.add(
                            e.getKey() + " has shape " + saved.getShape() + ", the model expects "
                                    + e.getValue().getArray().getShape());
                }
            }
            for (String name : read.keySet()) {
                if (!params.containsKey(name)) {
                    problems.add("unexpected " + name);
                }
            }
            if (!problems.isEmpty()) {
                throw new LuzjException(
                        "the saved weights do not fit the model: " + String.join("; ", problems));
            }
            for (Map.Entry<String, Parameter> e : params.entrySet()) {
                NDArray target = e.getValue().getArray();
                ChannelsLastWeights.copyInto(target, read.get(e.getKey()).toType(target.getDataType(), false));
            }
        }
    }
}
