package io.github.luzj.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.luzj.base.LuzjException;
import io.github.luzj.data.ChannelsLastWeights;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;

/**
 * The checkpoint's weights reader on any bytes, into a small block whose kernels are laid out
 * channels-last as the fit lays them out: the weights land, or one {@link LuzjException} says
 * why not, or (a stream it cannot read) an {@link IOException} for {@code Checkpoint.load} to turn
 * into its own; never another exception. Inside {@code mvn verify} it replays the committed corpus
 * ({@code WeightsFileFuzzTestInputs/readsAnyWeightsFile}: a file {@link WeightsFile#write} wrote
 * for this block); {@code JAZZER_FUZZ=1} fuzzes it (see docs/fuzzing.md).
 */
class WeightsFileFuzzTest {

    /** The block the seed was written for: a convolution, a batch norm, a linear layer. */
    static SequentialBlock block(NDManager manager) {
        SequentialBlock b = new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(2).build())
                .add(Activation::relu)
                .add(BatchNorm.builder().build())
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(3).build());
        ChannelsLastWeights.initialize(b, manager, DataType.FLOAT32, new Shape(1, 1, 4, 4));
        return b;
    }

    /** One block for every input: a read that lands changes only its values. */
    private static final SequentialBlock BLOCK = block(NDManager.newBaseManager());

    @FuzzTest(maxDuration = "3m")
    void readsAnyWeightsFile(byte[] data) {
        try {
            WeightsFile.readInto(BLOCK, new DataInputStream(new ByteArrayInputStream(data)));
            BLOCK.getParameters().forEach(p -> assertThat(p.getValue().getArray().getShape().size())
                    .as(p.getKey()).isPositive());
        } catch (LuzjException e) {
            assertThat(e.getMessage()).isNotBlank();
        } catch (IOException e) {
            // readInto's contract: a stream that cannot be read (a malformed name, say) is an
            // IOException, which Checkpoint.load turns into its one LuzjException
            assertThat(e).isNotNull();
        }
    }
}
