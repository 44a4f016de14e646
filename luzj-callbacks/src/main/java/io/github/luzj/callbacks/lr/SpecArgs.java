package io.github.luzj.callbacks.lr;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.github.luzj.base.LuzjException;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed reads of a JSON object of PyTorch arguments; every failure names the owner, the argument
 * and the value, and {@link #done()} rejects arguments nobody read.
 */
final class SpecArgs {

    private final String owner;
    private final JsonObject args;
    private final Set<String> read = new HashSet<>();

    SpecArgs(String owner, JsonObject args) {
        this.owner = owner;
        this.args = args == null ? new JsonObject() : args;
    }

    boolean has(String name) {
        read.add(name);
        JsonElement e = args.get(name);
        return e != null && !e.isJsonNull();
    }

    private JsonElement required(String name) {
        if (!has(name)) {
            throw new LuzjException(owner + " needs argument '" + name + "'; add it to the spec");
        }
        return args.get(name);
    }

    private LuzjException bad(String name, String expected, JsonElement got) {
        return new LuzjException(
                owner + " argument '" + name + "' must be " + expected + ", got " + got);
    }

    private double toNumber(String name, JsonElement e) {
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
            return e.getAsDouble();
        }
        throw bad(name, "a number", e);
    }

    private int toInt(String name, JsonElement e) {
        double v = toNumber(name, e);
        if (v != Math.rint(v)) {
            throw bad(name, "an integer", e);
        }
        if (Math.abs(v) > Integer.MAX_VALUE) {
            throw bad(name, "an integer between -2,147,483,648 and 2,147,483,647 (a Java int)", e);
        }
        return (int) v;
    }

    double number(String name) {
        return toNumber(name, required(name));
    }

    double number(String name, double fallback) {
        return has(name) ? toNumber(name, args.get(name)) : fallback;
    }

    int integer(String name) {
        return toInt(name, required(name));
    }

    int integer(String name, int fallback) {
        return has(name) ? toInt(name, args.get(name)) : fallback;
    }

    Integer optionalInteger(String name) {
        return has(name) ? toInt(name, args.get(name)) : null;
    }

    boolean bool(String name, boolean fallback) {
        if (!has(name)) {
            return fallback;
        }
        JsonElement e = args.get(name);
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isBoolean()) {
            return e.getAsBoolean();
        }
        throw bad(name, "true or false", e);
    }

    String string(String name, String fallback) {
        if (!has(name)) {
            return fallback;
        }
        JsonElement e = args.get(name);
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()) {
            return e.getAsString();
        }
        throw bad(name, "a string", e);
    }

    String string(String name) {
        required(name);
        return string(name, null);
    }

    /** A number, or a list of numbers (one per parameter group, or PyTorch's betas). */
    double[] numbers(String name) {
        JsonElement e = required(name);
        if (!e.isJsonArray()) {
            return new double[] {toNumber(name, e)};
        }
        JsonArray a = e.getAsJsonArray();
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = toNumber(name, a.get(i));
        }
        return out;
    }

    double[] numbers(String name, double... fallback) {
        return has(name) ? numbers(name) : fallback;
    }

    int[] integers(String name) {
        JsonElement e = required(name);
        if (!e.isJsonArray()) {
            throw bad(name, "a list of integers", e);
        }
        JsonArray a = e.getAsJsonArray();
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = toInt(name, a.get(i));
        }
        return out;
    }

    JsonArray array(String name) {
        JsonElement e = required(name);
        if (!e.isJsonArray()) {
            throw bad(name, "a list", e);
        }
        return e.getAsJsonArray();
    }

    JsonObject object(String name) {
        JsonElement e = required(name);
        if (!e.isJsonObject()) {
            throw bad(name, "an object", e);
        }
        return e.getAsJsonObject();
    }

    /** Rejects every argument that was never read: a typo or an argument luzj does not know. */
    void done() {
        Set<String> unknown = new TreeSet<>(args.keySet());
        unknown.removeAll(read);
        if (!unknown.isEmpty()) {
            throw new LuzjException(
                    owner + " has unknown argument(s) " + unknown + "; valid arguments are "
                            + new TreeSet<>(read));
        }
    }
}
