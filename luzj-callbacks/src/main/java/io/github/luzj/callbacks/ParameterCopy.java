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
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A copy of every parameter of a block (batch-norm statistics included), on the block's device,
 * in memory of its own; it can be written back, carried through a checkpoint as JSON (raw bytes
 * in base64, so the round trip is bitwise) and freed.
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

    /** The copy as JSON: per parameter its name, shape, data type and base64 bytes. */
    JsonArray toJson() {
        JsonArray out = new JsonArray();
        for (int i = 0; i < arrays.size(); i++) {
            NDArray a = arrays.get(i);
            JsonObject o = new JsonObject();
            o.addProperty("name", names.get(i));
            JsonArray shape = new JsonArray();
            for (long d : a.getShape().getShape()) {
                shape.add(d);
            }
            o.add("shape", shape);
            o.addProperty("dtype", a.getDataType().name());
            o.addProperty("data", Base64.getEncoder().encodeToString(a.toByteArray()));
            out.add(o);
        }
        return out;
    }

    /**
     * Reads what {@link #toJson} wrote, checked against the block's parameters.
     *
     * @throws LuzjException when the saved copy does not fit the block
     */
    static ParameterCopy fromJson(JsonElement json, Block block, NDManager parent, String name) {
        List<Pair<String, Parameter>> params = block.getParameters().stream().toList();
        Checks.check(
                json != null && json.isJsonArray() && json.getAsJsonArray().size() == params.size(),
                "the saved weights hold %s parameters but the model has %s; resume with the same"
                        + " architecture",
                json != null && json.isJsonArray() ? json.getAsJsonArray().size() : "no",
                params.size());
        ParameterCopy c = new ParameterCopy(parent.newSubManager());
        c.memory.setName(name);
        try {
            for (int i = 0; i < params.size(); i++) {
                JsonObject o = json.getAsJsonArray().get(i).getAsJsonObject();
                NDArray live = params.get(i).getValue().getArray();
                String saved = o.get("name").getAsString();
                JsonArray dims = o.getAsJsonArray("shape");
                long[] shape = new long[dims.size()];
                for (int d = 0; d < shape.length; d++) {
                    shape[d] = dims.get(d).getAsLong();
                }
                DataType type = DataType.valueOf(o.get("dtype").getAsString());
                Checks.check(
                        saved.equals(params.get(i).getKey())
                                && live.getShape().equals(new Shape(shape))
                                && live.getDataType() == type,
                        "saved parameter %s is '%s' %s %s but the model's is '%s' %s %s; resume"
                                + " with the same architecture",
                        i, saved, new Shape(shape), type, params.get(i).getKey(),
                        live.getShape(), live.getDataType());
                byte[] bytes = Base64.getDecoder().decode(o.get("data").getAsString());
                ByteBuffer buf =
                        c.memory.allocateDirect(bytes.length).order(ByteOrder.nativeOrder());
                buf.put(bytes).rewind();
                try (NDArray view = c.memory.create(buf, new Shape(shape), type)) {
                    NDArray owned = view.duplicate().toDevice(live.getDevice(), false);
                    owned.attach(c.memory);
                    c.names.add(saved);
                    c.arrays.add(owned);
                }
            }
        } catch (RuntimeException e) {
            c.close();
            if (e instanceof LuzjException) {
                throw e;
            }
            throw new LuzjException(
                    "the saved weights are corrupt (" + e.getMessage() + "); resume from another"
                            + " checkpoint",
                    e);
        }
        return c;
    }

    @Override
    public void close() {
        memory.close();
        arrays.clear();
        names.clear();
    }
}
