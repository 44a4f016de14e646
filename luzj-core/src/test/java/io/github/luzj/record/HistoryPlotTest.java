package io.github.luzj.record;

import static io.github.luzj.record.PlotAssertions.TRAIN;
import static io.github.luzj.record.PlotAssertions.VALID;
import static io.github.luzj.record.PlotAssertions.count;
import static io.github.luzj.record.PlotAssertions.inked;
import static io.github.luzj.record.PlotAssertions.readPng;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.luzj.base.LuzjException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryPlotTest {

    @BeforeAll
    static void headless() {
        PlotAssertions.headless();
    }

    @Test
    void writesOnePngOfTheRequestedSizeWithAPanelPerMetric(@TempDir Path dir) throws IOException {
        Path png = dir.resolve("history.png");
        HistoryPlot.builder().size(640, 300).build().writePng(RecordsCsvTest.twoEpochs(), png);

        BufferedImage img = readPng(png, 640, 300);
        // loss and acc side by side, each with its train and valid line
        for (int x0 : new int[] {0, 320}) {
            assertThat(count(img, TRAIN, x0, 0, x0 + 320, 300)).as("train at x=%d", x0)
                    .isGreaterThan(20);
            assertThat(inked(img, x0, 0, x0 + 320, 300)).isGreaterThan(2000);
        }
        // valid's loss at epoch 2 is NaN, so its loss line is a lone point but acc has a line
        assertThat(count(img, VALID, 320, 0, 640, 300))
                .isGreaterThan(count(img, VALID, 0, 0, 320, 300));
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(png);
        }
    }

    @Test
    void defaultGridFollowsFacetWrap(@TempDir Path dir) throws IOException {
        Records r = RecordsCsvTest.twoEpochs();
        r.add("train", "mae", 1, 3.0);
        r.add("train", "mae", 2, 2.0);
        Path png = dir.resolve("history.png");
        HistoryPlot.defaults().writePng(r, png);
        // three metrics: two columns of 480 and two rows of 360; the fourth cell stays blank
        BufferedImage img = readPng(png, 960, 720);
        assertThat(count(img, TRAIN, 0, 360, 480, 720)).isGreaterThan(20);
        assertThat(inked(img, 480, 360, 960, 720)).isZero();

        BufferedImage oneColumn = HistoryPlot.builder().columns(1).panelSize(300, 200).build()
                .render(r);
        assertThat(oneColumn.getWidth()).isEqualTo(300);
        assertThat(oneColumn.getHeight()).isEqualTo(600);
    }

    @Test
    void aSingleEpochAndAMetricWithoutFiniteValuesStillDraw() {
        Records r = new Records();
        r.add("train", "loss", 1, 0.7);
        r.add("train", "mse", 1, Double.POSITIVE_INFINITY);
        BufferedImage img = HistoryPlot.builder().size(400, 200).build().render(r);
        assertThat(count(img, TRAIN, 0, 0, 200, 200)).isGreaterThan(5);
        assertThat(count(img, TRAIN, 200, 0, 400, 200)).isZero();
        assertThat(inked(img, 200, 0, 400, 200)).isGreaterThan(0);
    }

    @Test
    void comparedRunsGetOneColourEachSolidTrainAndDashedValid() {
        java.util.List<String> runs = java.util.List.of("batch norm", "no batch norm");
        ChartStyle.LineStyle trainA = HistoryPlot.style("train, batch norm", 0, runs);
        ChartStyle.LineStyle validA = HistoryPlot.style("valid, batch norm", 1, runs);
        ChartStyle.LineStyle trainB = HistoryPlot.style("train, no batch norm", 2, runs);
        ChartStyle.LineStyle validB = HistoryPlot.style("valid, no batch norm", 3, runs);
        assertThat(validA.color()).isEqualTo(trainA.color());
        assertThat(validB.color()).isEqualTo(trainB.color());
        assertThat(trainB.color()).isNotEqualTo(trainA.color());
        assertThat(trainA.dashed()).isFalse();
        assertThat(trainB.dashed()).isFalse();
        assertThat(validA.dashed()).isTrue();
        assertThat(validB.dashed()).isTrue();
        // a single run keeps luz's two colours
        assertThat(HistoryPlot.style("train", 0, java.util.List.of("")).color())
                .isEqualTo(PlotAssertions.TRAIN);
        assertThat(HistoryPlot.style("valid", 1, java.util.List.of("")))
                .isEqualTo(new ChartStyle.LineStyle(PlotAssertions.VALID, true));
    }

    @Test
    void writesSvg(@TempDir Path dir) throws IOException {
        Path svg = dir.resolve("history.svg");
        HistoryPlot.defaults().writeSvg(RecordsCsvTest.twoEpochs(), svg);
        String text = Files.readString(svg);
        assertThat(text).startsWith("<?xml").contains("<svg").contains("width=\"960px\"")
                .contains("height=\"360px\"");
        // ggplot's train colour, as SVG writes it
        assertThat(text.toLowerCase(java.util.Locale.ROOT)).contains("rgb(248,118,109)");
    }

    @Test
    void rejectsEmptyRecordsAndBadSizes() {
        assertThatThrownBy(() -> HistoryPlot.defaults().render(new Records()))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("no metric");
        assertThatThrownBy(() -> HistoryPlot.builder().size(10, 400))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("10 x 400");
        assertThatThrownBy(() -> HistoryPlot.builder().columns(0))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("got 0");
    }
}
