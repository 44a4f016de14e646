package io.github.luzj;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.TrainingConfig;
import ai.djl.training.initializer.Initializer;
import ai.djl.translate.NoopTranslator;
import ai.djl.util.Pair;
import io.github.luzj.base.Checks;
import io.github.luzj.base.LuzjException;
import io.github.luzj.djl.DjlMetrics;
import io.github.luzj.optim.OptimizerSpec;
import java.util.function.Predicate;

/**
 * DJL models in and out of luzj: set up a DJL {@link Model} (a {@code ZooModel} too) or block
 * from a DJL {@link TrainingConfig}, and predict with a fitted model through a DJL
 * {@link Predictor}.
 *
 * <pre>{@code
 * DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
 *         .addEvaluator(new Accuracy());
 * FittedModel fitted = DjlModels.setup(model, config, Optimizers.adam()).fit(train, 5, valid);
 * try (Predictor<NDList, NDList> p = DjlModels.predictor(fitted)) {
 *     NDList logits = p.predict(new NDList(batch));
 * }
 * }</pre>
 */
public final class DjlModels {

    private DjlModels() {}

    /**
     * Sets up a DJL model with the loss, evaluators and initializers of a DJL training
     * configuration. The configuration's DJL optimizer, devices and listeners are not used: luzj
     * trains with {@code optimizer} (PyTorch's update rules) on its own device, with callbacks.
     *
     * @param model the model, such as a {@code ZooModel}
     * @param config the DJL training configuration
     * @param optimizer luzj's optimizer
     * @return the set-up model
     */
    public static SetupModel setup(Model model, TrainingConfig config, OptimizerSpec optimizer) {
        if (model == null || model.getBlock() == null) {
            throw new LuzjException("the DJL model is null or has no block; pass a loaded model");
        }
        applyInitializers(model.getBlock(), config);
        return Luz.setup(model, config.getLossFunction(), optimizer, DjlMetrics.fromConfig(config));
    }

    /**
     * Sets up a block with the loss, evaluators and initializers of a DJL training
     * configuration (see {@link #setup(Model, TrainingConfig, OptimizerSpec)}).
     *
     * @param block the network
     * @param config the DJL training configuration
     * @param optimizer luzj's optimizer
     * @return the set-up model
     */
    public static SetupModel setup(Block block, TrainingConfig config, OptimizerSpec optimizer) {
        if (block == null) {
            throw new LuzjException("the block is null; pass the network to train");
        }
        applyInitializers(block, config);
        return Luz.setup(block, config.getLossFunction(), optimizer, DjlMetrics.fromConfig(config));
    }

    /**
     * Opens a DJL predictor on a fitted model: batched {@link NDList} in, the block's
     * {@link NDList} out, with no pre- or post-processing and no batchifying. Close it after use.
     *
     * @param fitted the fitted model
     * @return the predictor
     */
    public static Predictor<NDList, NDList> predictor(FittedModel fitted) {
        if (fitted == null) {
            throw new LuzjException("the fitted model is null; fit or load one first");
        }
        return predictor(fitted.model());
    }

    /**
     * Opens a DJL predictor on a model: batched {@link NDList} in, {@link NDList} out.
     *
     * @param model the model, with initialized parameters
     * @return the predictor
     */
    public static Predictor<NDList, NDList> predictor(Model model) {
        if (model == null || model.getBlock() == null) {
            throw new LuzjException("the DJL model is null or has no block; pass a fitted model");
        }
        Checks.check(
                model.getBlock().isInitialized(),
                "the model's block is not initialized; fit it (or load weights) before predicting");
        // a null batchifier: inputs are already batches, outputs go back as the block gives them
        return model.newPredictor(new NoopTranslator(null));
    }

    private static void applyInitializers(Block block, TrainingConfig config) {
        if (config == null) {
            throw new LuzjException("the DJL training configuration is null; pass one");
        }
        if (config.getLossFunction() == null) {
            throw new LuzjException(
                    "the DJL training configuration has no loss; create it with"
                            + " new DefaultTrainingConfig(loss)");
        }
        // what DJL's Model.newTrainer does; parameters already initialized keep their values
        for (Pair<Initializer, Predicate<Parameter>> p : config.getInitializers()) {
            block.setInitializer(p.getKey(), p.getValue());
        }
    }
}
