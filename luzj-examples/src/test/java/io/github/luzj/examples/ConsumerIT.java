package io.github.luzj.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * luzj as a user gets it: the library jars this build packaged are installed into a private
 * repository under target/, and a separate project (src/it/consumer) that declares luzj in its
 * pom is built against them, offline, then run in two JVMs: one trains a classifier and a
 * regression from CSV files, predicts on rows without labels and saves both models; a fresh one
 * loads them and must predict the same. It runs in {@code mvn verify}, after the jars exist.
 */
class ConsumerIT {

    static final Path ROOT = DocsTest.ROOT;
    static final String VERSION = System.getProperty("luzj.version", "0.1.0-SNAPSHOT");
    static final Path CACHE = Path.of(System.getProperty("luzj.mavenRepo",
            System.getProperty("user.home") + "/.m2/repository"));
    static final Path WORK = ROOT.resolve("luzj-examples/target/consumer-it");

    record Result(int code, String out) {}

    static Result run(Path dir, List<String> command) throws IOException, InterruptedException {
        Path log = Files.createTempFile(WORK, "run", ".log");
        Process p = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    /** Maven on a private repository whose only source is this build's own repository, offline. */
    static Result mvn(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("mvn", "-B", "-q", "-o",
                "-s", WORK.resolve("settings.xml").toString(),
                "-Dmaven.repo.local=" + WORK.resolve("repo"),
                "-Daether.offline.protocols=file"));
        cmd.addAll(List.of(args));
        Result r = run(dir, cmd);
        assertThat(r.code()).as("mvn %s:%n%s", String.join(" ", args), r.out()).isZero();
        return r;
    }

    static void install(String module, boolean withDocs) throws Exception {
        Path target = ROOT.resolve(module).resolve("target");
        String jar = target.resolve(module + "-" + VERSION + ".jar").toString();
        List<String> args = new ArrayList<>(List.of(
                "org.apache.maven.plugins:maven-install-plugin:3.1.3:install-file",
                "-Dfile=" + jar, "-DpomFile=" + ROOT.resolve(module).resolve("pom.xml")));
        if (withDocs) {
            args.add("-Dsources=" + target.resolve(module + "-" + VERSION + "-sources.jar"));
            args.add("-Djavadoc=" + target.resolve(module + "-" + VERSION + "-javadoc.jar"));
        }
        mvn(ROOT, args.toArray(String[]::new));
    }

    static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    @Test
    void aUsersProjectTrainsSavesAndReloadsAgainstTheInstalledArtifacts() throws Exception {
        deleteTree(WORK);
        Files.createDirectories(WORK);
        Files.writeString(WORK.resolve("settings.xml"), """
                <settings><mirrors><mirror><id>this-build</id><mirrorOf>*</mirrorOf>
                <url>%s</url></mirror></mirrors></settings>
                """.formatted(CACHE.toUri()));
        mvn(ROOT, "org.apache.maven.plugins:maven-install-plugin:3.1.3:install-file",
                "-Dfile=" + ROOT.resolve("pom.xml"), "-DpomFile=" + ROOT.resolve("pom.xml"),
                "-Dpackaging=pom");
        for (String module : new String[] {"luzj-core", "luzj-callbacks", "luzj-lrfinder"}) {
            install(module, true);
        }
        Path installed = WORK.resolve("repo/io/github/luzj/luzj-core").resolve(VERSION);
        assertThat(installed.resolve("luzj-core-" + VERSION + "-sources.jar")).exists();
        assertThat(installed.resolve("luzj-core-" + VERSION + "-javadoc.jar")).exists();

        Path app = WORK.resolve("app");
        copyTree(ROOT.resolve("luzj-examples/src/it/consumer"), app);
        Path pom = app.resolve("pom.xml");
        Files.writeString(pom, Files.readString(pom).replace("@luzj.version@", VERSION));
        mvn(app, "compile", "dependency:build-classpath", "-Dmdep.outputFile=compile.txt",
                "-Dmdep.includeScope=compile");
        String compile = Files.readString(app.resolve("compile.txt"));
        assertThat(compile).contains("luzj-core-" + VERSION + ".jar", "commons-csv",
                "pytorch-native-cpu");
        for (String testLibrary : new String[] {"junit", "assertj", "opentest4j", "hamcrest",
                "apiguardian", "byte-buddy", "mockito", "luzj-core-" + VERSION + "-tests"}) {
            assertThat(compile).as("the consumer's compile classpath").doesNotContain(testLibrary);
        }
        mvn(app, "dependency:build-classpath", "-Dmdep.outputFile=runtime.txt",
                "-Dmdep.includeScope=runtime");
        String classpath = app.resolve("target/classes") + java.io.File.pathSeparator
                + Files.readString(app.resolve("runtime.txt")).strip();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path out = WORK.resolve("out");
        List<String> base = List.of(java, "-Dai.djl.offline=true", "-Djava.awt.headless=true",
                "-cp", classpath, "consumer.ConsumerApp");

        Result trained = run(app, concat(base, "train", ROOT.resolve("docs/data").toString(), out.toString()));
        assertThat(trained.code()).as(trained.out()).isZero();
        // no SLF4J provider in this project: the verbose fit prints the warning itself
        assertThat(trained.out()).contains("Warning: EarlyStopping monitors valid_loss but the fit"
                + " has no validation data");
        Matcher acc = Pattern.compile("classifier accuracy ([0-9.]+)").matcher(trained.out());
        assertThat(acc.find()).as(trained.out()).isTrue();
        assertThat(Double.parseDouble(acc.group(1))).isGreaterThan(0.9);
        Matcher mse = Pattern.compile("regression mse ([0-9.]+) loss ([0-9.]+)").matcher(trained.out());
        assertThat(mse.find()).as(trained.out()).isTrue();
        assertThat(Double.parseDouble(mse.group(1))).isLessThan(4500).isPositive();
        assertThat(Double.parseDouble(mse.group(2))).isEqualTo(Double.parseDouble(mse.group(1)));

        Result loaded = run(app, concat(base, "predict", ROOT.resolve("docs/data").toString(), out.toString()));
        assertThat(loaded.code()).as(loaded.out()).isZero();
        String before = Files.readString(out.resolve("trained.txt"));
        assertThat(before.lines()).hasSize(2);
        assertThat(before.lines().findFirst().orElseThrow()).contains("0, ").contains("1, ");
        assertThat(Files.readString(out.resolve("loaded.txt"))).isEqualTo(before);
    }

    static List<String> concat(List<String> a, String... b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(List.of(b));
        return all;
    }
}
