package io.github.luzj.examples.cli;

import io.github.luzj.examples.chapter.Chapter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The whole chapter in one command, {@link Chapter}. */
@Command(
        name = "chapter",
        mixinStandardHelpOptions = true,
        description = "Run every experiment of the chapter in order and write report.md.")
final class ChapterCommand implements Callable<Integer> {

    @Option(names = "--debug", description = "Show stack traces on errors.")
    boolean debug;

    @Option(names = "--quick", description = "Small subsets, a few minutes on 2 cores; falls back to the bundled MNIST subset when no MNIST is found, and to the bundled Fashion-MNIST subset for the transfer pretraining when offline without Fashion-MNIST.")
    boolean quick;

    @Option(names = "--data", paramLabel = "DIR", description = "MNIST folder or its parent (default: $LUZJ_DATA, ~/.luzj/datasets, else download).")
    String data;

    @Option(names = "--weights", paramLabel = "FILE_OR_DIR", description = "Pretrained ResNet-18 for the transfer experiment (as in 'transfer'); default: DJL's model zoo, else --pretrain fashion-mnist when offline.")
    Path weights;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "results", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Seed of every experiment (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        Chapter.run(new Chapter.Settings(data, out, quick, weights, seed, debug));
        return 0;
    }
}
