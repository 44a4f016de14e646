package io.github.luzj.checkpoint;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.Pair;
import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import io.github.luzj.base.Checks;
import io.github.luzj.base.JsonText;
import io.github.luzj.base.LuzjException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The names and shapes of a saved model's parameters and the input shape it was built for,
 * written beside the weights so that loading into a different architecture is refused before
 * any weight is read (DJL's own loader replaces arrays without comparing shapes).
 *
 * @param inputShape the shape of one batch of features the block was initialized with
 * @param parameters every parameter's shape, by name, in the block's order
 */
public record ParameterManifest(long[] inputShape, Map<String, long[]> parameters) {

    /** The file name inside a saved model's folder. */
    public static final String FILE = "parameters.json";

    /**
     * Describes an initialized block.
     *
     * @param block the network
     * @return the manifest
     */
    public static ParameterManifest of(Block block) {
        Map<String, long[]> params = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            params.put(p.getKey(), p.getValue().getArray().getShape().getShape());
        }
        return new ParameterManifest(block.getInputShapes()[0].getShape(), params);
    }

    /**
     * Writes the manifest as JSON.
     *
     * @return the JSON text
     */
    public String toJson() {
        JsonObject root = new JsonObject();
        root.add("input_shape", new Gson().toJsonTree(inputShape));
        JsonArray list = new JsonArray();
        parameters.forEach(
                (name, shape) -> {
                    JsonObject o = new JsonObject();
                    o.addProperty("name", name);
                    o.add("shape", new Gson().toJsonTree(shape));
                    list.add(o);
                });
        root.add("parameters", list);
        return root.toString();
    }

    /**
     * Reads what {@link #toJson} wrote.
     *
     * @param json the text
     * @param source the file, for messages
     * @return the manifest
     */
    public static ParameterManifest parse(String json, Object source) {
        try {
            JsonObject root = JsonText.parse(json).getAsJsonObject();
            long[] input = new Gson().fromJson(root.get("input_shape"), long[].class);
            Map<String, long[]> params = new LinkedHashMap<>();
            for (JsonElement el : root.getAsJsonArray("parameters")) {
                JsonObject o = el.getAsJsonObject();
                String name = o.get("name").getAsString();
                Checks.check(
                        params.put(name, new Gson().fromJson(o.get("shape"), long[].class)) == null,
                        "%s is not a luzj parameter list (it lists %s twice); save the model again"
                                + " with FittedModel.save",
                        source, Checks.echo(name));
            }
            Checks.check(input != null, "no input_shape");
            return new ParameterManifest(input, params);
        } catch (JsonParseException | IllegalStateException | NullPointerException
                | ClassCastException | UnsupportedOperationException e) {
            // Gson's getAs... on an object or array of the wrong kind throws the last two
            throw new LuzjException(
                    source + " is not a luzj parameter list (" + e.getMessage()
                            + "); save the model again with FittedModel.save",
                    e);
        }
    }

    /**
     * Initializes {@code block} for this manifest's input when it is not yet, then refuses a
     * parameter that is missing, unexpected or differently shaped, naming each.
     *
     * @param block the set-up network
     * @param manager where the block's arrays live
     */
    public void checkFits(Block block, NDManager manager) {
        checkFits(block, manager, Long.MAX_VALUE);
    }

    /**
     * {@link #checkFits(Block, NDManager)}, allocating at most {@code maxBytes} for the block's
     * weights while initializing it: the input shape comes from the file, and a forged one (an
     * input of 10^8 features) would have the first layer allocate gigabytes before any shape is
     * compared.
     *
     * @param block the set-up network
     * @param manager where the block's arrays live
     * @param maxBytes the most the initialized weights may take, such as the weights file's size
     */
    public void checkFits(Block block, NDManager manager, long maxBytes) {
        if (!block.isInitialized()) {
            Map<Parameter, Initializer> own = new IdentityHashMap<>();
            long[] left = {maxBytes};
            for (Pair<String, Parameter> p : block.getParameters()) {
                Initializer init = p.getValue().getInitializer();
                if (init == null || own.containsKey(p.getValue())) {
                    continue;
                }
                own.put(p.getValue(), init);
                String name = p.getKey();
                p.getValue().setInitializer((m, shape, dataType) -> {
                    long bytes = shape.size() * dataType.getNumOfBytes();
                    if (shape.size() < 0 || bytes / Math.max(1, dataType.getNumOfBytes()) != shape.size()
                            || bytes > left[0]) {
                        throw new LuzjException(String.format(Locale.ROOT,
                                "the saved model's input shape %s gives %s the shape %s, more than its"
                                        + " weights file holds (initializing may take %,d bytes); the"
                                        + " saved model's %s is damaged: save the model again with"
                                        + " FittedModel.save",
                                Arrays.toString(inputShape), name, shape, maxBytes, FILE));
                    }
                    left[0] -= bytes;
                    return init.initialize(m, shape, dataType);
                });
            }
            try {
                block.initialize(manager, DataType.FLOAT32, new Shape(inputShape));
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new LuzjException(
                        "the set-up model does not accept the saved model's input of shape "
                                + Arrays.toString(inputShape) + " (" + e.getMessage()
                                + "); set up the architecture the model was trained with",
                        e);
            } finally {
                own.forEach(Parameter::setInitializer); // the user's block keeps its own
            }
        }
        Map<String, long[]> expected = of(block).parameters();
        List<String> problems = new ArrayList<>();
        expected.forEach(
                (name, shape) -> {
                    long[] saved = parameters.get(name);
                    if (saved == null) {
                        problems.add(name + " is not in the saved model");
                    } else if (!Arrays.equals(saved, shape)) {
                        problems.add(
                                name + " was saved with shape " + Arrays.toString(saved)
                                        + " but the set-up model has " + Arrays.toString(shape));
                    }
                });
        parameters.keySet().stream()
                .filter(name -> !expected.containsKey(name))
                .forEach(name -> problems.add("the saved " + name + " has no place in the set-up model"));
        if (!problems.isEmpty()) {
            throw new LuzjException(
                    "the saved model does not fit the set-up model: " + String.join("; ", problems)
                            + "; set up the same architecture it was trained with");
        }
    }
}
