package io.github.luzj.transfer;

import ai.djl.nn.Block;
import ai.djl.training.loss.Loss;
import io.github.luzj.FittedModel;
import io.github.luzj.Luz;
import io.github.luzj.base.Checks;
import io.github.luzj.base.LuzjException;
import io.github.luzj.callback.Callback;
import io.github.luzj.data.DataLoader;
import io.github.luzj.fit.FitOptions;
import io.github.luzj.metric.Metric;
import io.github.luzj.optim.OptimizerSpec;
import io.github.luzj.vision.models.FineTunable;
import io.github.luzj.vision.models.ResNet18;
import io.github.luzj.vision.models.TorchScriptTransfer;

/**
 * fastai's {@code fine_tune}: train the new head with the backbone frozen, then unfreeze
 * everything and train on, the backbone at a fraction of the head's learning rate
 * (discriminative learning rates). BatchNorm running statistics never become trainable.
 *
 * <pre>{@code
 * FittedModel fitted = FineTune.of(net, Loss.softmaxCrossEntropyLoss(), Optimizers.adam().lr(1e-3))
 *         .frozenEpochs(1).unfrozenEpochs(3).backboneLrFactor(0.1)
 *         .run(train, valid, new Metric[] {Metrics.accuracy()});
 * }</pre>
 *
 * @param <T> a block that can be frozen, such as {@link ResNet18} or {@link TorchScriptTransfer}
 * @param net the network
 * @param loss the loss
 * @param optimizer the head's optimizer
 * @param frozenEpochs epochs with the backbone frozen
 * @param unfrozenEpochs epochs with everything trainable
 * @param backboneLrFactor the backbone's learning rate as a fraction of the head's
 */
public record FineTune<T extends Block & FineTunable>(
        T net,
        Loss loss,
        OptimizerSpec optimizer,
        int frozenEpochs,
        int unfrozenEpochs,
        double backboneLrFactor) {

    /**
     * Checks the settings.
     *
     * @param net the network
     * @param loss the loss
     * @param optimizer the head's optimizer
     * @param frozenEpochs {@code >= 0}
     * @param unfrozenEpochs {@code >= 0}
     * @param backboneLrFactor in (0, 1]
     */
    public FineTune {
        Checks.check(net != null && loss != null && optimizer != null, "net, loss and optimizer are required");
        Checks.check(frozenEpochs >= 0, "frozenEpochs must be >= 0, got %d", frozenEpochs);
        Checks.check(unfrozenEpochs >= 0, "unfrozenEpochs must be >= 0, got %d", unfrozenEpochs);
        Checks.check(
                frozenEpochs + unfrozenEpochs >= 1, "fine-tuning needs at least one epoch, got none");
        Checks.check(
                backboneLrFactor > 0 && backboneLrFactor <= 1,
                "backboneLrFactor must be in (0, 1], got %s",
                backboneLrFactor);
    }

    /**
     * fastai's defaults: one frozen epoch, one unfrozen, the backbone at a tenth of the rate.
     *
     * @param <T> the network's type
     * @param net the network
     * @param loss the loss
     * @param optimizer the head's optimizer
     * @return the recipe
     */
    public static <T extends Block & FineTunable> FineTune<T> of(T net, Loss loss, OptimizerSpec optimizer) {
        return new FineTune<>(net, loss, optimizer, 1, 1, 0.1);
    }

    /**
     * Sets the epochs with the backbone frozen.
     *
     * @param epochs {@code >= 0}
     * @return a new recipe
     */
    public FineTune<T> frozenEpochs(int epochs) {
        return new FineTune<>(net, loss, optimizer, epochs, unfrozenEpochs, backboneLrFactor);
    }

    /**
     * Sets the epochs with everything trainable.
     *
     * @param epochs {@code >= 0}
     * @return a new recipe
     */
    public FineTune<T> unfrozenEpochs(int epochs) {
        return new FineTune<>(net, loss, optimizer, frozenEpochs, epochs, backboneLrFactor);
    }

    /**
     * Sets the backbone's learning rate as a fraction of the head's.
     *
     * @param factor in (0, 1]
     * @return a new recipe
     */
    public FineTune<T> backboneLrFactor(double factor) {
        return new FineTune<>(net, loss, optimizer, frozenEpochs, unfrozenEpochs, factor);
    }

    /**
     * Runs both stages; the records hold every epoch of both.
     *
     * @param train the training data
     * @param valid the validation data, or null
     * @param metrics metrics beyond the loss
     * @param callbacks callbacks for both stages
     * @return the fitted model (it owns the network's weights: close it when done)
     */
    public FittedModel run(DataLoader train, DataLoader valid, Metric[] metrics, Callback... callbacks) {
        Checks.notNull("train", train, "pass the training data");
        Checks.noNulls("metric", metrics);
        Checks.noNulls("callback", callbacks);
        OptimizerSpec spec = optimizer.group("backbone", net.backboneParameters(), backboneLrFactor);
        var setup = Luz.setup(net, loss, spec, metrics);
        FittedModel fitted = null;
        try {
            if (frozenEpochs > 0) {
                weightsOf(net::freeze);
                fitted = setup.fit(stage(train, valid, frozenEpochs, callbacks));
            }
            if (unfrozenEpochs > 0) {
                weightsOf(net::unfreeze); // the optimizer is rebuilt with the backbone's group
                FitOptions o = stage(train, valid, unfrozenEpochs, callbacks);
                fitted = fitted == null ? setup.fit(o) : fitted.fit(o);
            }
            return fitted;
        } catch (RuntimeException e) {
            if (fitted != null) {
                // the weights are the user's net's (pretrained, and trained by the first stage):
                // free what the run made, as a failed fit does, and leave the net usable
                fitted.closeKeepingWeights();
            }
            throw e;
        }
    }

    /**
     * Freezes or unfreezes the net, or says that its weights are gone: that touches every weight
     * before the fit could name the cause, and DJL's error says only "released".
     */
    private static void weightsOf(Runnable freezing) {
        try {
            freezing.run();
        } catch (IllegalStateException | LuzjException e) { // freed weights, DJL's or the net's words
            throw new LuzjException(
                    "FineTune: the net has no weights any more (" + e.getMessage() + "): they were"
                            + " freed when the FittedModel of an earlier run or fit over it, or the"
                            + " NDManager they were made in, was closed; make a new net for each"
                            + " run (Transfer.resnet18 or Transfer.torchScript)",
                    e);
        }
    }

    private static FitOptions stage(DataLoader train, DataLoader valid, int epochs, Callback... callbacks) {
        return FitOptions.builder(train).valid(valid).epochs(epochs).callbacks(callbacks).build();
    }
}
