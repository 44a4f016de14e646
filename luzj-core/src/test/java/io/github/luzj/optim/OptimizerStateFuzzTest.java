package io.github.luzj.optim;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.luzj.base.LuzjException;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;

/**
 * The optimizer state reader ({@link LuzOptimizer#loadState}, a checkpoint's
 * {@code optimizer-*.bin}) on any bytes, into Adam over two small parameters: the state lands, or
 * one {@link LuzjException} says why not, or (a stream it cannot read, a malformed name say) an
 * {@link IOException} for {@code Checkpoint.load} to turn into its own; never another exception
 * and never an allocation the input does not back. Inside {@code mvn verify} it replays the
 * committed corpus ({@code OptimizerStateFuzzTestInputs/readsAnyOptimizerState}: a state
 * {@link LuzOptimizer#saveState} wrote for these parameters and the forged ones of
 * {@link ForgedStateTest}); {@code JAZZER_FUZZ=1} fuzzes it (see docs/fuzzing.md).
 */
class OptimizerStateFuzzTest {

    /** The parameters the valid seed was written for, alive for the whole run. */
    private static final Params PARAMS = new Params();

    private static final LuzOptimizer OPTIMIZER;

    static {
        PARAMS.add("a", 0.3f, -1.2f, 2.5f);
        PARAMS.add("b", 0.7f, 0.1f);
        OPTIMIZER = Optimizers.adam().build(PARAMS.byName);
    }

    @FuzzTest(maxDuration = "3m")
    void readsAnyOptimizerState(byte[] data) {
        try {
            OPTIMIZER.loadState(new DataInputStream(new ByteArrayInputStream(data)));
            assertThat(OPTIMIZER.states()).hasSize(2);
        } catch (LuzjException e) {
            assertThat(e.getMessage()).isNotBlank();
        } catch (IOException e) {
            // loadState's contract: Checkpoint.load turns it into its one LuzjException
            assertThat(e).isNotNull();
        }
    }
}
