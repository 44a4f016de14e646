package io.github.luzj.examples.cli;

import io.github.luzj.base.Checks;
import io.github.luzj.examples.bench.Bench;
import io.github.luzj.examples.bench.BenchReport;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The benchmark, {@link Bench}: writes {@code bench.json} and prints a table. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Measure fit against a plain DJL loop and plain PyTorch (when a Python with"
                + " torch is installed), augmentation, the LR finder, memory and frozen ResNet-18"
                + " epochs; write bench.json.")
final class BenchCommand implements Callable<Integer> {

    @Mixin CommonOptions common;

    @Option(
            names = "--epochs",
            paramLabel = "N",
            defaultValue = "3",
            description = "Rounds: epochs of each variant, whose median is reported (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(
            names = "--memory-epochs",
            paramLabel = "N",
            defaultValue = "6",
            description = "Epochs of plain fit after the rounds, resident memory read after each;"
                    + " the first is the warm-up, the trend of the others is the growth (default:"
                    + " ${DEFAULT-VALUE}).")
    int memoryEpochs;

    @Option(
            names = "--lr-steps",
            paramLabel = "N",
            defaultValue = "100",
            description = "Steps of the LR finder's sweep, and of the plain training it is compared with (default: ${DEFAULT-VALUE}).")
    int lrSteps;

    @Option(
            names = "--resnet-samples",
            paramLabel = "N",
            defaultValue = "512",
            description = "Images per ResNet-18 epoch, at least --batch-size (default: ${DEFAULT-VALUE}).")
    int resnetSamples;

    @Option(
            names = "--weights",
            paramLabel = "FILE",
            description = "torchvision resnet18 weights (.safetensors or .pth); default:"
                    + " $LUZJ_FIXTURES/resnet18/resnet18.safetensors, else random weights.")
    Path weights;

    @Option(
            names = "--fused",
            description = "Train luzj's convnets with Optimizers.adam().fused(true) instead of"
                    + " PyTorch's exact op-by-op Adam.")
    boolean fused;

    @Option(
            names = "--threads",
            paramLabel = "N",
            description = "The engine's intra-op threads for this run, luzj and the plain DJL loop"
                    + " alike (default: DJL's, the number of cores unless"
                    + " -Dai.djl.pytorch.num_threads says otherwise).")
    Integer threads;

    @Option(
            names = "--python",
            paramLabel = "CMD",
            description = "The Python that runs plain PyTorch beside luzj (default: python3, else"
                    + " /usr/bin/python3, whichever imports torch; none: the PyTorch figures are"
                    + " skipped).")
    String python;

    @Option(
            names = "--no-pytorch",
            description = "Skip the side-by-side with plain PyTorch.")
    boolean noPyTorch;

    @Override
    public Integer call() {
        Checks.check(threads == null || threads >= 1, "--threads must be >= 1, got %s", threads);
        common.validate();
        Checks.check(epochs >= 1, "--epochs must be >= 1, got %d", epochs);
        Checks.check(memoryEpochs >= 1, "--memory-epochs must be >= 1, got %d", memoryEpochs);
        Checks.check(lrSteps >= 1, "--lr-steps must be >= 1, got %d", lrSteps);
        Checks.check(
                resnetSamples >= common.batchSize,
                "--resnet-samples must be at least --batch-size (%d), got %d: a ResNet epoch"
                        + " drops its last incomplete batch",
                common.batchSize,
                resnetSamples);
        Path out = common.outOr("bench");
        BenchReport report =
                Bench.run(new Bench.Settings(
                        common.settings(), epochs, memoryEpochs, lrSteps, resnetSamples, weights,
                        fused, threads, python, noPyTorch));
        report.write(out.resolve("bench.json"));
        System.out.print(report.table());
        System.out.println("Wrote " + out.resolve("bench.json"));
        return 0;
    }
}
