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
import java.util.Map;

/** A regression from a CSV file: scikit-learn's diabetes table. */
public final class CsvRegression {

    private CsvRegression() {}

    /**
     * Trains on 80% of the rows and reports the errors on the rest.
     *
     * @param args the folder of the CSV files, {@code docs/data} by default
     */
    public static void main(String[] args) {
        System.out.println(run(Path.of(args.length > 0 ? args[0] : "docs/data")));
    }

    /**
     * Trains the regression.
     *
     * @param data the folder holding {@code diabetes.csv}
     * @return the loss (the mean squared error) and the metrics on the held-out rows
     */
    public static Map<String, Double> run(Path data) {
        // your-data.md: begin
        CsvDataset table = CsvDataset.builder(data.resolve("diabetes.csv"))
                .label("progression")                                 // a number: a regression target
                .build();
        CsvDataset.Parts parts = table.split(0.8, 42);
        Standardizer scale = Standardizer.fit(parts.train());
        DataLoader train = DataLoader.builder(scale.apply(parts.train()))
                .batchSize(32).shuffle(true).build();
        DataLoader test = DataLoader.builder(scale.apply(parts.test())).batchSize(128).build();

        SequentialBlock net = new SequentialBlock()
                .add(Linear.builder().setUnits(32).build()).add(Activation.reluBlock())
                .add(Linear.builder().setUnits(1).build());           // one output per row
        try (FittedModel fitted = Luz.setup(net, Losses.mse(), Optimizers.adam().lr(0.05),
                        Metrics.mae(), Metrics.mse())
                .fit(train, 40, test)) {
            float[][] predicted = fitted.predictRows(
                    DataLoader.builder(scale.apply(parts.test()).withoutLabels()).build());
            System.out.printf("first test row: predicted %.0f, true %.0f%n",
                    predicted[0][0], parts.test().labels()[0]);
            return fitted.evaluate(test);                             // loss = mse, as in torch
        }
        // your-data.md: end
    }
}
