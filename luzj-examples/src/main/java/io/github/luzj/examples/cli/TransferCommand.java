package io.github.luzj.examples.cli;

import io.github.luzj.base.Checks;
import io.github.luzj.examples.chapter.PretrainSettings;
import io.github.luzj.examples.chapter.TransferExperiment;
import io.github.luzj.examples.chapter.TransferResult;
import io.github.luzj.examples.chapter.TransferSettings;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The chapter's 17.3, {@link TransferExperiment}. */
@Command(
        name = "transfer",
        mixinStandardHelpOptions = true,
        description = "Train a new 10-class head on a frozen, pretrained ResNet-18.")
final class TransferCommand implements Callable<Integer> {

    @Mixin TrainingOptions training;

    @Mixin PretrainOptions pretrain;

    @Option(
            names = "--weights",
            paramLabel = "FILE_OR_DIR",
            description =
                    "torchvision weights (.safetensors or .pth) for the native ResNet-18, or a"
                            + " TorchScript .pt file or folder of resnet18_embedding's layout;"
                            + " default: DJL's model zoo (online).")
    Path weights;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "5", description = "Epochs with the backbone frozen (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--lr", paramLabel = "LR", defaultValue = TransferExperiment.DEFAULT_LR, description = "Adam's learning rate for the head (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--fine-tune", paramLabel = "EPOCHS", defaultValue = "0", description = "Then unfreeze everything and train EPOCHS more, the backbone at --backbone-lr-factor x lr.")
    int fineTune;

    @Option(names = "--backbone-lr-factor", paramLabel = "F", defaultValue = TransferExperiment.DEFAULT_BACKBONE_LR_FACTOR, description = "Backbone LR as a fraction of the head's when fine-tuning (default: ${DEFAULT-VALUE}).")
    double backboneFactor;

    @Option(names = "--imagenet-normalize", description = "Normalize with ImageNet's channel means and deviations.")
    boolean imagenetNormalize;

    @Override
    public Integer call() {
        training.common.validate();
        Checks.check(epochs >= 1, "--epochs must be >= 1, got %d", epochs);
        Checks.check(fineTune >= 0, "--fine-tune must be >= 0, got %d", fineTune);
        PretrainSettings pretraining = pretrain.settings(weights, training.checkpoints.resume);
        training.checkpoints.settings().validate();
        Path out = training.common.outOr("transfer");
        TransferSettings settings =
                new TransferSettings(weights, epochs, lr, fineTune, backboneFactor, imagenetNormalize, pretraining);
        Optional<TransferResult> result = TransferExperiment.run(training.settings(), settings, out);
        if (result.isEmpty()) {
            System.err.println("Pretraining was interrupted; no weights were written.");
            return Outputs.INTERRUPTED;
        }
        int code = Outputs.write(out, result.get());
        System.out.printf(
                Locale.ROOT,
                "Trainable parameters: %,d of %,d%n",
                result.get().trainableParameters(),
                result.get().parameters());
        return code;
    }
}
