package io.github.luzj.lrfinder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import io.github.luzj.callback.Phase;
import io.github.luzj.optim.LuzOptimizer;
import io.github.luzj.optim.Optimizers;
import io.github.luzj.optim.ParamGroup;
import io.github.luzj.testing.FakeContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SweepCallbackTest {

    private NDManager manager;
    private LuzOptimizer optimizer;
    private final AtomicInteger fitBegins = new AtomicInteger();

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
        Map<String, Parameter> params = new LinkedHashMap<>();
        params.put("body_weight", param("body_weight"));
        params.put("head_weight", param("head_weight"));
        optimizer =
                Optimizers.adam()
                        .lr(1e-3)
                        .group("head", n -> n.startsWith("head"), 0.1)
                        .build(params);
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private static Parameter param(String name) {
        return Parameter.builder()
                .setName(name)
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(2))
                .build();
    }

    private SweepCallback sweep(int steps, boolean stopOnDivergence) {
        return new SweepCallback(
                new LrSchedule(1e-4, 0.3, steps, true),
                0.9,
                stopOnDivergence,
                4,
                1e-3,
                ctx -> fitBegins.incrementAndGet());
    }

    /** A context that holds the optimizer under test and the batch manager for the losses. */
    private FakeContext context() {
        FakeContext ctx = new FakeContext();
        ctx.optimizer = optimizer;
        ctx.batchManager = manager;
        return ctx;
    }

    /** Feeds the losses one batch at a time until the callback asks to stop. */
    private int drive(SweepCallback cb, FakeContext ctx, double... losses) {
        cb.on(Phase.FIT_BEGIN, ctx);
        int batches = 0;
        for (double l : losses) {
            cb.on(Phase.TRAIN_BATCH_BEGIN, ctx);
            ctx.loss = manager.create((float) l);
            cb.on(Phase.TRAIN_BATCH_AFTER_LOSS, ctx);
            batches++;
            if (ctx.stopRequested()) {
                break;
            }
        }
        // the sweep's weights are thrown away afterwards: it must never checkpoint them
        assertThat(ctx.checkpoints).isEmpty();
        return batches;
    }

    @Test
    void setsEachStepsRateOnEveryGroupKeepingTheirRatios() {
        SweepCallback cb = sweep(4, false);
        FakeContext ctx = context();
        LrSchedule s = new LrSchedule(1e-4, 0.3, 4, true);
        cb.on(Phase.FIT_BEGIN, ctx);
        for (int k = 1; k <= 4; k++) {
            cb.on(Phase.TRAIN_BATCH_BEGIN, ctx);
            for (ParamGroup g : optimizer.groups()) {
                double factor = g.name().equals("head") ? 0.1 : 1.0;
                assertThat(g.lr()).as("%s at step %d", g.name(), k)
                        .isCloseTo(s.lr(k) * factor, within(1e-15));
            }
            ctx.loss = manager.create(1f);
            cb.on(Phase.TRAIN_BATCH_AFTER_LOSS, ctx);
        }
        assertThat(optimizer.groups()).extracting(ParamGroup::name).contains("head", "default");
        assertThat(fitBegins).hasValue(1);
        assertThat(ctx.checkpoints).isEmpty();
    }

    @Test
    void recordsRatesRawAndSmoothedLossesAndStopsAfterTheLastStep() {
        double[] losses = {2.0, 1.8, 1.5, 1.4, 1.3, 9, 9};
        SweepCallback cb = sweep(5, false);
        FakeContext ctx = context();
        assertThat(drive(cb, ctx, losses)).isEqualTo(5);
        LrFinderResult r = cb.result();
        assertThat(r.stopReason()).isEqualTo(StopReason.COMPLETED);
        assertThat(r.lr()).containsExactly(new LrSchedule(1e-4, 0.3, 5, true).all());
        double[] expected = new double[5];
        for (int k = 0; k < 5; k++) {
            expected[k] = (float) losses[k]; // the loss arrives as float32
        }
        assertThat(r.loss()).containsExactly(expected);
        double[] smooth = LossSmoother.smooth(expected, 0.9);
        assertThat(r.smoothedLoss()).containsExactly(smooth);
    }

    /** The first step at which the smoothed loss exceeds 4 times its running minimum. */
    private static int firstDivergence(double[] losses) {
        double avg = 0;
        double best = Double.POSITIVE_INFINITY;
        for (int k = 1; k <= losses.length; k++) {
            avg = 0.9 * avg + 0.1 * losses[k - 1];
            double s = avg / (1 - Math.pow(0.9, k));
            if (s > 4 * best) {
                return k;
            }
            best = Math.min(best, s);
        }
        return -1;
    }

    @Test
    void stopsWhenTheSmoothedLossDivergesOnlyWhenAsked() {
        double[] losses = new double[40];
        for (int i = 0; i < 40; i++) {
            losses[i] = i < 15 ? 2.0 - 0.1 * i : 0.5 * Math.pow(1.6, i - 15); // a blow-up
        }
        int expected = firstDivergence(losses);
        assertThat(expected).isBetween(20, 39);

        SweepCallback cb = sweep(40, true);
        FakeContext ctx = context();
        assertThat(drive(cb, ctx, losses)).isEqualTo(expected);
        assertThat(cb.result().stopReason()).isEqualTo(StopReason.DIVERGED);
        assertThat(cb.result().steps()).isEqualTo(expected);
        assertThat(ctx.stopReason()).contains("exceeds 4.0 times its minimum");

        SweepCallback patient = sweep(40, false);
        FakeContext ctx2 = context();
        assertThat(drive(patient, ctx2, losses)).isEqualTo(40);
        assertThat(patient.result().stopReason()).isEqualTo(StopReason.COMPLETED);
    }

    @Test
    void aNegativeLossDivergesOnlyWhenItRisesByThreeTimesItsSize() {
        // a negative log-likelihood falling from -2 to -3: no divergence (factor x minimum would
        // have stopped at the first step, -2 > 4 x -2)
        double[] falling = new double[20];
        for (int i = 0; i < 20; i++) {
            falling[i] = -2.0 - 0.05 * i;
        }
        SweepCallback cb = sweep(20, true);
        assertThat(drive(cb, context(), falling)).isEqualTo(20);
        assertThat(cb.result().stopReason()).isEqualTo(StopReason.COMPLETED);
        // then rising far above its minimum: stopped, saying by how much
        double[] rising = new double[40];
        for (int i = 0; i < 40; i++) {
            rising[i] = i < 10 ? -2.0 : -2.0 + Math.pow(1.5, i - 10);
        }
        SweepCallback up = sweep(40, true);
        FakeContext ctx = context();
        assertThat(drive(up, ctx, rising)).isLessThan(40);
        assertThat(up.result().stopReason()).isEqualTo(StopReason.DIVERGED);
        assertThat(ctx.stopReason()).contains("raised by 3.0 times its size");
    }

    @Test
    void aNonFiniteLossEndsTheSweepAndIsKeptAsTheLastStep() {
        SweepCallback cb = sweep(10, false);
        FakeContext ctx = context();
        assertThat(drive(cb, ctx, 1.0, 0.9, 0.8, Double.POSITIVE_INFINITY, 0.5, 0.4)).isEqualTo(4);
        LrFinderResult r = cb.result();
        assertThat(r.stopReason()).isEqualTo(StopReason.NON_FINITE_LOSS);
        assertThat(r.steps()).isEqualTo(4);
        assertThat(r.finiteSteps()).isEqualTo(3);
        assertThat(r.loss()[3]).isInfinite();
        assertThat(ctx.stopReason()).contains("Infinity");
    }

    @Test
    void fitBeginResetsSoOneCallbackServesTwoSweeps() {
        SweepCallback cb = sweep(3, false);
        drive(cb, context(), 5, 4, 3);
        drive(cb, context(), 1, 1, 1);
        assertThat(cb.result().loss()).containsExactly(1, 1, 1);
        assertThat(cb.result().smoothedLoss()[0]).isEqualTo(1.0);
        assertThat(fitBegins).hasValue(2);
    }
}
