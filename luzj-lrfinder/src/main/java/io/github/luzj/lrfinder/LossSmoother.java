package io.github.luzj.lrfinder;

import io.github.luzj.base.Checks;

/**
 * The debiased exponential moving average of the LR finder (fastai's, Adam's bias correction):
 * {@code avg_k = beta * avg_(k-1) + (1 - beta) * loss_k} from {@code avg_0 = 0}, reported as
 * {@code avg_k / (1 - beta^k)} so that the first values are not pulled toward 0.
 */
public final class LossSmoother {

    private final double beta;
    private double avg;
    private double betaPower = 1;
    private int count;

    /**
     * Creates an empty average.
     *
     * @param beta the weight of the past, in [0, 1); 0 reports the raw losses
     */
    public LossSmoother(double beta) {
        this.beta = checkBeta(beta);
    }

    /** Checks a smoothing weight; 0 reports the raw loss. */
    static double checkBeta(double beta) {
        Checks.check(
                beta >= 0 && beta < 1, "beta must be in [0, 1), got %s; 0.9 is usual", beta);
        return beta;
    }

    /**
     * Adds the next loss.
     *
     * @param loss the step's raw loss
     * @return the smoothed loss after this step
     */
    public double add(double loss) {
        count++;
        avg = beta * avg + (1 - beta) * loss;
        betaPower *= beta;
        return avg / (1 - betaPower);
    }

    /**
     * Returns the number of losses added.
     *
     * @return the count
     */
    public int count() {
        return count;
    }

    /**
     * Smooths a whole sequence.
     *
     * @param losses the raw losses, in step order
     * @param beta the weight of the past, in [0, 1)
     * @return the smoothed losses
     */
    public static double[] smooth(double[] losses, double beta) {
        Checks.notNull("losses", losses, "pass the losses to smooth");
        LossSmoother s = new LossSmoother(beta);
        double[] out = new double[losses.length];
        for (int i = 0; i < losses.length; i++) {
            out[i] = s.add(losses[i]);
        }
        return out;
    }
}
