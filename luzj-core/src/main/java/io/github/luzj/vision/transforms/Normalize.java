package io.github.luzj.vision.transforms;

import io.github.luzj.base.Checks;
import io.github.luzj.data.FloatTensor;
import io.github.luzj.data.Transform;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * torchvision's {@code transforms.Normalize(mean, std)}: {@code (x[c] - mean[c]) / std[c]} for
 * each channel of a {@code [C, ...]} tensor, for any channel count (DJL's own {@code Normalize}
 * assumes 3). A single mean and std apply to every channel.
 *
 * <pre>{@code
 * Transform t = Normalize.mnist();                       // mean 0.1307, std 0.3081
 * Transform rgb = ExpandChannels.toRgb().andThen(Normalize.imagenet());
 * }</pre>
 */
public final class Normalize implements Transform {

    private final float[] mean;
    private final float[] std;

    /**
     * Creates the transform.
     *
     * @param mean one mean per channel, or one for all
     * @param std one standard deviation per channel (or one for all), each {@code > 0}
     */
    public Normalize(float[] mean, float[] std) {
        Checks.check(
                mean != null && std != null && mean.length >= 1 && mean.length == std.length,
                "Normalize needs as many means as standard deviations (at least one), got %s and %s",
                Arrays.toString(mean),
                Arrays.toString(std));
        for (float s : std) {
            Checks.check(
                    s > 0 && Float.isFinite(s),
                    "Normalize's standard deviations must be finite and > 0, got %s",
                    Arrays.toString(std));
        }
        this.mean = mean.clone();
        this.std = std.clone();
    }

    /**
     * MNIST's pixel statistics, as in PyTorch's MNIST example: mean 0.1307, std 0.3081.
     *
     * @return the transform for 1-channel MNIST images in [0, 1]
     */
    public static Normalize mnist() {
        return new Normalize(new float[] {0.1307f}, new float[] {0.3081f});
    }

    /**
     * ImageNet's channel statistics, what torchvision's pretrained networks expect.
     *
     * @return the transform for 3-channel images in [0, 1]
     */
    public static Normalize imagenet() {
        return new Normalize(
                new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f});
    }

    @Override
    public FloatTensor apply(FloatTensor x, SplittableRandom rng) {
        long[] s = x.shape();
        Checks.check(
                s.length >= 1 && (mean.length == 1 || s[0] == mean.length),
                "Normalize has %d means for an input of shape %s whose first dimension (the"
                        + " channels) is %s; give one mean and std per channel, or expand the"
                        + " channels first (ExpandChannels)",
                mean.length,
                Arrays.toString(s),
                s.length >= 1 ? String.valueOf(s[0]) : "missing");
        int channels = (int) s[0];
        int plane = channels == 0 ? 0 : x.size() / channels;
        float[] in = x.data();
        float[] out = new float[in.length];
        for (int c = 0; c < channels; c++) {
            float m = mean[mean.length == 1 ? 0 : c];
            float sd = std[std.length == 1 ? 0 : c];
            int from = c * plane;
            for (int i = from; i < from + plane; i++) {
                out[i] = (in[i] - m) / sd;
            }
        }
        return new FloatTensor(out, s.clone());
    }

    @Override
    public String toString() {
        return "Normalize(mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + ")";
    }
}
