package io.github.luzj.optim;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.nn.Parameter;
import io.github.luzj.base.LuzjException;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** Bad hyperparameters fail with a message that names the argument and the value received. */
class ValidationTest {

    private static void fails(ThrowingCallable call, String... fragments) {
        var assertion = assertThatThrownBy(call).isInstanceOf(LuzjException.class);
        for (String f : fragments) {
            assertion.hasMessageContaining(f);
        }
    }

    @Test
    void learningRateMustBeFiniteAndPositive() {
        fails(() -> Optimizers.adam().lr(0), "lr must be a finite number > 0, got 0.0");
        fails(() -> Optimizers.sgd().lr(-0.1), "lr must be a finite number > 0, got -0.1");
        fails(() -> Optimizers.adamW().lr(Double.NaN), "lr must be a finite number > 0, got NaN");
        fails(
                () -> Optimizers.adam().lr(Double.POSITIVE_INFINITY),
                "lr must be a finite number > 0, got Infinity");
    }

    @Test
    void betasMustBeInUnitInterval() {
        fails(() -> Optimizers.adam().betas(1.0, 0.999), "beta1 must be in [0, 1), got 1.0");
        fails(() -> Optimizers.adam().betas(-0.1, 0.999), "beta1 must be in [0, 1), got -0.1");
        fails(() -> Optimizers.adam().betas(0.9, Double.NaN), "beta2 must be in [0, 1), got NaN");
        fails(() -> Optimizers.adamW().betas(0.9, 1.5), "beta2 must be in [0, 1), got 1.5");
    }

    @Test
    void epsAndWeightDecayAreChecked() {
        fails(() -> Optimizers.adam().eps(0), "eps must be a finite number > 0, got 0.0");
        fails(
                () -> Optimizers.adam().eps(Double.NaN),
                "eps must be a finite number > 0, got NaN");
        fails(
                () -> Optimizers.sgd().weightDecay(-1e-4),
                "weight_decay must be a finite number >= 0, got -1.0E-4");
        fails(
                () -> Optimizers.adamW().weightDecay(Double.POSITIVE_INFINITY),
                "weight_decay must be a finite number >= 0, got Infinity");
    }

    @Test
    void sgdMomentumAndDampeningAreChecked() {
        fails(() -> Optimizers.sgd().momentum(1), "momentum must be in [0, 1), got 1.0");
        fails(() -> Optimizers.sgd().momentum(-0.5), "momentum must be in [0, 1), got -0.5");
        fails(() -> Optimizers.sgd().dampening(1.5), "dampening must be in [0, 1], got 1.5");
    }

    @Test
    void nesterovNeedsMomentumAndNoDampening() {
        Map<String, Parameter> none = Map.of();
        fails(
                () -> Optimizers.sgd().nesterov(true).build(none),
                "nesterov needs momentum > 0 and dampening 0, got momentum 0.0, dampening 0.0",
                "nesterov(false)");
        fails(
                () -> Optimizers.sgd().momentum(0.9).dampening(0.1).nesterov(true).build(none),
                "got momentum 0.9, dampening 0.1");
    }

    @Test
    void optionsOfTheOtherKindAreRejected() {
        fails(
                () -> Optimizers.adam().momentum(0.9),
                "momentum applies to SGD, not to ADAM",
                "betas");
        fails(
                () -> Optimizers.sgd().betas(0.9, 0.99),
                "betas applies to Adam and AdamW, not to SGD");
    }

    @Test
    void groupsAreChecked() {
        fails(
                () -> Optimizers.adam().group("head", n -> true, 0),
                "lrFactor of group 'head' must be a finite number > 0, got 0.0");
        fails(
                () -> Optimizers.adam().group("default", n -> true, 1),
                "group name 'default' is taken");
        fails(() -> Optimizers.adam().group(" ", n -> true, 1), "group name must be a non-blank");
        fails(() -> Optimizers.adam().group("head", null, 1), "selects of group 'head'", "null");
    }

    @Test
    void liveHyperparametersAreChecked() {
        try (Params params = new Params()) {
            params.add("w", 1f);
            try (LuzOptimizer adam = Optimizers.adam().build(params.byName);
                    LuzOptimizer sgd = Optimizers.sgd().build(params.byName)) {
                ParamGroup a = adam.groups().get(0);
                ParamGroup s = sgd.groups().get(0);
                fails(
                        () -> a.setLr(-1),
                        "learning rate of group 'default' must be finite and >= 0, got -1.0");
                fails(() -> a.setLr(Double.NaN), "got NaN");
                fails(
                        () -> a.setMomentum(1),
                        "beta1 of group 'default' must be in [0, 1), got 1.0");
                fails(() -> s.setMomentum(-0.1), "momentum of group 'default' must be in [0, 1)");
                fails(() -> a.setBeta2(1), "beta2 of group 'default' must be in [0, 1), got 1.0");
                fails(() -> a.setEps(-1e-8), "eps of group 'default' must be finite and >= 0");
                fails(
                        () -> a.setWeightDecay(Double.NaN),
                        "weight decay of group 'default' must be finite and >= 0, got NaN");
            }
        }
    }
}
