package io.github.luzj.vision.transforms;

import io.github.luzj.base.Checks;
import io.github.luzj.data.FloatTensor;
import io.github.luzj.data.Transform;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Repeats a one-channel image into {@code channels} identical channels, e.g. a grayscale digit
 * into the 3 channels an ImageNet network expects ({@code x.expand(3, -1, -1)} in PyTorch). An
 * image that already has {@code channels} channels passes unchanged.
 */
public final class ExpandChannels implements Transform {

    private final int channels;

    /**
     * Creates the transform.
     *
     * @param channels the channel count of the output, {@code >= 1}
     */
    public ExpandChannels(int channels) {
        Checks.check(channels >= 1, "channels must be >= 1, got %d", channels);
        this.channels = channels;
    }

    /**
     * Grayscale to the three channels of an RGB network.
     *
     * @return {@code new ExpandChannels(3)}
     */
    public static ExpandChannels toRgb() {
        return new ExpandChannels(3);
    }

    @Override
    public FloatTensor apply(FloatTensor x, SplittableRandom rng) {
        long[] s = x.shape();
        Checks.check(
                s.length == 3,
                "ExpandChannels needs an image of shape [C, H, W], got %s",
                Arrays.toString(s));
        if (s[0] == channels) {
            return x;
        }
        Checks.check(
                s[0] == 1,
                "ExpandChannels repeats a 1-channel image into %d channels, but the image has %d"
                        + " channels (shape %s); convert it to 1 channel first or drop this"
                        + " transform",
                channels,
                s[0],
                Arrays.toString(s));
        int plane = x.size();
        float[] out = new float[plane * channels];
        for (int c = 0; c < channels; c++) {
            System.arraycopy(x.data(), 0, out, c * plane, plane);
        }
        return new FloatTensor(out, new long[] {channels, s[1], s[2]});
    }

    @Override
    public String toString() {
        return "ExpandChannels(" + channels + ")";
    }
}
