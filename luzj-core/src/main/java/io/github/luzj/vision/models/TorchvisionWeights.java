package io.github.luzj.vision.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import io.github.luzj.base.LuzjException;
import io.github.luzj.data.ChannelsLastWeights;
import io.github.luzj.weights.StateDict;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Copies a torchvision {@code state_dict} into a {@link ResNet18}, by torchvision's names, after
 * checking all of it: every missing, unexpected or wrongly shaped tensor is reported in one
 * {@link LuzjException}. BatchNorm's {@code num_batches_tracked} is accepted and ignored (it only
 * matters for PyTorch's cumulative-average momentum, which torchvision does not use).
 */
final class TorchvisionWeights {

    private static final String BATCHES_TRACKED = ".num_batches_tracked";

    private TorchvisionWeights() {}

    /**
     * Translates a DJL parameter path of {@link ResNet18} into torchvision's name.
     *
     * @param path such as {@code layer1_0_bn1_gamma}
     * @return such as {@code layer1.0.bn1.weight}
     */
    static String torchvisionName(String path) {
        int cut = path.lastIndexOf('_');
        String module = path.substring(0, cut).replace('_', '.');
        String param =
                switch (path.substring(cut + 1)) {
                    case "gamma" -> "weight";
                    case "beta" -> "bias";
                    case "runningMean" -> "running_mean";
                    case "runningVar" -> "running_var";
                    default -> path.substring(cut + 1);
                };
        return module + "." + param;
    }

    /**
     * Checks {@code sd} against the network, then copies every tensor into its parameter.
     *
     * @param net an initialized network
     * @param sd the weights
     * @param source where they come from, for messages
     */
    static void load(ResNet18 net, StateDict sd, String source) {
        Map<String, Parameter> expected = net.torchvisionParameters();
        List<String> missing = new ArrayList<>();
        List<String> wrongShape = new ArrayList<>();
        for (Map.Entry<String, Parameter> e : expected.entrySet()) {
            if (!sd.contains(e.getKey())) {
                missing.add(e.getKey());
                continue;
            }
            long[] fileShape = sd.get(e.getKey()).tensor().shape();
            Shape modelShape = e.getValue().getArray().getShape();
            if (!Arrays.equals(fileShape, modelShape.getShape())) {
                wrongShape.add(e.getKey() + " is " + Arrays.toString(fileShape) + " in the file but "
                        + Arrays.toString(modelShape.getShape()) + " in the model");
            }
        }
        Set<String> batchNorms = new HashSet<>();
        for (String name : expected.keySet()) {
            if (name.endsWith(".running_mean")) {
                batchNorms.add(name.substring(0, name.length() - ".running_mean".length()));
            }
        }
        List<String> unexpected = new ArrayList<>();
        for (String name : sd.names()) {
            boolean tracked = name.endsWith(BATCHES_TRACKED)
                    && batchNorms.contains(name.substring(0, name.length() - BATCHES_TRACKED.length()));
            if (!expected.containsKey(name) && !tracked) {
                unexpected.add(name);
            }
        }
        if (!missing.isEmpty() || !unexpected.isEmpty() || !wrongShape.isEmpty()) {
            throw new LuzjException(problems(source, missing, unexpected, wrongShape));
        }
        for (Map.Entry<String, Parameter> e : expected.entrySet()) {
            NDArray target = e.getValue().getArray();
            try (NDArray values = target.getManager().create(sd.get(e.getKey()).tensor().data(), target.getShape())) {
                ChannelsLastWeights.copyInto(target, values);
            }
        }
    }

    private static String problems(
            String source, List<String> missing, List<String> unexpected, List<String> wrongShape) {
        int count = missing.size() + unexpected.size() + wrongShape.size();
        StringBuilder sb = new StringBuilder();
        sb.append("cannot load ").append(source).append(" into ResNet18: ").append(count)
                .append(count == 1 ? " problem" : " problems");
        if (!missing.isEmpty()) {
            sb.append("; missing ").append(missing.size()).append(": ").append(missing);
        }
        if (!unexpected.isEmpty()) {
            sb.append("; unexpected ").append(unexpected.size()).append(": ").append(unexpected);
        }
        if (!wrongShape.isEmpty()) {
            sb.append("; wrong shape ").append(wrongShape.size()).append(": ").append(wrongShape);
        }
        sb.append("; the file must hold torchvision's resnet18 state_dict (names like conv1.weight,"
                + " layer1.0.bn1.running_mean, fc.bias)");
        return sb.toString();
    }
}
