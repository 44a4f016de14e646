package io.github.luzj.callbacks.lr;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.github.luzj.base.Checks;
import io.github.luzj.optim.ParamGroup;
import java.util.ArrayList;
import java.util.List;

/**
 * PyTorch's {@code SequentialLR}: the first scheduler runs until the first milestone, where the
 * second starts from its own step 0 (closed form, as PyTorch's {@code step(0)}), and so on.
 * Every child schedules from the groups' initial learning rates.
 */
public final class SequentialLr extends SpecScheduler<SequentialLr.Spec> {

    private final List<LrScheduler> children;
    private final int[] milestones;

    SequentialLr(Spec spec, List<ParamGroup> groups) {
        super(spec, groups);
        List<LrScheduler> built = new ArrayList<>();
        for (SchedulerSpec s : spec.schedulers()) {
            built.add(s.build(groups)); // each writes its start, as PyTorch's constructors do
        }
        this.children = List.copyOf(built);
        this.milestones = spec.milestones().stream().mapToInt(Integer::intValue).toArray();
        // PyTorch then resets the learning rates, undoes every child's construction step and
        // takes the first child's again.
        for (ParamGroup g : groups) {
            g.setLr(g.initialLr());
        }
        children.forEach(LrScheduler::rewind);
        children.get(0).step();
        advance();
    }

    /**
     * Returns the child schedulers, in order.
     *
     * @return the children
     */
    public List<LrScheduler> children() {
        return children;
    }

    @Override
    protected boolean movesMomentum() {
        return children.stream().anyMatch(LrScheduler::movesMomentum);
    }

    @Override
    protected void apply(int epoch) {
        int idx = 0;
        while (idx < milestones.length && milestones[idx] <= epoch) {
            idx++; // bisect_right
        }
        LrScheduler child = children.get(idx);
        if (idx > 0 && milestones[idx - 1] == epoch) {
            child.restart();
        } else {
            child.step();
        }
    }

    @Override
    protected void saveExtra(JsonObject state) {
        JsonArray a = new JsonArray();
        children.forEach(c -> a.add(c.state()));
        state.add("schedulers", a);
    }

    @Override
    protected void loadExtra(JsonObject state) {
        JsonArray a = StateJson.field(state, "schedulers", kind()).getAsJsonArray();
        Checks.check(
                a.size() == children.size(),
                "the saved SequentialLR state has %d schedulers, this one has %d; build the"
                        + " scheduler that was saved",
                a.size(),
                children.size());
        for (int i = 0; i < a.size(); i++) {
            children.get(i).loadState(a.get(i).getAsJsonObject());
        }
    }

    /**
     * The settings of a sequence of schedules.
     *
     * @param schedulers the schedules, at least one, none of them a plateau schedule
     * @param milestones the steps at which the next schedule starts: one fewer than
     *     {@code schedulers}, strictly increasing, each {@code >= 1}
     */
    public record Spec(List<SchedulerSpec> schedulers, List<Integer> milestones)
            implements SchedulerSpec {

        /**
         * Validates the schedules and milestones.
         *
         * @param schedulers the schedules, at least one, none of them a plateau schedule
         * @param milestones the steps at which the next schedule starts: one fewer than
         *     {@code schedulers}, strictly increasing, each {@code >= 1}
         */
        public Spec {
            Checks.check(
                    schedulers != null && !schedulers.isEmpty(),
                    "schedulers must hold at least one schedule, got none");
            for (SchedulerSpec s : schedulers) {
                Checks.check(s != null, "schedulers holds a null; pass schedules only");
            }
            schedulers = List.copyOf(schedulers);
            for (SchedulerSpec s : schedulers) {
                Checks.check(
                        !(s instanceof ReduceLrOnPlateau.Spec),
                        "SequentialLR cannot hold ReduceLROnPlateau, which steps on a metric;"
                                + " use it on its own");
            }
            milestones = milestones == null ? List.of() : List.copyOf(milestones);
            Checks.check(
                    milestones.size() == schedulers.size() - 1,
                    "milestones must hold one step fewer than schedulers (%d), got %d: %s",
                    schedulers.size() - 1,
                    milestones.size(),
                    milestones);
            for (int i = 0; i < milestones.size(); i++) {
                Checks.atLeast("milestones[" + i + "]", milestones.get(i), 1);
                Checks.check(
                        i == 0 || milestones.get(i) > milestones.get(i - 1),
                        "milestones must be strictly increasing, got %s",
                        milestones);
            }
        }

        @Override
        public String kind() {
            return "SequentialLR";
        }

        @Override
        public SequentialLr build(List<ParamGroup> groups) {
            return new SequentialLr(this, groups);
        }

        @Override
        public Spec withDefaultStepsPerEpoch(int stepsPerEpoch) {
            return new Spec(
                    schedulers.stream()
                            .map(s -> s.withDefaultStepsPerEpoch(stepsPerEpoch))
                            .toList(),
                    milestones);
        }
    }
}
