package io.github.luzj.optim;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import io.github.luzj.base.Checks;
import io.github.luzj.base.GradMode;
import io.github.luzj.base.LuzjException;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The live optimizer: PyTorch's update rules for Adam, AdamW and SGD, and schedule-free AdamW
 * ({@link #train()}, {@link #eval()}), over {@link ParamGroup}s
 * whose hyperparameters may change between any two steps.
 *
 * <p>DJL's built-in optimizers read momentum and {@code beta1} once, when built, so a one-cycle
 * schedule cannot move them; this class reads every hyperparameter from its group at every update.
 * It extends DJL's {@link Optimizer}, so DJL's own {@code Trainer} can drive it too.
 *
 * <p>Every temporary array of a step is closed before the step returns; the moments and momentum
 * buffers live in one sub-manager of the parameters' manager, freed by {@link #close()}. The state
 * can be saved and restored bitwise ({@link #saveState}, {@link #loadState}) for checkpoints.
 */
public final class LuzOptimizer extends Optimizer implements AutoCloseable {

    private final OptimizerSpec.Kind kind;
    private final UpdateRule rule;
    private final List<ParamGroup> groups;
    private final Map<String, ParamGroup> groupOf = new HashMap<>();
    private final Map<String, ParamState> states = new HashMap<>();
    private NDManager stateManager;
    /** Schedule-free AdamW's mode: true at y (training), false at x; starts false as there. */
    private boolean trainMode;
    /** Schedule-free AdamW's y by parameter id, kept bitwise while a checkpoint is at x. */
    private Map<String, StateSnapshot.HostArray> trainPoint = Map.of();
    /** True while the parameters' gradients hold a sum not yet stepped on (accumulation). */
    private boolean gradientsPending;

    LuzOptimizer(OptimizerSpec.Kind kind, UpdateRule rule, List<ParamGroup> groups) {
        super(new NoOpBuilder());
        this.kind = kind;
        this.rule = rule;
        this.groups = List.copyOf(groups);
        for (ParamGroup g : groups) {
            for (Parameter p : g.parameters()) {
                Checks.check(
                        groupOf.put(p.getId(), g) == null,
                        "parameter '%s' is in more than one group; each parameter belongs to one",
                        p.getName());
            }
        }
    }

    /**
     * Returns the update rule.
     *
     * @return the kind
     */
    public OptimizerSpec.Kind kind() {
        return kind;
    }

    /**
     * Returns the parameter groups, whose hyperparameters may be changed at any time.
     *
     * @return the groups
     */
    public List<ParamGroup> groups() {
        return groups;
    }

    /**
     * Tells whether this optimizer keeps two points, as schedule-free AdamW does: the parameters
     * sit at {@code y} to train ({@link #train()}) and at the average {@code x} to evaluate or
     * save ({@link #eval()}).
     *
     * @return true for schedule-free AdamW
     */
    public boolean isScheduleFree() {
        return rule instanceof ScheduleFreeRule;
    }

    /**
     * Tells whether the parameters are at the training point (always true unless
     * {@link #isScheduleFree()}).
     *
     * @return false after {@link #eval()} of a schedule-free optimizer
     */
    public boolean isTrainMode() {
        return trainMode || !isScheduleFree();
    }

    /**
     * Puts the parameters at the point gradients are taken ({@code AdamWScheduleFree.train()},
     * {@code y}); does nothing when already there or for other optimizers. The fit loop calls
     * it before every training epoch.
     */
    public void train() {
        moveTo(true);
    }

    /**
     * Puts the parameters at the point to evaluate, predict with and save
     * ({@code AdamWScheduleFree.eval()}, the average {@code x}); does nothing when already there
     * or for other optimizers. The fit loop calls it after every training epoch.
     */
    public void eval() {
        moveTo(false);
    }

    /**
     * Runs {@code save} with the parameters at the point to evaluate, as a checkpoint or a saved
     * model wants them, then puts them back bit for bit: a save in the middle of training does
     * not change how training goes on. The optimizer's state written meanwhile carries the
     * training point too, so a resume from it continues exactly.
     *
     * @param save what writes the weights and this optimizer's state
     */
    public void atEvalPoint(Runnable save) {
        if (!isScheduleFree() || !trainMode) {
            save.run(); // one point only, or already at x
            return;
        }
        Map<String, StateSnapshot.HostArray> y = new HashMap<>();
        for (ParamGroup g : groups) {
            for (Parameter p : g.parameters()) {
                y.put(p.getId(), toHost(p.getArray()));
            }
        }
        eval();
        trainPoint = y;
        try {
            save.run();
        } finally {
            trainPoint = Map.of();
            restoreTrainPoint(y);
        }
    }

    /** Puts the parameters at a saved y bitwise, in train mode. */
    private void restoreTrainPoint(Map<String, StateSnapshot.HostArray> y) {
        for (ParamGroup g : groups) {
            for (int j = 0; j < g.parameters().size(); j++) {
                Parameter p = g.parameters().get(j);
                StateSnapshot.HostArray saved = y.get(p.getId());
                if (saved != null) {
                    NDArray w = p.getArray();
                    try (NDManager scratch = w.getManager().newSubManager();
                            NDArray fresh = toDevice(scratch, saved, w.getShape())) {
                        w.set(new NDIndex("..."), fresh);
                    }
                }
            }
        }
        trainMode = true;
    }

    /**
     * Tells the optimizer that the parameters' gradients hold a sum over batches not yet
     * stepped on (gradient accumulation), so that {@link #saveState} writes them and
     * {@link #loadState} puts them back; {@link #step()} clears it.
     *
     * @param pending true between a backward pass and the step it accumulates for
     */
    public void setGradientsPending(boolean pending) {
        this.gradientsPending = pending;
    }

    /**
     * Tells whether the gradients hold an accumulated sum not yet stepped on.
     *
     * @return true after {@code setGradientsPending(true)} or a load of such a state
     */
    public boolean gradientsPending() {
        return gradientsPending;
    }

    /** Zeroes every parameter's gradient and clears {@link #gradientsPending()}. */
    public void zeroGradients() {
        for (ParamGroup g : groups) {
            for (Parameter p : g.parameters()) {
                NDArray w = p.getArray();
                NDArray grad = w.hasGradient() ? gradientOf(w) : null;
                if (grad != null) {
                    zeroGradient(w, grad);
                    grad.close();
                }
            }
        }
        gradientsPending = false;
    }

    private void moveTo(boolean train) {
        if (!isScheduleFree() || trainMode == train) {
            return;
        }
        if (train && !trainPoint.isEmpty()) {
            Map<String, StateSnapshot.HostArray> y = trainPoint;
            trainPoint = Map.of();
            restoreTrainPoint(y); // a checkpoint taken mid-epoch: y exactly as it was
            return;
        }
        try (GradMode ignored = GradMode.off();
                NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            for (ParamGroup g : groups) {
                for (Parameter p : g.parameters()) {
                    ParamState s = states.get(p.getId());
                    if (train) {
                        ScheduleFreeRule.toTrain(g, s, p.getArray());
                    } else {
                        ScheduleFreeRule.toEval(g, s, p.getArray());
                    }
                }
            }
        }
        trainMode = train;
    }

    /**
     * Updates every parameter of every group from its gradient, then zeroes the gradients
     * (PyTorch's {@code optimizer.step(); optimizer.zero_grad()}). A parameter that no backward
     * pass has reached yet has no gradient and is skipped, as PyTorch skips {@code grad is None}.
     *
     * @throws LuzjException for schedule-free AdamW in eval mode (call {@link #train()} first)
     */
    public void step() {
        Checks.check(
                isTrainMode(),
                "schedule-free AdamW was not in train mode when step was called; call"
                        + " optimizer.train() before training and optimizer.eval() before"
                        + " evaluating (the fit loop does both)");
        try (GradMode ignored = GradMode.off()) {
            for (ParamGroup g : groups) {
                step(g);
            }
        }
        gradientsPending = false;
    }

    /** One group's update, all its parameters handed to the rule at once (see UpdateRule). */
    private void step(ParamGroup g) {
        List<UpdateRule.Slot> slots = new ArrayList<>();
        try {
            for (Parameter p : g.parameters()) {
                NDArray weight = p.getArray();
                NDArray grad = weight.hasGradient() ? gradientOf(weight) : null;
                if (grad != null) {
                    ParamState s = states.computeIfAbsent(p.getId(), k -> new ParamState());
                    s.step++;
                    slots.add(new UpdateRule.Slot(s, weight, grad));
                }
            }
            if (slots.isEmpty()) {
                return;
            }
            try (NDScope ignored = new NDScope()) {
                rule.applyAll(g, slots, this::keep);
            }
            for (UpdateRule.Slot s : slots) {
                zeroGradient(s.weight(), s.grad());
            }
        } finally {
            for (UpdateRule.Slot s : slots) {
                s.grad().close();
            }
        }
    }

    /** {@inheritDoc} */
    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        ParamGroup g = groupOf.get(parameterId);
        Checks.check(
                g != null,
                "parameter %s is in no group of this optimizer; build the optimizer from the"
                        + " model it updates",
                parameterId);
        Checks.check(
                !isScheduleFree(),
                "schedule-free AdamW steps whole parameter groups; call step() instead of"
                        + " update()");
        try (GradMode ignored = GradMode.off()) {
            update(g, parameterId, weight, grad);
        }
    }

    private void update(ParamGroup g, String id, NDArray weight, NDArray grad) {
        ParamState s = states.computeIfAbsent(id, k -> new ParamState());
        s.step++;
        try (NDScope ignored = new NDScope()) {
            rule.apply(g, new UpdateRule.Slot(s, weight, grad), this::keep);
        }
        zeroGradient(weight, grad);
    }

    /** Returns the gradient, or null where PyTorch's {@code .grad} is still undefined. */
    private static NDArray gradientOf(NDArray weight) {
        if (weight instanceof PtNDArray pt) {
            return JniUtils.getGradient(pt); // DJL's getGradient() would invent zeros here
        }
        return weight.getGradient();
    }

    /**
     * Makes {@code grad} the weight's gradient: the backward pass of {@code sum(grad * w)},
     * whose derivative is {@code grad} exactly, after zeroing what was there.
     */
    private static void setGradient(NDArray weight, NDArray grad) {
        NDArray old = gradientOf(weight);
        if (old != null) {
            zeroGradient(weight, old);
            old.close();
        }
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(grad.mul(weight).sum()); // grad first: temporaries go to its manager
        }
    }

    private static void zeroGradient(NDArray weight, NDArray grad) {
        if (weight instanceof PtNDArray pt) {
            JniUtils.zeroGrad(pt); // zero_() also clears NaN, unlike grad * 0
        } else {
            grad.subi(grad);
        }
    }

    /** Moves an array created inside a step's scope into the state memory. */
    private NDArray keep(NDArray array) {
        NDScope.unregister(array);
        array.attach(stateManager(array.getManager()));
        return array;
    }

    private NDManager stateManager(NDManager parent) {
        if (stateManager == null || !stateManager.isOpen()) {
            stateManager = parent.newSubManager();
            stateManager.setName("luzj-optimizer-state");
        }
        return stateManager;
    }

    /**
     * Writes the optimizer state: per group its live hyperparameters, per parameter (by name) its
     * step count, Adam's moments and SGD's momentum buffer, bit for bit.
     *
     * @param out the stream, left open
     * @throws IOException if writing fails
     */
    public void saveState(DataOutputStream out) throws IOException {
        snapshot().write(out);
    }

    /**
     * Replaces the optimizer state with one written by {@link #saveState}. Everything is checked
     * before anything changes: the kind, the group names, and each group's parameter names and
     * shapes must be those of this optimizer.
     *
     * @param in the stream, left open
     * @throws IOException if reading fails
     * @throws LuzjException if the stream is no optimizer state or does not match the parameters
     */
    public void loadState(DataInputStream in) throws IOException {
        // the model's shapes bound what the reader allocates for a (possibly forged) stream
        Map<String, Shape> modelShapes = new HashMap<>();
        for (ParamGroup g : groups) {
            for (int j = 0; j < g.parameters().size(); j++) {
                Shape shape = g.parameters().get(j).getArray().getShape();
                modelShapes.put(g.parameterNames().get(j), shape);
            }
        }
        StateSnapshot saved = StateSnapshot.read(in, modelShapes);
        checkMatches(saved);
        for (int i = 0; i < groups.size(); i++) {
            StateSnapshot.GroupState s = saved.groups().get(i);
            groups.get(i)
                    .checkRestorable(s.lr(), s.momentum(), s.beta2(), s.eps(), s.weightDecay());
        }
        apply(saved);
    }

    /**
     * The whole state of an optimizer at one moment, held in host memory: what {@link #restore}
     * puts back, bit for bit. The fit loop takes one before a resume reads a checkpoint, so that a
     * resume refused after the checkpoint's state was loaded leaves the optimizer as it was.
     */
    public static final class Memento {
        private final LuzOptimizer owner;
        private final StateSnapshot state;

        private Memento(LuzOptimizer owner, StateSnapshot state) {
            this.owner = owner;
            this.state = state;
        }
    }

    /**
     * Takes the state as it is now: the groups' hyperparameters, and per parameter its step
     * count, moments, momentum buffer, schedule-free points and a gradient sum not yet stepped on.
     *
     * @return the state, to give to {@link #restore}
     */
    public Memento memento() {
        return new Memento(this, snapshot());
    }

    /**
     * Puts back a state taken by this optimizer's {@link #memento()}.
     *
     * @param memento the state
     */
    public void restore(Memento memento) {
        Checks.check(memento.owner == this, "a memento restores only the optimizer it was taken from");
        apply(memento.state);
    }

    private void apply(StateSnapshot saved) {
        // a sum left by a fit that failed mid-accumulation is not the saved state's
        zeroGradients();
        for (ParamState s : states.values()) {
            s.close();
        }
        states.clear();
        Map<String, StateSnapshot.HostArray> y = new HashMap<>();
        boolean anyGradient = false;
        for (int i = 0; i < groups.size(); i++) {
            ParamGroup g = groups.get(i);
            StateSnapshot.GroupState s = saved.groups().get(i);
            g.restore(s.lr(), s.momentum(), s.beta2(), s.eps(), s.weightDecay());
            for (int j = 0; j < g.parameters().size(); j++) {
                Parameter p = g.parameters().get(j);
                StateSnapshot.ParamEntry e = s.params().get(j);
                NDManager m = stateManager(p.getArray().getManager());
                ParamState ps = new ParamState();
                ps.step = e.step();
                ps.expAvg = toDevice(m, e.expAvg(), e);
                ps.expAvgSq = toDevice(m, e.expAvgSq(), e);
                ps.momentumBuffer = toDevice(m, e.momentumBuffer(), e);
                ps.z = toDevice(m, e.z(), e);
                states.put(p.getId(), ps);
                if (e.trainPoint() != null) {
                    y.put(p.getId(), e.trainPoint());
                }
                if (e.gradient() != null) {
                    // a parameter frozen since the state was taken takes no gradient, and no
                    // backward pass or zeroing reached the sum it holds since
                    if (p.getArray().hasGradient()) {
                        try (NDManager scratch = m.newSubManager()) {
                            setGradient(p.getArray(), toDevice(scratch, e.gradient(), e));
                        }
                    }
                    anyGradient = true;
                }
            }
            if (rule instanceof ScheduleFreeRule sf) {
                ScheduleFreeRule.Clock c = sf.clock(g);
                c.k = s.clock().k();
                c.weightSum = s.clock().weightSum();
                c.lrMax = s.clock().lrMax();
            }
        }
        trainMode = saved.trainMode();
        trainPoint = y;
        gradientsPending = anyGradient;
    }

    private StateSnapshot snapshot() {
        List<StateSnapshot.GroupState> out = new ArrayList<>();
        for (ParamGroup g : groups) {
            List<StateSnapshot.ParamEntry> params = new ArrayList<>();
            for (int j = 0; j < g.parameters().size(); j++) {
                Parameter p = g.parameters().get(j);
                ParamState s = states.get(p.getId());
                params.add(
                        new StateSnapshot.ParamEntry(
                                g.parameterNames().get(j),
                                p.getArray().getShape(),
                                s == null ? 0 : s.step,
                                s == null ? null : toHost(s.expAvg),
                                s == null ? null : toHost(s.expAvgSq),
                                s == null ? null : toHost(s.momentumBuffer),
                                s == null ? null : toHost(s.z),
                                trainPoint.get(p.getId()),
                                gradientsPending ? pendingGradient(p.getArray()) : null));
            }
            StateSnapshot.Clock clock = StateSnapshot.Clock.NONE;
            if (rule instanceof ScheduleFreeRule sf) {
                ScheduleFreeRule.Clock c = sf.clock(g);
                clock = new StateSnapshot.Clock(c.k, c.weightSum, c.lrMax);
            }
            out.add(
                    new StateSnapshot.GroupState(
                            g.name(), g.lr(), g.momentum(), g.beta2(), g.eps(), g.weightDecay(),
                            clock, params));
        }
        return new StateSnapshot(kind, trainMode, out);
    }

    private void checkMatches(StateSnapshot saved) {
        Checks.check(
                saved.kind() == kind,
                "the optimizer state was saved by %s but this optimizer is %s; load it into an"
                        + " optimizer of the same kind",
                saved.kind(),
                kind);
        List<String> savedNames =
                saved.groups().stream().map(StateSnapshot.GroupState::name).toList();
        List<String> names = groups.stream().map(ParamGroup::name).toList();
        Checks.check(
                savedNames.equals(names),
                "the optimizer state has parameter groups %s but this optimizer has %s; build it"
                        + " with the same groups as the one that was saved",
                savedNames,
                names);
        for (int i = 0; i < groups.size(); i++) {
            checkParams(groups.get(i), saved.groups().get(i).params());
        }
    }

    private static void checkParams(ParamGroup g, List<StateSnapshot.ParamEntry> saved) {
        List<String> names = g.parameterNames();
        for (int j = 0; j < Math.max(names.size(), saved.size()); j++) {
            String have = j < names.size() ? "'" + names.get(j) + "'" : "nothing";
            String was = j < saved.size() ? "'" + saved.get(j).name() + "'" : "nothing";
            Checks.check(
                    have.equals(was),
                    "optimizer state does not match the model: parameter %s of group '%s' is %s"
                            + " in the saved state but %s in the model (%s saved, %s in the"
                            + " model); load a state saved from the same model",
                    j,
                    g.name(),
                    was,
                    have,
                    saved.size(),
                    names.size());
            NDArray weight = g.parameters().get(j).getArray();
            StateSnapshot.ParamEntry e = saved.get(j);
            Checks.check(
                    weight.getShape().equals(e.shape()),
                    "optimizer state does not match the model: parameter '%s' of group '%s' has"
                            + " shape %s in the saved state but %s in the model; load a state"
                            + " saved from the same model",
                    e.name(),
                    g.name(),
                    e.shape(),
                    weight.getShape());
            for (StateSnapshot.HostArray a :
                    new StateSnapshot.HostArray[] {
                        e.expAvg(), e.expAvgSq(), e.momentumBuffer(), e.z(), e.trainPoint(),
                        e.gradient()
                    }) {
                Checks.check(
                        a == null || a.dataType() == weight.getDataType(),
                        "optimizer state does not match the model: parameter '%s' of group '%s'"
                                + " has %s state but is %s in the model; load a state saved"
                                + " from the same model",
                        e.name(),
                        g.name(),
                        a == null ? null : a.dataType(),
                        weight.getDataType());
            }
        }
    }

    /** The gradient sum waiting for its step, on the host; the handle read is freed at once. */
    private static StateSnapshot.HostArray pendingGradient(NDArray weight) {
        NDArray grad = gradientOf(weight);
        if (grad == null) {
            return null;
        }
        // JniUtils.getGradient makes a new handle in the weight's manager on every call
        try (grad) {
            return toHost(grad);
        }
    }

    private static StateSnapshot.HostArray toHost(NDArray array) {
        return array == null
                ? null
                : new StateSnapshot.HostArray(array.getDataType(), array.toByteArray());
    }

    private static NDArray toDevice(
            NDManager manager, StateSnapshot.HostArray host, StateSnapshot.ParamEntry entry) {
        return host == null ? null : toDevice(manager, host, entry.shape());
    }

    private static NDArray toDevice(
            NDManager manager, StateSnapshot.HostArray host, Shape shape) {
        ByteBuffer buf = manager.allocateDirect(host.data().length).order(ByteOrder.nativeOrder());
        buf.put(host.data()).rewind();
        // the engine may alias the direct buffer; a copy gives the state memory of its own
        try (NDArray view = manager.create(buf, shape, host.dataType())) {
            NDArray owned = view.duplicate();
            NDScope.unregister(owned); // a caller's scope must not free the optimizer's state
            owned.attach(manager);
            return owned;
        }
    }

    Map<String, ParamState> states() {
        return states;
    }

    /** Frees the optimizer's state arrays; a later step starts from fresh state. */
    @Override
    public void close() {
        states.clear();
        rule.close();
        if (rule instanceof ScheduleFreeRule sf) {
            sf.reset();
        }
        trainMode = false;
        trainPoint = Map.of();
        gradientsPending = false;
        if (stateManager != null) {
            stateManager.close();
            stateManager = null;
        }
    }

    /** DJL's base class wants a builder; luzj's hyperparameters live in the groups instead. */
    private static final class NoOpBuilder extends OptimizerBuilder<NoOpBuilder> {
        @Override
        protected NoOpBuilder self() {
            return this;
        }
    }
}
