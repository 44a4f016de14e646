package io.github.luzj.fit.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Pair;
import io.github.luzj.base.GradMode;
import java.util.ArrayList;
import java.util.List;

/**
 * A copy, on the device, of every parameter array of a block: weights and biases, and the
 * arrays that take no gradient such as BatchNorm's running mean and variance. Restoring copies
 * the values back into the same arrays, so the optimizer, the parameter store and anyone else
 * holding them keep valid references. Taking and restoring are one device copy per parameter:
 * no serialization, no host round trip. The LR finder puts a model back with it after its sweep,
 * the fit loop after a resume that failed before its first batch.
 */
public final class ParameterSnapshot implements AutoCloseable {

    private final NDManager manager;
    private final List<Parameter> parameters = new ArrayList<>();
    private final List<NDArray> copies = new ArrayList<>();

    private ParameterSnapshot(NDManager manager) {
        this.manager = manager;
    }

    /**
     * Copies every initialized parameter of {@code block}.
     *
     * @param block the network, initialized
     * @param parent the manager under which the copies live until {@link #close()}
     * @param name the copies' manager's name, which says whose they are in a leak report
     * @return the snapshot
     */
    public static ParameterSnapshot take(Block block, NDManager parent, String name) {
        ParameterSnapshot s = new ParameterSnapshot(parent.newSubManager());
        s.manager.setName(name);
        try (GradMode ignored = GradMode.off()) {
            for (Pair<String, Parameter> p : block.getParameters()) {
                Parameter param = p.getValue();
                if (!param.isInitialized()) {
                    continue;
                }
                NDArray copy = param.getArray().duplicate();
                copy.attach(s.manager);
                s.parameters.add(param);
                s.copies.add(copy);
            }
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    /**
     * Writes the saved values back into the parameters' own arrays and zeroes their gradients,
     * which a sweep interrupted between backward pass and optimizer step could leave behind.
     */
    public void restore() {
        // an in-place write into a leaf that takes gradients is refused while autograd records
        try (GradMode ignored = GradMode.off()) {
            restoreValues();
        }
    }

    private void restoreValues() {
        for (int i = 0; i < parameters.size(); i++) {
            NDArray target = parameters.get(i).getArray();
            copyInto(target, copies.get(i));
            if (target instanceof PtNDArray pt && target.hasGradient()) {
                JniUtils.zeroGrad(pt);
            }
        }
    }

    /**
     * Copies {@code source}'s values into {@code target} on the device ({@code target[...] =
     * source}), whatever {@code target} holds, NaN included (unlike {@code 0 * t + s}).
     *
     * @param target the array to overwrite
     * @param source the values, same shape and type
     */
    static void copyInto(NDArray target, NDArray source) {
        target.set(new NDIndex("..."), source);
    }

    /**
     * Returns the number of parameters saved.
     *
     * @return the count
     */
    int size() {
        return parameters.size();
    }

    /** Frees the copies. */
    @Override
    public void close() {
        manager.close();
    }
}
