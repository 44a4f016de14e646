package io.github.luzj.examples.chapter;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import io.github.luzj.base.AtomicFiles;
import java.nio.file.Path;
import java.util.Collection;

/** The {@code summary.json} every experiment writes: ordered keys, written atomically. */
public final class Summary {

    private final JsonObject root = new JsonObject();

    public Summary put(String key, String value) {
        root.addProperty(key, value);
        return this;
    }

    public Summary put(String key, Number value) {
        if (value instanceof Double d && !Double.isFinite(d)) {
            root.add(key, JsonNull.INSTANCE);
        } else {
            root.addProperty(key, value);
        }
        return this;
    }

    public Summary put(String key, boolean value) {
        root.addProperty(key, value);
        return this;
    }

    public Summary put(String key, JsonElement value) {
        root.add(key, value);
        return this;
    }

    public Summary put(String key, Collection<? extends Number> values) {
        JsonArray a = new JsonArray();
        values.forEach(a::add);
        root.add(key, a);
        return this;
    }

    public JsonObject json() {
        return root;
    }

    public void write(Path file) {
        AtomicFiles.writeString(
                file,
                new GsonBuilder()
                                .setPrettyPrinting()
                                .serializeSpecialFloatingPointValues()
                                .create()
                                .toJson(root)
                        + "\n");
    }
}
