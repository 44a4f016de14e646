package io.github.luzj.callback;

import io.github.luzj.base.LuzjException;
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
    /** Once, before the first epoch (after a resumed checkpoint is loaded). */
    FIT_BEGIN("on_fit_begin"),
    /** At the start of every epoch. */
    EPOCH_BEGIN("on_epoch_begin"),
    /** Before the epoch's first training batch. */
    TRAIN_BEGIN("on_train_begin"),
    /** Before a training batch's forward pass; {@code on_batch_begin} too. */
    TRAIN_BATCH_BEGIN("on_train_batch_begin"),
    /** After the forward pass: the predictions are in the context. */
    TRAIN_BATCH_AFTER_PRED("on_train_batch_after_pred"),
    /** After the loss, which a callback may still replace. */
    TRAIN_BATCH_AFTER_LOSS("on_train_batch_after_loss"),
    /** Just before the backward pass. */
    TRAIN_BATCH_BEFORE_BACKWARD("on_train_batch_before_backward"),
    /** Gradients computed, before the optimizer step (clip them here). */
    TRAIN_BATCH_BEFORE_STEP("on_train_batch_before_step"),
    /** After the optimizer step. */
    TRAIN_BATCH_AFTER_STEP("on_train_batch_after_step"),
    /** After the batch's metrics are updated; {@code on_batch_end} too. */
    TRAIN_BATCH_END("on_train_batch_end"),
    /** After the epoch's last training batch. */
    TRAIN_END("on_train_end"),
    /** Before validation (only with validation data and no stop request). */
    VALID_BEGIN("on_valid_begin"),
    /** Before a validation batch's forward pass. */
    VALID_BATCH_BEGIN("on_valid_batch_begin"),
    /** After a validation forward pass (training = false). */
    VALID_BATCH_AFTER_PRED("on_valid_batch_after_pred"),
    /** After a validation batch's loss. */
    VALID_BATCH_AFTER_LOSS("on_valid_batch_after_loss"),
    /** After a validation batch's metrics are updated. */
    VALID_BATCH_END("on_valid_batch_end"),
    /** After the last validation batch. */
    VALID_END("on_valid_end"),
    /** After the epoch's metrics are computed and recorded. */
    EPOCH_END("on_epoch_end"),
    /** Once, when the fit ends normally or by a stop request. */
    FIT_END("on_fit_end"),
    /** Before {@code predict}'s first batch. */
    PREDICT_BEGIN("on_predict_begin"),
    /** Before a prediction batch's forward pass. */
    PREDICT_BATCH_BEGIN("on_predict_batch_begin"),
    /** After a prediction batch's forward pass. */
    PREDICT_BATCH_END("on_predict_batch_end"),
    /** After {@code predict}'s last batch. */
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
