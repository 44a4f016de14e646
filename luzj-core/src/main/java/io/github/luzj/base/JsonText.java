package io.github.luzj.base;

import com.google.gson.FormattingStyle;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonIOException;
import com.google.gson.JsonParser;
import com.google.gson.JsonSyntaxException;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * JSON text as luzj reads its files and the user's: Gson's {@link JsonParser}, except that a name
 * given twice in one object is refused.
 *
 * <p>Gson keeps the last of two equal names without a word, so {@code {"lr": 0.1, "lr": 10}} would
 * train at 10 and a forged file could say one thing to a reader that takes the first and another
 * to luzj. One of them is a mistake, and only the writer knows which.
 */
public final class JsonText {

    /** Writes elements into a writer whose style it leaves alone, NaN and infinities included. */
    private static final Gson ELEMENTS =
            new GsonBuilder().disableHtmlEscaping().serializeSpecialFloatingPointValues().create();

    private JsonText() {}

    /**
     * Parses {@code text} as {@link JsonParser#parseString} does, refusing repeated names.
     *
     * @param text the JSON text
     * @return its value ({@code JsonNull} for an empty text)
     * @throws JsonSyntaxException if it is not JSON, or an object in it names a key twice
     */
    public static JsonElement parse(String text) {
        JsonElement value = JsonParser.parseString(text);
        if (!value.isJsonNull()) { // an empty text is JsonNull too, and has no names
            refuseRepeatedNames(text, Strictness.LENIENT);
        }
        return value;
    }

    /**
     * Checks that no object in {@code text}, already parsed, names a key twice.
     *
     * @param text the JSON text
     * @param strictness how strictly it was parsed, so that this pass reads it the same way
     * @throws JsonSyntaxException naming the repeated key
     */
    public static void refuseRepeatedNames(String text, Strictness strictness) {
        // A stack of the open objects' names; arrays push none, since a name is always the
        // innermost open object's. The reader's nesting limit bounds the stack.
        Deque<Set<String>> open = new ArrayDeque<>();
        try (JsonReader reader = new JsonReader(new StringReader(text))) {
            reader.setStrictness(strictness);
            while (true) {
                switch (reader.peek()) {
                    case BEGIN_OBJECT -> {
                        reader.beginObject();
                        open.push(new HashSet<>());
                    }
                    case END_OBJECT -> {
                        reader.endObject();
                        open.pop();
                    }
                    case BEGIN_ARRAY -> reader.beginArray();
                    case END_ARRAY -> reader.endArray();
                    case NAME -> {
                        String name = reader.nextName();
                        if (!open.peek().add(name)) {
                            throw new JsonSyntaxException("the name '" + Checks.echo(name)
                                    + "' appears twice in one object");
                        }
                    }
                    case END_DOCUMENT -> {
                        return;
                    }
                    default -> reader.skipValue();
                }
            }
        } catch (IOException e) {
            // a StringReader fails only on malformed JSON, which the first pass refused
            throw new JsonIOException(e);
        }
    }

    /**
     * Writes {@code root} pretty-printed, except that each row of the arrays named in
     * {@code rowArrays} (arrays of arrays) goes on one line. A checkpoint's per-step rows take
     * about 40 bytes each so, against about 80 with every number on a line of its own: a run
     * twice as long fits under the size its reader accepts. NaN and infinities are written as
     * Gson's lenient literals.
     *
     * @param root the object
     * @param rowArrays the names of the top-level members whose rows go one to a line
     * @return the text
     */
    public static String prettyWithRows(JsonObject root, Set<String> rowArrays) {
        StringWriter out = new StringWriter();
        try (JsonWriter w = new JsonWriter(out)) {
            w.setFormattingStyle(FormattingStyle.PRETTY);
            w.setStrictness(Strictness.LENIENT);
            w.setHtmlSafe(false);
            w.setSerializeNulls(false); // as Gson's own pretty printer: a null member is left out
            w.beginObject();
            for (Map.Entry<String, JsonElement> e : root.entrySet()) {
                w.name(e.getKey());
                JsonElement v = e.getValue();
                if (rowArrays.contains(e.getKey()) && v.isJsonArray()) {
                    w.beginArray();
                    for (JsonElement row : v.getAsJsonArray()) {
                        writeOnOneLine(w, row);
                    }
                    w.endArray();
                } else {
                    ELEMENTS.toJson(v, w);
                }
            }
            w.endObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    private static void writeOnOneLine(JsonWriter w, JsonElement row)
            throws IOException {
        if (!row.isJsonArray()) {
            ELEMENTS.toJson(row, w);
            return;
        }
        w.beginArray(); // under the pretty style: the row starts a line of its own
        w.setFormattingStyle(FormattingStyle.COMPACT.withSpaceAfterSeparators(true));
        for (JsonElement cell : row.getAsJsonArray()) {
            ELEMENTS.toJson(cell, w);
        }
        w.endArray();
        w.setFormattingStyle(FormattingStyle.PRETTY);
    }

    /**
     * Reads a JSON number that is a whole number, of any size: Gson's {@code getAsInt} would wrap
     * 1e10 round to 1410065408 and drop a fraction.
     *
     * @param el the value, or null
     * @return its exact value, or null when it is no number or not whole
     */
    public static BigDecimal wholeNumber(JsonElement el) {
        if (el == null || !el.isJsonPrimitive() || !el.getAsJsonPrimitive().isNumber()) {
            return null;
        }
        BigDecimal v;
        try {
            v = new BigDecimal(el.getAsJsonPrimitive().getAsString());
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
        return v.signum() != 0 && v.stripTrailingZeros().scale() > 0 ? null : v;
    }

    /**
     * Reads a count (an epoch, a number of updates) from a saved state: a whole number from 0 to
     * {@link Long#MAX_VALUE}.
     *
     * @param el the value
     * @param name its name, for the message
     * @return the count
     * @throws LuzjException when it is no such number
     */
    public static long count(JsonElement el, String name) {
        BigDecimal v = wholeNumber(el);
        if (v == null || v.signum() < 0 || v.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new LuzjException(name + " must be a whole number >= 0, got " + Checks.echo(String.valueOf(el)));
        }
        return v.longValueExact();
    }
}
