package io.github.luzj.examples.bench;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One timed run: its wall time, the CPU time the whole process spent meanwhile (engine threads,
 * loader workers, JIT and GC included) and the minor page faults it took. The CPU time shows what
 * a variant costs beyond the training thread (the loader's workers, for one); on a crowded
 * machine it is no steadier than the wall time, since engine threads that wait for each other
 * spin. The page faults are the steady figure: a count of freshly mapped pages the allocator made
 * the kernel zero, which other processes' load does not change.
 *
 * @param wall seconds of wall time
 * @param cpu seconds of process CPU time, NaN where the JVM cannot tell
 * @param pageFaults minor page faults of the whole process, NaN where /proc cannot tell
 */
record BenchTiming(double wall, double cpu, double pageFaults) {

    /**
     * A run timed elsewhere (another process), with no CPU time or page faults of this one.
     *
     * @param wall seconds of wall time
     * @param cpu seconds of CPU time, or NaN
     */
    BenchTiming(double wall, double cpu) {
        this(wall, cpu, Double.NaN);
    }

    /**
     * Times {@code work}.
     *
     * @param work what to time
     * @return its timing
     */
    static BenchTiming of(Runnable work) {
        double cpu0 = processCpuSeconds();
        double faults0 = minorPageFaults();
        long start = System.nanoTime();
        work.run();
        long end = System.nanoTime();
        return new BenchTiming(
                (end - start) / 1e9, processCpuSeconds() - cpu0, minorPageFaults() - faults0);
    }

    /** This run scaled by {@code f}, as if it had done {@code f} times the work. */
    BenchTiming scaled(double f) {
        return new BenchTiming(wall * f, cpu * f, pageFaults * f);
    }

    static List<Double> walls(List<BenchTiming> runs) {
        return runs.stream().map(BenchTiming::wall).toList();
    }

    static List<Double> cpus(List<BenchTiming> runs) {
        return runs.stream().map(BenchTiming::cpu).toList();
    }

    static List<Double> pageFaults(List<BenchTiming> runs) {
        return runs.stream().map(BenchTiming::pageFaults).toList();
    }

    /** The process's minor page faults so far ({@code minflt} in /proc/self/stat), or NaN. */
    static double minorPageFaults() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // the fields after the command name, which is in parentheses and may hold spaces
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[7]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN; // not Linux: the figure is left out
        }
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
