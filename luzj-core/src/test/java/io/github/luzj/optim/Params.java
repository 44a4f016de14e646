package io.github.luzj.optim;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import io.github.luzj.data.ChannelsLastWeights;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Test parameters with chosen gradients: {@code backward} runs autograd on
 * {@code sum(grad * w)}, whose derivative with respect to {@code w} is {@code grad}.
 */
final class Params implements AutoCloseable {

    final NDManager manager = NDManager.newBaseManager(Device.cpu());
    final Map<String, Parameter> byName = new LinkedHashMap<>();

    Parameter add(String name, float... values) {
        return add(name, DataType.FLOAT32, values);
    }

    Parameter add(String name, DataType type, float... values) {
        return register(name, manager.create(values).toType(type, false));
    }

    /**
     * Adds a 4-D parameter laid out channels-last ({@code [out, kh, kw, in]} in memory), as
     * the fit loop creates convolution kernels; its gradients come out in that layout too.
     */
    Parameter addChannelsLast(String name, Shape shape, float... values) {
        try (NDArray dense = manager.create(values, shape)) {
            return register(name, ChannelsLastWeights.copyOf(dense));
        }
    }

    private Parameter register(String name, NDArray array) {
        array.setRequiresGradient(true);
        Parameter p =
                Parameter.builder()
                        .setName(name)
                        .setType(Parameter.Type.WEIGHT)
                        .optArray(array)
                        .optRequiresGrad(true)
                        .build();
        byName.put(name, p);
        return p;
    }

    /** Sets {@code p}'s gradient to {@code grad}; the optimizer's step zeroes it again. */
    void backward(Parameter p, float... grad) {
        backward(Map.of(p, grad));
    }

    void backward(Map<Parameter, float[]> grads) {
        try (NDManager step = manager.newSubManager();
                GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray loss = null;
            for (Map.Entry<Parameter, float[]> e : grads.entrySet()) {
                // g first, so that every temporary lands in the step's manager
                NDArray w = e.getKey().getArray();
                NDArray term = step.create(e.getValue(), w.getShape()).mul(w).sum();
                loss = loss == null ? term : loss.add(term);
            }
            gc.backward(loss);
        }
    }

    static float[] values(Parameter p) {
        return p.getArray().toFloatArray();
    }

    @Override
    public void close() {
        manager.close();
    }
}
