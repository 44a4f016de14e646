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
 * luzj's plain fit of the chapter's convnet (batch norm, Adam at 1e-3, batch 128), one epoch per
 * fit call, on the first LIMIT MNIST training images; the same workload as pt_train.py. Prints
 * each epoch's samples/s and, last, the CLOCK_MONOTONIC window (seconds) of the epochs after the
 * first two and how many batches it holds, for run.sh to cut perf's samples to.
 *
 *   java -cp luzj-examples.jar PlainFit.java MNIST_DIR LIMIT EPOCHS [nchw]
 *
 * With "nchw", batches reach the model in NCHW memory ({@code SetupModel.channelsLast(false)}).
 *
 * With -Dprofiler.lib=LIB -Dprofiler.out=FILE and async-profiler's jar on the class path
 * (tools/batchsplit/run.sh), async-profiler's wall-clock sampler runs over the same window, Java
 * stacks only, so that each native call is charged to the JNI method that made it, and writes
 * its collapsed stacks to FILE. Its Java API is reached by reflection, so that this file compiles
 * without it.
 */
public class PlainFit {
    public static void main(String[] args) throws ReflectiveOperationException {
        Path dir = Path.of(args[0]);
        int limit = Integer.parseInt(args[1]);
        int epochs = Integer.parseInt(args[2]);
        boolean channelsLast = !(args.length > 3 && args[3].equals("nchw"));
        String profilerOut = System.getProperty("profiler.out");
        Object profiler = null;
        Method execute = null;
        if (profilerOut != null) {
            profiler = Class.forName("one.profiler.AsyncProfiler")
                    .getMethod("getInstance", String.class).invoke(null, System.getProperty("profiler.lib"));
            execute = profiler.getClass().getMethod("execute", String.class);
        }
        SampleDataset train = Subset.first(Mnist.load(Split.TRAIN, dir), limit);
        DataLoader loader = DataLoader.builder(train).batchSize(128).shuffle(true).seed(1).build();
        DataLoader warmup = DataLoader.builder(Subset.first(train, 640)).batchSize(128).build();
        try (FittedModel model = Luz.setup(ChapterConvNet.withBatchNorm(), Loss.softmaxCrossEntropyLoss(), Optimizers.adam())
                .channelsLast(channelsLast)
                .fit(FitOptions.builder(warmup).epochs(1).seed(1).verbose(false).build())) {
            long start = 0;
            for (int e = 0; e < epochs; e++) {
                if (e == 2) {
                    start = System.nanoTime();
                    if (profiler != null) {
                        execute.invoke(profiler, "start,event=wall,interval=1ms,threads,cstack=no");
                    }
                }
                long t0 = System.nanoTime();
                model.fit(FitOptions.builder(loader).epochs(1).seed(1).verbose(false).build());
                System.out.printf("luzj epoch %d: %.0f samples/s%n", e, train.size() / ((System.nanoTime() - t0) / 1e9));
            }
            long end = System.nanoTime();
            if (profiler != null) {
                execute.invoke(profiler, "stop,file=" + profilerOut + ",collapsed");
            }
            System.out.printf("window %.6f %.6f %d%n", start / 1e9, end / 1e9, (epochs - 2) * ((limit + 127) / 128));
        }
    }
}
