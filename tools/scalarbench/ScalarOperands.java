import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * What a number operand costs in DJL 0.36: {@code muli(0.999)} on an array of the chapter
 * convnet's 411,850 parameters, against the same operation with a 0-d array made once, and with
 * a full-size array operand. Prints microseconds per call, the median of 7 rounds of 300 calls.
 *
 * <pre>
 * MALLOC_ARENA_MAX=1 java -cp luzj-examples/target/luzj-examples.jar tools/scalarbench/ScalarOperands.java
 * </pre>
 */
public class ScalarOperands {

    private static final int CALLS = 300;
    private static final int ROUNDS = 7;

    public static void main(String[] args) {
        String[] names = {"muli(Number)", "muli(0-d array made once)", "muli(full array)", "manager.create(Number) alone"};
        double[][] us = new double[names.length][ROUNDS];
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.ones(new Shape(411_850));
            NDArray other = manager.ones(new Shape(411_850));
            NDArray number = manager.create(0.999f);
            for (int r = -1; r < ROUNDS; r++) { // round -1 warms up
                long[] ns = new long[names.length];
                for (int i = 0; i < CALLS; i++) {
                    long t0 = System.nanoTime();
                    x.muli(0.999);
                    long t1 = System.nanoTime();
                    x.muli(number);
                    long t2 = System.nanoTime();
                    x.muli(other);
                    long t3 = System.nanoTime();
                    manager.create(0.999).close();
                    long t4 = System.nanoTime();
                    ns[0] += t1 - t0;
                    ns[1] += t2 - t1;
                    ns[2] += t3 - t2;
                    ns[3] += t4 - t3;
                }
                for (int k = 0; r >= 0 && k < names.length; k++) {
                    us[k][r] = ns[k] / 1e3 / CALLS;
                }
            }
        }
        for (int k = 0; k < names.length; k++) {
            Arrays.sort(us[k]);
            System.out.printf("%-32s %7.1f us (rounds %.1f-%.1f)%n", names[k], us[k][ROUNDS / 2], us[k][0], us[k][ROUNDS - 1]);
        }
    }
}
