package io.github.luzj.vision.transforms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.luzj.base.LuzjException;
import io.github.luzj.data.FloatTensor;
import io.github.luzj.vision.transforms.RandomAffine.Interpolation;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RandomAffineTest {

    /** torchvision 0.14's F.affine of 6 test digits under 9 (angle, tx, ty), fill 0. */
    private static Map<String, Npz.Array> oracle;

    @BeforeAll
    static void readOracle() throws IOException {
        try (InputStream in = RandomAffineTest.class.getResourceAsStream("affine.npz")) {
            oracle = Npz.read(in);
        }
    }

    /** A 4×6 single-channel image whose pixel (r, c) is 1 + 10 r + c. */
    private static FloatTensor ramp(int h, int w) {
        float[] d = new float[h * w];
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                d[r * w + c] = 1 + 10 * r + c;
            }
        }
        return new FloatTensor(d, new long[] {1, h, w});
    }

    private static float at(FloatTensor t, int channel, int r, int c) {
        long[] s = t.shape();
        int h = (int) s[s.length - 2];
        int w = (int) s[s.length - 1];
        return t.data()[channel * h * w + r * w + c];
    }

    @Test
    void zeroAngleAndShiftIsTheIdentity() {
        FloatTensor img = ramp(5, 7);
        assertThat(RandomAffine.affine(img, 0, 0, 0, Interpolation.NEAREST, 0f).data()).isEqualTo(img.data());
        // torchvision's float32 grid is off integers by ~1e-7 of the image size, so bilinear is
        // the identity only up to that (its own output for angle 0 differs from the input by 2e-6)
        float[] bilinear = RandomAffine.affine(img, 0, 0, 0, Interpolation.BILINEAR, 0f).data();
        for (int i = 0; i < bilinear.length; i++) {
            assertThat(bilinear[i]).isCloseTo(img.data()[i], within(1e-6f * 50));
        }
        FloatTensor out = RandomAffine.builder().build().apply(img, new SplittableRandom(1));
        assertThat(out.data()).isEqualTo(img.data());
        assertThat(out.shape()).containsExactly(1, 5, 7);
    }

    @Test
    void ninetyDegreesTurnsASquareImageClockwise() {
        int n = 6;
        FloatTensor img = ramp(n, n);

        FloatTensor out = RandomAffine.affine(img, 90, 0, 0);

        // clockwise on screen: output (r, c) comes from input (n - 1 - c, r), numpy.rot90(k=-1)
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                assertThat(at(out, 0, r, c)).as("(%d, %d)", r, c).isEqualTo(at(img, 0, n - 1 - c, r));
            }
        }
        FloatTensor back = RandomAffine.affine(out, -90, 0, 0);
        assertThat(back.data()).isEqualTo(img.data());
    }

    @Test
    void shiftsMoveRightAndDownAndFillTheGap() {
        FloatTensor img = ramp(4, 6);

        FloatTensor out = RandomAffine.affine(img, 0, 2, -1, Interpolation.NEAREST, -5f);

        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 6; c++) {
                int sr = r + 1;
                int sc = c - 2;
                float expected = sr < 4 && sc >= 0 ? at(img, 0, sr, sc) : -5f;
                assertThat(at(out, 0, r, c)).as("(%d, %d)", r, c).isEqualTo(expected);
            }
        }
        float[] bilinear = RandomAffine.affine(img, 0, 2, -1, Interpolation.BILINEAR, -5f).data();
        for (int i = 0; i < bilinear.length; i++) {
            assertThat(bilinear[i]).isCloseTo(out.data()[i], within(1e-6f * 50));
        }
    }

    @Test
    void everyChannelGetsTheSameGeometry() {
        FloatTensor gray = ramp(5, 5);
        FloatTensor rgb = ExpandChannels.toRgb().apply(gray, null);

        FloatTensor out = RandomAffine.affine(rgb, 30, 1, 1, Interpolation.BILINEAR, 0f);
        FloatTensor one = RandomAffine.affine(gray, 30, 1, 1, Interpolation.BILINEAR, 0f);

        assertThat(out.shape()).containsExactly(3, 5, 5);
        for (int c = 0; c < 3; c++) {
            assertThat(Arrays.copyOfRange(out.data(), c * 25, c * 25 + 25)).isEqualTo(one.data());
        }
        FloatTensor plain = RandomAffine.affine(new FloatTensor(gray.data(), new long[] {5, 5}), 30, 1, 1,
                Interpolation.BILINEAR, 0f);
        assertThat(plain.shape()).containsExactly(5, 5);
        assertThat(plain.data()).isEqualTo(one.data());
    }

    @Test
    void matchesTorchvisionNearestExactly() {
        int mismatched = compareWithOracle("nearest", Interpolation.NEAREST, 0f);
        assertThat(mismatched).isZero();
    }

    @Test
    void matchesTorchvisionBilinearWithinFloatRounding() {
        int mismatched = compareWithOracle("bilinear", Interpolation.BILINEAR, 1e-5f);
        assertThat(mismatched).isZero();
    }

    /** Returns how many pixels differ from torchvision's by more than {@code tolerance}. */
    private static int compareWithOracle(String key, Interpolation mode, float tolerance) {
        Npz.Array images = oracle.get("images");
        Npz.Array params = oracle.get("params");
        Npz.Array expected = oracle.get(key);
        assertThat(images.shape()).containsExactly(6, 28, 28);
        assertThat(expected.shape()).containsExactly(9, 6, 28, 28);
        int plane = 28 * 28;
        int mismatched = 0;
        for (int p = 0; p < 9; p++) {
            double angle = params.data()[3 * p];
            double tx = params.data()[3 * p + 1];
            double ty = params.data()[3 * p + 2];
            for (int k = 0; k < 6; k++) {
                float[] img = Arrays.copyOfRange(images.data(), k * plane, (k + 1) * plane);
                float[] out = RandomAffine.affine(new FloatTensor(img, new long[] {1, 28, 28}), angle, tx, ty,
                        mode, 0f).data();
                int base = (p * 6 + k) * plane;
                for (int i = 0; i < plane; i++) {
                    if (Math.abs(out[i] - expected.data()[base + i]) > tolerance) {
                        mismatched++;
                    }
                }
            }
        }
        return mismatched;
    }

    @Test
    void theOracleIsNotTrivial() {
        // guards the two tests above: a transform that did nothing would fail against these rows
        Npz.Array images = oracle.get("images");
        Npz.Array nearest = oracle.get("nearest");
        int plane = 28 * 28;
        int changed = 0;
        for (int i = 0; i < plane; i++) {
            changed += images.data()[i] != nearest.data()[6 * plane + i] ? 1 : 0; // row 1: 90 degrees
        }
        assertThat(changed).isGreaterThan(50);
    }

    @Test
    void drawsAnglesInRangeAndWholePixelShiftsLikeTorchvision() {
        RandomAffine t = RandomAffine.of(45, 0.1, 0.1);
        SplittableRandom rng = new SplittableRandom(42);
        double minA = 1e9;
        double maxA = -1e9;
        int[] txCounts = new int[7];
        for (int i = 0; i < 20_000; i++) {
            RandomAffine.Params p = t.sample(rng, 28, 28);
            minA = Math.min(minA, p.angle());
            maxA = Math.max(maxA, p.angle());
            assertThat(p.tx()).isEqualTo(Math.rint(p.tx())).isBetween(-3.0, 3.0);
            assertThat(p.ty()).isEqualTo(Math.rint(p.ty())).isBetween(-3.0, 3.0);
            txCounts[(int) p.tx() + 3]++;
        }
        assertThat(minA).isBetween(-45.0, -44.0);
        assertThat(maxA).isBetween(44.0, 45.0);
        // max_dx = 2.8, so round(uniform(-2.8, 2.8)) is ±3 with probability 0.3/5.6 each, else 1/5.6
        assertThat(txCounts[0] / 20_000.0).isCloseTo(0.3 / 5.6, within(0.01));
        assertThat(txCounts[3] / 20_000.0).isCloseTo(1 / 5.6, within(0.015));
        assertThat(txCounts[6] / 20_000.0).isCloseTo(0.3 / 5.6, within(0.01));
    }

    @Test
    void applyIsAPureFunctionOfTheGenerator() {
        FloatTensor img = ramp(28, 28);
        RandomAffine t = RandomAffine.of(45, 0.1, 0.1);

        FloatTensor a = t.apply(img, new SplittableRandom(5));
        FloatTensor b = t.apply(img, new SplittableRandom(5));
        FloatTensor c = t.apply(img, new SplittableRandom(6));

        assertThat(a.data()).isEqualTo(b.data());
        assertThat(a.data()).isNotEqualTo(c.data());
        RandomAffine.Params p = t.sample(new SplittableRandom(5), 28, 28);
        assertThat(a.data()).isEqualTo(RandomAffine.affine(img, p.angle(), p.tx(), p.ty()).data());
    }

    @Test
    void rejectsBadSettingsAndShapes() {
        assertThatThrownBy(() -> RandomAffine.builder().degrees(-1))
                .isInstanceOf(LuzjException.class).hasMessageContaining("got -1.0");
        assertThatThrownBy(() -> RandomAffine.builder().degrees(10, -10))
                .isInstanceOf(LuzjException.class).hasMessageContaining("min <= max, got (10.0, -10.0)");
        assertThatThrownBy(() -> RandomAffine.builder().translate(0.1, 1.5))
                .isInstanceOf(LuzjException.class).hasMessageContaining("in [0, 1], got (0.1, 1.5)");
        FloatTensor flat = new FloatTensor(new float[4], new long[] {4});
        assertThatThrownBy(() -> RandomAffine.of(10, 0, 0).apply(flat, new SplittableRandom(1)))
                .isInstanceOf(LuzjException.class).hasMessageContaining("[C, H, W] or [H, W], got [4]");
    }
}
