package io.github.luzj.callbacks.lr;

import ai.djl.nn.Parameter;
import io.github.luzj.optim.LuzOptimizer;
import io.github.luzj.optim.OptimizerSpec;
import io.github.luzj.optim.ParamGroup;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Real luzj optimizers over named, array-less parameters, whose groups schedules write. */
public final class TestGroups {

    private TestGroups() {}

    /** Parameters called {@code names}, in order. */
    public static Map<String, Parameter> parameters(String... names) {
        Map<String, Parameter> out = new LinkedHashMap<>();
        for (String n : names) {
            out.put(n, Parameter.builder().setName(n).setType(Parameter.Type.WEIGHT).build());
        }
        return out;
    }

    /** The optimizer {@code spec} over parameters {@code "body"} and {@code "head"}. */
    public static LuzOptimizer optimizer(OptimizerSpec spec) {
        return spec.build(parameters("body", "head"));
    }

    /** The groups of {@code spec} over two parameters. */
    public static List<ParamGroup> groups(OptimizerSpec spec) {
        return optimizer(spec).groups();
    }
}
