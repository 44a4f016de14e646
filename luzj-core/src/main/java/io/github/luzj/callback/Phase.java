package io.github.luzj.callback;

import io.github.luzj.LuzjException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Every point of the fit loop at which callbacks are called, in the order luz calls them.
 *
 * <pre>
 * FIT_BEGIN
 *   EPOCH_BEGIN
 *     TRAIN_BEGIN
 *       TRAIN_BATCH_BEGIN, TRAIN_BATCH_AFTER_PRED, TRAIN_BATCH_AFTER_LOSS,
 *       TRAIN_BATCH_BEFORE_BACKWARD, TRAIN_BATCH_BEFORE_STEP, TRAIN_BATCH_AFTER_STEP,
 *       TRAIN_BATCH_END                                       (once per training batch)
 *     TRAIN_END
 *     VALID_BEGIN
 *       VALID_BATCH_BEGIN, VALID_BATCH_AFTER_PRED, VALID_BATCH_AFTER_LOSS,
 *       VALID_BATCH_END                                       (once per validation batch)
 *     VALID_END
 *   EPOCH_END
 * FIT_END
 *
 * PREDICT_BEGIN, (PREDICT_BATCH_BEGIN, PREDICT_BATCH_END)*, PREDICT_END
 * </pre>
 *
 * <p>Each phase has luz's name ({@code "on_epoch_end"}); {@link #parse(String)} accepts those names
 * and the enum's own. {@code "on_batch_begin"} and {@code "on_batch_end"} mean the training batch's
 * begin and end: the chapter's one-cycle code passes {@code call_on = "on_batch_end"}, a name R luz
 * accepts and then never fires.
 */
public enum Phase {
    FIT_BEGIN("on_fit_begin"),
    EPOCH_BEGIN("on_epoch_begin"),
    TRAIN_BEGIN("on_train_begin"),
    TRAIN_BATCH_BEGIN("on_train_batch_begin"),
    TRAIN_BATCH_AFTER_PRED("on_train_batch_after_pred"),
    TRAIN_BATCH_AFTER_LOSS("on_train_batch_after_loss"),
    TRAIN_BATCH_BEFORE_BACKWARD("on_train_batch_before_backward"),
    TRAIN_BATCH_BEFORE_STEP("on_train_batch_before_step"),
    TRAIN_BATCH_AFTER_STEP("on_train_batch_after_step"),
    TRAIN_BATCH_END("on_train_batch_end"),
    TRAIN_END("on_train_end"),
    VALID_BEGIN("on_valid_begin"),
    VALID_BATCH_BEGIN("on_valid_batch_begin"),
    VALID_BATCH_AFTER_PRED("on_valid_batch_after_pred"),
    VALID_BATCH_AFTER_LOSS("on_valid_batch_after_loss"),
    VALID_BATCH_END("on_valid_batch_end"),
    VALID_END("on_valid_end"),
    EPOCH_END("on_epoch_end"),
    FIT_END("on_fit_end"),
    PREDICT_BEGIN("on_predict_begin"),
    PREDICT_BATCH_BEGIN("on_predict_batch_begin"),
    PREDICT_BATCH_END("on_predict_batch_end"),
    PREDICT_END("on_predict_end");

    private final String luzName;

    Phase(String luzName) {
        this.luzName = luzName;
    }

    /**
     * Returns luz's name of this phase, such as {@code "on_epoch_end"}.
     *
     * @return the luz name
     */
    public String luzName() {
        return luzName;
    }

    /**
     * Parses a luz name ({@code "on_epoch_end"}, {@code "on_batch_end"}) or an enum name
     * ({@code "EPOCH_END"}, case-insensitive).
     *
     * @param name the name to parse
     * @return the phase
     * @throws LuzjException naming the valid names when {@code name} is none of them
     */
    public static Phase parse(String name) {
        if (name == null) {
            throw new LuzjException("phase name is null; use one of: " + validNames());
        }
        String n = name.trim().toLowerCase(Locale.ROOT);
        if (n.equals("on_batch_begin")) {
            return TRAIN_BATCH_BEGIN;
        }
        if (n.equals("on_batch_end")) {
            return TRAIN_BATCH_END;
        }
        for (Phase p : values()) {
            if (p.luzName.equals(n) || p.name().toLowerCase(Locale.ROOT).equals(n)) {
                return p;
            }
        }
        throw new LuzjException(
                "unknown phase '" + name + "'; use one of: " + validNames());
    }

    private static String validNames() {
        return Arrays.stream(values()).map(Phase::luzName).collect(Collectors.joining(", "))
                + ", on_batch_begin, on_batch_end";
    }

    /**
     * Tells whether this phase belongs to the training half of an epoch (the optimizer steps).
     *
     * @return true for {@code TRAIN_*} phases
     */
    public boolean isTrainBatch() {
        return ordinal() >= TRAIN_BATCH_BEGIN.ordinal() && ordinal() <= TRAIN_BATCH_END.ordinal();
    }
}
