package io.github.luzj.lrfinder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.luzj.base.LuzjException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;

class LrFinderPlotTest {

    @Test
    void writesAPngOfTheRequestedSize(@TempDir Path dir) throws IOException {
        Path png = dir.resolve("lr_finder.png");
        LrFinderPlot.builder().width(640).height(420).build()
                .writePng(LrFinderResultTest.typicalSweep(), png);
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img).isNotNull();
        assertThat(img.getWidth()).isEqualTo(640);
        assertThat(img.getHeight()).isEqualTo(420);
        assertThat(distinctColours(img)).as("a drawn chart, not a blank canvas").isGreaterThan(10);
    }

    @Test
    void writesAnSvg(@TempDir Path dir) throws IOException {
        Path svg = dir.resolve("lr_finder.svg");
        LrFinderPlot.defaults().writeSvg(LrFinderResultTest.typicalSweep(), svg);
        String text = Files.readString(svg, StandardCharsets.UTF_8);
        // XChart's SVG draws text as glyph outlines, so the check is on the drawing itself
        assertThat(text).contains("<svg").contains("width=\"800px\"").contains("height=\"500px\"");
        assertThat(text.split("<path", -1).length).isGreaterThan(20);
    }

    @Test
    void theChartHasBothCurvesAndOneMarkerPerSuggestion() {
        LrFinderResult r = LrFinderResultTest.typicalSweep();
        XYChart chart = LrFinderPlot.defaults().chart(r);
        assertThat(chart.getSeriesMap().keySet())
                .containsExactly(
                        "loss",
                        "smoothed loss",
                        r.steepest().label(),
                        r.minimum().label(),
                        r.valley().label());
        assertThat(chart.getStyler().isXAxisLogarithmic()).isTrue();
        assertThat(chart.getXAxisTitle()).isEqualTo("Learning Rate");
        assertThat(chart.getYAxisTitle()).isEqualTo("Loss");
        double ymax = chart.getStyler().getYAxisMax();
        double[] s = r.smoothedLoss();
        assertThat(ymax).as("the blow-up is clipped").isLessThan(s[s.length - 1]);
        assertThat(ymax).isGreaterThanOrEqualTo(s[0]);
    }

    @Test
    void yRangeSpansTheDescentNotTheBlowUp() {
        double[] range = LrFinderPlot.yRange(new double[] {2.0, 1.8, 1.0, 0.5, 0.6, 5, 50});
        // from 0.5 to 2.0 with a 10% margin
        assertThat(range[0]).isCloseTo(0.35, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(range[1]).isCloseTo(2.15, org.assertj.core.api.Assertions.within(1e-12));
    }

    @Test
    void yRangeOfARisingCurveUsesA95thPercentile() {
        double[] rising = new double[21];
        for (int i = 0; i < rising.length; i++) {
            rising[i] = 1 + i;
        }
        double[] range = LrFinderPlot.yRange(rising);
        // from 1 to the 95th percentile 20, margin 1.9
        assertThat(range[0]).isCloseTo(-0.9, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(range[1]).isCloseTo(21.9, org.assertj.core.api.Assertions.within(1e-12));
    }

    @Test
    void aSweepWithoutTwoFiniteStepsCannotBePlotted() {
        LrFinderResult r =
                LrFinderResult.of(new double[] {1e-3, 1e-2}, new double[] {Double.NaN, 1}, 0.9);
        assertThatThrownBy(() -> LrFinderPlot.defaults().chart(r))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("recorded 0 finite losses");
        assertThatThrownBy(() -> LrFinderPlot.builder().width(10))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("got 10");
    }

    private static int distinctColours(BufferedImage img) {
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 3) {
            for (int x = 0; x < img.getWidth(); x += 3) {
                colours.add(img.getRGB(x, y));
            }
        }
        return colours.size();
    }
}
