package io.github.luzj.fit.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import java.lang.reflect.Field;
import java.util.Map;

/**
 * A DJL {@link BatchNorm} over axis 1 as one call of LibTorch's batch norm, the call DJL's own
 * forward ends in.
 *
 * <p>Why: for any axis but -1, DJL 0.36's PyTorch engine wraps that call in two transposes of
 * axis 1 with itself, a sub-manager and two re-attachments, to move the axis to where LibTorch
 * normalizes; for axis 1, the only axis a 4-D convnet's batch norm uses, the transposes are
 * no-ops that still cost two native calls and two autograd nodes each way, on every batch norm of
 * every batch. The result is the same native call on the same arrays, so the same floats bit for
 * bit.
 *
 * <p>DJL keeps the axis, epsilon and momentum private and has no getters for them, so they are
 * read from its fields once, when the pass is planned; when that fails (another DJL version) or
 * the axis is not 1, the block runs its own forward.
 */
final class DirectBatchNorm {

    private DirectBatchNorm() {}

    /**
     * The direct stage of {@code norm}, or null to run its own forward.
     *
     * @param norm a batch norm of DJL's own class (not a subclass, which may compute otherwise)
     * @param ps the parameter store the block reads its parameters from
     * @param training whether the pass trains (batch statistics, running ones updated)
     * @return the stage, or null
     */
    static ForwardPass.Stage stage(BatchNorm norm, ParameterStore ps, boolean training) {
        if (norm.getClass() != BatchNorm.class) {
            return null;
        }
        Map<String, Parameter> p = norm.getParameters().toMap();
        Parameter gamma = p.get("gamma");
        Parameter beta = p.get("beta");
        Parameter mean = p.get("runningMean");
        Parameter var = p.get("runningVar");
        Number axis = field(norm, "axis");
        Number epsilon = field(norm, "epsilon");
        Number momentum = field(norm, "momentum");
        if (gamma == null || beta == null || mean == null || var == null
                || axis == null || epsilon == null || momentum == null || axis.intValue() != 1) {
            return null;
        }
        // DJL's momentum is the running statistics' weight, PyTorch's the new batch's
        double torchMomentum = 1f - momentum.floatValue();
        double eps = epsilon.floatValue();
        return x -> {
            NDArray in = x.singletonOrThrow();
            if (!(in instanceof PtNDArray) || in.getShape().dimension() < 2) {
                return norm.forward(ps, x, training);
            }
            var device = in.getDevice();
            return new NDList(JniUtils.batchNorm(
                    (PtNDArray) in,
                    (PtNDArray) ps.getValue(mean, device, training),
                    (PtNDArray) ps.getValue(var, device, training),
                    (PtNDArray) ps.getValue(gamma, device, training),
                    (PtNDArray) ps.getValue(beta, device, training),
                    training,
                    torchMomentum,
                    eps));
        };
    }

    private static Number field(BatchNorm norm, String name) {
        try {
            Field f = BatchNorm.class.getDeclaredField(name);
            f.setAccessible(true);
            return f.get(norm) instanceof Number n ? n : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
