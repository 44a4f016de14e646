package io.github.luzj.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.luzj.base.LuzjException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * Optimizer state streams whose lengths were forged: {@link LuzOptimizer#loadState} is public and
 * a checkpoint's optimizer file can be anything its {@code checkpoint.json} vouches for. The same
 * inputs are in {@code OptimizerStateFuzzTestInputs}.
 */
class ForgedStateTest {

    private static final float[] A0 = {0.3f, -1.2f, 2.5f};
    private static final float[] B0 = {0.7f, 0.1f};

    /**
     * An Adam state for one parameter whose first array is {@code length} bytes of FLOAT32,
     * followed by {@code follow} bytes: what a forger writes, in {@link StateSnapshot}'s format.
     */
    static byte[] forged(String param, long[] dims, int length, int follow) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(0x4C5A4F50); // "LZOP"
            out.writeInt(2);
            out.writeUTF("ADAM");
            out.writeBoolean(false);
            out.writeInt(1);
            out.writeUTF("default");
            for (double v : new double[] {0.001, 0.9, 0.999, 1e-8, 0}) {
                out.writeDouble(v);
            }
            out.writeLong(0);
            out.writeDouble(0);
            out.writeDouble(-1);
            out.writeInt(1);
            out.writeUTF(param);
            out.writeInt(dims.length);
            for (long d : dims) {
                out.writeLong(d);
            }
            out.writeLong(1);
            out.writeBoolean(true);
            out.writeUTF("FLOAT32");
            out.writeInt(length);
            out.write(new byte[follow]);
        }
        return bytes.toByteArray();
    }

    /** dims whose product wraps: 3 * 6148914691236517205 * 4 bytes is -4 in a long. */
    static byte[] overflowingShape() throws IOException {
        return forged("a", new long[] {3, 6148914691236517205L}, -4, 16);
    }

    /** A 2 GB array announced by a 100-byte stream, for a parameter of 3 floats. */
    static byte[] twoGigabytes(String param) throws IOException {
        return forged(param, new long[] {536870911}, 2147483644, 16);
    }

    private static void load(byte[] state) throws IOException {
        try (Params params = new Params()) {
            params.add("a", A0);
            params.add("b", B0);
            try (LuzOptimizer opt = Optimizers.adam().build(params.byName)) {
                opt.loadState(new DataInputStream(new ByteArrayInputStream(state)));
            }
        }
    }

    @Test
    void aShapeWhoseSizeOverflowsIsRefusedByName() throws IOException {
        byte[] state = overflowingShape();
        assertThatThrownBy(() -> load(state))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("corrupt optimizer state: parameter 'a' has shape")
                .hasMessageContaining("more elements than a long counts");
    }

    @Test
    void aLengthBeyondTheModelsParameterIsRefusedBeforeAllocating() throws IOException {
        byte[] state = twoGigabytes("a");
        assertThatThrownBy(() -> load(state))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("optimizer state does not match the model: parameter 'a' has"
                        + " shape (536870911) in the saved state but (3) in the model")
                .hasMessageContaining("2147483644 bytes of float32 state, at most 12 fit");
    }

    @Test
    void aLengthForAParameterTheModelLacksReadsOnlyWhatIsThere() throws IOException {
        // no bound from the model: the reader must still not trust the length
        byte[] state = twoGigabytes("x");
        long before = allocatedByThisThread();
        assertThatThrownBy(() -> load(state))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("the optimizer state ends too early");
        assertThat(allocatedByThisThread() - before).isLessThan(64L << 20);
    }

    @Test
    void aNegativeLengthIsRefused() throws IOException {
        byte[] state = forged("a", new long[] {3}, -12, 16);
        assertThatThrownBy(() -> load(state))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("parameter 'a' has -12 bytes of state for shape (3)");
    }

    /** Counts every Java allocation of this thread, even of arrays already collected. */
    private static long allocatedByThisThread() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getThreadAllocatedBytes(Thread.currentThread().getId());
    }
}
