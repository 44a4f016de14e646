package io.github.luzj.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import io.github.luzj.base.Checks;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Adam's and AdamW's step as PyTorch's own operations, in one native call: the TorchScript of
 * {@code tools/torchscript/adam_step.py} ({@code adam_step.pt}), which LibTorch's interpreter runs.
 *
 * <p>DJL has no {@code addcmul_}, {@code addcdiv_} or {@code out=}, so the same update written
 * with DJL's operations makes about twice the passes over memory (each fused operation as a
 * copy and two or three plain ones) and a native call for each; here every operation is
 * PyTorch's kernel, with PyTorch's rounding.
 */
final class AdamScript implements AutoCloseable {

    private static final String RESOURCE = "adam_step.pt";

    private final NDManager manager;
    private final PtSymbolBlock module;

    private AdamScript(NDManager manager, PtSymbolBlock module) {
        this.manager = manager;
        this.module = module;
    }

    /**
     * Loads the script into a manager of its own under {@code parent}, on its device.
     *
     * @param parent the parameters' manager
     * @return the script
     */
    static AdamScript load(NDManager parent) {
        Checks.check(
                parent instanceof PtNDManager,
                "luzj's exact Adam runs on DJL's PyTorch engine, but the parameters are %s arrays;"
                        + " put ai.djl.pytorch:pytorch-engine on the class path and make it the"
                        + " default engine",
                parent.getEngine().getEngineName());
        NDManager manager = parent.newSubManager();
        manager.setName("luzj-adam-script");
        try (InputStream in = AdamScript.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from luzj-core's jar");
            }
            return new AdamScript(
                    manager, JniUtils.loadModule((PtNDManager) manager, in, true, false));
        } catch (IOException e) {
            manager.close();
            throw new UncheckedIOException("cannot read " + RESOURCE + " from luzj-core's jar", e);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * One step of a whole group ({@code forward}): the gradients concatenated in each
     * parameter's memory order, the moments' flat arrays advanced, the denominator written into
     * {@code denom}, and each weight updated through its views of the moments and denominator.
     *
     * @param slots the group's parameters, all at the same step
     * @param moments their flat moments, covering {@code slots}
     * @param group the live hyperparameters
     * @param decoupled true for AdamW
     */
    void stepAll(
            List<UpdateRule.Slot> slots, FlatMoments moments, ParamGroup group, boolean decoupled) {
        int n = slots.size();
        List<IValue> args = new ArrayList<>();
        try {
            PtNDArray[] weights = new PtNDArray[n];
            PtNDArray[] grads = new PtNDArray[n];
            PtNDArray[] expAvgs = new PtNDArray[n];
            PtNDArray[] denoms = new PtNDArray[n];
            for (int i = 0; i < n; i++) {
                UpdateRule.Slot s = slots.get(i);
                weights[i] = pt(s.weight());
                grads[i] = pt(s.grad());
                expAvgs[i] = pt(s.state().expAvg);
                denoms[i] = pt(moments.scratchView(i));
            }
            args.add(IValue.listFrom(weights));
            args.add(IValue.listFrom(grads));
            args.add(IValue.listFrom(moments.channelsLast()));
            args.add(IValue.from(pt(moments.expAvg())));
            args.add(IValue.from(pt(moments.expAvgSq())));
            args.add(IValue.listFrom(expAvgs));
            args.add(IValue.from(pt(moments.scratch())));
            args.add(IValue.listFrom(denoms));
            hyperparameters(args, group, decoupled, slots.get(0).state().step);
            run("forward", args);
        } finally {
            args.forEach(IValue::close);
        }
    }

    /**
     * One step of one parameter ({@code step_one}), its moments in whatever layout they have.
     *
     * @param slot the parameter, with its moments started
     * @param group the live hyperparameters
     * @param decoupled true for AdamW
     */
    void stepOne(UpdateRule.Slot slot, ParamGroup group, boolean decoupled) {
        List<IValue> args = new ArrayList<>();
        try {
            args.add(IValue.from(pt(slot.weight())));
            args.add(IValue.from(pt(slot.grad())));
            args.add(IValue.from(pt(slot.state().expAvg)));
            args.add(IValue.from(pt(slot.state().expAvgSq)));
            hyperparameters(args, group, decoupled, slot.state().step);
            run("step_one", args);
        } finally {
            args.forEach(IValue::close);
        }
    }

    private static void hyperparameters(
            List<IValue> args, ParamGroup group, boolean decoupled, long step) {
        args.add(IValue.from(group.momentum()));
        args.add(IValue.from(group.beta2()));
        args.add(IValue.from(group.lr()));
        args.add(IValue.from(group.weightDecay()));
        args.add(IValue.from(group.eps()));
        args.add(IValue.from(decoupled));
        args.add(IValue.from(step));
    }

    private void run(String method, List<IValue> args) {
        IValueUtils.runMethod(module, method, args.toArray(IValue[]::new)).close();
    }

    private static PtNDArray pt(NDArray a) {
        return UpdateRule.pytorch(a, "exact Adam");
    }

    /** Frees the loaded script. */
    @Override
    public void close() {
        manager.close();
    }

    /** Tells whether the script can still run: its manager is open. */
    boolean isOpen() {
        return manager.isOpen();
    }
}
