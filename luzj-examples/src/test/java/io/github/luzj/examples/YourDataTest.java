package io.github.luzj.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.luzj.examples.yourdata.ArraysClassifier;
import io.github.luzj.examples.yourdata.CsvClassifier;
import io.github.luzj.examples.yourdata.CsvRegression;
import io.github.luzj.examples.yourdata.ImageFolderClassifier;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/your-data.md shows each program as it is, and each program runs and learns. */
class YourDataTest {

    static final Path DATA = DocsTest.ROOT.resolve("docs/data");

    /** The marked part of an example's source, dedented as the doc shows it. */
    static String shownPart(String className) throws Exception {
        String src = Files.readString(DocsTest.ROOT.resolve(
                "luzj-examples/src/main/java/io/github/luzj/examples/yourdata/" + className + ".java"));
        String begin = "// your-data.md: begin\n";
        int from = src.indexOf(begin) + begin.length();
        int to = src.lastIndexOf("\n", src.indexOf("// your-data.md: end")) + 1;
        return src.substring(from, to).lines()
                .map(l -> l.length() >= 8 ? l.substring(8) : l.strip())
                .reduce("", (a, b) -> a + b + "\n");
    }

    @Test
    void theDocShowsEveryProgramAsItIs() throws Exception {
        String doc = Files.readString(DocsTest.ROOT.resolve("docs/your-data.md"));
        for (String c : new String[] {"CsvClassifier", "CsvRegression", "ImageFolderClassifier",
                "ArraysClassifier"}) {
            assertThat(shownPart(c)).as(c).contains("Luz.setup");
            assertThat(doc).as(c + " in docs/your-data.md").contains(shownPart(c));
        }
    }

    @Test
    void aTabularClassifierFromCsv() {
        assertThat(CsvClassifier.run(DATA)).isGreaterThan(0.93);
    }

    @Test
    void aRegressionFromCsvWhoseLossIsItsMse() {
        Map<String, Double> test = CsvRegression.run(DATA);
        assertThat(test.get("loss")).isCloseTo(test.get("mse"), org.assertj.core.data.Offset.offset(1e-2));
        // the targets' variance is about 5,900; predicting the mean would leave that much
        assertThat(test.get("mse")).isLessThan(4000);
    }

    @Test
    void arraysReshapedAsImages() {
        assertThat(ArraysClassifier.run()).containsExactly(0, 1);
    }

    @Test
    void imagesInFoldersThroughDjlsImageFolder(@TempDir Path dir) throws Exception {
        Random rng = new Random(3);
        for (String shape : new String[] {"circle", "square"}) {
            Files.createDirectories(dir.resolve(shape));
            for (int i = 0; i < 20; i++) {
                BufferedImage img = new BufferedImage(24, 24, BufferedImage.TYPE_BYTE_GRAY);
                Graphics2D g = img.createGraphics();
                g.setColor(Color.BLACK);
                g.fillRect(0, 0, 24, 24);
                g.setColor(Color.WHITE);
                int x = 2 + rng.nextInt(6);
                int y = 2 + rng.nextInt(6);
                if (shape.equals("circle")) {
                    g.fillOval(x, y, 14, 14);
                } else {
                    g.drawRect(x, y, 13, 13);
                }
                g.dispose();
                ImageIO.write(img, "png", dir.resolve(shape).resolve(i + ".png").toFile());
            }
        }
        assertThat(ImageFolderClassifier.run(dir)).isGreaterThanOrEqualTo(0.85);
    }
}
