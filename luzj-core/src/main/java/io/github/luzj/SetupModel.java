package io.github.luzj;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.nn.Block;
import ai.djl.training.loss.Loss;
import io.github.luzj.base.Checks;
import io.github.luzj.fit.FitOptions;
import io.github.luzj.fit.internal.FitLoop;
import io.github.luzj.fit.internal.Recipe;
import io.github.luzj.fit.internal.Session;
import io.github.luzj.metric.Metric;
import io.github.luzj.optim.OptimizerSpec;
import java.util.List;

/**
 * A network with its loss, optimizer and metrics, ready to fit (luz's {@code setup()} result).
 * Immutable as a configuration; {@link #fit} trains the block's own parameters, as luz trains the
 * module it was given, and hands them to the {@link FittedModel} it returns. So a block is fitted
 * or loaded once, through whichever setup: continue training with that fitted model's
 * {@code fit}, and for another run (a hyperparameter loop, say) set up a new block.
 */
public final class SetupModel implements Fittable {

    private final Block block;
    /** The user's model, or null to wrap the block in a new DJL model per session. */
    private final Model model;
    private final Recipe recipe;

    SetupModel(
            Block block,
            Model model,
            Loss loss,
            OptimizerSpec optimizer,
            List<Metric> metrics,
            Device device) {
        this(block, model, new Recipe(loss, optimizer, metrics, device, true, true, true));
    }

    private SetupModel(Block block, Model model, Recipe recipe) {
        this.block = block;
        this.model = model;
        this.recipe = recipe;
    }

    /**
     * Trains on {@code device} instead of the default (a GPU when DJL sees one, else the CPU).
     *
     * @param device the device
     * @return a new set-up model
     */
    public SetupModel device(Device device) {
        return new SetupModel(block, model, recipe.withDevice(device));
    }

    /**
     * Turns channels-last staging of image batches on (the default) or off. With it on, every
     * 4-D feature batch reaches the model with its usual NCHW shape but NHWC memory, which
     * LibTorch's convolutions and batch norm run faster on a CPU; the results agree with NCHW's
     * within float rounding. The convolution kernels of a block that the fit initializes are
     * then created channels-last too ({@link io.github.luzj.data.ChannelsLastWeights}), as
     * PyTorch's {@code model.to(memory_format=torch.channels_last)} does, so that LibTorch does
     * not copy each kernel into that layout on every pass; a block initialized before (loaded,
     * pretrained, or by you) keeps its layout. Turn it off to get DJL's NCHW layout bit for bit,
     * or for a model whose first layer is not a convolution and that reshapes 3-channel images
     * (a copy per batch).
     *
     * @param on true for channels-last, false for NCHW
     * @return a new set-up model
     */
    public SetupModel channelsLast(boolean on) {
        return new SetupModel(block, model, recipe.withChannelsLast(on));
    }

    /**
     * Tells whether image batches are staged channels-last.
     *
     * @return true unless {@link #channelsLast(boolean)} turned it off
     */
    public boolean channelsLast() {
        return recipe.channelsLast();
    }

    /**
     * Turns the folding of batch norm into convolutions on (the default) or off, for the forward
     * passes that do not train: {@code evaluate}, {@code predict} and a fit's validation. In eval
     * mode a batch norm scales and shifts each channel by constants, so a convolution right before
     * it, or right after it without padding, can take them into its weights and bias, and the
     * batch norm's pass over the activations goes away, as PyTorch's {@code torch.fx} fusion does.
     * Only DJL {@code Conv2d}/{@code BatchNorm} neighbours inside {@code SequentialBlock}s are
     * folded; the outputs agree with the unfolded model's within float rounding. Turn it off to get
     * the block's own forward pass bit for bit.
     *
     * @param on true to fold, false to run every batch norm
     * @return a new set-up model
     */
    public SetupModel foldBatchNorm(boolean on) {
        return new SetupModel(block, model, recipe.withFoldBatchNorm(on));
    }

