package io.github.luzj.vision.transforms;

import io.github.luzj.base.Checks;
import io.github.luzj.data.FloatTensor;
import io.github.luzj.data.Transform;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * torchvision's {@code transforms.RandomAffine(degrees, translate)}: turns the image by an angle
 * drawn uniformly from {@code [minDegrees, maxDegrees]} and shifts it by whole pixels
 * {@code tx = round(uniform(-fx·W, fx·W))}, {@code ty = round(uniform(-fy·H, fy·H))}, about
 * the image's centre, filling uncovered pixels with {@code fill} (0). A positive angle turns the
 * image clockwise on screen; positive shifts move it right and down.
 *
 * <p>{@link #affine} reproduces torchvision 0.14's tensor path to the bit for nearest
 * interpolation: the same inverse matrix, the same grid and the same float32 arithmetic as
 * {@code affine_grid}/{@code grid_sample(align_corners=False)}, so it is tested against
 * torchvision's own output.
 *
 * <pre>{@code
 * Transform augment = RandomAffine.of(45, 0.1, 0.1); // RandomAffine(degrees=(-45, 45), translate=(0.1, 0.1))
 * }</pre>
 */
public final class RandomAffine implements Transform {

    /** How a pixel between source pixels is read. */
    public enum Interpolation {
        /** The nearest source pixel, ties to even (torchvision's default). */
        NEAREST,
        /** Weighted mean of the four surrounding source pixels. */
        BILINEAR
    }

    private final double minDegrees;
    private final double maxDegrees;
    private final double translateX;
    private final double translateY;
    private final Interpolation interpolation;
    private final float fill;

    private RandomAffine(Builder b) {
        this.minDegrees = b.minDegrees;
        this.maxDegrees = b.maxDegrees;
        this.translateX = b.translateX;
        this.translateY = b.translateY;
        this.interpolation = b.interpolation;
        this.fill = b.fill;
    }

    /**
     * {@code RandomAffine(degrees=(-degrees, degrees), translate=(translateX, translateY))},
     * nearest interpolation, fill 0.
     *
     * @param degrees the largest turn either way, {@code >= 0}
     * @param translateX the largest horizontal shift as a fraction of the width, in [0, 1]
     * @param translateY the largest vertical shift as a fraction of the height, in [0, 1]
     * @return the transform
     */
    public static RandomAffine of(double degrees, double translateX, double translateY) {
        return builder().degrees(degrees).translate(translateX, translateY).build();
    }

    /**
     * Starts a random affine with no rotation, no shift, nearest interpolation and fill 0.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * One draw of the random parameters.
     *
     * @param angle degrees, clockwise on screen
     * @param tx horizontal shift in pixels, a whole number
     * @param ty vertical shift in pixels, a whole number
     */
    public record Params(double angle, double tx, double ty) {}

    /**
     * Draws the parameters for an image of {@code width × height}, as torchvision's
     * {@code RandomAffine.get_params}: angle uniform in the range, shifts rounded half to even
     * like Python's {@code round}.
     *
     * @param rng the sample's generator
     * @param width the image width
     * @param height the image height
     * @return the parameters
     */
    public Params sample(SplittableRandom rng, int width, int height) {
        double angle = minDegrees + (maxDegrees - minDegrees) * rng.nextDouble();
        double maxDx = translateX * width;
        double maxDy = translateY * height;
        double tx = Math.rint(-maxDx + 2 * maxDx * rng.nextDouble());
        double ty = Math.rint(-maxDy + 2 * maxDy * rng.nextDouble());
        return new Params(angle, tx, ty);
    }

    @Override
    public FloatTensor apply(FloatTensor x, SplittableRandom rng) {
        long[] s = x.shape();
        checkImage(s);
        Params p = sample(rng, (int) s[s.length - 1], (int) s[s.length - 2]);
        return affine(x, p.angle(), p.tx(), p.ty(), interpolation, fill);
    }

    /**
     * torchvision's {@code F.affine(img, angle, [tx, ty], scale=1, shear=0)} with nearest
     * interpolation and fill 0.
     *
     * @param x an image {@code [C, H, W]} or {@code [H, W]}
     * @param angle degrees, clockwise on screen
     * @param tx horizontal shift in pixels (right is positive)
     * @param ty vertical shift in pixels (down is positive)
     * @return a new image of the same shape
     */
    public static FloatTensor affine(FloatTensor x, double angle, double tx, double ty) {
        return affine(x, angle, tx, ty, Interpolation.NEAREST, 0f);
    }

    /**
     * torchvision's {@code F.affine(img, angle, [tx, ty], scale=1, shear=0, interpolation,
     * fill)} on a float image: every channel gets the same geometry.
     *
     * @param x an image {@code [C, H, W]} or {@code [H, W]}
     * @param angle degrees, clockwise on screen
     * @param tx horizontal shift in pixels (right is positive)
     * @param ty vertical shift in pixels (down is positive)
     * @param interpolation nearest or bilinear
     * @param fill the value of pixels that come from outside the image
     * @return a new image of the same shape
     */
    public static FloatTensor affine(
            FloatTensor x, double angle, double tx, double ty, Interpolation interpolation, float fill) {
        long[] s = x.shape();
        checkImage(s);
        int h = (int) s[s.length - 2];
        int w = (int) s[s.length - 1];
        int channels = s.length == 3 ? (int) s[0] : 1;
        float[] theta = gridMatrix(inverseMatrix(angle, tx, ty), w, h);
        float[] out = new float[x.size()];
        resample(x.data(), out, channels, h, w, theta, fill, interpolation == Interpolation.BILINEAR);
        return new FloatTensor(out, s.clone());
    }

    /**
     * torchvision's {@code _get_inverse_affine_matrix} with the centre at the origin, scale 1 and
     * no shear: maps output coordinates (relative to the image centre) to input ones.
     *
     * @param angle degrees
     * @param tx horizontal shift
     * @param ty vertical shift
     * @return the 2×3 matrix, row-major
     */
    static double[] inverseMatrix(double angle, double tx, double ty) {
        double rot = Math.toRadians(angle);
        // With shear 0 torchvision's RSS matrix [[a, b], [c, d]] is a plain rotation.
        double a = Math.cos(rot);
        double b = -Math.sin(rot);
        double c = Math.sin(rot);
        double d = Math.cos(rot);
        double[] m = {d, -b, 0.0, -c, a, 0.0};
        m[2] += m[0] * -tx + m[1] * -ty;
        m[5] += m[3] * -tx + m[4] * -ty;
        return m;
    }

    /**
     * The matrix as {@code _gen_affine_grid} uses it: float32, each row divided by half the image
     * size, so that it maps pixel-centred coordinates to grid_sample's [-1, 1].
     */
    private static float[] gridMatrix(double[] m, int w, int h) {
        float hw = (float) (0.5 * w);
        float hh = (float) (0.5 * h);
        return new float[] {
            (float) m[0] / hw, (float) m[1] / hw, (float) m[2] / hw,
            (float) m[3] / hh, (float) m[4] / hh, (float) m[5] / hh
        };
    }

    // The float32 steps below follow affine_grid then grid_sample(align_corners=False) one
    // operation at a time: reordering them changes the rounding and so which pixel "nearest" picks.

    private static void resample(
            float[] in, float[] out, int channels, int h, int w, float[] t, float fill, boolean bilinear) {
        float fw = w;
        float fh = h;
        for (int i = 0; i < h; i++) {
            float y = -h * 0.5f + 0.5f + i;
            float ry0 = y * t[1];
            float ry1 = y * t[4];
            for (int j = 0; j < w; j++) {
                float x = -w * 0.5f + 0.5f + j;
                float gx = (x * t[0] + ry0) + t[2];
                float gy = (x * t[3] + ry1) + t[5];
                float ix = ((gx + 1f) * fw - 1f) / 2f;
                float iy = ((gy + 1f) * fh - 1f) / 2f;
                Pixel at = new Pixel(h, w, i * w + j, ix, iy);
                if (bilinear) {
                    bilinear(in, out, channels, at, fill);
                } else {
                    nearest(in, out, channels, at, fill);
                }
            }
        }
    }

    /** An output pixel {@code dst} of an h×w plane and where it samples the input from. */
    private record Pixel(int h, int w, int dst, float ix, float iy) {}

    private static void nearest(float[] in, float[] out, int channels, Pixel at, float fill) {
        int h = at.h();
        int w = at.w();
        int plane = h * w;
        int sx = (int) Math.rint(at.ix());
        int sy = (int) Math.rint(at.iy());
        boolean inside = sx >= 0 && sx < w && sy >= 0 && sy < h;
        int src = sy * w + sx;
        for (int c = 0; c < channels; c++) {
            out[c * plane + at.dst()] = inside ? in[c * plane + src] : fill;
        }
    }

    private static void bilinear(float[] in, float[] out, int channels, Pixel at, float fill) {
        int h = at.h();
        int w = at.w();
        int plane = h * w;
        float ix = at.ix();
        float iy = at.iy();
        int x0 = (int) Math.floor(ix);
        int y0 = (int) Math.floor(iy);
        float ex = (x0 + 1) - ix;
        float ey = (y0 + 1) - iy;
        float wx = ix - x0;
        float wy = iy - y0;
        boolean x0in = x0 >= 0 && x0 < w;
        boolean x1in = x0 + 1 >= 0 && x0 + 1 < w;
        boolean y0in = y0 >= 0 && y0 < h;
        boolean y1in = y0 + 1 >= 0 && y0 + 1 < h;
        float wNw = x0in && y0in ? ex * ey : 0f;
        float wNe = x1in && y0in ? wx * ey : 0f;
        float wSw = x0in && y1in ? ex * wy : 0f;
        float wSe = x1in && y1in ? wx * wy : 0f;
        // torchvision samples a channel of ones alongside the image to know how much of
        // each output pixel came from inside; the rest is fill.
        float mask = wNw + wNe + wSw + wSe;
        int nw = y0 * w + x0;
        for (int c = 0; c < channels; c++) {
            int p = c * plane;
            float v = 0f;
            if (wNw != 0f) {
                v += in[p + nw] * wNw;
            }
            if (wNe != 0f) {
                v += in[p + nw + 1] * wNe;
            }
            if (wSw != 0f) {
                v += in[p + nw + w] * wSw;
            }
            if (wSe != 0f) {
                v += in[p + nw + w + 1] * wSe;
            }
            out[p + at.dst()] = v * mask + (1f - mask) * fill;
        }
    }

    private static void checkImage(long[] s) {
        Checks.check(
                (s.length == 3 || s.length == 2) && s[s.length - 1] > 0 && s[s.length - 2] > 0,
                "RandomAffine needs an image of shape [C, H, W] or [H, W], got %s",
                Arrays.toString(s));
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT,
                "RandomAffine(degrees=(%s, %s), translate=(%s, %s), interpolation=%s, fill=%s)",
                minDegrees, maxDegrees, translateX, translateY,
                interpolation.name().toLowerCase(Locale.ROOT), fill);
    }

    /** Settings of a {@link RandomAffine}. */
    public static final class Builder {
        private double minDegrees;
        private double maxDegrees;
        private double translateX;
        private double translateY;
        private Interpolation interpolation = Interpolation.NEAREST;
        private float fill;

        private Builder() {}

        /**
         * Turns by up to {@code degrees} either way, like torchvision's {@code degrees=d}.
         *
         * @param degrees {@code >= 0}
         * @return this builder
         */
        public Builder degrees(double degrees) {
            Checks.check(
                    degrees >= 0 && Double.isFinite(degrees),
                    "degrees must be a finite number >= 0 (the range is -degrees..degrees), got %s",
                    degrees);
            return degrees(-degrees, degrees);
        }

        /**
         * Turns by an angle in {@code [min, max]}, like torchvision's {@code degrees=(min, max)}.
         *
         * @param min the smallest angle
         * @param max the largest angle, {@code >= min}
         * @return this builder
         */
        public Builder degrees(double min, double max) {
            Checks.check(
                    Double.isFinite(min) && Double.isFinite(max) && min <= max,
                    "degrees range must be finite with min <= max, got (%s, %s)",
                    min,
                    max);
            this.minDegrees = min;
            this.maxDegrees = max;
            return this;
        }

        /**
         * Shifts by up to {@code fx} of the width and {@code fy} of the height either way.
         *
         * @param fx in [0, 1]
         * @param fy in [0, 1]
         * @return this builder
         */
        public Builder translate(double fx, double fy) {
            Checks.check(
                    fx >= 0 && fx <= 1 && fy >= 0 && fy <= 1,
                    "translate fractions must be in [0, 1], got (%s, %s)",
                    fx,
                    fy);
            this.translateX = fx;
            this.translateY = fy;
            return this;
        }

        /**
         * Sets the interpolation (nearest by default, as torchvision).
         *
         * @param interpolation nearest or bilinear
         * @return this builder
         */
        public Builder interpolation(Interpolation interpolation) {
            Checks.check(interpolation != null, "interpolation is null; use NEAREST or BILINEAR");
            this.interpolation = interpolation;
            return this;
        }

        /**
         * Sets the value of pixels that come from outside the image (0 by default).
         *
         * @param fill the value
         * @return this builder
         */
        public Builder fill(float fill) {
            this.fill = fill;
            return this;
        }

        /**
         * Builds the transform.
         *
         * @return the transform
         */
        public RandomAffine build() {
            return new RandomAffine(this);
        }
    }
}
