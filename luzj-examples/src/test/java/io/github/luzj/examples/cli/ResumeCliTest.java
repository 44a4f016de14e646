package io.github.luzj.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** batchnorm --epochs 1 --checkpoint-dir D, then --epochs 2 --resume, equals --epochs 2. */
class ResumeCliTest {

    static final String[] DATA = {
        "--data", "bundled", "--limit", "640", "--valid-limit", "256", "--seed", "3", "--quiet"
    };

    static JsonObject summary(Path out) throws Exception {
        return JsonParser.parseString(Files.readString(out.resolve("summary.json"))).getAsJsonObject();
    }

    static String[] args(String... more) {
        String[] all = new String[DATA.length + more.length];
        System.arraycopy(more, 0, all, 0, more.length);
        System.arraycopy(DATA, 0, all, more.length, DATA.length);
        return all;
    }

    @Test
    void aResumedRunEndsWhereAnUninterruptedOneDoes(@TempDir Path tmp) throws Exception {
        Path ckpt = tmp.resolve("ckpt");
        assertThat(Main.execute(args("batchnorm", "--epochs", "2", "--out", tmp.resolve("full").toString()))).isZero();
        assertThat(Main.execute(args("batchnorm", "--epochs", "1", "--checkpoint-dir", ckpt.toString(),
                "--out", tmp.resolve("first").toString()))).isZero();
        assertThat(Files.exists(ckpt.resolve("last/checkpoint.json"))).isTrue();
        assertThat(Main.execute(args("batchnorm", "--epochs", "2", "--checkpoint-dir", ckpt.toString(), "--resume",
                "--out", tmp.resolve("resumed").toString()))).isZero();
        JsonObject full = summary(tmp.resolve("full"));
        JsonObject resumed = summary(tmp.resolve("resumed"));
        assertThat(resumed.get("epochs").getAsInt()).isEqualTo(2);
        assertThat(resumed.get("valid_loss").getAsDouble())
                .isCloseTo(full.get("valid_loss").getAsDouble(), org.assertj.core.data.Offset.offset(1e-5));
        assertThat(resumed.get("valid_accuracy").getAsDouble()).isEqualTo(full.get("valid_accuracy").getAsDouble());
    }
}
