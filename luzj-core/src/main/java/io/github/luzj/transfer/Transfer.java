package io.github.luzj.transfer;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ModelException;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.repository.zoo.Criteria;
import ai.djl.util.Utils;
import io.github.luzj.Luz;
import io.github.luzj.base.LuzjException;
import io.github.luzj.vision.models.ResNet18;
import io.github.luzj.vision.models.TorchScriptTransfer;
import io.github.luzj.base.Checks;
import io.github.luzj.base.TorchScriptArchive;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Entry points for transfer learning with a pretrained ResNet-18, by either route, each returning
 * a model with a new {@code classes}-way head and the backbone frozen (the chapter's
 * {@code resnet$fc <- nn_linear(resnet$fc$in_features, 10)} after freezing):
 *
 * <pre>{@code
 * // route 1: a TorchScript feature extractor (a local file, or DJL's model zoo when online)
 * try (TorchScriptTransfer net = Transfer.torchScript(Path.of("resnet18_embedding.pt"), 10)) {
 *     Luz.setup(net, Loss.softmaxCrossEntropyLoss(), Optimizers.adam()).fit(train, 3, valid);
 * }
 * // route 2: luzj's own ResNet-18 with torchvision weights (.safetensors or .pth)
 * try (NDManager manager = NDManager.newBaseManager()) {
 *     ResNet18 net = Transfer.resnet18(Path.of("resnet18.safetensors"), 10, manager);
 *     Luz.setup(net, Loss.softmaxCrossEntropyLoss(), Optimizers.adam()).fit(train, 3, valid);
 * }
 * }</pre>
 */
public final class Transfer {

    /** DJL's model-zoo address of the TorchScript ResNet-18 without {@code fc}. */
    public static final String ZOO_RESNET18_EMBEDDING = "djl://ai.djl.pytorch/resnet18_embedding";

    private Transfer() {}

    /**
     * Loads torchvision ResNet-18 weights into luzj's native block, replaces the head and
     * freezes the rest (route 2).
     *
     * @param weights a {@code .safetensors} or {@code .pth} torchvision state dict
     * @param classes the new head's output size
     * @param manager owns the parameters; its device is the model's
     * @return the network
     */
    public static ResNet18 resnet18(Path weights, int classes, NDManager manager) {
        Checks.notNull("weights", weights, "pass the torchvision ResNet-18 weight file");
        Checks.atLeast("classes", classes, 1); // before 45 MB of weights are read for nothing
        ResNet18 net = ResNet18.pretrained(weights, manager);
        net.replaceHead(classes);
        net.freeze();
        return net;
    }

    /**
     * Loads a TorchScript feature extractor onto luzj's default device (a GPU when DJL sees one)
     * and adds a head (route 1).
     *
     * @param fileOrFolder the TorchScript file, or a folder with exactly one {@code .pt} file
     * @param classes the head's output size
     * @return the model; close it to free the module
     */
    public static TorchScriptTransfer torchScript(Path fileOrFolder, int classes) {
        return torchScript(fileOrFolder, classes, Luz.defaultDevice());
    }

    /**
     * Loads a TorchScript feature extractor from a {@code .pt} file, or from a folder holding one,
     * and adds a head (route 1).
     *
     * @param fileOrFolder the TorchScript file, or a folder with exactly one {@code .pt} file
     * @param classes the head's output size
     * @param device where the module runs
     * @return the model; close it to free the module
     */
    public static TorchScriptTransfer torchScript(Path fileOrFolder, int classes, Device device) {
        Checks.notNull("fileOrFolder", fileOrFolder, "pass the TorchScript file or its folder");
        Path file = torchScriptFile(fileOrFolder);
        TorchScriptArchive.check(file);
        Model model = Model.newInstance(fileName(file), device, "PyTorch");
        try {
            // trainParam: load ordinary tensors, which can be unfrozen; luzj freezes them itself
            model.load(file, null, Map.of("trainParam", "true"));
            return new TorchScriptTransfer(model, classes);
        } catch (IOException | MalformedModelException | EngineException e) {
            model.close();
            throw new LuzjException(
                    "cannot load TorchScript model " + file + ": " + e.getMessage()
                            + "; pass a file written by torch.jit.trace or torch.jit.script", e);
        } catch (LuzjException e) {
            model.close();
            throw e;
        } catch (RuntimeException e) {
            // libtorch's loader reports a damaged archive in many ways; each is the file's fault
            model.close();
            throw new LuzjException(
                    "cannot load TorchScript model " + file + " (" + e + "); pass a file written"
                            + " by torch.jit.trace or torch.jit.script", e);
        }
    }

    /**
     * Loads DJL's model-zoo {@code resnet18_embedding} onto luzj's default device and adds a head
     * (route 1).
     *
     * @param classes the head's output size
     * @return the model; close it to free the module
     */
    public static TorchScriptTransfer zooResNet18Embedding(int classes) {
        return zooResNet18Embedding(classes, Luz.defaultDevice());
    }

    /**
     * Loads DJL's model-zoo {@code resnet18_embedding} (ImageNet weights, downloaded once into
     * DJL's cache) and adds a head (route 1).
     *
     * @param classes the head's output size
     * @param device where the module runs
     * @return the model; close it to free the module
     */
    public static TorchScriptTransfer zooResNet18Embedding(int classes, Device device) {
        Criteria<NDList, NDList> criteria =
                Criteria.builder()
                        .setTypes(NDList.class, NDList.class)
                        .optModelUrls(ZOO_RESNET18_EMBEDDING)
                        .optEngine("PyTorch")
                        .optDevice(device)
                        .optOption("trainParam", "true")
                        .build();
        Model model;
        try {
            model = criteria.loadModel();
        } catch (ModelException | IOException | RuntimeException e) {
            throw new LuzjException(
                    "cannot load " + ZOO_RESNET18_EMBEDDING + " from DJL's model zoo"
                            + (Utils.isOfflineMode() ? " (DJL's offline mode is on)" : "")
                            + ": " + e + "; with no network, pass --weights FILE with a local"
                            + " TorchScript .pt or a torchvision .safetensors file", e);
        }
        try {
            return new TorchScriptTransfer(model, classes);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    private static Path torchScriptFile(Path fileOrFolder) {
        if (Files.isRegularFile(fileOrFolder)) {
            return fileOrFolder;
        }
        if (!Files.isDirectory(fileOrFolder)) {
            throw new LuzjException(
                    "TorchScript model " + fileOrFolder + " does not exist; pass a .pt file or a"
                            + " folder holding one");
        }
        List<Path> candidates;
        try (Stream<Path> files = Files.list(fileOrFolder)) {
            candidates = files.filter(p -> p.getFileName().toString().endsWith(".pt"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new LuzjException("cannot list folder " + fileOrFolder + ": " + e.getMessage(), e);
        }
        if (candidates.size() != 1) {
            throw new LuzjException(
                    "folder " + fileOrFolder + " holds " + candidates.size() + " .pt files "
                            + candidates.stream().map(p -> p.getFileName().toString()).toList()
                            + "; pass the TorchScript file itself");
        }
        return candidates.get(0);
    }

    private static String fileName(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".pt") ? name.substring(0, name.length() - 3) : name;
    }
}
