package io.github.luzj.callbacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.luzj.FittedModel;
import io.github.luzj.callback.Phase;
import io.github.luzj.testing.FakeContext;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TimerTest {

    @Test
    void sumsEachPartBetweenItsBeginAndEnd() {
        AtomicLong now = new AtomicLong();
        Timer timer = Timer.withClock(now::get);
        FakeContext ctx = new FakeContext();
        long ms = 1_000_000;
        Phase[] script = {
            Phase.FIT_BEGIN, Phase.EPOCH_BEGIN, Phase.TRAIN_BEGIN,
            Phase.TRAIN_BATCH_BEGIN, Phase.TRAIN_BATCH_END, // 10 ms
            Phase.TRAIN_BATCH_BEGIN, Phase.TRAIN_BATCH_END, // 30 ms
            Phase.TRAIN_END, Phase.VALID_BEGIN,
            Phase.VALID_BATCH_BEGIN, Phase.VALID_BATCH_END, // 5 ms
            Phase.VALID_END, Phase.EPOCH_END, Phase.FIT_END,
        };
        long[] after = {0, 1, 1, 10, 0, 30, 1, 2, 0, 5, 1, 1, 1, 0};
        for (int i = 0; i < script.length; i++) {
            timer.on(script[i], ctx);
            now.addAndGet(after[i] * ms);
        }
        assertThat(timer.stats(Timer.Part.TRAIN_BATCH))
                .isEqualTo(new Timer.Stats(2, 0.040, 0.010, 0.030));
        assertThat(timer.stats(Timer.Part.TRAIN_BATCH).meanSeconds()).isEqualTo(0.020);
        assertThat(timer.stats(Timer.Part.VALID_BATCH))
                .isEqualTo(new Timer.Stats(1, 0.005, 0.005, 0.005));
        assertThat(timer.stats(Timer.Part.TRAIN).totalSeconds()).isCloseTo(0.042, within(1e-12));
        assertThat(timer.stats(Timer.Part.VALID).totalSeconds()).isCloseTo(0.006, within(1e-12));
        assertThat(timer.stats(Timer.Part.EPOCH).totalSeconds()).isCloseTo(0.052, within(1e-12));
        assertThat(timer.stats(Timer.Part.FIT).totalSeconds()).isCloseTo(0.053, within(1e-12));
        assertThat(timer.summary()).startsWith(
                        "part            count    total s    mean ms     min ms     max ms")
                .contains("train_batch         2      0.040     20.000     10.000     30.000");
    }

    @Test
    void timesARealFit() {
        Timer timer = LuzCallbacks.profile();
        try (FittedModel ignored = Fixtures.fitClasses(Fixtures.classifier(), 2, true, timer)) {
            assertThat(timer.stats(Timer.Part.FIT).count()).isEqualTo(1);
            assertThat(timer.stats(Timer.Part.EPOCH).count()).isEqualTo(2);
            assertThat(timer.stats(Timer.Part.TRAIN_BATCH).count()).isEqualTo(10);
            assertThat(timer.stats(Timer.Part.VALID_BATCH).count()).isEqualTo(4);
            double fit = timer.stats(Timer.Part.FIT).totalSeconds();
            assertThat(timer.stats(Timer.Part.EPOCH).totalSeconds()).isPositive()
                    .isLessThanOrEqualTo(fit);
            assertThat(timer.stats(Timer.Part.TRAIN_BATCH).totalSeconds())
                    .isLessThanOrEqualTo(timer.stats(Timer.Part.TRAIN).totalSeconds());
        }
        // reset at the next fit
        try (FittedModel ignored = Fixtures.fitClasses(Fixtures.classifier(), 1, false, timer)) {
            assertThat(timer.stats(Timer.Part.EPOCH).count()).isEqualTo(1);
            assertThat(timer.stats(Timer.Part.VALID).count()).isZero();
            assertThat(timer.summary()).doesNotContain("valid");
        }
    }
}
