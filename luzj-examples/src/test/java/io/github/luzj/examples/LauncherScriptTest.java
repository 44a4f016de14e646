package io.github.luzj.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/luzj} runs the CLI with glibc's malloc settings and a pre-touched Java heap, keeps the
 * caller's own settings (its JAVA_OPTS after the launcher's, so they win) and passes
 * the arguments through untouched; a stand-in {@code java} prints what it was given.
 */
class LauncherScriptTest {

    private static final Path SCRIPT = Path.of("..", "bin", "luzj").toAbsolutePath().normalize();

    private record Run(int code, String out, String err) {}

    private static Run run(Path tmp, Map<String, String> env, String... args) throws Exception {
        Path java = tmp.resolve("java");
        Files.writeString(
                java,
                "#!/bin/sh\n"
                        + "echo \"arenas=$MALLOC_ARENA_MAX mmap=$MALLOC_MMAP_THRESHOLD_ trim=$MALLOC_TRIM_THRESHOLD_\"\n"
                        + "for a in \"$@\"; do echo \"arg=$a\"; done\n");
        java.toFile().setExecutable(true);
        Path jar = tmp.resolve("luzj-examples.jar");
        if (!env.containsKey("LUZJ_JAR")) {
            Files.writeString(jar, "not a real jar");
        }
        List<String> cmd = new ArrayList<>(List.of("sh", SCRIPT.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("MALLOC_ARENA_MAX");
        pb.environment().remove("MALLOC_MMAP_THRESHOLD_");
        pb.environment().remove("MALLOC_TRIM_THRESHOLD_");
        pb.environment().remove("JAVA_OPTS");
        pb.environment().put("JAVA", java.toString());
        pb.environment().put("LUZJ_JAR", jar.toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), out, err);
    }

    @Test
    void setsMallocsArenaAndThresholdsAndPassesTheArgumentsThrough(@TempDir Path tmp) throws Exception {
        Run r = run(tmp, Map.of(), "bench", "--out", "a folder with spaces");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().lines().toList())
                .containsExactly(
                        "arenas=1 mmap=67108864 trim=1073741824",
                        "arg=-XX:+AlwaysPreTouch",
                        "arg=-jar",
                        "arg=" + tmp.resolve("luzj-examples.jar"),
                        "arg=bench",
                        "arg=--out",
                        "arg=a folder with spaces");
    }

    @Test
    void keepsTheCallersOwnSettings(@TempDir Path tmp) throws Exception {
        Run r = run(tmp, Map.of(
                                "MALLOC_ARENA_MAX", "4",
                                "MALLOC_MMAP_THRESHOLD_", "131072",
                                "JAVA_OPTS", "-XX:-AlwaysPreTouch -Xmx1g"),
                        "--help");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).startsWith(
                        "arenas=4 mmap=131072 trim=1073741824\n"
                                + "arg=-XX:+AlwaysPreTouch\narg=-XX:-AlwaysPreTouch\narg=-Xmx1g\narg=-jar\n");
    }

    @Test
    void aMissingJarIsOneLineNamingTheBuild(@TempDir Path tmp) throws Exception {
        Run r = run(tmp, Map.of("LUZJ_JAR", tmp.resolve("nothing.jar").toString()), "--help");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines().toList()).hasSize(1);
        assertThat(r.err()).contains("nothing.jar does not exist").contains("mvn -B -q package");
    }
}
