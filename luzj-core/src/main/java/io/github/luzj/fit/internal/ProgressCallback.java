package io.github.luzj.fit.internal;

import io.github.luzj.callback.Callback;
import io.github.luzj.callback.Context;
import io.github.luzj.callback.Phase;
import io.github.luzj.record.Records;
import java.io.PrintStream;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Prints luz's progress: a bar per epoch on stderr with the running loss, then one line per epoch
 * on stdout: {@code Epoch 1/5  Train metrics: Loss: 0.2921 - Acc: 0.9112  Valid metrics: ...}.
 *
 * <p>The running loss is read from the device at most twice a second, not once per batch.
 */
final class ProgressCallback implements Callback {

    private static final long REFRESH_NANOS = 500_000_000L;

    private final PrintStream out;
    private final PrintStream err;
    private final boolean interactive;
    private ProgressBar bar;
    private long lastRead;

    ProgressCallback() {
        this(System.out, System.err, System.console() != null);
    }

    ProgressCallback(PrintStream out, PrintStream err, boolean interactive) {
        this.out = out;
        this.err = err;
        this.interactive = interactive;
    }

    @Override
    public Set<Phase> callOn() {
        return EnumSet.of(
                Phase.TRAIN_BEGIN,
                Phase.TRAIN_BATCH_END,
                Phase.TRAIN_END,
                Phase.EPOCH_END,
                Phase.FIT_END);
    }

    @Override
    public int weight() {
        return 1000; // after every user callback, so their epoch-end changes are printed
    }

    @Override
    public void on(Phase phase, Context ctx) {
        switch (phase) {
            case TRAIN_BEGIN -> {
                if (interactive) {
                    bar =
                            new ProgressBarBuilder()
                                    .setTaskName("Train")
                                    .setInitialMax(ctx.trainBatches())
                                    .setStyle(ProgressBarStyle.ASCII)
                                    .setConsumer(new ConsoleProgressBarConsumer(err))
                                    .setUpdateIntervalMillis(250)
                                    .continuousUpdate()
                                    .build();
                    lastRead = 0;
                }
            }
            case TRAIN_BATCH_END -> {
                if (bar != null) {
                    bar.step();
                    long now = System.nanoTime();
                    if (now - lastRead > REFRESH_NANOS) {
                        lastRead = now;
                        bar.setExtraMessage(
                                String.format(Locale.ROOT, "Loss: %.4f", ctx.loss().getFloat()));
                    }
                }
            }
            case TRAIN_END -> {
                if (bar != null) {
                    bar.close();
                    bar = null;
                }
            }
            case EPOCH_END -> out.println(epochLine(ctx));
            case FIT_END -> {
                if (ctx.stopRequested()) {
                    out.println("Training stopped at epoch " + ctx.epoch() + ": " + ctx.stopReason());
                }
            }
            default -> {}
        }
    }

    static String epochLine(Context ctx) {
        StringBuilder sb =
                new StringBuilder(
                        String.format(Locale.ROOT, "Epoch %d/%d", ctx.epoch(), ctx.maxEpochs()));
        append(sb, "Train", ctx.metrics(Records.TRAIN));
        append(sb, "Valid", ctx.metrics(Records.VALID));
        return sb.toString();
    }

    private static void append(StringBuilder sb, String set, Map<String, Double> metrics) {
        if (metrics.isEmpty()) {
            return;
        }
        sb.append("  ").append(set).append(" metrics: ");
        boolean first = true;
        for (Map.Entry<String, Double> e : metrics.entrySet()) {
            if (!first) {
                sb.append(" - ");
            }
            first = false;
            String name = e.getKey().substring(0, 1).toUpperCase(Locale.ROOT) + e.getKey().substring(1);
            sb.append(String.format(Locale.ROOT, "%s: %.4f", name, e.getValue()));
        }
    }
}
