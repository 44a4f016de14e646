package io.github.luzj.data;

import java.util.Iterator;

/**
 * The batches of one epoch. When the loader has worker threads they prepare the next batches
 * while the caller trains on this one; {@link #close()} stops them early. An iterator that is run
 * to its end, or fails, closes itself; one that is abandoned without closing lets its workers
 * finish the few batches already queued and then end by themselves, so nothing leaks either way.
 */
public interface BatchIterator extends Iterator<HostBatch>, AutoCloseable {

    /** Stops preparing batches; {@link #hasNext()} is false afterwards. Calling it twice is fine. */
    @Override
    void close();
}
