package io.github.luzj.fit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class WarningsTest {

    @Test
    void aVerboseFitPrintsWarningsOnlyWhenSlf4jWouldDropThem() {
        assertThat(FitContext.warningStream(true, false)).isSameAs(System.err);
        assertThat(FitContext.warningStream(true, true)).isNull(); // the provider shows them
        assertThat(FitContext.warningStream(false, false)).isNull(); // quiet fits stay quiet
        assertThat(Slf4jProvider.present()).isTrue(); // slf4j-simple is on the test classpath
    }

    @Test
    void aPrintedWarningIsOneLabelledLine() {
        FitContext ctx = new FitContext(null, new CallbackList(List.of()), true, 1, 1, 1, 0);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ctx.warnings = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        ctx.warn("EarlyStopping monitors valid_loss but the fit has no validation data");
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .isEqualTo("Warning: EarlyStopping monitors valid_loss but the fit has no"
                        + " validation data" + System.lineSeparator());
    }
}
