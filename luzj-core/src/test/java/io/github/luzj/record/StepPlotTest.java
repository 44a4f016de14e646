package io.github.luzj.record;

import static io.github.luzj.record.PlotAssertions.count;
import static io.github.luzj.record.PlotAssertions.inked;
import static io.github.luzj.record.PlotAssertions.readPng;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.luzj.base.LuzjException;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StepPlotTest {

    @BeforeAll
    static void headless() {
        PlotAssertions.headless();
    }

    /** ggplot-like hues StepPlot gives the first two parameter groups. */
    private static final Color FIRST = new Color(0x7C, 0xAE, 0x00);

    private static final Color SECOND = new Color(0xC7, 0x7C, 0xFF);

    /** A one-cycle-like schedule over 300 steps for two parameter groups. */
    private static Records oneCycle(boolean momentum) {
        Records r = new Records();
        for (int s = 1; s <= 300; s++) {
            double up = s <= 90 ? s / 90.0 : 1 - (s - 90) / 210.0;
            double m = momentum ? 0.95 - 0.1 * up : Double.NaN;
            // the head's momentum differs so that its line does not hide the body's
            r.addStep(new Records.StepEntry(s, 1 + (s - 1) / 100, "body", 0.001 * up, m));
            r.addStep(new Records.StepEntry(s, 1 + (s - 1) / 100, "head", 0.01 * up, m - 0.2));
        }
        return r;
    }

    @Test
    void drawsLrAboveMomentumForEveryGroup(@TempDir Path dir) throws IOException {
        Path png = dir.resolve("lr.png");
        StepPlot.builder().size(600, 500).build().writePng(oneCycle(true), png);
        BufferedImage img = readPng(png, 600, 500);
        for (int y0 : new int[] {0, 250}) {
            assertThat(count(img, FIRST, 0, y0, 600, y0 + 250)).as("y=%d", y0).isGreaterThan(50);
            assertThat(count(img, SECOND, 0, y0, 600, y0 + 250)).isGreaterThan(50);
        }
    }

    @Test
    void writesAnSvgOfThePictureSize(@TempDir Path dir) throws IOException {
        Path svg = dir.resolve("lr.svg");
        StepPlot.builder().panelSize(500, 200).build().writeSvg(oneCycle(true), svg);
        String text = Files.readString(svg);
        // two panels of 500 x 200, one above the other, in the group's colour
        assertThat(text).contains("<svg").contains("width=\"500px\"")
                .contains("height=\"400px\"");
        assertThat(text.toLowerCase(Locale.ROOT)).contains("rgb(124,174,0)");
    }

    @Test
    void leavesOutMomentumWhenNoneWasRecordedOrAsked() {
        assertThat(StepPlot.defaults().render(oneCycle(false)).getHeight()).isEqualTo(300);
        assertThat(StepPlot.builder().momentum(false).build().render(oneCycle(true)).getHeight())
                .isEqualTo(300);
        BufferedImage both = StepPlot.defaults().render(oneCycle(true));
        assertThat(both.getWidth()).isEqualTo(800);
        assertThat(both.getHeight()).isEqualTo(600);
        assertThat(inked(both, 0, 300, 800, 600)).isGreaterThan(2000);
    }

    @Test
    void theStepAxisIsNumericWithRoundEnds() {
        // the chapter's 2,345 steps: XChart would tick equally spaced steps like categories
        // (1, 101, 201, ...); an invisible series at 0 and at a round end gives round ticks
        java.util.List<Records.StepEntry> steps = new java.util.ArrayList<>();
        for (int s = 1; s <= 2345; s++) {
            steps.add(new Records.StepEntry(s, 1, "all", 0.01 * s / 2345, 0.9));
        }
        org.knowm.xchart.XYChart chart = StepPlot.panel(steps, "lr", Records.StepEntry::lr);
        org.knowm.xchart.XYSeries anchor = chart.getSeriesMap().get(" axis");
        assertThat(anchor.getXData()).containsExactly(0, 2500);
        assertThat(anchor.isShowInLegend()).isFalse();
        assertThat(anchor.getLineColor().getAlpha()).isZero();
        assertThat(ChartStyle.roundEnd(2345)).isEqualTo(2500);
        assertThat(ChartStyle.roundEnd(300)).isEqualTo(300);
        assertThat(ChartStyle.roundEnd(47)).isEqualTo(50);
        assertThat(ChartStyle.roundEnd(7)).isEqualTo(7);
        assertThat(ChartStyle.roundEnd(1)).isEqualTo(1);
    }

    @Test
    void rejectsRecordsWithoutSteps() {
        assertThatThrownBy(() -> StepPlot.defaults().render(new Records()))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("no training step");
    }
}
