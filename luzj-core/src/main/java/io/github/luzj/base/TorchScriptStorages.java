package io.github.luzj.base;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;

/**
 * The tensor storages a TorchScript archive's {@code data.pkl} or {@code constants.pkl} declares:
 * each one's record name and its size in bytes. LibTorch takes a storage's size from the pickle
 * and its bytes from the record without comparing the two, so a record cut short is read past
 * its end; {@link TorchScriptArchive} compares them before LibTorch opens the file.
 *
 * <p>The pickle is read with Pyrolite's unpickler, with the module's own classes and functions
 * (torch's tensor rebuilders, TorchScript's classes) left uncalled: each is a placeholder, since
 * only the persistent ids {@code ('storage', torch.FloatStorage, key, location, numel)} matter.
 * Every length the pickle declares is checked against the bytes left before anything is
 * allocated for it.
 */
final class TorchScriptStorages {

    /** A storage the pickle declares: its record's key (the file under data/ or constants/). */
    record Storage(String key, String type, long bytes) {}

    /** Bytes an element of each storage type takes; a type not listed is not checked. */
    private static final Map<String, Integer> ITEM_BYTES = Map.ofEntries(
            Map.entry("FloatStorage", 4), Map.entry("DoubleStorage", 8), Map.entry("HalfStorage", 2),
            Map.entry("BFloat16Storage", 2), Map.entry("LongStorage", 8), Map.entry("IntStorage", 4),
            Map.entry("ShortStorage", 2), Map.entry("CharStorage", 1), Map.entry("ByteStorage", 1),
            Map.entry("BoolStorage", 1), Map.entry("ComplexFloatStorage", 8),
            Map.entry("ComplexDoubleStorage", 16), Map.entry("QInt8Storage", 1),
            Map.entry("QUInt8Storage", 1), Map.entry("QInt32Storage", 4));

    private TorchScriptStorages() {}

    /**
     * Reads the storages {@code pickle} declares.
     *
     * @param pickle the bytes of data.pkl or constants.pkl
     * @return each storage of a known type, as often as the pickle names it
     * @throws PickleException when the bytes are not a pickle this reader can follow
     */
    static List<Storage> of(byte[] pickle) throws IOException {
        Reader reader = new Reader();
        reader.load(new ByteArrayInputStream(pickle));
        return reader.storages;
    }

    /** A global ({@code module.name}) or what calling one would give: never called here. */
    private record Placeholder(String module, String name) {}

    private static final class Reader extends Unpickler {
        final List<Storage> storages = new ArrayList<>();

        @Override
        protected Object dispatch(short key) throws IOException {
            switch (key) {
                case Opcodes.GLOBAL -> {
                    String module = PickleUtils.readline(input);
                    String name = PickleUtils.readline(input);
                    stack.add(new Placeholder(module, name));
                    return NO_RETURN_VALUE;
                }
                case Opcodes.STACK_GLOBAL -> {
                    Object name = stack.pop();
                    Object module = stack.pop();
                    stack.add(new Placeholder(String.valueOf(module), String.valueOf(name)));
                    return NO_RETURN_VALUE;
                }
                case Opcodes.REDUCE, Opcodes.NEWOBJ -> {
                    stack.pop(); // the arguments
                    stack.add(called(stack.pop()));
                    return NO_RETURN_VALUE;
                }
                case Opcodes.NEWOBJ_EX -> {
                    stack.pop(); // keyword arguments
                    stack.pop(); // arguments
                    stack.add(called(stack.pop()));
                    return NO_RETURN_VALUE;
                }
                case Opcodes.BUILD -> {
                    stack.pop(); // the state, set on an object that is only a placeholder
                    return NO_RETURN_VALUE;
                }
                case Opcodes.INST, Opcodes.OBJ, Opcodes.PERSID, Opcodes.EXT1, Opcodes.EXT2, Opcodes.EXT4 ->
                    throw new PickleException("opcode " + key + " is not written by torch.jit.save");
                case Opcodes.BINUNICODE, Opcodes.BINSTRING, Opcodes.BINBYTES, Opcodes.LONG4 -> checkLength(4);
                case Opcodes.BINUNICODE8, Opcodes.BINBYTES8, Opcodes.BYTEARRAY8 -> checkLength(8);
                default -> {
                    // the rest reads what it needs within the bytes given
                }
            }
            return super.dispatch(key);
        }

        private static Placeholder called(Object callable) {
            return callable instanceof Placeholder p ? p : new Placeholder("", String.valueOf(callable));
        }

        /** Refuses a length prefix past the end before the unpickler allocates that much. */
        private void checkLength(int width) throws IOException {
            input.mark(width);
            byte[] b = PickleUtils.readbytes(input, width);
            input.reset();
            long n = width == 4 ? PickleUtils.bytes_to_uint(b, 0) : PickleUtils.bytes_to_long(b, 0);
            if (n < 0 || n > input.available() - width) {
                throw new PickleException("a length of " + n + " bytes runs past the end of the pickle");
            }
        }

        @Override
        protected Object persistentLoad(Object pid) {
            if (pid instanceof Object[] t && t.length == 5 && "storage".equals(t[0])
                    && t[1] instanceof Placeholder type && t[2] instanceof String key
                    && t[4] instanceof Number numel) {
                Integer item = ITEM_BYTES.get(type.name());
                long n = numel.longValue();
                if (item != null) {
                    if (n < 0 || n > Long.MAX_VALUE / item) {
                        throw new PickleException("storage " + key + " declares " + numel + " elements");
                    }
                    storages.add(new Storage(key, type.name(), n * item));
                }
            }
            return pid;
        }
    }
}