    /**
     * Tells whether batch norm is folded into convolutions at inference.
     *
     * @return true unless {@link #foldBatchNorm(boolean)} turned it off
     */
    public boolean foldBatchNorm() {
        return recipe.foldBatchNorm();
    }

    /**
     * Turns on (the default) or off running a convolution whose output is a single pixel as one
     * matrix product, in training and in every other forward pass. Such a convolution is the
     * classifier head over a small feature map, like the chapter convnet's last layer (3×3,
     * stride 2, over 4×4): each output is the dot product of the kernel with the input's top-left
     * window, which a matrix product over the flattened input computes with far cheaper kernels
     * than LibTorch's strided convolution, above all its input gradient. Only DJL {@code Conv2d}s
     * without padding, dilation or groups inside {@code SequentialBlock}s are run so, and only on
     * the batches whose shape gives them one output pixel; the results agree with the
     * convolution's within float rounding. Turn it off to get the block's own forward pass bit for
     * bit.
     *
     * @param on true for matrix products, false to run every convolution as it is
     * @return a new set-up model
     */
    public SetupModel convolutionsAsMatmul(boolean on) {
        return new SetupModel(block, model, recipe.withConvolutionsAsMatmul(on));
    }

    /**
     * Tells whether one-pixel convolutions run as matrix products.
     *
     * @return true unless {@link #convolutionsAsMatmul(boolean)} turned it off
     */
    public boolean convolutionsAsMatmul() {
        return recipe.convolutionsAsMatmul();
    }

    /**
     * Returns the training device.
     *
     * @return the device
     */
    public Device device() {
        return recipe.device();
    }

    /**
     * Returns the optimizer's description.
     *
     * @return the spec
     */
    public OptimizerSpec optimizer() {
        return recipe.optimizer();
    }

    /**
     * Fits with every option ({@link FitOptions}).
     *
     * @param options the fit's arguments
     * @return the fitted model
     */
    @Override
    public FittedModel fit(FitOptions options) {
        Checks.notNull("options", options, "pass FitOptions.builder(train)...build()");
        Session session = newSession(options.seed(), "fit");
        try {
            FitLoop.fit(session, options);
        } catch (RuntimeException e) {
            // the user's block (pretrained weights) and model outlive a fit that failed
            session.closeAfterFailure(makesItsModel());
            throw e;
        }
        return BlockLease.hold(session.model().getNDManager(), new FittedModel(session));
    }

    /**
     * Creates a session for a trial fit of this model's block, for luzj's LR finder rather than
     * for applications: the engine is seeded as {@link #fit} seeds it, and the trial trains with
     * a fresh optimizer of this model's kind and no metrics ({@link Session#trial}). Closing it
     * frees the trial's optimizer (and the DJL model made around the block, whose parameters
     * stay with the block).
     *
     * @param seed the seed of weight initialization
     * @return the trial's session (the caller closes it)
     */
    public Session trialSession(long seed) {
        return newSession(seed, "the LR finder").trial(model == null);
    }

    /** Whether luzj makes the DJL model around the block (the user passed a block, not a model). */
    boolean makesItsModel() {
        return model == null;
    }

    /**
     * The session a fit or a load runs in, the engine seeded for repeatable initialization;
     * refused while an earlier fitted model holds the block, or after it freed it.
     */
    Session newSession(long seed, String what) {
        Checks.check(
                model == null || model.getNDManager().isOpen(),
                "%s: the DJL model given to Luz.setup is closed, and its weights with it; set up an"
                        + " open model (load it again)",
                what);
        BlockLease.checkFree(block, what);
        Engine.getInstance().setRandomSeed((int) seed);
        Model m = model;
        if (m == null) {
            m = Model.newInstance("luzj", recipe.device());
            m.setBlock(block);
        }
        return new Session(m, recipe);
    }
}
