package io.github.luzj.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.nn.Parameter;
import io.github.luzj.base.LuzjException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Saving and restoring the optimizer state for checkpoints. */
class StateTest {

    private static final float[] A0 = {0.3f, -1.2f, 2.5f};
    private static final float[] B0 = {0.7f, 0.1f};

    private static OptimizerSpec adamTwoGroups() {
        return Optimizers.adam().lr(0.01).weightDecay(1e-3).group("head", n -> n.equals("b"), 0.5);
    }

    private static OptimizerSpec sgdNesterov() {
        return Optimizers.sgd().lr(0.05).momentum(0.9).nesterov(true).weightDecay(1e-2);
    }

    private static float[] grad(int step, int size, float offset) {
        float[] g = new float[size];
        for (int i = 0; i < size; i++) {
            g[i] = (float) Math.sin(1.7 * step + 0.9 * i + offset) * (i + 1);
        }
        return g;
    }

    private static void train(Params params, LuzOptimizer opt, int from, int to) {
        Parameter a = params.byName.get("a");
        Parameter b = params.byName.get("b");
        for (int t = from; t < to; t++) {
            Map<Parameter, float[]> grads = new LinkedHashMap<>();
            grads.put(a, grad(t, 3, 0f));
            grads.put(b, grad(t, 2, 0.5f));
            opt.groups().get(0).setLr(0.01 + 0.001 * t); // as a scheduler would
            opt.groups().get(0).setMomentum(0.85 + 0.01 * (t % 3));
            params.backward(grads);
            opt.step();
        }
    }

