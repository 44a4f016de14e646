package io.github.luzj.data;

import io.github.luzj.base.LuzjException;
import java.util.ArrayDeque;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Prepares batches on worker threads, at most {@code prefetch} ahead of the caller, and hands
 * them out in order. Each batch is one task computed from the epoch's order alone, so which
 * worker ran it cannot change its content.
 *
 * <p>Work is only queued when the caller takes a batch, so an abandoned iterator stops after the
 * batches already in flight; its daemon threads then time out. {@link #close()} cancels at once.
 */
final class PrefetchIterator implements BatchIterator {

    /** How long an idle worker waits for work before it ends. */
    private static final long KEEP_ALIVE_MS = 500;

    private final DataLoader loader;
    private final int[] order;
    private final int epoch;
    private final int batches;
    private final int prefetch;
    private final ThreadPoolExecutor pool;
    private final ArrayDeque<Future<HostBatch>> inFlight = new ArrayDeque<>();
    private int submitted;
    private int returned;
    private boolean closed;

    PrefetchIterator(DataLoader loader, int[] order, int epoch, int batches, int workers, int prefetch) {
        this.loader = loader;
        this.order = order;
        this.epoch = epoch;
        this.batches = batches;
        this.prefetch = prefetch;
        this.pool = new ThreadPoolExecutor(
                workers, workers, KEEP_ALIVE_MS, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), daemonThreads(epoch));
        pool.allowCoreThreadTimeOut(true);
        fill();
    }

    private static ThreadFactory daemonThreads(int epoch) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "luzj-loader-epoch" + epoch + "-" + n.incrementAndGet());
            // A forgotten iterator must never keep the JVM alive.
            t.setDaemon(true);
            return t;
        };
    }

    private void fill() {
        while (!closed && submitted < batches && inFlight.size() < prefetch) {
            int b = submitted++;
            inFlight.add(pool.submit(() -> loader.batch(order, epoch, b)));
        }
    }

    @Override
    public boolean hasNext() {
        return !closed && returned < batches;
    }

    @Override
    public HostBatch next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Future<HostBatch> head = inFlight.poll();
        // Queue the replacement before waiting, so the workers never idle while we block.
        fill();
        try {
            HostBatch batch = head.get();
            returned++;
            if (returned == batches) {
                close();
            }
            return batch;
        } catch (ExecutionException e) {
            close();
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        } catch (InterruptedException e) {
            close();
            Thread.currentThread().interrupt();
            // the caller's interrupt, not a failure of the data: said so, the flag kept for it
            throw new LuzjException(
                    "interrupted (Thread.interrupt) while waiting for batch " + (returned + 1)
                            + " of epoch " + epoch + "; the thread's interrupt flag is set again."
                            + " Checkpoints written before are intact: resume from the last with"
                            + " FitOptions.resumeFrom",
                    e);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Future<HostBatch> f : inFlight) {
            f.cancel(true);
        }
        inFlight.clear();
        pool.shutdownNow();
    }
}
