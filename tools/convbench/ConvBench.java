import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.luzj.base.GradMode;
import io.github.luzj.data.ChannelsLastWeights;

/**
 * One forward convolution at a time, LibTorch through DJL (what luzj runs): the chapter's five
 * convolutions at batch 128, channels-last input and kernel, gradients off, 100 calls each after
 * 20 to warm up. Prints one line, "djl" and each convolution's milliseconds a call, in the order
 * conv_bench.py prints PyTorch's; run.sh alternates the two.
 */
public class ConvBench {

    /** in channels, out channels, image side, stride: ChapterConvNet's five convolutions. */
    static final int[][] CONVS = {{1, 32, 28, 1}, {32, 64, 26, 2}, {64, 128, 12, 1}, {128, 256, 10, 2}, {256, 10, 4, 2}};

    public static void main(String[] args) {
        StringBuilder line = new StringBuilder("djl");
        try (NDManager m = NDManager.newBaseManager(Device.cpu());
                GradMode ignored = GradMode.off()) {
            m.getEngine().setRandomSeed(0);
            for (int[] c : CONVS) {
                NDArray x = ChannelsLastWeights.copyOf(m.randomNormal(new Shape(128, c[0], c[2], c[2])));
                NDArray w = ChannelsLastWeights.copyOf(m.randomNormal(new Shape(c[1], c[0], 3, 3)));
                NDArray b = m.randomNormal(new Shape(c[1]));
                Shape stride = new Shape(c[3], c[3]);
                Shape none = new Shape(0, 0);
                Shape one = new Shape(1, 1);
                for (int i = 0; i < 20; i++) {
                    x.getNDArrayInternal().convolution(x, w, b, stride, none, one, 1).close();
                }
                int n = 100;
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    NDList y = x.getNDArrayInternal().convolution(x, w, b, stride, none, one, 1);
                    y.close();
                }
                line.append(String.format(" %.3f", (System.nanoTime() - t0) / 1e6 / n));
            }
        }
        System.out.println(line);
    }
}