    private static byte[] save(LuzOptimizer opt) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            opt.saveState(out);
        }
        return bytes.toByteArray();
    }

    private static void load(LuzOptimizer opt, byte[] state) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(state))) {
            opt.loadState(in);
        }
    }

    @Test
    void adamStateRoundTripIsBitwiseAndResumesExactly() throws IOException {
        assertResumesExactly(adamTwoGroups());
    }

    @Test
    void sgdStateRoundTripIsBitwiseAndResumesExactly() throws IOException {
        assertResumesExactly(sgdNesterov());
    }

    private static void assertResumesExactly(OptimizerSpec spec) throws IOException {
        try (Params first = new Params();
                Params second = new Params()) {
            first.add("a", A0);
            first.add("b", B0);
            try (LuzOptimizer original = spec.build(first.byName)) {
                train(first, original, 0, 4);
                byte[] saved = save(original);

                // a fresh model holding the checkpointed weights, and a fresh optimizer
                second.add("a", Params.values(first.byName.get("a")));
                second.add("b", Params.values(first.byName.get("b")));
                try (LuzOptimizer restored = spec.build(second.byName)) {
                    load(restored, saved);
                    assertThat(save(restored)).isEqualTo(saved);
                    for (int i = 0; i < original.groups().size(); i++) {
                        ParamGroup o = original.groups().get(i);
                        ParamGroup r = restored.groups().get(i);
                        assertThat(r.lr()).isEqualTo(o.lr());
                        assertThat(r.momentum()).isEqualTo(o.momentum());
                        assertThat(r.beta2()).isEqualTo(o.beta2());
                        assertThat(r.eps()).isEqualTo(o.eps());
                        assertThat(r.weightDecay()).isEqualTo(o.weightDecay());
                    }

                    train(first, original, 4, 8);
                    train(second, restored, 4, 8);
                    for (String name : new String[] {"a", "b"}) {
                        assertThat(Params.values(second.byName.get(name)))
                                .as(name)
                                .isEqualTo(Params.values(first.byName.get(name)));
                    }
                    assertThat(save(restored)).isEqualTo(save(original));
                }
            }
        }
    }

    @Test
    void stateIsEmptyBeforeTheFirstStepAndRoundTrips() throws IOException {
        try (Params params = new Params()) {
            params.add("a", A0);
            params.add("b", B0);
            try (LuzOptimizer opt = adamTwoGroups().build(params.byName)) {
                byte[] saved = save(opt);
                load(opt, saved);
                assertThat(opt.states().values()).allMatch(s -> s.step == 0 && s.expAvg == null);
                assertThat(save(opt)).isEqualTo(saved);
            }
        }
    }

    @Test
    void hyperparametersAreRestored() throws IOException {
        try (Params params = new Params()) {
            params.add("a", A0);
            params.add("b", B0);
            try (LuzOptimizer opt = adamTwoGroups().build(params.byName)) {
                ParamGroup head = opt.groups().get(0);
                head.setLr(0.123);
                head.setMomentum(0.8);
                head.setBeta2(0.99);
                head.setEps(1e-6);
                head.setWeightDecay(0.25);
                byte[] saved = save(opt);
                head.setLr(1);
                head.setMomentum(0);
                head.setBeta2(0);
                head.setEps(0);
                head.setWeightDecay(0);
                load(opt, saved);
                assertThat(head.lr()).isEqualTo(0.123);
                assertThat(head.momentum()).isEqualTo(0.8);
                assertThat(head.beta2()).isEqualTo(0.99);
                assertThat(head.eps()).isEqualTo(1e-6);
                assertThat(head.weightDecay()).isEqualTo(0.25);
            }
        }
    }

    @Test
    void loadingReplacesStateWithoutKeepingArrays() throws IOException {
        try (Params params = new Params()) {
            params.add("a", A0);
            params.add("b", B0);
            try (LuzOptimizer opt = adamTwoGroups().build(params.byName)) {
                train(params, opt, 0, 2);
                byte[] saved = save(opt);
                int before = params.manager.getManagedArrays().size();
                for (int i = 0; i < 5; i++) {
                    load(opt, saved);
                }
                assertThat(params.manager.getManagedArrays()).hasSize(before);
            }
        }
    }

    @Test
    void otherParameterNamesAreRejected() throws IOException {
        byte[] saved = trainedState(sgdNesterov(), "a", "b");
        try (Params params = new Params()) {
            params.add("a", A0);
            params.add("c", B0);
            try (LuzOptimizer opt = sgdNesterov().build(params.byName)) {
                assertThatThrownBy(() -> load(opt, saved))
                        .isInstanceOf(LuzjException.class)
                        .hasMessageContaining("optimizer state does not match the model")
                        .hasMessageContaining("parameter 1 of group 'default' is 'b' in the saved"
                                + " state but 'c' in the model");
            }
        }
    }

    @Test
    void missingParameterIsRejected() throws IOException {
        byte[] saved = trainedState(sgdNesterov(), "a", "b");
        try (Params params = new Params()) {
            params.add("a", A0);
            try (LuzOptimizer opt = sgdNesterov().build(params.byName)) {
                assertThatThrownBy(() -> load(opt, saved))
                        .isInstanceOf(LuzjException.class)
                        .hasMessageContaining("is 'b' in the saved state but nothing in the model")
                        .hasMessageContaining("2 saved, 1 in the model");
            }
        }
    }

    @Test
    void otherShapesAreRejectedAndNothingChanges() throws IOException {
        byte[] saved = trainedState(adamTwoGroups(), "a", "b");
        try (Params params = new Params()) {
            params.add("a", A0);
            params.add("b", 1f, 2f, 3f);
            try (LuzOptimizer opt = adamTwoGroups().build(params.byName)) {
                train3(params, opt);
                byte[] before = save(opt);
                assertThatThrownBy(() -> load(opt, saved))
                        .isInstanceOf(LuzjException.class)
                        .hasMessageContaining(
                                "parameter 'b' of group 'head' has shape (2) in the saved state"
                                        + " but (3) in the model");
                assertThat(save(opt)).isEqualTo(before);
            }
        }
    }

    private static void train3(Params params, LuzOptimizer opt) {
        Map<Parameter, float[]> grads = new LinkedHashMap<>();
        grads.put(params.byName.get("a"), grad(0, 3, 0f));
        grads.put(params.byName.get("b"), grad(0, 3, 1f));
        params.backward(grads);
        opt.step();
    }

    @Test
    void otherKindIsRejected() throws IOException {
        byte[] saved = trainedState(sgdNesterov(), "a", "b");
        try (Params params = new Params()) {
            params.add("a", A0);
            params.add("b", B0);
            try (LuzOptimizer opt = Optimizers.adam().build(params.byName)) {
                assertThatThrownBy(() -> load(opt, saved))
                        .isInstanceOf(LuzjException.class)
                        .hasMessageContaining("saved by SGD but this optimizer is ADAM");
            }
        }
    }

    @Test
    void otherGroupsAreRejected() throws IOException {
        byte[] saved = trainedState(adamTwoGroups(), "a", "b");
        try (Params params = new Params()) {
            params.add("a", A0);
            params.add("b", B0);
            try (LuzOptimizer opt = Optimizers.adam().build(params.byName)) {
                assertThatThrownBy(() -> load(opt, saved))
                        .isInstanceOf(LuzjException.class)
                        .hasMessageContaining(
                                "has parameter groups [head, default] but this optimizer has"
                                        + " [default]");
            }
        }
    }

    @Test
    void foreignAndTruncatedStreamsAreRejected() throws IOException {
        byte[] saved = trainedState(adamTwoGroups(), "a", "b");
        try (Params params = new Params()) {
            params.add("a", A0);
            params.add("b", B0);
            try (LuzOptimizer opt = adamTwoGroups().build(params.byName)) {
                assertThatThrownBy(() -> load(opt, "PK\u0003\u0004zip".getBytes("ISO-8859-1")))
                        .isInstanceOf(LuzjException.class)
                        .hasMessageContaining("not a luzj optimizer state");
                assertThatThrownBy(() -> load(opt, Arrays.copyOf(saved, saved.length - 3)))
                        .isInstanceOf(LuzjException.class)
                        .hasMessageContaining("truncated");
            }
        }
    }

    private static byte[] trainedState(OptimizerSpec spec, String... names) throws IOException {
        try (Params params = new Params()) {
            params.add(names[0], A0);
            params.add(names[1], B0);
            try (LuzOptimizer opt = spec.build(params.byName)) {
                Map<Parameter, float[]> grads = new LinkedHashMap<>();
                grads.put(params.byName.get(names[0]), grad(0, 3, 0f));
                grads.put(params.byName.get(names[1]), grad(0, 2, 0f));
                params.backward(grads);
                opt.step();
                return save(opt);
            }
        }
    }
}
