package io.github.luzj.base;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * This machine's name, for a lock file's holder and a TensorBoard file's name, read without a
 * name lookup: {@code InetAddress.getLocalHost()} asks the resolver, which can hang for seconds
 * on a machine without DNS.
 */
public final class HostName {

    private HostName() {}

    /**
     * Returns {@code $HOSTNAME}, else the first line of {@code /etc/hostname}, else
     * {@code fallback}.
     *
     * @param fallback the name when neither says one
     * @return the name
     */
    public static String orElse(String fallback) {
        String h = System.getenv("HOSTNAME");
        if (h != null && !h.isBlank()) {
            return h.strip();
        }
        try {
            List<String> lines = Files.readAllLines(Path.of("/etc/hostname"), StandardCharsets.UTF_8);
            if (!lines.isEmpty() && !lines.get(0).isBlank() && lines.get(0).length() <= 255) {
                return lines.get(0).strip();
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or unreadable: the fallback names it
        }
        return fallback;
    }
}
