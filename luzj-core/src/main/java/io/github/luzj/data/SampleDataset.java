package io.github.luzj.data;

/**
 * Random-access examples on the host. Implementations are read from several worker threads at
 * once, so {@link #get(int)} must be thread-safe (an immutable in-memory array is).
 */
public interface SampleDataset {

    /**
     * Returns the number of examples.
     *
     * @return the size
     */
    int size();

    /**
     * Returns example {@code index}.
     *
     * @param index in {@code [0, size())}
     * @return the example
     */
    Sample get(int index);
}
