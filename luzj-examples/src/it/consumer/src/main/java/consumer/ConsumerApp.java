package consumer;

import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import io.github.luzj.FittedModel;
import io.github.luzj.Luz;
import io.github.luzj.SetupModel;
import io.github.luzj.callbacks.LuzCallbacks;
import io.github.luzj.data.CsvDataset;
import io.github.luzj.data.DataLoader;
import io.github.luzj.data.Standardizer;
import io.github.luzj.fit.FitOptions;
import io.github.luzj.loss.Losses;
import io.github.luzj.metric.Metrics;
import io.github.luzj.optim.Optimizers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * {@code train DATA OUT}: a classifier (breast cancer) and a regression (diabetes) from CSV,
 * predictions on unlabeled rows, both models saved. {@code predict DATA OUT}: in a fresh JVM,
 * both models loaded and the same rows predicted again.
 */
public final class ConsumerApp {

    public static void main(String[] args) throws IOException {
        Path data = Path.of(args[1]);
        Path out = Path.of(args[2]);
        boolean train = args[0].equals("train");
        Table classes = Table.of(CsvDataset.builder(data.resolve("breast_cancer.csv"))
                .label("diagnosis").classes("benign", "malignant").build());
        Table targets = Table.of(CsvDataset.builder(data.resolve("diabetes.csv"))
                .label("progression").build());
        SetupModel classifier = Luz.setup(net(2), Losses.crossEntropy(), Optimizers.adam().lr(0.01),
                Metrics.accuracy());
        SetupModel regression = Luz.setup(net(1), Losses.mse(), Optimizers.adam().lr(0.05),
                Metrics.mse());
        if (train) {
            try (FittedModel c = classifier.fit(FitOptions.builder(classes.train).valid(classes.test)
                            .epochs(8).build());
                    FittedModel r = regression.fit(FitOptions.builder(targets.train)
                            .epochs(25).verbose(true)
                            // no validation data: the callback warns, and with no SLF4J
                            // provider here the fit's progress prints the warning
                            .callbacks(LuzCallbacks.earlyStopping("valid_loss", 100)).build())) {
                System.out.printf(Locale.ROOT, "classifier accuracy %.4f%n",
                        c.evaluate(classes.test).get("acc"));
                System.out.printf(Locale.ROOT, "regression mse %.1f loss %.1f%n",
                        r.evaluate(targets.test).get("mse"), r.evaluate(targets.test).get("loss"));
                c.save(out.resolve("classifier"));
                r.save(out.resolve("regression"));
                write(out.resolve("trained.txt"), c, r, classes, targets);
            }
        } else {
            try (FittedModel c = Luz.load(out.resolve("classifier"), classifier);
                    FittedModel r = Luz.load(out.resolve("regression"), regression)) {
                write(out.resolve("loaded.txt"), c, r, classes, targets);
            }
        }
    }

    private static void write(Path file, FittedModel c, FittedModel r, Table classes, Table targets)
            throws IOException {
        int[] predicted = c.predictClasses(classes.unlabeled);
        float[][] values = r.predictRows(targets.unlabeled);
        String text = Arrays.toString(predicted) + "\n"
                + Arrays.stream(values).map(v -> Float.toString(v[0]))
                        .collect(Collectors.joining(",")) + "\n";
        Files.writeString(file, text);
    }

    private static SequentialBlock net(int outputs) {
        return new SequentialBlock()
                .add(Linear.builder().setUnits(16).build()).add(Activation.reluBlock())
                .add(Linear.builder().setUnits(outputs).build());
    }

    /** A table split and standardized with the training rows' statistics. */
    private record Table(DataLoader train, DataLoader test, DataLoader unlabeled) {
        static Table of(CsvDataset all) {
            CsvDataset.Parts parts = all.split(0.8, 42);
            Standardizer scale = Standardizer.fit(parts.train());
            return new Table(
                    DataLoader.builder(scale.apply(parts.train())).batchSize(32).shuffle(true).build(),
                    DataLoader.builder(scale.apply(parts.test())).batchSize(128).build(),
                    DataLoader.builder(scale.apply(parts.test()).withoutLabels()).batchSize(128).build());
        }
    }
}
