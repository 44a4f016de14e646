import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.GradientCollector;
import io.github.luzj.data.ChannelsLastWeights;

/**
 * The chapter convnet's first four layers one at a time, each as luzj trains it: convolution,
 * batch norm, ReLU, channels-last input and kernel, batch 128, then a backward pass from a fixed
 * random output gradient (through {@code (y * dy).sum()}, so that the gradient keeps y's memory
 * order). 30 calls after 10 to warm up. Prints one line, "djl" and each layer's forward and
 * forward-plus-backward milliseconds, in the order block_bench.py prints PyTorch's.
 */
public class BlockBench {

    /** in channels, out channels, image side, stride: ChapterConvNet's first four layers. */
    static final int[][] LAYERS = {{1, 32, 28, 1}, {32, 64, 26, 2}, {64, 128, 12, 1}, {128, 256, 10, 2}};

    public static void main(String[] args) {
        StringBuilder line = new StringBuilder("djl");
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            m.getEngine().setRandomSeed(0);
            for (int[] l : LAYERS) {
                int out = (l[2] - 3) / l[3] + 1;
                NDArray x = ChannelsLastWeights.copyOf(m.randomNormal(new Shape(128, l[0], l[2], l[2])));
                NDArray w = ChannelsLastWeights.copyOf(m.randomNormal(0, 0.1f, new Shape(l[1], l[0], 3, 3), DataType.FLOAT32));
                NDArray dy = ChannelsLastWeights.copyOf(m.randomNormal(new Shape(128, l[1], out, out)));
                NDArray b = m.zeros(new Shape(l[1]));
                NDArray gamma = m.ones(new Shape(l[1]));
                NDArray beta = m.zeros(new Shape(l[1]));
                NDArray mean = m.zeros(new Shape(l[1]));
                NDArray var = m.ones(new Shape(l[1]));
                // the first layer's input is the batch, which needs no gradient
                x.setRequiresGradient(l[0] > 1);
                for (NDArray p : new NDArray[] {w, b, gamma, beta}) {
                    p.setRequiresGradient(true);
                }
                Shape stride = new Shape(l[3], l[3]);
                double forward = 0;
                double total = 0;
                int n = 30;
                for (int i = 0; i < n + 10; i++) {
                    try (NDManager call = m.newSubManager();
                            GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        // results belong to their first operand's manager: borrowed, they close with the call
                        for (NDArray a : new NDArray[] {x, w, b, dy, gamma, beta, mean, var}) {
                            a.tempAttach(call);
                        }
                        long t0 = System.nanoTime();
                        NDArray c = Conv2d.conv2d(x, w, b, stride, new Shape(0, 0), new Shape(1, 1), 1).singletonOrThrow();
                        NDArray y = Activation.relu(BatchNorm.batchNorm(c, mean, var, gamma, beta, 1, 0.9f, 1e-5f, true).singletonOrThrow());
                        NDArray loss = y.mul(dy).sum();
                        long t1 = System.nanoTime();
                        collector.backward(loss);
                        long t2 = System.nanoTime();
                        if (i >= 10) {
                            forward += (t1 - t0) / 1e6;
                            total += (t2 - t0) / 1e6;
                        }
                    }
                }
                line.append(String.format(" %.3f %.3f", forward / n, total / n));
            }
        }
        System.out.println(line);
    }
}
