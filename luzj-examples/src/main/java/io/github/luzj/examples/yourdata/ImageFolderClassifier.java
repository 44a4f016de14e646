package io.github.luzj.examples.yourdata;

import ai.djl.basicdataset.cv.classification.ImageFolder;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.transform.Resize;
import ai.djl.modality.cv.transform.ToTensor;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.translate.TranslateException;
import io.github.luzj.FittedModel;
import io.github.luzj.Luz;
import io.github.luzj.loss.Losses;
import io.github.luzj.metric.Metrics;
import io.github.luzj.optim.Optimizers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Images in folders, one per class, read by DJL's {@code ImageFolder}. */
public final class ImageFolderClassifier {

    private ImageFolderClassifier() {}

    /**
     * Trains on the images of {@code args[0]}.
     *
     * @param args the folder with one subfolder of images per class
     * @throws IOException when an image cannot be read
     * @throws TranslateException when an image cannot be turned into an array
     */
    public static void main(String[] args) throws IOException, TranslateException {
        System.out.printf("validation accuracy %.3f%n", run(Path.of(args[0])));
    }

    /**
     * Trains the classifier.
     *
     * @param folder one subfolder per class, such as {@code folder/circle/*.png}
     * @return the validation accuracy
     * @throws IOException when an image cannot be read
     * @throws TranslateException when an image cannot be turned into an array
     */
    public static double run(Path folder) throws IOException, TranslateException {
        // your-data.md: begin
        ImageFolder images = ImageFolder.builder()
                .setRepositoryPath(folder)             // folder/<class>/<image>.png
                .optFlag(Image.Flag.GRAYSCALE)         // one channel
                .addTransform(new Resize(16, 16))
                .addTransform(new ToTensor())          // H×W bytes to 1×H×W floats in [0, 1]
                .setSampling(8, true)                  // batch size 8, shuffled
                .build();
        images.prepare();
        List<String> classes = images.getSynset();     // the subfolders' names: class 0, 1, ...
        RandomAccessDataset[] parts = images.randomSplit(8, 2);   // 80% to train, 20% to validate

        SequentialBlock net = new SequentialBlock()
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(32).build()).add(Activation.reluBlock())
                .add(Linear.builder().setUnits(classes.size()).build());
        try (FittedModel fitted = Luz.setup(net, Losses.crossEntropy(), Optimizers.adam().lr(0.01),
                        Metrics.accuracy())
                .fit(parts[0], 10, parts[1])) {
            return fitted.records().last("valid", "acc");
        }
        // your-data.md: end
    }
}
