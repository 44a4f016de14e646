package io.github.luzj.vision;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

class ResnetNativeTest {

    @Test
    void reproducesTorchvisionEvalLogits() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList ref = ResnetFixtures.reference(manager);
            ResNet18 net = ResNet18.pretrained(ResnetFixtures.safetensors(), manager);
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray logits = net.forward(ps, new NDList(ref.get("x")), false).head();
            NDArray logits224 = net.forward(ps, new NDList(ref.get("x224")), false).head();
            assertThat(logits.getShape()).isEqualTo(new Shape(4, 1000));
            assertThat(ResnetFixtures.maxAbsDiff(logits, ref.get("logits"))).isLessThan(1e-4f);
            assertThat(ResnetFixtures.maxAbsDiff(logits224, ref.get("logits224")))
                    .isLessThan(1e-4f);
            System.out.println(ResnetFixtures.maxAbsDiff(logits224, ref.get("logits224")) + " "
                    + ref.get("logits224").abs().max().getFloat());
        }
    }
}
