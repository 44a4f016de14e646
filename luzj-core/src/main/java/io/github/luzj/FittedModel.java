package io.github.luzj;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.training.dataset.RandomAccessDataset;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.github.luzj.base.AtomicFiles;
import io.github.luzj.base.Checks;
import io.github.luzj.base.InputFiles;
import io.github.luzj.base.JsonText;
import io.github.luzj.base.LuzjException;
import io.github.luzj.callback.Callback;
import io.github.luzj.checkpoint.Checkpoint;
import io.github.luzj.checkpoint.ParameterManifest;
import io.github.luzj.data.DataLoader;
import io.github.luzj.djl.DjlDatasets;
import io.github.luzj.fit.FitOptions;
import io.github.luzj.fit.internal.FitLoop;
import io.github.luzj.fit.internal.Inference;
import io.github.luzj.fit.internal.Session;
import io.github.luzj.optim.LuzOptimizer;
import io.github.luzj.record.Records;
import io.github.luzj.record.RecordsJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A trained model with its records (luz's fitted object). Fit it again to continue from its
 * weights and optimizer state; close it to free its native memory.
 */
public final class FittedModel implements Fittable, AutoCloseable {

    private final Session session;
    private boolean closed;

    FittedModel(Session session) {
        this.session = session;
    }

    /** The session, refused once closed: its weights are freed, and DJL would say only that. */
    private Session open() {
        if (closed) {
            throw new LuzjException(
                    "this FittedModel is closed: close() freed its weights and optimizer state"
                            + " (closeKeepingWeights() left the weights to the block, free for a"
                            + " new Luz.setup);"
                            + " use the model inside its try block, or close it only when done"
                            + " (save it first to use it later: FittedModel.save, Luz.load)");
        }
        return session;
    }

    /**
     * Returns the records (luz's {@code get_metrics()}).
     *
     * @return the records
     */
    public Records records() {
        return session.records();
    }

    /**
     * Returns why the last fit stopped before its last epoch (early stopping, a NaN loss, Ctrl-C).
     *
     * @return the reason, or null when it ran every epoch
     */
    public String stopReason() {
        return session.stopReason();
    }

    /**
     * Returns the DJL model, for {@code Predictor}s, {@code Model.save} or serving.
     *
     * @return the model
     */
    public Model model() {
        return open().model(); // a closed one's model would fail in DJL, saying only "closed"
    }

    /**
     * Returns the network.
     *
     * @return the block
     */
    public Block block() {
        return session.model().getBlock();
    }

    /**
     * Returns the live optimizer, whose state and groups every further fit continues from.
     *
     * @return the optimizer, or null for a model loaded and not fitted since
     */
    public LuzOptimizer optimizer() {
        return session.optimizer();
    }

    /**
     * Returns the number of optimizer steps taken in all fits.
     *
     * @return the global step
     */
    public long globalStep() {
        return session.globalStep();
    }

    /**
     * Creates a session for a trial fit over this model's weights, for luzj's LR finder rather
     * than for applications: it trains with a fresh optimizer of this model's kind and no
     * metrics, leaving this model's optimizer state, counters and records as they are
     * ({@link Session#trial}). Closing it frees only the trial's optimizer.
     *
     * @return the trial's session (the caller closes it)
     */
    public Session trialSession() {
        return open().trial(false);
    }

    /**
     * Trains further with every option.
     *
     * @param options the fit's arguments
     * @return this model
     */
    @Override
    public FittedModel fit(FitOptions options) {
        FitLoop.fit(open(), Checks.notNull("options", options, "pass FitOptions.builder(train)...build()"));
        return this;
    }

    /**
     * Computes the loss and metrics over {@code data} (luz's {@code evaluate}).
     *
     * @param data the examples
     * @return the values by abbreviation, {@code "loss"} first
     */
    public Map<String, Double> evaluate(DataLoader data) {
        return evaluate(data, new Callback[0]);
    }

    /**
     * Computes the loss and metrics over {@code data}, firing the validation phases at
     * {@code callbacks} as a fit's validation does (luz's {@code evaluate(callbacks = )}).
     *
     * @param data the examples
     * @param callbacks callbacks for {@code VALID_BEGIN}, per batch {@code VALID_BATCH_BEGIN},
     *     {@code VALID_BATCH_AFTER_PRED}, {@code VALID_BATCH_AFTER_LOSS} and
     *     {@code VALID_BATCH_END}, then {@code VALID_END}
     * @return the values by abbreviation, {@code "loss"} first
     */
    public Map<String, Double> evaluate(DataLoader data, Callback... callbacks) {
        return Inference.evaluate(open(), data, Checks.noNulls("callback", callbacks));
    }

    /**
     * Runs the model over {@code data} and stacks the outputs (luz's {@code predict}).
     *
     * @param data the examples
     * @param manager the manager that owns the result
     * @return the outputs, {@code [N, ...]}
     */
    public NDArray predict(DataLoader data, NDManager manager) {
        return predict(data, manager, new Callback[0]);
    }

    /**
     * Runs the model over {@code data}, firing the predict phases at {@code callbacks}.
     *
     * @param data the examples
     * @param manager the manager that owns the result
     * @param callbacks callbacks for {@code PREDICT_BEGIN}, {@code PREDICT_BATCH_BEGIN},
     *     {@code PREDICT_BATCH_END} and {@code PREDICT_END}
     * @return the outputs, {@code [N, ...]}
     */
    public NDArray predict(DataLoader data, NDManager manager, Callback... callbacks) {
        return Inference.predict(open(), data, manager, Checks.noNulls("callback", callbacks));
    }

    /**
     * Runs the model over {@code data} and returns each example's outputs as a Java row, for
     * code that has no use for NDArrays.
     *
     * @param data the examples (labeled or not), in the order the loader gives them
     * @return one row per example: its outputs, flattened
     */
    public float[][] predictRows(DataLoader data) {
        try (NDManager manager = NDManager.newBaseManager(open().device())) {
            NDArray out = predict(data, manager);
            int n = (int) out.getShape().get(0);
            float[] flat = out.toType(DataType.FLOAT32, false).toFloatArray();
            int width = n == 0 ? 0 : flat.length / n;
            float[][] rows = new float[n][];
            for (int i = 0; i < n; i++) {
                rows[i] = Arrays.copyOfRange(flat, i * width, (i + 1) * width);
            }
            return rows;
        }
    }

    /**
     * Runs a classifier over {@code data} and returns each example's predicted class: the index
     * of its largest output.
     *
     * @param data the examples (labeled or not), in the order the loader gives them
     * @return one class index per example
     */
    public int[] predictClasses(DataLoader data) {
        float[][] rows = predictRows(data);
        int[] classes = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            Checks.check(
                    rows[i].length >= 2,
                    "the model has %d output per example, so there is no class to pick; use"
                            + " predictRows for a regression or a single-logit binary model",
                    rows[i].length);
            int best = 0;
            for (int j = 0; j < rows[i].length; j++) {
                if (Float.isNaN(rows[i][j])) {
                    // NaN compares false with everything, so the pick would be a confident class 0
                    throw new LuzjException(String.format(Locale.ROOT,
                            "the model's output for example %d is NaN, so it names no class; the"
                                    + " weights diverged (every loss of the fit was NaN: lower the"
                                    + " learning rate) or the example's features hold NaN", i));
                }
                if (rows[i][j] > rows[i][best]) {
                    best = j;
                }
            }
            classes[i] = best;
        }
        return classes;
    }

    /**
     * Computes the loss and metrics over a DJL dataset, every row, in order.
     *
     * @param data the examples
     * @return the values by abbreviation, {@code "loss"} first
     */
    public Map<String, Double> evaluate(RandomAccessDataset data) {
        return evaluate(inOrder(data));
    }

    /**
     * Runs the model over a DJL dataset, every row, in order.
     *
     * @param data the examples
     * @param manager the manager that owns the result
     * @return the outputs, {@code [N, ...]}
     */
    public NDArray predict(RandomAccessDataset data, NDManager manager) {
        return predict(inOrder(data), manager);
    }

    private static DataLoader inOrder(RandomAccessDataset data) {
        return DjlDatasets.loaderBuilder(data)
                .shuffle(false)
                .dropLast(false)
                .build();
    }

    /**
     * Saves the weights (with BatchNorm statistics) and the records to folder {@code dir},
     * atomically (luz's {@code luz_save}). The folder is replaced whole, so it must be missing,
     * empty or an earlier save's.
     *
     * @param dir the folder
     * @throws LuzjException when {@code dir} is a file or holds anything else, touching nothing
     */
    public void save(Path dir) {
        Checks.notNull("dir", dir, "pass the folder to save the model in");
        open();
        Checks.check(
                !Checkpoint.exists(AtomicFiles.resolved(dir)),
                "%s is a checkpoint folder, and a save would replace it; save the model into a"
                        + " folder of its own (the checkpoint is resumed with"
                        + " FitOptions.resumeFrom)",
                dir);
        Path target = SavedModelFolder.checkWritable(dir);
        session.toEvaluationPoint();
        AtomicFiles.writeDirectory(
                target,
                tmp -> {
                    session.model().save(tmp, SavedModelFolder.WEIGHTS_NAME);
                    if (session.model().getBlock().isInitialized()) {
                        Files.writeString(
                                tmp.resolve(ParameterManifest.FILE),
                                ParameterManifest.of(session.model().getBlock()).toJson(),
                                StandardCharsets.UTF_8);
                    }
                    Files.writeString(
                            tmp.resolve(SavedModelFolder.RECORDS_FILE),
                            recordsJson(session.records(), session.loss().getName()),
                            StandardCharsets.UTF_8);
                });
    }

    /**
     * Loads what {@link #save} wrote into the set-up model's block.
     *
     * @param dir the folder
     * @param setup the same architecture, loss, optimizer and metrics
     * @return the fitted model
     */
    static FittedModel load(Path dir, SetupModel setup) {
        Checks.notNull("dir", dir, "pass the folder that FittedModel.save wrote");
        Checks.notNull("setup", setup, "pass the model set up as when it was trained (Luz.setup)");
        if (!Files.isDirectory(dir)) {
            Path aside = AtomicFiles.movedAside(dir);
            throw new LuzjException("no saved model at " + dir + (aside == null
                    ? "; pass the folder that FittedModel.save wrote"
                    : ", but its earlier save is at " + aside + ", where a save that stopped between"
                            + " moving it aside and putting the new one in place left it: rename it to "
                            + dir.getFileName() + " to load it"));
        }
        try (DirectoryStream<Path> listing = Files.newDirectoryStream(dir)) {
            // a folder the user may not list would read as one without parameters.json below
            listing.iterator().hasNext();
        } catch (IOException | DirectoryIteratorException e) {
            Throwable cause = e instanceof DirectoryIteratorException d ? d.getCause() : e;
            throw new LuzjException("the saved model at " + dir + " cannot be listed: "
                    + (cause instanceof AccessDeniedException
                            ? "permission denied (chmod u+rx it)" : String.valueOf(cause)), e);
        }
        Path manifest = dir.resolve(ParameterManifest.FILE);
        if (!Files.isRegularFile(manifest) && Checkpoint.exists(dir)) {
            throw new LuzjException(
                    dir + " is a checkpoint, not a saved model: resume the fit from it with"
                            + " FitOptions.builder(train).resumeFrom(dir), or load a folder that"
                            + " FittedModel.save wrote");
        }
        if (!Files.isRegularFile(manifest)) {
            // without it nothing says which architecture the weights are for
            throw new LuzjException(
                    "the saved model at " + dir + " is incomplete: " + ParameterManifest.FILE
                            + " is missing; save the model again with FittedModel.save");
        }
        List<Path> weights = SavedModelFolder.weightsFiles(dir);
        if (weights.isEmpty()) {
            throw new LuzjException(
                    "the saved model at " + dir + " is incomplete: its weights ("
                            + SavedModelFolder.WEIGHTS_NAME + "-0000.params) are missing; save the"
                            + " model again with FittedModel.save");
        }
        Session session = setup.newSession(1, "Luz.load");
        try {
            ParameterManifest.parse(smallText(manifest), manifest)
                    .checkFits(session.model().getBlock(), session.model().getNDManager(), initBudget(weights));
            weights.forEach(f -> ParamsFile.check(f, session.model().getBlock()));
            loadWeights(dir, session);
            Path records = dir.resolve(SavedModelFolder.RECORDS_FILE);
            if (Files.exists(records)) {
                readRecords(records, session.records(), session.loss().getName());
                session.countLoadedRecords();
            }
            return BlockLease.hold(session.model().getNDManager(), new FittedModel(session));
        } catch (LuzjException e) {
            session.closeAfterFailure(setup.makesItsModel());
            throw e;
        } catch (IOException | RuntimeException e) {
            session.closeAfterFailure(setup.makesItsModel());
            throw new LuzjException(
                    "cannot load the model saved at " + dir + ": " + e
                            + "; save the model again with FittedModel.save",
                    e);
        }
    }

    /**
     * What initializing the block for the saved input shape may allocate: a few times the weights
     * files' bytes (they may hold half-precision weights that initialize as floats), so that a
     * forged input shape fails before the first layer takes gigabytes. A file that is no regular
     * file sets no bound here; ParamsFile refuses it next.
     */
    private static long initBudget(List<Path> weights) {
        long bytes = 0;
        for (Path f : weights) {
            try {
                if (!Files.isRegularFile(f) || Files.size(f) == 0) {
                    return Long.MAX_VALUE;
                }
                bytes += Files.size(f);
            } catch (IOException e) {
                return Long.MAX_VALUE;
            }
        }
        return bytes > (Long.MAX_VALUE - (1 << 20)) / 4 ? Long.MAX_VALUE : 4 * bytes + (1 << 20);
    }

    private static void loadWeights(Path dir, Session session) {
        try {
            session.model().load(dir, SavedModelFolder.WEIGHTS_NAME);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            // ParamsFile has matched every count to the architecture: what is left is damage
            throw new LuzjException(
                    "the weights of the model saved at " + dir + " are damaged (" + e
                            + "); save the model again with FittedModel.save",
                    e);
        }
        // DJL's load replaces the arrays without gradients; fitting again needs them
        session.model()
                .getBlock()
                .getParameters()
                .forEach(
                        p -> {
                            if (p.getValue().requiresGradient()) {
                                p.getValue().getArray().setRequiresGradient(true);
                            }
                        });
    }

    /** The records, with the loss's name ({@code "mse"} for {@code Losses.mse()}) beside "loss". */
    private static String recordsJson(Records records, String lossName) {
        JsonObject root = new JsonObject();
        root.addProperty("loss", lossName);
        RecordsJson.write(records, Integer.MAX_VALUE, Long.MAX_VALUE, root);
        Gson gson = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();
        return gson.toJson(root);
    }

    /** luzj's JSON files of a saved model, bounded: a device or a huge file is refused unread. */
    private static String smallText(Path file) {
        return new String(InputFiles.readBounded(file, "saved-model file", 256L << 20,
                "save the model again with FittedModel.save"), StandardCharsets.UTF_8);
    }

    private static void readRecords(Path file, Records into, String lossName) throws IOException {
        JsonElement root = JsonText.parse(smallText(file));
        if (!root.isJsonObject()) {
            throw new LuzjException(file + " holds no records object; save the model again");
        }
        JsonElement saved = root.getAsJsonObject().get("loss");
        if (saved != null && saved.isJsonPrimitive() && !saved.getAsString().equals(lossName)) {
            // its records' "loss" values are that loss's: a fit on would mix the two under one name
            throw new LuzjException(
                    "the model saved at " + file.getParent() + " was trained with the loss '"
                            + saved.getAsString() + "', but this setup's is '" + lossName
                            + "'; set it up with the loss it was trained with");
        }
        RecordsJson.read(root.getAsJsonObject(), file.toString(), into);
    }

    /**
     * Frees the optimizer's state and the DJL model around the block, but leaves the block's
     * weights alive and free for a new {@code Luz.setup}: for code that fits a user's block on
     * the user's behalf (such as {@code FineTune}) and must give back the pretrained weights it
     * was handed when its run fails, as a failed {@code fit} does.
     */
    public void closeKeepingWeights() {
        if (!closed) {
            closed = true;
            session.closeAfterFailure(true);
        }
    }

    /** Frees the model's native memory and the optimizer's state. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            session.close();
        }
    }
}
