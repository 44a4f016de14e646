package io.github.luzj.examples.bench;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.luzj.data.FloatTensor;
import io.github.luzj.data.SampleDataset;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Plain PyTorch eager on the other end of a pipe: {@code bench_pytorch.py --worker} (bundled in
 * the jar, the same file as {@code docs/bench_pytorch.py}) started once, given the bench's own
 * training images, warmed up, then told to run one epoch at a time, so that its epochs
 * interleave with luzj's in the same rounds and Python's start-up is never timed. It inherits
 * the JVM's environment ({@code OMP_WAIT_POLICY}, allocator variables) and is given the
 * engine's thread counts, so both sides run under the same conditions.
 */
final class BenchPyTorch implements AutoCloseable {

    /** The two memory layouts the worker trains and evaluates. */
    enum Layout {
        /** What a PyTorch user gets by default. */
        NCHW("nchw"),
        /** Model and batches in {@code torch.channels_last}. */
        CHANNELS_LAST("channels_last");

        private final String word;

        Layout(String word) {
            this.word = word;
        }
    }

    /** Why PyTorch could not be run: the bench says so and skips its figures. */
    static final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;

        Unavailable(String message) {
            super(message);
        }
    }

    private static final String SCRIPT = "bench_pytorch.py";
    private static final long PROBE_SECONDS = 120;

    private final Process process;
    private final BufferedWriter commands;
    private final BufferedReader answers;
    private final Path dir;
    private final String version;

    private BenchPyTorch(Process process, Path dir) throws IOException, Unavailable {
        this.process = process;
        this.dir = dir;
        this.commands =
                new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        this.answers =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        JsonObject ready = answer();
        if (!ready.has("ready")) {
            throw new Unavailable("the PyTorch worker did not start: " + ready);
        }
        this.version = ready.get("torch").getAsString();
    }

    /**
     * Finds a Python with torch and starts the worker on {@code train}.
     *
     * @param python the interpreter, or null to try {@code python3} then {@code /usr/bin/python3}
     * @param train the training images, handed over in index order
     * @param batchSize the batch size
     * @param seed the worker's seed
     * @param threads intra-op threads
     * @param interopThreads inter-op threads
     * @param warmupBatches batches each workload trains and evaluates before it answers
     * @return the running worker
     * @throws Unavailable when no interpreter imports torch, or the worker fails to start
     */
    static BenchPyTorch start(
            String python,
            SampleDataset train,
            int batchSize,
            long seed,
            int threads,
            int interopThreads,
            int warmupBatches)
            throws Unavailable {
        String interpreter = findPython(python);
        Path dir = null;
        try {
            dir = Files.createTempDirectory("luzj-bench-pytorch");
            Path script = dir.resolve(SCRIPT);
            try (InputStream in = BenchPyTorch.class.getResourceAsStream(SCRIPT)) {
                if (in == null) {
                    throw new Unavailable(SCRIPT + " is missing from the jar; rebuild it with mvn package");
                }
                Files.copy(in, script);
            }
            long[] shape = writeData(train, dir.resolve("features.f32"), dir.resolve("labels.f32"));
            List<String> cmd =
                    List.of(
                            interpreter, script.toString(), "--worker",
                            "--features", dir.resolve("features.f32").toString(),
                            "--labels", dir.resolve("labels.f32").toString(),
                            "--shape", joined(shape),
                            "--batch-size", Integer.toString(batchSize),
                            "--seed", Long.toString(seed),
                            "--threads", Integer.toString(threads),
                            "--interop-threads", Integer.toString(interopThreads),
                            "--warmup", Integer.toString(warmupBatches));
            Process p =
                    new ProcessBuilder(cmd)
                            .redirectError(dir.resolve("stderr.txt").toFile())
                            .start();
            try {
                return new BenchPyTorch(p, dir);
            } catch (IOException | Unavailable | RuntimeException e) {
                p.destroyForcibly();
                throw new Unavailable(
                        "the PyTorch worker failed: " + e.getMessage() + lastLine(dir.resolve("stderr.txt")));
            }
        } catch (IOException e) {
            deleteQuietly(dir);
            throw new Unavailable("could not prepare the PyTorch worker: " + e.getMessage());
        } catch (Unavailable e) {
            deleteQuietly(dir);
            throw e;
        }
    }

    /** The PyTorch version the worker runs. */
    String version() {
        return version;
    }

    /**
     * Trains one epoch.
     *
     * @param layout the memory layout
     * @return its timing (wall time only: the worker is another process)
     */
    BenchTiming train(Layout layout) {
        return run("train " + layout.word);
    }

    /**
     * Evaluates one epoch: eval mode, no gradient, the loss.
     *
     * @param layout the memory layout
     * @return its timing
     */
    BenchTiming evaluate(Layout layout) {
        return run("eval " + layout.word);
    }

    private BenchTiming run(String command) {
        try {
            commands.write(command + "\n");
            commands.flush();
            JsonObject a = answer();
            if (!a.has("seconds")) {
                throw new IllegalStateException("the PyTorch worker answered " + a);
            }
            return new BenchTiming(a.get("seconds").getAsDouble(), Double.NaN);
        } catch (IOException | Unavailable e) {
            throw new IllegalStateException(
                    "the PyTorch worker stopped: " + e.getMessage() + lastLine(dir.resolve("stderr.txt")), e);
        }
    }

    private JsonObject answer() throws IOException, Unavailable {
        String line = answers.readLine();
        if (line == null) {
            throw new Unavailable("it exited");
        }
        return JsonParser.parseString(line).getAsJsonObject();
    }

    /** Tells the worker to quit, and removes its files. */
    @Override
    public void close() {
        try {
            commands.write("quit\n");
            commands.flush();
        } catch (IOException e) {
            // it has already gone
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        deleteQuietly(dir);
    }

    private static String findPython(String python) throws Unavailable {
        List<String> candidates = python != null ? List.of(python) : List.of("python3", "/usr/bin/python3");
        List<String> why = new ArrayList<>();
        for (String c : candidates) {
            String problem = probe(c);
            if (problem == null) {
                return c;
            }
            why.add(c + ": " + problem);
        }
        throw new Unavailable(
                "no Python with torch (" + String.join("; ", why)
                        + "); install it (Debian: apt-get install python3-torch) or pass --python");
    }

    /** Returns null when {@code python} imports torch and numpy, else what went wrong. */
    private static String probe(String python) {
        try {
            Process p =
                    new ProcessBuilder(python, "-c", "import torch, numpy")
                            .redirectErrorStream(true)
                            .start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(PROBE_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "timed out";
            }
            if (p.exitValue() == 0) {
                return null;
            }
            String[] lines = new String(out, StandardCharsets.UTF_8).strip().split("\n");
            return lines[lines.length - 1];
        } catch (IOException e) {
            return "cannot run (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** Writes features and labels as raw little-endian float32; returns the features' shape. */
    private static long[] writeData(SampleDataset train, Path features, Path labels) throws IOException {
        long[] sampleShape = train.get(0).x().shape();
        try (OutputStream fx = new BufferedOutputStream(Files.newOutputStream(features), 1 << 20);
                OutputStream fy = new BufferedOutputStream(Files.newOutputStream(labels), 1 << 16)) {
            for (int i = 0; i < train.size(); i++) {
                var s = train.get(i);
                write(fx, s.x());
                write(fy, s.y());
            }
        }
        long[] shape = new long[sampleShape.length + 1];
        shape[0] = train.size();
        System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
        return shape;
    }

    private static void write(OutputStream out, FloatTensor t) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(t.data().length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(t.data());
        out.write(b.array());
    }

    private static String joined(long[] shape) {
        StringBuilder sb = new StringBuilder();
        for (long d : shape) {
            sb.append(sb.length() == 0 ? "" : ",").append(d);
        }
        return sb.toString();
    }

    private static String lastLine(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return lines.isEmpty() ? "" : " (" + lines.get(lines.size() - 1).strip() + ")";
        } catch (IOException e) {
            return "";
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is harmless
        }
    }
}
