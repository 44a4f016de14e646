package io.github.luzj.callbacks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import io.github.luzj.base.Checks;
import io.github.luzj.base.LuzjException;
import io.github.luzj.callback.Callback;
import io.github.luzj.callback.Context;
import io.github.luzj.callback.Phase;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Mixup (Zhang et al., "mixup: Beyond Empirical Risk Minimization") as luz's
 * {@code luz_callback_mixup} with {@code nn_mixup_loss}: each training batch is mixed with a
 * shuffled copy of itself, and the loss is the same mix of the losses against both labels.
 *
 * <p>At {@code on_train_batch_begin} it draws a permutation of the batch and a weight
 * {@code w ~ Beta(alpha, alpha)}, replaced by {@code max(w, 1 - w)} as luz does, and mixes every
 * input array in place: {@code x <- lerp(x, x[perm], w) = x + w (x[perm] - x)}. At
 * {@code on_train_batch_after_loss} it replaces the batch's loss by
 * {@code lerp(loss(y), loss(y[perm]), w)}, computed with {@code loss}, the loss the model was
 * set up with (the context carries the batch's loss, not the function).
 *
 * <p>By default one weight is drawn per batch, which works with any DJL loss since they average
 * over the batch. {@link #perExample(boolean)} draws one weight per example as luz does; the
 * loss is then evaluated example by example (twice the batch size calls per batch, slower).
 * The draws come from a generator seeded by {@link #seed(long)} and the global step, so a
 * resumed fit draws exactly what an uninterrupted one would. Validation batches are left alone
 * unless {@link #runValid(boolean)}. Training metrics other than the loss compare the
 * predictions on mixed inputs with the unshuffled labels.
 *
 * <pre>{@code
 * Loss loss = Loss.softmaxCrossEntropyLoss();
 * MixUp mixup = LuzCallbacks.mixup(loss).alpha(0.4);
 * Luz.setup(net, loss, Optimizers.adam()).fit(train, 5, valid, mixup);
 * }</pre>
 */
public final class MixUp implements Callback {

    /**
     * The mixing of one batch.
     *
     * @param permutation the example mixed into each position
     * @param weights the weight of the mixed-in example: one for the whole batch, or one per
     *     example; each in [0.5, 1]
     */
    record Draw(int[] permutation, float[] weights) {}

    private final Loss loss;
    private final double alpha;
    private final long seed;
    private final boolean runValid;
    private final boolean perExample;
    private Draw draw;

    private MixUp(Loss loss, double alpha, long seed, boolean runValid, boolean perExample) {
        this.loss = loss; // null: the loss the model was set up with (ctx.lossFunction())
        this.alpha = Checks.positive("alpha", alpha);
        this.seed = seed;
        this.runValid = runValid;
        this.perExample = perExample;
    }

    /**
     * luz's defaults: {@code alpha = 0.4}, training batches only; one weight per batch, seed 1.
     *
     * @param loss the loss the model was set up with
     * @return the callback
     */
    public static MixUp create(Loss loss) {
        return new MixUp(
                Checks.notNull("loss", loss, "pass a loss, or use create()"), 0.4, 1, false, false);
    }

    /**
     * luz's {@code luz_callback_mixup()}: alpha 0.4, mixing with the loss the model was set up
     * with.
     *
     * @return the callback
     */
    public static MixUp create() {
        return new MixUp(null, 0.4, 1, false, false);
    }

    /**
     * Returns a copy with another Beta shape.
     *
     * @param alpha {@code > 0}; small values mix little, 1 draws the weight uniformly
     * @return the new callback
     */
    public MixUp alpha(double alpha) {
        return new MixUp(loss, alpha, seed, runValid, perExample);
    }

    /**
     * Returns a copy with another seed.
     *
     * @param seed the seed of the permutations and weights
     * @return the new callback
     */
    public MixUp seed(long seed) {
        return new MixUp(loss, alpha, seed, runValid, perExample);
    }

    /**
     * Returns a copy that mixes validation batches too (luz's {@code run_valid}).
     *
     * @param runValid true to mix validation batches
     * @return the new callback
     */
    public MixUp runValid(boolean runValid) {
        return new MixUp(loss, alpha, seed, runValid, perExample);
    }

    /**
     * Returns a copy that draws one weight per example, as luz does.
     *
     * @param perExample true for a weight per example, false for one per batch
     * @return the new callback
     */
    public MixUp perExample(boolean perExample) {
        return new MixUp(loss, alpha, seed, runValid, perExample);
    }

    /**
     * Returns the Beta shape.
     *
     * @return alpha
     */
    public double alpha() {
        return alpha;
    }

    @Override
    public Set<Phase> callOn() {
        Set<Phase> phases = EnumSet.of(Phase.TRAIN_BATCH_BEGIN, Phase.TRAIN_BATCH_AFTER_LOSS);
        if (runValid) {
            phases.add(Phase.VALID_BATCH_BEGIN);
            phases.add(Phase.VALID_BATCH_AFTER_LOSS);
        }
        return phases;
    }

    @Override
    public void on(Phase phase, Context ctx) {
        if (phase == Phase.TRAIN_BATCH_BEGIN || phase == Phase.VALID_BATCH_BEGIN) {
            NDList x = ctx.input();
            int n = Math.toIntExact(x.head().getShape().get(0));
            draw = draw(seed, key(phase, ctx), n, alpha, perExample);
            mixInputs(ctx.batchManager(), x, draw);
        } else if (draw != null) {
            ctx.setLoss(
                    mixedLoss(
                            loss != null ? loss : ctx.lossFunction(),
                            ctx.batchManager(),
                            ctx.target(),
                            ctx.pred(),
                            draw));
            draw = null;
        }
    }

    /** Training batches by global step; validation batches by epoch and index, apart. */
    static long key(Phase phase, Context ctx) {
        if (phase == Phase.TRAIN_BATCH_BEGIN) {
            return ctx.globalStep();
        }
        return -1 - ((long) ctx.epoch() << 32 | ctx.batchIndex());
    }

    /**
     * Draws the mixing of one batch: a permutation and the weights, from a generator seeded by
     * {@code seed} and {@code key}.
     *
     * @param seed the callback's seed
     * @param key the batch's key (the global step for training batches)
     * @param n the batch size
     * @param alpha the Beta shape
     * @param perExample one weight per example, else one for the batch
     * @return the draw
     */
    static Draw draw(long seed, long key, int n, double alpha, boolean perExample) {
        SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + key);
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        float[] w = new float[perExample ? n : 1];
        for (int i = 0; i < w.length; i++) {
            double b = BetaSampler.beta(rng, alpha, alpha);
            w[i] = (float) Math.max(b, 1 - b);
        }
        return new Draw(perm, w);
    }

    private static void mixInputs(NDManager bm, NDList inputs, Draw d) {
        NDArray perm = permutation(bm, d);
        for (int i = 0; i < inputs.size(); i++) {
            NDArray x = inputs.get(i);
            if (!x.getDataType().isFloating()) {
                throw new LuzjException(
                        "MixUp mixes floating-point inputs, but input " + i + " is "
                                + x.getDataType() + "; use it on images or other real features");
            }
            NDArray w = weights(bm, d, x.getShape()).toType(x.getDataType(), false);
            x.addi(x.get(new NDIndex("{}", perm)).subi(x).muli(w));
        }
    }

    private NDArray mixedLoss(Loss fn, NDManager bm, NDList y, NDList pred, Draw d) {
        NDArray perm = permutation(bm, d);
        NDList shuffled = new NDList(y.size());
        for (NDArray label : y) {
            shuffled.add(label.get(new NDIndex("{}", perm)));
        }
        if (!perExample) {
            NDArray l1 = checkedLoss(fn, y, pred);
            NDArray l2 = checkedLoss(fn, shuffled, pred);
            return l1.add(l2.sub(l1).mul(d.weights()[0]));
        }
        int n = d.permutation().length;
        NDArray[] l1 = new NDArray[n];
        NDArray[] l2 = new NDArray[n];
        for (int i = 0; i < n; i++) {
            NDList p = slice(pred, i);
            l1[i] = checkedLoss(fn, slice(y, i), p).reshape(1);
            l2[i] = checkedLoss(fn, slice(shuffled, i), p).reshape(1);
        }
        NDArray a = NDArrays.concat(new NDList(l1));
        NDArray b = NDArrays.concat(new NDList(l2));
        NDArray w = bm.create(d.weights()).toType(a.getDataType(), false);
        return a.add(b.sub(a).mul(w)).mean();
    }

    private static NDArray checkedLoss(Loss fn, NDList y, NDList pred) {
        NDArray l = fn.evaluate(y, pred);
        if (l.size() != 1) {
            throw new LuzjException(
                    "MixUp needs a loss that averages over the batch, but " + fn.getName()
                            + " gave shape " + l.getShape());
        }
        return l;
    }

    private static NDList slice(NDList list, int i) {
        NDList out = new NDList(list.size());
        for (NDArray a : list) {
            out.add(a.get(new NDIndex("{}:{}", i, i + 1)));
        }
        return out;
    }

    private static NDArray permutation(NDManager bm, Draw d) {
        return bm.create(Arrays.stream(d.permutation()).asLongStream().toArray());
    }

    /** The weights shaped to broadcast over an input of {@code shape}: [N, 1, ...] or scalar. */
    private static NDArray weights(NDManager bm, Draw d, Shape shape) {
        if (d.weights().length == 1) {
            return bm.create(d.weights()[0]);
        }
        long[] dims = new long[shape.dimension()];
        Arrays.fill(dims, 1);
        dims[0] = d.weights().length;
        return bm.create(d.weights(), new Shape(dims));
    }
}
