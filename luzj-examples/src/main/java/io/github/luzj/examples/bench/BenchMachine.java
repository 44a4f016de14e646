package io.github.luzj.examples.bench;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the bench ran on, read from Linux's {@code /proc}: the CPU, the load, and this process's
 * resident memory. Where {@code /proc} is missing (not Linux) the figures are unknown: "unknown",
 * NaN or -1, never a failure.
 */
final class BenchMachine {

    private BenchMachine() {}

    /**
     * Returns the CPU's model name as {@code /proc/cpuinfo} gives it.
     *
     * @return the model name, or "unknown"
     */
    static String cpuModel() {
        for (String line : lines(Path.of("/proc/cpuinfo"))) {
            if (line.startsWith("model name")) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return "unknown";
    }

    /**
     * Returns the 1-, 5- and 15-minute load averages.
     *
     * @return three numbers, NaN when unknown
     */
    static double[] loadAverage() {
        List<String> lines = lines(Path.of("/proc/loadavg"));
        double[] out = {Double.NaN, Double.NaN, Double.NaN};
        if (!lines.isEmpty()) {
            String[] parts = lines.get(0).trim().split("\\s+");
            for (int i = 0; i < 3 && i < parts.length; i++) {
                out[i] = Double.parseDouble(parts[i]);
            }
        }
        return out;
    }

    /**
     * Returns this process's resident memory, {@code VmRSS} of {@code /proc/self/status}.
     *
     * @return megabytes (MiB), or -1 when unknown
     */
    static double residentMegabytes() {
        for (String line : lines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                String[] parts = line.substring(6).trim().split("\\s+");
                return Long.parseLong(parts[0]) / 1024.0; // the kernel reports kB
            }
        }
        return -1;
    }

    /**
     * Collects garbage, then returns the resident memory. The Java heap grows in steps while
     * garbage piles up between collections; without a collection first, that growth would hide
     * or mimic a native leak, which is what the figure is for.
     *
     * @return megabytes (MiB), or -1 when unknown
     */
    static double residentMegabytesAfterGc() {
        System.gc();
        return residentMegabytes();
    }

    /**
     * Returns the memory held by the JVM's direct buffers (DJL's host-to-engine copies among
     * them), which the garbage collector frees only when it finds their owners dead.
     *
     * @return megabytes (MiB)
     */
    static double directBufferMegabytes() {
        return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                        .filter(p -> p.getName().equals("direct"))
                        .mapToLong(BufferPoolMXBean::getMemoryUsed)
                        .sum()
                / (1024.0 * 1024.0);
    }

    /**
     * Returns the memory the JVM has committed to its heap.
     *
     * @return megabytes (MiB)
     */
    static double heapCommittedMegabytes() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted()
                / (1024.0 * 1024.0);
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException | SecurityException e) {
            return List.of(); // not Linux, or hidden: the figure is reported as unknown
        }
    }
}
