package io.github.luzj.data;

import io.github.luzj.base.AtomicFiles;
import io.github.luzj.base.Checks;
import io.github.luzj.base.LuzjException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * Downloads one file from the first mirror that serves it intact: the bytes go to a temporary
 * file beside the target, their md5 is checked, and only then is the file renamed into place, so
 * an interrupted or corrupt download never looks like a good file.
 */
public final class Downloader {

    private final Duration timeout;
    private final boolean progress;

    /**
     * Creates a downloader.
     *
     * @param timeout how long to wait to connect and for the response headers
     * @param progress true to draw a progress bar on stderr
     */
    public Downloader(Duration timeout, boolean progress) {
        Checks.check(
                timeout != null && !timeout.isNegative() && !timeout.isZero(),
                "download timeout must be positive, got %s",
                timeout);
        this.timeout = timeout;
        this.progress = progress;
    }

    /**
     * Downloads {@code fileName} from the first of {@code mirrors} that serves it with the right
     * md5, to {@code target}.
     *
     * @param mirrors base URLs, each ending with {@code /}
     * @param fileName the file's name under each base URL
     * @param md5 the expected md5, lower-case hex, or null to skip the check
     * @param target where the file goes
     * @throws LuzjException listing every mirror tried and why it failed
     */
    public void download(List<URI> mirrors, String fileName, String md5, Path target) {
        Checks.check(!mirrors.isEmpty(), "no mirror to download %s from", fileName);
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        List<String> failures = new ArrayList<>();
        for (URI mirror : mirrors) {
            URI url = mirror.resolve(fileName);
            try {
                fetch(client, url, md5, target);
                return;
            } catch (Failure f) {
                failures.add(url + ": " + f.getMessage());
            }
        }
        throw new LuzjException("could not download " + fileName + " (" + String.join("; ", failures) + ")");
    }

    private void fetch(HttpClient client, URI url, String md5, Path target) {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout).GET().build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new Failure(describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("interrupted");
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new Failure("HTTP " + response.statusCode());
            }
            long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            AtomicFiles.write(target, tmp -> save(body, tmp, length, target, md5));
        } catch (IOException e) {
            throw new Failure(describe(e));
        }
    }

    private void save(InputStream body, Path tmp, long length, Path target, String md5) {
        MessageDigest digest = md5Digest();
        try (InputStream in = new DigestInputStream(withProgress(body, target, length), digest);
                OutputStream out = Files.newOutputStream(tmp)) {
            in.transferTo(out);
        } catch (IOException e) {
            // Not AtomicFiles' "cannot write" error: this is nearly always the network.
            throw new Failure(describe(e));
        }
        String got = HexFormat.of().formatHex(digest.digest());
        if (md5 != null && !md5.equalsIgnoreCase(got)) {
            throw new Failure("got a file with md5 " + got + " but expected " + md5
                    + ", the mirror sent a damaged or different file");
        }
    }

    private InputStream withProgress(InputStream body, Path target, long length) {
        if (!progress) {
            return body;
        }
        boolean small = length >= 0 && length < (1 << 20);
        ProgressBarBuilder bar = ProgressBar.builder()
                .setTaskName(target.getFileName().toString())
                .setInitialMax(length)
                .setUnit(small ? " KB" : " MB", small ? 1 << 10 : 1 << 20)
                .showSpeed()
                .setConsumer(new ConsoleProgressBarConsumer(System.err));
        return ProgressBar.wrap(body, bar);
    }

    private static MessageDigest md5Digest() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has MD5", e);
        }
    }

    private String describe(IOException e) {
        if (e instanceof HttpTimeoutException) {
            return "no answer within " + timeout.toSeconds() + " s";
        }
        if (e instanceof ConnectException) {
            // HttpClient's ConnectException often has no message; the cause says why.
            Throwable cause = e.getCause();
            return "cannot connect (offline, or the server refused)"
                    + (cause != null ? ": " + cause.getClass().getSimpleName() : "");
        }
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : " " + m);
    }

    /** One mirror's failure, caught by the loop over mirrors; passes through AtomicFiles. */
    private static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Failure(String message) {
            super(message, null, false, false);
        }
    }
}
