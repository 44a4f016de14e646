package io.github.luzj.lrfinder;

import java.util.Locale;

/**
 * A learning rate suggested by one rule, with the point the plot marks for it.
 *
 * @param name the rule: {@code "steepest"}, {@code "minimum/10"} or {@code "valley"}
 * @param lr the suggested learning rate
 * @param loss the smoothed loss at {@code lr} (interpolated in {@code log10(lr)} when {@code lr}
 *     is between two steps)
 * @param index the step (from 0) the rule picked; for {@code minimum/10}, the minimum's step
 */
public record Suggestion(String name, double lr, double loss, int index) {

    /**
     * Returns the legend text, such as {@code "valley: 1.23e-03"}.
     *
     * @return the label
     */
    public String label() {
        return String.format(Locale.ROOT, "%s: %.2e", name, lr);
    }
}
