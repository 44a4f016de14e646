package io.github.luzj.optim;

import java.nio.FloatBuffer;

/**
 * {@link AdamRule}'s elementwise arithmetic for float32 arrays in host memory, in two passes in
 * Java instead of a dozen engine calls, each a pass over the whole group.
 *
 * <p>The floats are those of the engine's operations: each engine multiplication, division and
 * addition on float32 rounds every element once, to nearest, with its double scalar first
 * rounded to float (as PyTorch does), and Java's float arithmetic rounds every operation the
 * same way, never fusing a multiply and an add. So each line below is one engine operation, with
 * the same operands in the same order. The square root stays the engine's: LibTorch computes it
 * with MKL's vector math, which is not always the correctly rounded one that Java's would be.
 */
final class HostAdamPass {

    private final float beta1;
    private final float oneMinusBeta1;
    private final float beta2;
    private final float oneMinusBeta2;
    private final float biasCorrection2Sqrt;
    private final float eps;
    private final float negativeStepSize;

    /**
     * Rounds the step's scalars to float, as the engine does for each operation.
     *
     * @param c the step's scalars
     */
    HostAdamPass(AdamRule.Scalars c) {
        this.beta1 = (float) c.beta1();
        this.oneMinusBeta1 = (float) (1 - c.beta1());
        this.beta2 = (float) c.beta2();
        this.oneMinusBeta2 = (float) (1 - c.beta2());
        this.biasCorrection2Sqrt = (float) c.biasCorrection2Sqrt();
        this.eps = (float) c.eps();
        this.negativeStepSize = (float) -c.stepSize();
    }

    /**
     * Advances the moments in place: the step's first half, before the engine takes the square
     * root of {@code expAvgSq}.
     *
     * @param grad gradients, read only
     * @param offset where their moments start
     * @param expAvg the first moments
     * @param expAvgSq the second moments
     */
    void advanceMoments(FloatBuffer grad, int offset, FloatBuffer expAvg, FloatBuffer expAvgSq) {
        int n = grad.limit();
        for (int i = 0; i < n; i++) {
            float g = grad.get(i);
            int j = offset + i;
            // exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2): (value * g) * g
            expAvgSq.put(j, expAvgSq.get(j) * beta2 + oneMinusBeta2 * g * g);
            // exp_avg.mul_(beta1).add_(grad, alpha=1 - beta1)
            expAvg.put(j, expAvg.get(j) * beta1 + g * oneMinusBeta1);
        }
    }

    /**
     * Writes the step to add to the weights: the second half.
     *
     * @param expAvgSqRoot the engine's {@code exp_avg_sq.sqrt()}, read only
     * @param expAvg the first moments, read only
     * @param step receives the step
     */
    void step(FloatBuffer expAvgSqRoot, FloatBuffer expAvg, FloatBuffer step) {
        int n = expAvg.limit();
        for (int i = 0; i < n; i++) {
            // denom = (exp_avg_sq.sqrt() / bias_correction2_sqrt).add_(eps)
            float denom = expAvgSqRoot.get(i) / biasCorrection2Sqrt + eps;
            // param.addcdiv_(exp_avg, denom, value=-step_size): (value * m) / denom
            step.put(i, expAvg.get(i) * negativeStepSize / denom);
        }
    }
}
