package io.github.luzj.metric;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A manager per test for the running sums, and a sub-manager per batch, as in the fit loop. */
abstract class MetricFixture {

    NDManager manager;

    @BeforeEach
    void openManager() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void closeManager() {
        manager.close();
    }

    /** Feeds one batch through a batch manager that closes afterwards, as the fit loop does. */
    void update(Metric.Accumulator acc, float[] pred, Shape predShape, float[] y, Shape yShape) {
        try (NDManager batch = manager.newSubManager()) {
            acc.update(
                    new NDList(batch.create(pred, predShape)), new NDList(batch.create(y, yShape)));
        }
    }
}
