package io.github.luzj.vision.models;

import ai.djl.nn.Parameter;
import io.github.luzj.base.Checks;
import io.github.luzj.data.FloatTensor;
import io.github.luzj.weights.StateDict;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link ResNet18}'s weights as torchvision's {@code resnet18().state_dict()} holds them: the
 * same 122 names in the same order for the 1000-class head ({@code conv1.weight},
 * {@code bn1.weight}, {@code bn1.bias}, {@code bn1.running_mean}, {@code bn1.running_var},
 * {@code bn1.num_batches_tracked}, ..., {@code fc.bias}), parameters and running statistics as
 * {@code F32} and each BatchNorm's {@code num_batches_tracked} as an {@code I64} scalar, so that
 * {@code model.load_state_dict(...)} in PyTorch accepts it with {@code strict=True}.
 *
 * <pre>{@code
 * StateDict sd = ResNet18StateDict.of(net, stepsTrained);
 * SafetensorsWriter.write(sd, Path.of("resnet18.safetensors"));
 * }</pre>
 */
public final class ResNet18StateDict {

    /** Floats hold every whole number up to 2^24 exactly; the counter is stored through one. */
    private static final long MAX_BATCHES = 1L << 24;

    private static final String RUNNING_VAR = ".running_var";

    private ResNet18StateDict() {}

    /**
     * Copies the weights with a {@code num_batches_tracked} of 0, as a freshly built torchvision
     * network has.
     *
     * @param net an initialized network
     * @return the state dict, on the host
     */
    public static StateDict of(ResNet18 net) {
        return of(net, 0);
    }

    /**
     * Copies the weights, recording {@code batchesTracked} as every BatchNorm's
     * {@code num_batches_tracked}: the number of training batches the statistics have seen.
     * luzj's BatchNorm uses a fixed momentum and does not count them, so the caller says.
     *
     * @param net an initialized network
     * @param batchesTracked training batches seen, in {@code [0, 2^24]}
     * @return the state dict, on the host
     */
    public static StateDict of(ResNet18 net, long batchesTracked) {
        Checks.check(net != null, "network is null; pass an initialized ResNet18");
        Checks.check(
                batchesTracked >= 0 && batchesTracked <= MAX_BATCHES,
                "batchesTracked must be in [0, %d], got %d; pass the number of training batches",
                MAX_BATCHES,
                batchesTracked);
        Map<String, StateDict.Entry> out = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : net.torchvisionParameters().entrySet()) {
            Parameter p = e.getValue();
            Checks.check(
                    p.isInitialized(),
                    "ResNet18 parameter %s is not initialized; fit the network or call"
                            + " initialize(...) before saving it",
                    e.getKey());
            float[] values = p.getArray().toFloatArray();
            long[] shape = p.getArray().getShape().getShape();
            out.put(e.getKey(), new StateDict.Entry("F32", new FloatTensor(values, shape)));
            if (e.getKey().endsWith(RUNNING_VAR)) {
                // torchvision's order: weight, bias, running_mean, running_var, num_batches_tracked
                String module = e.getKey().substring(0, e.getKey().length() - RUNNING_VAR.length());
                out.put(module + ".num_batches_tracked",
                        new StateDict.Entry("I64", FloatTensor.scalar(batchesTracked)));
            }
        }
        return new StateDict(out);
    }
}
