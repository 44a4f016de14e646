package io.github.luzj.callbacks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.github.luzj.base.Checks;
import io.github.luzj.base.GradMode;
import io.github.luzj.base.LuzjException;
import io.github.luzj.base.NamedArrays;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A copy of every parameter of a block (batch-norm statistics included), on the block's device,
 * in memory of its own; it can be written back, carried through a checkpoint as bytes (DJL's
 * encoding, so the round trip is bitwise) and freed.
 */
final class ParameterCopy implements AutoCloseable {

    private static final NDIndex ALL = new NDIndex("...");

    private final NDManager memory;
    private final List<String> names = new ArrayList<>();
    private final List<NDArray> arrays = new ArrayList<>();

    private ParameterCopy(NDManager memory) {
        this.memory = memory;
    }

    /** Copies the block's parameters now. */
    static ParameterCopy of(Block block, NDManager parent, String name) {
        ParameterCopy c = new ParameterCopy(parent.newSubManager());
        c.memory.setName(name);
        try (GradMode ignored = GradMode.off()) {
            for (Pair<String, Parameter> p : block.getParameters()) {
                NDArray a = p.getValue().getArray().duplicate();
                a.attach(c.memory);
                c.names.add(p.getKey());
                c.arrays.add(a);
            }
        }
        return c;
    }

    /** The copied arrays, in the block's parameter order. */
    List<NDArray> arrays() {
        return arrays;
    }

    /** Overwrites this copy with the block's parameters as they are now. */
    void copyFrom(Block block) {
        List<Parameter> params = matching(block);
        try (GradMode ignored = GradMode.off()) {
            for (int i = 0; i < params.size(); i++) {
                arrays.get(i).set(ALL, params.get(i).getArray());
            }
        }
    }

    /** Writes this copy into the block's parameters, in place. */
    void writeTo(Block block) {
        List<Parameter> params = matching(block);
        try (GradMode ignored = GradMode.off()) {
            for (int i = 0; i < params.size(); i++) {
                params.get(i).getArray().set(ALL, arrays.get(i));
            }
        }
    }

