package io.github.luzj.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.github.luzj.base.LuzjException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxDatasetSourceTest {

    @TempDir Path tmp;

    private IdxDatasetSource.Builder offline(IdxDatasetSpec spec, DataDirectory dir) {
        return IdxDatasetSource.builder(spec).directory(dir).download(false).progress(false);
    }

    @Test
    void loadsFromLuzjDataAsToTensorWould() throws IOException {
        IdxFiles.writeSplit(tmp.resolve("data/mnist"), Split.TEST, 7, true);
        DataDirectory dir = DataDirectory.of(null, tmp.resolve("data").toString(), tmp.resolve("home"));

        ImageDataset test = offline(Mnist.SPEC, dir).build().load(Split.TEST);

        assertThat(test.size()).isEqualTo(7);
        Sample s = test.get(3);
        assertThat(s.x().shape()).containsExactly(1, 28, 28);
        assertThat(s.x().data()[0]).isEqualTo(3 / 255f);
        assertThat(s.x().data()[300]).isEqualTo(((3 + 300) % 256) / 255f);
        assertThat(s.y().shape()).isEmpty();
        assertThat(s.y().data()).containsExactly(3f);
        assertThat(test.label(6)).isEqualTo(6);
    }

    @Test
    void acceptsUngzippedAndDottedNames() throws IOException {
        Path folder = tmp.resolve("home/.luzj/datasets/mnist");
        IdxFiles.writeSplit(folder, Split.TRAIN, 4, false);
        Files.move(folder.resolve("train-labels-idx1-ubyte"), folder.resolve("train-labels.idx1-ubyte"));
        DataDirectory dir = DataDirectory.of(null, null, tmp.resolve("home"));

        DataDirectory.SplitFiles files = offline(Mnist.SPEC, dir).build().locate(Split.TRAIN);

        assertThat(files.images()).isEqualTo(folder.resolve("train-images-idx3-ubyte"));
        assertThat(files.labels()).isEqualTo(folder.resolve("train-labels.idx1-ubyte"));
        assertThat(offline(Mnist.SPEC, dir).build().load(Split.TRAIN).size()).isEqualTo(4);
    }

    @Test
    void luzjDataComesBeforeHomeAndExplicitFolderBeforeBoth() throws IOException {
        IdxFiles.writeSplit(tmp.resolve("env/mnist"), Split.TEST, 2, true);
        IdxFiles.writeSplit(tmp.resolve("home/.luzj/datasets/mnist"), Split.TEST, 3, true);
        IdxFiles.writeSplit(tmp.resolve("mine"), Split.TEST, 5, true);
        IdxFiles.writeSplit(tmp.resolve("root/mnist"), Split.TEST, 6, true);
        Path home = tmp.resolve("home");

        assertThat(offline(Mnist.SPEC, DataDirectory.of(null, tmp.resolve("env").toString(), home))
                .build().load(Split.TEST).size()).isEqualTo(2);
        assertThat(offline(Mnist.SPEC, DataDirectory.of(null, "  ", home))
                .build().load(Split.TEST).size()).isEqualTo(3);
        assertThat(offline(Mnist.SPEC, DataDirectory.of(tmp.resolve("mine"), tmp.resolve("env").toString(), home))
                .build().load(Split.TEST).size()).isEqualTo(5);
        // --data may also name the folder that contains mnist/, as LUZJ_DATA does
        assertThat(offline(Mnist.SPEC, DataDirectory.of(tmp.resolve("root"), null, home))
                .build().load(Split.TEST).size()).isEqualTo(6);
    }

    @Test
    void fashionMnistAlsoLooksInTheDebianPackageFolder() throws IOException {
        assertThat(FashionMnist.SPEC.systemFolders()).contains(Path.of("/usr/share/datasets/fashion-mnist"));
        Path system = tmp.resolve("usr/share/datasets/fashion-mnist");
        IdxFiles.writeSplit(system, Split.TRAIN, 9, true);
        IdxDatasetSpec spec = new IdxDatasetSpec("Fashion-MNIST", "fashion-mnist", List.of(URI.create("http://127.0.0.1:9/")),
                Map.of(), List.of(system), "", 28, 28, 10);
        DataDirectory dir = DataDirectory.of(null, tmp.resolve("env").toString(), tmp.resolve("home"));

        assertThat(dir.candidates(spec)).containsExactly(
                tmp.resolve("env/fashion-mnist"), tmp.resolve("home/.luzj/datasets/fashion-mnist"), system);
        assertThat(offline(spec, dir).build().load(Split.TRAIN).size()).isEqualTo(9);
    }

    @Test
    void offlineErrorNamesFoldersAndFixes() throws IOException {
        URI closed = closedPort();
        DataDirectory dir = DataDirectory.of(null, tmp.resolve("env").toString(), tmp.resolve("home"));
        IdxDatasetSource source = IdxDatasetSource.builder(Mnist.SPEC).directory(dir).progress(false)
                .mirrors(List.of(closed, closed.resolve("second/"))).timeout(Duration.ofSeconds(5)).build();

        assertThatThrownBy(() -> source.load(Split.TRAIN))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("MNIST train data not found")
                .hasMessageContaining(tmp.resolve("env/mnist").toString())
                .hasMessageContaining(tmp.resolve("home/.luzj/datasets/mnist").toString())
                .hasMessageContaining("Downloading into " + tmp.resolve("env/mnist") + " failed")
                .hasMessageContaining(closed + "train-images-idx3-ubyte.gz: cannot connect")
                .hasMessageContaining(closed + "second/train-images-idx3-ubyte.gz: cannot connect")
                .hasMessageContaining("pass their folder with --data")
                .hasMessageContaining("set LUZJ_DATA to a folder that contains mnist/");
        assertThat(leftovers(tmp.resolve("env"))).isEmpty();
    }

    @Test
    void fashionOfflineErrorSuggestsTheDebianPackage() {
        DataDirectory dir = DataDirectory.of(null, null, tmp.resolve("home"));
        IdxDatasetSource source = IdxDatasetSource.builder(FashionMnist.SPEC.withoutSystemFolders())
                .directory(dir).progress(false).mirrors(List.of(closedPort())).build();

        assertThatThrownBy(() -> source.load(Split.TEST))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("Fashion-MNIST test data not found")
                .hasMessageContaining(tmp.resolve("home/.luzj/datasets/fashion-mnist").toString())
                .hasMessageContaining("apt-get install dataset-fashion-mnist");
    }

    @Test
    void downloadOffSaysSo() {
        DataDirectory dir = DataDirectory.of(tmp.resolve("empty"), null, tmp.resolve("home"));

        assertThatThrownBy(() -> offline(Mnist.SPEC, dir).build().load(Split.TEST))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("downloading is off")
                .hasMessageContaining(tmp.resolve("empty").toString());
    }

    @Test
    void downloadsFromALocalMirrorVerifiesMd5AndSkipsABadMirror() throws Exception {
        Map<String, byte[]> good = new HashMap<>();
        Path src = tmp.resolve("src");
        IdxFiles.writeSplit(src, Split.TEST, 11, true);
        for (String f : List.of("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")) {
            good.put(f, Files.readAllBytes(src.resolve(f)));
        }
        Map<String, String> md5 = new HashMap<>();
        good.forEach((name, bytes) -> md5.put(name, md5(bytes)));
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String name = path.substring(path.lastIndexOf('/') + 1);
            byte[] body = good.get(name);
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                if (path.startsWith("/bad/")) {
                    body = body.clone();
                    body[body.length / 2] ^= 1;
                }
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        server.start();
        try {
            URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
            IdxDatasetSpec spec = new IdxDatasetSpec("Tiny", "tiny", List.of(base.resolve("bad/"), base.resolve("good/")),
                    md5, List.of(), "", 28, 28, 10);
            Path target = tmp.resolve("dl");

            ImageDataset data = IdxDatasetSource.builder(spec).dir(target).progress(true).build().load(Split.TEST);

            assertThat(data.size()).isEqualTo(11);
            assertThat(target.resolve("t10k-images-idx3-ubyte.gz")).hasBinaryContent(good.get("t10k-images-idx3-ubyte.gz"));
            assertThat(leftovers(target)).containsExactlyInAnyOrder(
                    "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz");

            IdxDatasetSpec onlyBad = spec.withMirrors(List.of(base.resolve("bad/")));
            Path target2 = tmp.resolve("dl2");
            assertThatThrownBy(() -> IdxDatasetSource.builder(onlyBad).dir(target2).progress(false).build()
                            .load(Split.TEST))
                    .isInstanceOf(LuzjException.class)
                    .hasMessageContaining("but expected " + md5.get("t10k-images-idx3-ubyte.gz"))
                    .hasMessageContaining("damaged or different file");
            assertThat(leftovers(target2)).isEmpty();

            Path target3 = tmp.resolve("dl3");
            assertThatThrownBy(() -> IdxDatasetSource.builder(spec.withMirrors(List.of(base.resolve("nothing/"))))
                            .dir(target3).progress(false).build().load(Split.TRAIN))
                    .isInstanceOf(LuzjException.class)
                    .hasMessageContaining("train-images-idx3-ubyte.gz: HTTP 404");
        } finally {
            server.stop(0);
        }
    }

    private static URI closedPort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return URI.create("http://127.0.0.1:" + s.getLocalPort() + "/");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> leftovers(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }

    private static String md5(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
