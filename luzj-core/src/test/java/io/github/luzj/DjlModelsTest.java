package io.github.luzj;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.ParameterStore;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.util.PairList;
import io.github.luzj.base.LuzjException;
import io.github.luzj.data.DataLoader;
import io.github.luzj.data.SampleDataset;
import io.github.luzj.fit.FitOptions;
import io.github.luzj.optim.Optimizers;
import io.github.luzj.testing.DjlFixtures;
import io.github.luzj.testing.Synthetic;
import org.junit.jupiter.api.Test;

class DjlModelsTest {

    /** A linear layer written by hand, as a DJL user writes a custom block. */
    static final class HandLinear extends AbstractBlock {
        private final int units;
        private final Parameter weight;
        private final Parameter bias;

        HandLinear(int units) {
            this.units = units;
            weight =
                    addParameter(
                            Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).build());
            bias =
                    addParameter(
                            Parameter.builder().setName("b").setType(Parameter.Type.BIAS).build());
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            NDArray x = inputs.singletonOrThrow();
            NDArray w = ps.getValue(weight, x.getDevice(), training);
            NDArray b = ps.getValue(bias, x.getDevice(), training);
            return new NDList(x.matMul(w.transpose()).add(b));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputs) {
            return new Shape[] {new Shape(inputs[0].get(0), units)};
        }

        @Override
        public void prepare(Shape[] inputs) {
            weight.setShape(new Shape(units, inputs[0].get(1)));
            bias.setShape(new Shape(units));
        }
    }

    private static DataLoader data(int n, long seed) {
        return DataLoader.builder(Synthetic.argmaxClasses(n, 4, 3, seed)).batchSize(16).build();
    }

    private static FitOptions epochs(DataLoader train, int epochs) {
        return FitOptions.builder(train).epochs(epochs).verbose(false).build();
    }

    @Test
    void aCustomAbstractBlockFits() {
        HandLinear block = new HandLinear(3);
        try (FittedModel fitted =
                Luz.setup(block, Loss.softmaxCrossEntropyLoss(), Optimizers.adam().lr(0.05))
                        .fit(epochs(data(256, 41), 5))) {
            double[] loss = fitted.records().values("train", "loss");
            assertThat(loss[4]).isLessThan(loss[0] * 0.7);
            assertThat(fitted.block().getParameters().stream())
                    .filteredOn(p -> p.getValue().requiresGradient())
                    .extracting(p -> p.getKey())
                    .containsExactlyInAnyOrder("w", "b");
        }
    }

    @Test
    void aSequentialBlockInADjlModelFits() {
        Model model = Model.newInstance("sequential");
        model.setBlock(DjlFixtures.linear(3));
        try (FittedModel fitted =
                Luz.setup(model, Loss.softmaxCrossEntropyLoss(), Optimizers.adam().lr(0.05))
                        .fit(epochs(data(256, 42), 5))) {
            double[] loss = fitted.records().values("train", "loss");
            assertThat(loss[4]).isLessThan(loss[0] * 0.7);
            assertThat(fitted.model()).isSameAs(model);
        }
    }

    @Test
    void aTrainingConfigGivesLossEvaluatorsAndInitializers() {
        DefaultTrainingConfig config =
                new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                        .addEvaluator(new Accuracy())
                        .optInitializer(new ConstantInitializer(0.5f), Parameter.Type.WEIGHT);
        // a rate so small that the weights stay at their initial value
        try (FittedModel fitted =
                DjlModels.setup(DjlFixtures.linear(3), config, Optimizers.sgd().lr(1e-12))
                        .fit(epochs(data(32, 43), 1))) {
            assertThat(fitted.records().values("train", "accuracy")).hasSize(1);
            NDArray w = fitted.block().getParameters().get("01Linear_weight").getArray();
            for (float v : w.toFloatArray()) {
                assertThat(v).isEqualTo(0.5f, org.assertj.core.data.Offset.offset(1e-6f));
            }
        }
        assertThatThrownBy(() -> DjlModels.setup(DjlFixtures.linear(3), null, Optimizers.sgd()))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("configuration is null");
    }

    @Test
    void aDjlPredictorOnTheFittedModelPredictsLikeFittedModelPredict() throws Exception {
        SampleDataset examples = Synthetic.argmaxClasses(50, 4, 3, 44);
        DataLoader loader = DataLoader.builder(examples).batchSize(16).build();
        try (FittedModel fitted =
                        Luz.setup(
                                        DjlFixtures.linear(3),
                                        Loss.softmaxCrossEntropyLoss(),
                                        Optimizers.adam().lr(0.05))
                                .fit(epochs(data(128, 45), 2));
                NDManager m = NDManager.newBaseManager();
                Predictor<NDList, NDList> predictor = DjlModels.predictor(fitted)) {
            NDArray viaLuzj = fitted.predict(loader, m);
            NDList viaDjl = predictor.predict(new NDList(DjlFixtures.features(m, examples)));
            NDArray out = viaDjl.singletonOrThrow();
            assertThat(out.getShape()).isEqualTo(new Shape(50, 3));
            assertThat(out.getDataType()).isEqualTo(DataType.FLOAT32);
            float[] want = viaLuzj.toFloatArray();
            float[] got = out.toFloatArray();
            for (int i = 0; i < want.length; i++) {
                assertThat(got[i]).isEqualTo(want[i], org.assertj.core.data.Offset.offset(1e-5f));
            }
        }
        try (Model empty = Model.newInstance("empty")) {
            empty.setBlock(DjlFixtures.linear(3));
            assertThatThrownBy(() -> DjlModels.predictor(empty))
                    .isInstanceOf(LuzjException.class)
                    .hasMessageContaining("not initialized");
        }
    }
}
