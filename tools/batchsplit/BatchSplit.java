import ai.djl.training.loss.Loss;
import io.github.luzj.FittedModel;
import io.github.luzj.Luz;
import io.github.luzj.data.DataLoader;
import io.github.luzj.data.Mnist;
import io.github.luzj.data.SampleDataset;
import io.github.luzj.data.Split;
import io.github.luzj.data.Subset;
import io.github.luzj.fit.FitOptions;
import io.github.luzj.optim.Optimizers;
import io.github.luzj.vision.models.ChapterConvNet;
import java.lang.reflect.Method;
import java.nio.file.Path;

/**
 * luzj's plain fit of the chapter's convnet (the workload of tools/perfsplit/PlainFit.java), with
 * async-profiler's wall-clock sampler running over the epochs after the first two only, so that
 * start-up and the JIT's warm-up stay out. Writes the collapsed stacks to OUT and prints how many
 * batches they cover.
 *
 *   java -cp luzj-examples.jar:async-profiler.jar BatchSplit.java MNIST_DIR LIMIT EPOCHS LIB OUT
 *
 * The profiler's Java API is reached by reflection, so that this file compiles without it.
 */
public class BatchSplit {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int limit = Integer.parseInt(args[1]);
        int epochs = Integer.parseInt(args[2]);
        Object profiler = Class.forName("one.profiler.AsyncProfiler")
                .getMethod("getInstance", String.class).invoke(null, args[3]);
        Method execute = profiler.getClass().getMethod("execute", String.class);
        SampleDataset train = Subset.first(Mnist.load(Split.TRAIN, dir), limit);
        DataLoader loader = DataLoader.builder(train).batchSize(128).shuffle(true).seed(1).build();
        DataLoader warmup = DataLoader.builder(Subset.first(train, 640)).batchSize(128).build();
        try (FittedModel model = Luz.setup(ChapterConvNet.withBatchNorm(), Loss.softmaxCrossEntropyLoss(), Optimizers.adam())
                .fit(FitOptions.builder(warmup).epochs(1).seed(1).verbose(false).build())) {
            for (int e = 0; e < epochs; e++) {
                if (e == 2) {
                    // Java stacks only: each native call is charged to the JNI method that made it
                    execute.invoke(profiler, "start,event=wall,interval=1ms,threads,cstack=no");
                }
                long t0 = System.nanoTime();
                model.fit(FitOptions.builder(loader).epochs(1).seed(1).verbose(false).build());
                System.out.printf("luzj epoch %d: %.0f samples/s%n", e, train.size() / ((System.nanoTime() - t0) / 1e9));
            }
            execute.invoke(profiler, "stop,file=" + args[4] + ",collapsed");
        }
        System.out.printf("batches %d%n", (epochs - 2) * ((limit + 127) / 128));
    }
}
