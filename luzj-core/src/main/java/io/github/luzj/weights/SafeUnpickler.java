package io.github.luzj.weights;

import io.github.luzj.base.LuzjException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A restricted reader of the pickle a {@code torch.save(state_dict)} writes. It interprets only
 * data opcodes and accepts only the globals a state dict needs ({@link PthReader#ALLOWED}); any
 * other global, such as {@code os.system} in a malicious file, is rejected before anything could
 * use it. Python's {@code pickle.load} would import and call whatever the file names.
 */
final class SafeUnpickler {

    /** {@code torch._utils._rebuild_tensor_v2}'s arguments: a view of a storage in the archive. */
    record TensorRef(
            String storageKey, StoredDtype dtype, Long storageElements, long offset, long[] size,
            long[] stride) {}

    private record Global(String module, String name) {}

    private record StorageRef(String key, StoredDtype dtype, Long elements) {}

    private record Tuple(List<Object> items) {}

    private static final Object MARK = new Object();
    private static final Object NONE = new Object();

    private final ByteBuffer in;
    private final String source;
    private final List<Object> stack = new ArrayList<>();
    private final Map<Integer, Object> memo = new HashMap<>();

    SafeUnpickler(byte[] pickle, String source) {
        this.in = ByteBuffer.wrap(pickle).order(ByteOrder.LITTLE_ENDIAN);
        this.source = source;
    }

    /**
     * Interprets the pickle up to its STOP opcode.
     *
     * @return the pickled object: maps, lists, strings, numbers and {@link TensorRef}s
     */
    Object load() {
        try {
            while (true) {
                int op = in.get() & 0xff;
                switch (op) {
                    case 0x80 -> in.get(); // PROTO
                    case 0x95 -> in.getLong(); // FRAME
                    case '.' -> {
                        return unwrap(pop());
                    }
                    case '(' -> stack.add(MARK);
                    case 'N' -> stack.add(NONE);
                    case 0x88 -> stack.add(Boolean.TRUE);
                    case 0x89 -> stack.add(Boolean.FALSE);
                    case 'K' -> stack.add((long) (in.get() & 0xff));
                    case 'M' -> stack.add((long) (in.getShort() & 0xffff));
                    case 'J' -> stack.add((long) in.getInt());
                    case 0x8a -> stack.add(readLong1());
                    case 'G' -> stack.add(readBigEndianDouble());
                    case 'X' -> stack.add(readString(Integer.toUnsignedLong(in.getInt())));
                    case 0x8c -> stack.add(readString(in.get() & 0xff));
                    case 'T' -> stack.add(readString(in.getInt()));
                    case 0x8d -> stack.add(readString(in.getLong())); // BINUNICODE8
                    case 'U' -> stack.add(readString(in.get() & 0xff));
                    case '}' -> stack.add(new LinkedHashMap<>());
                    case ']' -> stack.add(new ArrayList<>());
                    case ')' -> stack.add(new Tuple(List.of()));
                    case 't' -> stack.add(new Tuple(popToMark()));
                    case 0x85 -> stack.add(new Tuple(popN(1)));
                    case 0x86 -> stack.add(new Tuple(popN(2)));
                    case 0x87 -> stack.add(new Tuple(popN(3)));
                    case 'q' -> memo.put(in.get() & 0xff, peek());
                    case 'r' -> memo.put(in.getInt(), peek());
                    case 0x94 -> memo.put(memo.size(), peek());
                    case 'h' -> stack.add(memoGet(in.get() & 0xff));
                    case 'j' -> stack.add(memoGet(in.getInt()));
                    case 'c' -> stack.add(global(readLine(), readLine()));
                    case 0x93 -> {
                        String name = (String) pop();
                        stack.add(global((String) pop(), name));
                    }
                    case 'Q' -> stack.add(persistentLoad(pop()));
                    case 'R' -> {
                        Object args = pop();
                        stack.add(reduce(pop(), args));
                    }
                    case 'b' -> build(pop(), peek());
                    case 's' -> {
                        Object value = pop();
                        Object key = pop();
                        dict(peek()).put(key(key), unwrap(value));
                    }
                    case 'u' -> {
                        List<Object> items = popToMark();
                        Map<Object, Object> d = dict(peek());
                        for (int i = 0; i + 1 < items.size(); i += 2) {
                            d.put(key(items.get(i)), unwrap(items.get(i + 1)));
                        }
                    }
                    case 'a' -> {
                        Object value = pop();
                        list(peek()).add(unwrap(value));
                    }
                    case 'e' -> {
                        List<Object> items = popToMark();
                        List<Object> l = list(peek());
                        items.forEach(x -> l.add(unwrap(x)));
                    }
                    default -> throw refuse(String.format("pickle opcode 0x%02x", op));
                }
            }
        } catch (BufferUnderflowException | IndexOutOfBoundsException
                | ClassCastException | IllegalArgumentException e) {
            throw new LuzjException(
                    "weights file " + source + " has a truncated or malformed data.pkl ("
                            + e.getClass().getSimpleName() + "); download or copy it again", e);
        }
    }

    private Object global(String module, String name) {
        String qualified = module + "." + name;
        boolean allowed =
                "collections.OrderedDict".equals(qualified)
                        || "torch._utils._rebuild_tensor_v2".equals(qualified)
                        || "torch._utils._rebuild_parameter".equals(qualified)
                        || ("torch".equals(module) && PthReader.STORAGES.containsKey(name));
        if (!allowed) {
            throw refuse("the global " + qualified);
        }
        return new Global(module, name);
    }

    private Object persistentLoad(Object pid) {
        List<Object> t = tuple(pid);
        if (t.size() < 3 || !"storage".equals(t.get(0)) || !(t.get(1) instanceof Global g)
                || !PthReader.STORAGES.containsKey(g.name())) {
            throw refuse("the persistent id " + describe(pid));
        }
        if (!(t.get(2) instanceof String key)) {
            throw refuse("a storage key that is a " + describe(t.get(2)) + ", not a str");
        }
        Long elements = t.size() > 4 && t.get(4) instanceof Long n ? n : null;
        if (elements != null && elements < 0) {
            throw malformed("storage " + key + " declares " + elements + " elements");
        }
        return new StorageRef(key, PthReader.STORAGES.get(g.name()), elements);
    }

    private Object reduce(Object callable, Object argsObject) {
        if (!(callable instanceof Global g)) {
            throw refuse("a call of " + describe(callable));
        }
        List<Object> args = tuple(argsObject);
        switch (g.module() + "." + g.name()) {
            case "collections.OrderedDict" -> {
                if (!args.isEmpty()) {
                    throw refuse("OrderedDict called with arguments");
                }
                return new LinkedHashMap<>();
            }
            case "torch._utils._rebuild_tensor_v2" -> {
                if (args.size() < 4 || !(args.get(0) instanceof StorageRef s)) {
                    throw refuse("_rebuild_tensor_v2 with arguments " + describe(argsObject));
                }
                return new TensorRef(
                        s.key(), s.dtype(), s.elements(), (Long) args.get(1), longs(args.get(2)),
                        longs(args.get(3)));
            }
            case "torch._utils._rebuild_parameter" -> {
                if (args.isEmpty() || !(args.get(0) instanceof TensorRef t)) {
                    throw refuse("_rebuild_parameter with arguments " + describe(argsObject));
                }
                return t;
            }
            default -> throw refuse("a call of " + g.module() + "." + g.name());
        }
    }

    /** BUILD sets attributes; a state dict's OrderedDict carries only {@code _metadata}. */
    private void build(Object state, Object target) {
        if (!(target instanceof Map) || !(state instanceof Map)) {
            throw refuse("setting the state of a " + describe(target));
        }
    }

    private static long[] longs(Object tuple) {
        List<Object> items = tuple(tuple);
        long[] out = new long[items.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (Long) items.get(i);
        }
        return out;
    }

    private static List<Object> tuple(Object o) {
        if (o instanceof Tuple t) {
            return t.items();
        }
        throw new ClassCastException("expected a tuple, got " + describe(o));
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> dict(Object o) {
        if (o instanceof Map) {
            return (Map<Object, Object>) o;
        }
        throw refuse("setting items of a " + describe(o));
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Object o) {
        if (o instanceof ArrayList) {
            return (List<Object>) o;
        }
        throw refuse("appending to a " + describe(o));
    }

    private LuzjException refuse(String what) {
        return new LuzjException(
                "refusing to unpickle weights file " + source + ": it uses " + what + ", and a"
                        + " state_dict needs only " + PthReader.ALLOWED + "; the file may run code"
                        + " when loaded in Python. Convert a trusted copy to .safetensors");
    }

    private long readLong1() {
        int n = in.get() & 0xff;
        if (n > 8) {
            throw refuse("an integer of " + n + " bytes");
        }
        long v = 0;
        for (int i = 0; i < n; i++) {
            v |= (long) (in.get() & 0xff) << (8 * i);
        }
        if (n > 0 && n < 8 && (v & (1L << (8 * n - 1))) != 0) {
            v -= 1L << (8 * n); // two's complement of n bytes
        }
        return v;
    }

    private double readBigEndianDouble() {
        double d = in.order(ByteOrder.BIG_ENDIAN).getDouble();
        in.order(ByteOrder.LITTLE_ENDIAN);
        return d;
    }

    /** Checks the length against what is left first: a forged length must not allocate. */
    private String readString(long length) {
        if (length < 0 || length > in.remaining()) {
            throw malformed("a string of " + length + " bytes with only " + in.remaining()
                    + " bytes left");
        }
        byte[] b = new byte[(int) length];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    /** Python's dict keys are hashable; a state dict's are strings (or numbers in metadata). */
    private Object key(Object key) {
        Object k = unwrap(key);
        if (k == null || k instanceof String || k instanceof Long || k instanceof Double
                || k instanceof Boolean) {
            return k;
        }
        throw malformed("a dict key that is a " + describe(k));
    }

    private LuzjException malformed(String what) {
        return new LuzjException(
                "weights file " + source + " has a malformed data.pkl: " + what
                        + "; download or copy it again, or convert it to .safetensors");
    }

    private String readLine() {
        StringBuilder sb = new StringBuilder();
        for (byte b = in.get(); b != '\n'; b = in.get()) {
            sb.append((char) b);
        }
        return sb.toString();
    }

    private Object memoGet(int key) {
        if (!memo.containsKey(key)) {
            throw new ClassCastException("memo key " + key + " was never stored");
        }
        return memo.get(key);
    }

    private Object pop() {
        return stack.remove(stack.size() - 1);
    }

    private Object peek() {
        return stack.get(stack.size() - 1);
    }

    private List<Object> popN(int n) {
        List<Object> out = new ArrayList<>(stack.subList(stack.size() - n, stack.size()));
        stack.subList(stack.size() - n, stack.size()).clear();
        return out;
    }

    private List<Object> popToMark() {
        int mark = stack.lastIndexOf(MARK);
        if (mark < 0) {
            throw new ClassCastException("no MARK on the stack");
        }
        List<Object> out = new ArrayList<>(stack.subList(mark + 1, stack.size()));
        stack.subList(mark, stack.size()).clear();
        return out;
    }

    private static Object unwrap(Object o) {
        return o == NONE ? null : o;
    }

    /**
     * Names what a pickled value is, for messages.
     *
     * @param o the value
     * @return e.g. {@code "tensor"}, {@code "dict"}, {@code "str"}
     */
    static String describe(Object o) {
        if (o instanceof TensorRef) {
            return "tensor";
        } else if (o instanceof Map) {
            return "dict";
        } else if (o instanceof Tuple || o instanceof List) {
            return "tuple or list";
        } else if (o instanceof String) {
            return "str";
        } else if (o instanceof Global g) {
            return g.module() + "." + g.name();
        } else if (o == null || o == NONE) {
            return "None";
        }
        return o.getClass().getSimpleName().toLowerCase(Locale.ROOT);
    }
}
