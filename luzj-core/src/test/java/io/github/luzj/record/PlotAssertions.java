package io.github.luzj.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Reads plots back and checks that they hold what was drawn. */
final class PlotAssertions {

    static final Color TRAIN = new Color(0xF8, 0x76, 0x6D);
    static final Color VALID = new Color(0x00, 0xBF, 0xC4);

    private PlotAssertions() {}

    /** Runs AWT headless, as on CI: the plots must never need a display. */
    static void headless() {
        System.setProperty("java.awt.headless", "true");
        assertThat(GraphicsEnvironment.isHeadless()).isTrue();
    }

    static BufferedImage readPng(Path file, int width, int height) throws IOException {
        BufferedImage img = ImageIO.read(file.toFile());
        assertThat(img).as("%s decodes as an image", file).isNotNull();
        assertThat(img.getWidth()).isEqualTo(width);
        assertThat(img.getHeight()).isEqualTo(height);
        return img;
    }

    /** Counts pixels of exactly {@code color} inside a rectangle. */
    static int count(BufferedImage img, Color color, int x0, int y0, int x1, int y1) {
        int n = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                if ((img.getRGB(x, y) & 0xFFFFFF) == (color.getRGB() & 0xFFFFFF)) {
                    n++;
                }
            }
        }
        return n;
    }

    /** Counts pixels that differ from white inside a rectangle. */
    static int inked(BufferedImage img, int x0, int y0, int x1, int y1) {
        return (x1 - x0) * (y1 - y0) - count(img, Color.WHITE, x0, y0, x1, y1);
    }
}
