package io.github.luzj.callbacks;

import io.github.luzj.base.Checks;
import io.github.luzj.base.LuzjException;
import io.github.luzj.record.CsvFormat;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A checkpoint path with placeholders, as luz's {@code glue} paths with {@code sprintf}
 * formats: {@code runs/epoch-{epoch:02d}-{valid_loss:.4f}}. The names are {@code epoch},
 * {@code monitor} (the monitored value) and any recorded metric as {@code <set>_<metric>}; the
 * format is {@code [0][width][.precision][d|f|e|g]}, {@code d} for the epoch only. The template
 * is checked when it is parsed.
 */
final class PathTemplate {

    private static final Pattern FIELD = Pattern.compile("\\{([^{}:]*)(?::([^{}]*))?}");
    private static final Pattern SPEC = Pattern.compile("(0?)(\\d*)(\\.\\d+)?([dfeg]?)");
    private static final Pattern NAME = Pattern.compile("epoch|monitor|(train|valid)_[a-z0-9_]+");

    /** A literal run of text, or a field when {@code name} is set. */
    private record Part(String literal, String name, String format) {}

    private final String template;
    private final List<Part> parts;

    private PathTemplate(String template, List<Part> parts) {
        this.template = template;
        this.parts = parts;
    }

    /**
     * Parses {@code template}.
     *
     * @param template the path with placeholders
     * @return the template
     * @throws LuzjException naming the first bad placeholder
     */
    static PathTemplate parse(String template) {
        Checks.check(
                template != null && !template.isBlank(),
                "path must name a checkpoint folder such as 'runs/epoch-{epoch:02d}', got '%s'",
                template);
        List<Part> parts = new ArrayList<>();
        Matcher m = FIELD.matcher(template);
        int at = 0;
        while (m.find()) {
            literal(template, template.substring(at, m.start()), parts);
            String name = m.group(1).trim().toLowerCase(Locale.ROOT);
            parts.add(new Part(null, name, format(template, name, m.group(2))));
            at = m.end();
        }
        literal(template, template.substring(at), parts);
        return new PathTemplate(template, List.copyOf(parts));
    }

    /**
     * Tells whether the template has placeholders, so that two epochs meeting in one folder is a
     * collision of its values rather than the one folder asked for.
     *
     * @return true when some part is a placeholder
     */
    boolean hasPlaceholders() {
        return parts.stream().anyMatch(p -> p.name() != null);
    }

    private static void literal(String template, String text, List<Part> parts) {
        if (text.indexOf('{') >= 0 || text.indexOf('}') >= 0) {
            throw new LuzjException(
                    "path template '" + template + "' has an unmatched brace in '" + text
                            + "'; write placeholders as {epoch} or {valid_loss:.4f}");
        }
        if (!text.isEmpty()) {
            parts.add(new Part(text, null, null));
        }
    }

    private static String format(String template, String name, String spec) {
        if (!NAME.matcher(name).matches()) {
            throw new LuzjException(
                    "unknown placeholder {" + name + "} in path template '" + template
                            + "'; use {epoch}, {monitor} or a metric such as {valid_loss} or"
                            + " {train_acc}");
        }
        boolean epoch = name.equals("epoch");
        if (spec == null || spec.isEmpty()) {
            return epoch ? "%d" : null;
        }
        Matcher s = SPEC.matcher(spec);
        if (!s.matches()) {
            throw new LuzjException(
                    "format '" + spec + "' of {" + name + "} in path template '" + template
                            + "' is not [0][width][.precision][d|f|e|g], such as 02d or .4f");
        }
        String type = s.group(4);
        if (type.equals("d") && !epoch) {
            throw new LuzjException(
                    "format '" + spec + "' of {" + name + "} in path template '" + template
                            + "' formats whole numbers; use f, e or g for metrics, such as .4f");
        }
        if (type.isEmpty()) {
            type = epoch && s.group(3) == null ? "d" : "g";
        }
        if (epoch && type.equals("d") && s.group(3) != null) {
            throw new LuzjException(
                    "format '" + spec + "' of {epoch} in path template '" + template
                            + "' has a precision, which whole numbers do not take; use 02d");
        }
        // Python reads "0.3f" and "00d" as a zero fill without a width, which pads nothing; Java's
        // Formatter refuses a 0 flag without a width, so the flag goes with the width it needs
        String width = s.group(2).replaceFirst("^0+", "");
        if (width.length() > 3 || (!width.isEmpty() && Integer.parseInt(width) > 255)) {
            throw new LuzjException(
                    "format '" + spec + "' of {" + name + "} in path template '" + template
                            + "' is wider than 255, the longest file name; use a width such as 02d");
        }
        String precision = s.group(3) == null ? "" : s.group(3);
        if (precision.length() > 3) {
            throw new LuzjException(
                    "format '" + spec + "' of {" + name + "} in path template '" + template
                            + "' has a precision above 99; use one such as .4f");
        }
        String flag = width.isEmpty() ? "" : s.group(1);
        return "%" + flag + width + precision + type;
    }

    /**
     * Returns the placeholders that name a recorded metric, such as {@code valid_acc}.
     *
     * @return their names, in order
     */
    List<String> metricPlaceholders() {
        return parts.stream().map(Part::name)
                .filter(n -> n != null && (n.startsWith("train_") || n.startsWith("valid_")))
                .toList();
    }

    /**
     * Returns the template as given.
     *
     * @return the template
     */
    String template() {
        return template;
    }

    /**
     * Fills the placeholders.
     *
     * @param epoch the epoch
     * @param values the monitored value under {@code "monitor"} and every metric by
     *     {@code <set>_<metric>}
     * @return the path
     * @throws LuzjException when a placeholder names a metric that is not recorded
     */
    Path resolve(int epoch, Map<String, Double> values) {
        StringBuilder sb = new StringBuilder();
        for (Part p : parts) {
            if (p.name == null) {
                sb.append(p.literal);
            } else if (p.name.equals("epoch")) {
                Object arg = p.format.endsWith("d") ? (Object) epoch : (Object) (double) epoch;
                sb.append(String.format(Locale.ROOT, p.format, arg));
            } else {
                Double v = values.get(p.name);
                if (v == null) {
                    throw new LuzjException(
                            "path template '" + template + "' uses {" + p.name + "}, which is"
                                    + " not recorded this epoch; recorded are "
                                    + values.keySet());
                }
                // unformatted values are spelled as records' CSV spells them
                sb.append(p.format == null
                        ? CsvFormat.number(v)
                        : String.format(Locale.ROOT, p.format, v));
            }
        }
        return Path.of(sb.toString());
    }
}