    private List<Parameter> matching(Block block) {
        List<Pair<String, Parameter>> params = block.getParameters().stream().toList();
        Checks.check(
                params.size() == names.size(),
                "the block has %s parameters but the copy %s; use the callback with the model it"
                        + " was fitted with",
                params.size(),
                names.size());
        List<Parameter> out = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
            Checks.check(
                    params.get(i).getKey().equals(names.get(i)),
                    "parameter %s of the block is '%s' but the copy's is '%s'; use the callback"
                            + " with the model it was fitted with",
                    i,
                    params.get(i).getKey(),
                    names.get(i));
            out.add(params.get(i).getValue());
        }
        return out;
    }

    /**
     * The copy as bytes ({@link NamedArrays}: per parameter its name and DJL's encoding), for a
     * checkpoint's states file.
     *
     * @throws LuzjException when the copy is too large for one array of bytes (2 GiB)
     */
    byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            NamedArrays.write(names, arrays, out);
        } catch (IOException e) {
            throw new LuzjException("cannot encode the copy of the weights: " + e, e);
        } catch (OutOfMemoryError e) {
            // a byte array holds 2 GiB at most, and the heap may hold less
            throw new LuzjException(String.format(Locale.ROOT,
                    "cannot checkpoint the copy of %,d parameter arrays (%s): its bytes do not fit"
                            + " in one Java array (2 GiB) or the heap (raise -Xmx); checkpoint"
                            + " without this callback",
                    arrays.size(), memory.getName()), e);
        }
        return bytes.toByteArray();
    }

    /**
     * Refuses bytes that {@link #toBytes} cannot have written, before anything is restored: the
     * layout and each array's header, not yet the shapes against the block.
     *
     * @throws LuzjException naming {@code owner} and what is wrong
     */
    static void checkBytes(byte[] bytes, String owner) {
        String problem = NamedArrays.problem(bytes);
        Checks.check(problem == null,
                "%s's copy of the weights in the checkpoint's states file %s: the file was forged"
                        + " or written damaged; resume from another checkpoint", owner, problem);
    }

    /**
     * Reads what {@link #toBytes} wrote, checked against the block's parameters.
     *
     * @throws LuzjException when the saved copy is damaged or does not fit the block
     */
    static ParameterCopy fromBytes(byte[] bytes, Block block, NDManager parent, String name) {
        ParameterCopy c = new ParameterCopy(parent.newSubManager());
        c.memory.setName(name);
        try (NDManager scratch = c.memory.newSubManager()) {
            Map<String, NDArray> read = NamedArrays.read(
                    new DataInputStream(new ByteArrayInputStream(bytes)), scratch, "the saved average");
            c.adopt(new ArrayList<>(read.keySet()), new ArrayList<>(read.values()), block);
        } catch (IOException | RuntimeException e) {
            throw c.failed(e);
        }
        return c;
    }

    /**
     * Reads the JSON an earlier luzj wrote into checkpoint.json (per parameter its name, shape,
     * data type and base64 bytes), checked against the block's parameters: checkpoints written
     * before the states file stay resumable.
     *
     * @throws LuzjException when the saved copy does not fit the block
     */
    static ParameterCopy fromJson(JsonElement json, Block block, NDManager parent, String name) {
        Checks.check(
                json != null && json.isJsonArray(),
                "the saved average must be an array of parameters, got %s",
                json == null ? "nothing" : Checks.echo(json.toString()));
        ParameterCopy c = new ParameterCopy(parent.newSubManager());
        c.memory.setName(name);
        try (NDManager scratch = c.memory.newSubManager()) {
            List<String> names = new ArrayList<>();
            List<NDArray> arrays = new ArrayList<>();
            for (JsonElement el : json.getAsJsonArray()) {
                JsonObject o = el.getAsJsonObject();
                JsonArray dims = o.getAsJsonArray("shape");
                long[] shape = new long[dims.size()];
                for (int d = 0; d < shape.length; d++) {
                    shape[d] = dims.get(d).getAsLong();
                }
                byte[] bytes = Base64.getDecoder().decode(o.get("data").getAsString());
                ByteBuffer buf = scratch.allocateDirect(bytes.length).order(ByteOrder.nativeOrder());
                buf.put(bytes).rewind();
                names.add(o.get("name").getAsString());
                arrays.add(scratch.create(buf, new Shape(shape), DataType.valueOf(o.get("dtype").getAsString())));
            }
            c.adopt(names, arrays, block);
        } catch (RuntimeException e) {
            throw c.failed(e);
        }
        return c;
    }

    /** Takes copies of the saved arrays, after checking each against the block's parameter. */
    private void adopt(List<String> saved, List<NDArray> read, Block block) {
        List<Pair<String, Parameter>> params = block.getParameters().stream().toList();
        Checks.check(
                read.size() == params.size(),
                "the saved weights hold %s parameters but the model has %s; resume with the same"
                        + " architecture",
                read.size(),
                params.size());
        for (int i = 0; i < params.size(); i++) {
            NDArray live = params.get(i).getValue().getArray();
            NDArray a = read.get(i);
            Checks.check(
                    saved.get(i).equals(params.get(i).getKey())
                            && live.getShape().equals(a.getShape())
                            && live.getDataType() == a.getDataType(),
                    "saved parameter %s is '%s' %s %s but the model's is '%s' %s %s; resume"
                            + " with the same architecture",
                    i, saved.get(i), a.getShape(), a.getDataType(), params.get(i).getKey(),
                    live.getShape(), live.getDataType());
            NDArray owned = a.duplicate().toDevice(live.getDevice(), false);
            owned.attach(memory);
            names.add(saved.get(i));
            arrays.add(owned);
        }
    }

    private LuzjException failed(Exception e) {
        close();
        if (e instanceof LuzjException l) {
            return l;
        }
        return new LuzjException(
                "the saved weights are corrupt (" + e.getMessage() + "); resume from another"
                        + " checkpoint",
                e);
    }

    @Override
    public void close() {
        memory.close();
        arrays.clear();
        names.clear();
    }
}
