package io.github.luzj.examples.yourdata;

import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import io.github.luzj.FittedModel;
import io.github.luzj.Luz;
import io.github.luzj.data.CsvDataset;
import io.github.luzj.data.DataLoader;
import io.github.luzj.data.Standardizer;
import io.github.luzj.loss.Losses;
import io.github.luzj.metric.Metrics;
import io.github.luzj.optim.Optimizers;
import java.nio.file.Path;

/** A tabular classifier from a CSV file: scikit-learn's breast cancer table. */
public final class CsvClassifier {

    private CsvClassifier() {}

    /**
     * Trains on 80% of the rows and reports the accuracy on the rest.
     *
     * @param args the folder of the CSV files, {@code docs/data} by default
     */
    public static void main(String[] args) {
        System.out.printf("test accuracy %.3f%n", run(Path.of(args.length > 0 ? args[0] : "docs/data")));
    }

    /**
     * Trains the classifier.
     *
     * @param data the folder holding {@code breast_cancer.csv}
     * @return the accuracy on the held-out rows
     */
    public static double run(Path data) {
        // your-data.md: begin
        CsvDataset table = CsvDataset.builder(data.resolve("breast_cancer.csv"))
                .label("diagnosis").classes("benign", "malignant")   // class 0, class 1
                .build();                                             // the other 30 columns are features
        CsvDataset.Parts parts = table.split(0.8, 42);
        Standardizer scale = Standardizer.fit(parts.train());         // statistics of the training rows only
        DataLoader train = DataLoader.builder(scale.apply(parts.train()))
                .batchSize(32).shuffle(true).build();
        DataLoader test = DataLoader.builder(scale.apply(parts.test())).batchSize(128).build();

        SequentialBlock net = new SequentialBlock()
                .add(Linear.builder().setUnits(16).build()).add(Activation.reluBlock())
                .add(Linear.builder().setUnits(2).build());           // one score per class
        try (FittedModel fitted = Luz.setup(net, Losses.crossEntropy(),
                        Optimizers.adam().lr(0.01), Metrics.accuracy())
                .fit(train, 10, test)) {
            int[] predicted = fitted.predictClasses(            // features only, no labels
                    DataLoader.builder(scale.apply(parts.test()).withoutLabels()).build());
            System.out.println("first test row: " + table.classNames().get(predicted[0]));
            return fitted.evaluate(test).get("acc");
        }
        // your-data.md: end
    }
}
