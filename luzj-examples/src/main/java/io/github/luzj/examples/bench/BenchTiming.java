package io.github.luzj.examples.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * One timed run: its wall time and the CPU time the whole process spent meanwhile (engine
 * threads, loader workers, JIT and GC included). The CPU time shows what a variant costs beyond
 * the training thread (the loader's workers, for one); on a crowded machine it is no steadier
 * than the wall time, since engine threads that wait for each other spin.
 *
 * @param wall seconds of wall time
 * @param cpu seconds of process CPU time, NaN where the JVM cannot tell
 */
record BenchTiming(double wall, double cpu) {

    /**
     * Times {@code work}.
     *
     * @param work what to time
     * @return its timing
     */
    static BenchTiming of(Runnable work) {
        double cpu0 = processCpuSeconds();
        long start = System.nanoTime();
        work.run();
        long end = System.nanoTime();
        return new BenchTiming((end - start) / 1e9, processCpuSeconds() - cpu0);
    }

    static List<Double> walls(List<BenchTiming> runs) {
        return runs.stream().map(BenchTiming::wall).toList();
    }

    static List<Double> cpus(List<BenchTiming> runs) {
        return runs.stream().map(BenchTiming::cpu).toList();
    }

    private static double processCpuSeconds() {
        if (ManagementFactory.getOperatingSystemMXBean()
                instanceof OperatingSystemMXBean os) {
            long ns = os.getProcessCpuTime();
            return ns < 0 ? Double.NaN : ns / 1e9;
        }
        return Double.NaN;
    }
}
