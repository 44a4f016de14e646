package io.github.luzj.vision.transforms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.luzj.base.LuzjException;
import io.github.luzj.data.DataLoader;
import io.github.luzj.data.FloatTensor;
import io.github.luzj.data.Mnist;
import io.github.luzj.data.Split;
import io.github.luzj.data.Transform;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TransformsTest {

    private static final FloatTensor GRAY = new FloatTensor(new float[] {0f, 0.5f, 1f, 0.25f}, new long[] {1, 2, 2});

    @Test
    void expandChannelsRepeatsTheOnlyChannel() {
        FloatTensor rgb = ExpandChannels.toRgb().apply(GRAY, null);

        assertThat(rgb.shape()).containsExactly(3, 2, 2);
        assertThat(rgb.data()).containsExactly(0f, 0.5f, 1f, 0.25f, 0f, 0.5f, 1f, 0.25f, 0f, 0.5f, 1f, 0.25f);
        assertThat(ExpandChannels.toRgb().apply(rgb, null)).isSameAs(rgb);
    }

    @Test
    void expandChannelsRejectsOtherChannelCounts() {
        FloatTensor two = new FloatTensor(new float[8], new long[] {2, 2, 2});

        assertThatThrownBy(() -> ExpandChannels.toRgb().apply(two, null))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("repeats a 1-channel image into 3 channels, but the image has 2 channels");
        assertThatThrownBy(() -> new ExpandChannels(0)).isInstanceOf(LuzjException.class).hasMessageContaining("got 0");
    }

    @Test
    void normalizeUsesEachChannelsMeanAndStd() {
        FloatTensor rgb = ExpandChannels.toRgb().apply(GRAY, null);

        FloatTensor out = Normalize.imagenet().apply(rgb, null);

        float[] mean = {0.485f, 0.456f, 0.406f};
        float[] std = {0.229f, 0.224f, 0.225f};
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 4; i++) {
                assertThat(out.data()[c * 4 + i]).isEqualTo((GRAY.data()[i] - mean[c]) / std[c]);
            }
        }
        assertThat(out.shape()).containsExactly(3, 2, 2);
    }

    @Test
    void normalizeWithOneMeanAppliesToAnyChannelCount() {
        FloatTensor out = Normalize.mnist().apply(GRAY, null);
        FloatTensor five = new FloatTensor(new float[5 * 4], new long[] {5, 2, 2});

        assertThat(out.data()[2]).isEqualTo((1f - 0.1307f) / 0.3081f);
        assertThat(new Normalize(new float[] {1}, new float[] {2}).apply(five, null).data()).containsOnly(-0.5f);
    }

    @Test
    void normalizeRejectsMismatchedChannelsAndBadStd() {
        assertThatThrownBy(() -> Normalize.imagenet().apply(GRAY, null))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("Normalize has 3 means for an input of shape [1, 2, 2]")
                .hasMessageContaining("ExpandChannels");
        assertThatThrownBy(() -> new Normalize(new float[] {0, 0}, new float[] {1, 0}))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("> 0, got [1.0, 0.0]");
        assertThatThrownBy(() -> new Normalize(new float[] {0, 0}, new float[] {1}))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("as many means as standard deviations");
    }

    @Test
    void composeRunsInOrderAndSharesTheGenerator() {
        Transform addDraw = (x, rng) -> {
            float[] d = x.data().clone();
            d[0] += (float) rng.nextDouble();
            return new FloatTensor(d, x.shape());
        };
        Transform t = Transform.compose(addDraw, ExpandChannels.toRgb(), Normalize.mnist());

        FloatTensor out = t.apply(GRAY, new SplittableRandom(3));

        float drawn = (float) new SplittableRandom(3).nextDouble();
        assertThat(out.shape()).containsExactly(3, 2, 2);
        assertThat(out.data()[4]).isEqualTo((0f + drawn - 0.1307f) / 0.3081f);
        assertThat(Transform.compose().apply(GRAY, null)).isSameAs(GRAY);
        assertThat(Transform.compose(Normalize.mnist()).apply(GRAY, null).data())
                .isEqualTo(Normalize.mnist().apply(GRAY, null).data());
    }

    @Test
    void theChaptersPipelineOnMnistFeedsA3ChannelNetwork() {
        Transform augment = RandomAffine.of(45, 0.1, 0.1).andThen(ExpandChannels.toRgb()).andThen(Normalize.imagenet());
        DataLoader loader = DataLoader.builder(Mnist.subset(Split.TEST)).batchSize(64).shuffle(true)
                .transform(augment).workers(2).build();

        assertThat(loader.featureShape()).containsExactly(64, 3, 28, 28);
        var it = loader.iterator(1);
        assertThat(it.next().x().shape()).containsExactly(64, 3, 28, 28);
        it.close();
    }
}
