package io.github.luzj.callbacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.luzj.base.LuzjException;
import io.github.luzj.callbacks.Monitor.Mode;
import org.junit.jupiter.api.Test;

/** Monitor names, directions and the improvement test, without a fit. */
class MonitorTest {

    @Test
    void parsesLuzNamesCaseInsensitively() {
        Monitor m = Monitor.of("Valid_Top5_Acc");
        assertThat(m.set()).isEqualTo("valid");
        assertThat(m.metric()).isEqualTo("top5_acc");
        assertThat(m.name()).isEqualTo("valid_top5_acc");
        assertThat(Monitor.of("train_loss").set()).isEqualTo("train");
    }

    @Test
    void rejectsNamesWithoutASet() {
        for (String bad : new String[] {"loss", "test_loss", "valid_", "_loss"}) {
            assertThatThrownBy(() -> Monitor.of(bad))
                    .isInstanceOf(LuzjException.class)
                    .hasMessage("monitor must be '<set>_<metric>' with set 'train' or 'valid',"
                            + " such as 'valid_loss' or 'train_acc', got '" + bad + "'");
        }
        assertThatThrownBy(() -> Monitor.of(null)).isInstanceOf(LuzjException.class)
                .hasMessageEndingWith("got 'null'");
    }

    @Test
    void autoIsMaxForAccuraciesAndMinOtherwise() {
        assertThat(Monitor.of("valid_acc").direction()).isEqualTo(Mode.MAX);
        assertThat(Monitor.of("valid_top5_acc").direction()).isEqualTo(Mode.MAX);
        assertThat(Monitor.of("valid_binary_acc").direction()).isEqualTo(Mode.MAX);
        assertThat(Monitor.of("valid_auc").direction()).isEqualTo(Mode.MAX);
        assertThat(Monitor.of("valid_loss").direction()).isEqualTo(Mode.MIN);
        assertThat(Monitor.of("train_mae").direction()).isEqualTo(Mode.MIN);
        assertThat(Monitor.of("valid_acc").withMode("min").direction()).isEqualTo(Mode.MIN);
        // a mode set explicitly survives a change of metric; auto is resolved again
        assertThat(Monitor.of("valid_loss").withMode("max").withName("valid_mse").direction())
                .isEqualTo(Mode.MAX);
        assertThat(Monitor.of("valid_loss").withName("valid_acc").direction())
                .isEqualTo(Mode.MAX);
    }

    @Test
    void improvementNeedsMoreThanMinDelta() {
        Monitor min = Monitor.of("valid_loss").withMinDelta(0.05);
        assertThat(min.isImprovement(0.94, 1.0)).isTrue();
        assertThat(min.isImprovement(0.95, 1.0)).isFalse();
        assertThat(min.isImprovement(1.2, 1.0)).isFalse();
        Monitor max = Monitor.of("valid_acc").withMinDelta(0.01);
        assertThat(max.isImprovement(0.92, 0.9)).isTrue();
        assertThat(max.isImprovement(0.905, 0.9)).isFalse();
        Monitor zero = Monitor.of("train_loss").withMode("zero");
        assertThat(zero.isImprovement(-0.1, 0.2)).isTrue();
        assertThat(zero.isImprovement(0.3, -0.2)).isFalse();
    }

    @Test
    void nanNeverImprovesAndAnythingElseBeatsNoReference() {
        Monitor m = Monitor.of("valid_loss");
        assertThat(m.isImprovement(Double.NaN, null)).isFalse();
        assertThat(m.isImprovement(Double.NaN, 1.0)).isFalse();
        assertThat(m.isImprovement(1e9, null)).isTrue();
        assertThat(m.isImprovement(Double.POSITIVE_INFINITY, null)).isTrue();
    }

    @Test
    void argumentErrorsNameTheArgumentAndTheValue() {
        Monitor m = Monitor.of("valid_loss");
        assertThatThrownBy(() -> m.withMinDelta(-0.1))
                .isInstanceOf(LuzjException.class)
                .hasMessage("minDelta must be a finite number >= 0, got -0.1");
        assertThatThrownBy(() -> m.withMode("best"))
                .isInstanceOf(LuzjException.class)
                .hasMessage("mode must be one of min, max, zero, auto, got 'best'");
        assertThatThrownBy(() -> m.withBaseline(Double.NaN))
                .isInstanceOf(LuzjException.class)
                .hasMessage("baseline must be finite, got NaN");
    }
}
