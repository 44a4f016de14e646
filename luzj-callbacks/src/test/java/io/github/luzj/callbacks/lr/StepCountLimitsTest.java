package io.github.luzj.callbacks.lr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.luzj.base.LuzjException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Step counts are checked against their limits, with the limit and the reason in the message. */
class StepCountLimitsTest {

    private static JsonObject stepCase(String steps) {
        return JsonParser.parseString("{\"name\": \"s\", \"optimizer\": {\"name\": \"sgd\", \"lr\": 0.1},"
                + " \"scheduler\": {\"kind\": \"StepLR\", \"args\": {\"step_size\": 3}}, \"steps\": "
                + steps + "}").getAsJsonObject();
    }

    @Test
    void aCaseOfABillionStepsIsRefusedWithTheLimitAndWhy() {
        assertThatThrownBy(() -> ScheduleSpecs.parse(stepCase("1e9")))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("steps must be <= 10,000,000")
                .hasMessageContaining("one CSV row per step")
                .hasMessageContaining("got 1,000,000,000");
        assertThatThrownBy(() -> ScheduleSpecs.parse(stepCase("1e12")))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("an integer between -2,147,483,648 and 2,147,483,647");
        assertThat(ScheduleSpecs.parse(stepCase("1e7")).steps()).isEqualTo(10_000_000);
    }

    @Test
    void oneCycleEpochsTimesStepsMustFitAnInt() {
        assertThatThrownBy(() -> LrSchedulers.oneCycle(0.01).epochs(300_000_000).stepsPerEpoch(469)
                        .resolveTotalSteps())
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("epochs x steps_per_epoch (300000000 x 469) must be <= 2,147,483,647")
                .hasMessageContaining("counts its steps in an int");
        assertThat(LrSchedulers.oneCycle(0.01).epochs(5).stepsPerEpoch(469).resolveTotalSteps())
                .isEqualTo(2345);
    }

    @Test
    void streamingTheSimulationGivesTheTraceItsValues() {
        ScheduleCase c = ScheduleSpecs.parse(JsonParser.parseString(
                "{\"name\": \"oc\", \"optimizer\": {\"name\": \"adam\", \"lr\": 0.001},"
                        + " \"scheduler\": {\"kind\": \"OneCycleLR\", \"args\": {\"max_lr\": 0.01,"
                        + " \"total_steps\": 100}}, \"steps\": 100}").getAsJsonObject());
        ScheduleTrace trace = ScheduleSpecs.simulate(c);
        List<double[]> streamed = new ArrayList<>();
        ScheduleSpecs.simulate(c, (step, lr, momentum) -> streamed.add(new double[] {step, lr[0], momentum[0]}));
        assertThat(streamed).hasSize(100);
        for (int i = 0; i < 100; i++) {
            assertThat(streamed.get(i)[0]).isEqualTo(i);
            assertThat(streamed.get(i)[1]).isEqualTo(trace.lr(i, 0));
            assertThat(streamed.get(i)[2]).isEqualTo(trace.momentum(i, 0));
        }
        assertThat(trace.lr(30, 0)).isGreaterThan(trace.lr(0, 0)); // it warms up: not constant
    }

    @Test
    void anInMemoryTraceOfMillionsOfStepsPointsToTheStreamingForm() {
        ScheduleCase c = ScheduleSpecs.parse(stepCase("5000000"));
        assertThatThrownBy(() -> ScheduleSpecs.simulate(c))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("must be <= 2,000,000")
                .hasMessageContaining("simulate(case, sink)");
    }
}
