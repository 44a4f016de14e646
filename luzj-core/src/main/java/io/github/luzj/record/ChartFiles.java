package io.github.luzj.record;

import de.erichseifert.vectorgraphics2d.Document;
import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.svg.SVGProcessor;
import de.erichseifert.vectorgraphics2d.util.PageSize;
import io.github.luzj.base.AtomicFiles;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.knowm.xchart.XYChart;

/**
 * The one chart writer of luzj: turns a picture (an XChart chart, or a grid of panels) into a
 * raster image, a PNG file or an SVG file; files are written to a temporary name and renamed, so
 * a plot a user keeps is never left half-written. Nothing here needs a display. Every plot uses
 * it: {@link HistoryPlot}, {@link StepPlot}, the learning-rate finder's plot.
 *
 * <pre>{@code
 * XYChart chart = new XYChartBuilder().width(800).height(500).build();
 * ChartFiles.writePng(chart, Path.of("lr.png"));
 * }</pre>
 */
public final class ChartFiles {

    private ChartFiles() {}

    /**
     * Paints onto a new opaque image.
     *
     * @param painter what to draw
     * @param width the width in pixels
     * @param height the height in pixels
     * @return the image
     */
    static BufferedImage image(Painter painter, int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            painter.paint(g, width, height);
        } finally {
            g.dispose();
        }
        return img;
    }

    /**
     * Paints a grid onto a new opaque image of a plot's size.
     *
     * @param grid what to draw
     * @param size the plot's size, of the picture or of each panel
     * @return the image
     */
    static BufferedImage image(PanelGrid grid, PlotSize size) {
        return image(grid, size.pictureWidth(grid), size.pictureHeight(grid));
    }

    /**
     * Draws an XChart chart onto a new opaque image of the chart's size.
     *
     * @param chart the chart
     * @return the image
     */
    public static BufferedImage image(XYChart chart) {
        return image(chart::paint, chart.getWidth(), chart.getHeight());
    }

    /**
     * Writes an XChart chart as a PNG image of the chart's size, atomically.
     *
     * @param chart the chart
     * @param target the PNG file
     */
    public static void writePng(XYChart chart, Path target) {
        writePng(image(chart), target);
    }

    /**
     * Writes an XChart chart as an SVG drawing of the chart's size, atomically.
     *
     * @param chart the chart
     * @param target the SVG file
     */
    public static void writeSvg(XYChart chart, Path target) {
        writeSvg(chart::paint, chart.getWidth(), chart.getHeight(), target);
    }

    /**
     * Writes an image as PNG, atomically.
     *
     * @param img the image
     * @param target the PNG file
     */
    public static void writePng(BufferedImage img, Path target) {
        AtomicFiles.write(
                target,
                tmp -> {
                    if (!ImageIO.write(img, "png", tmp.toFile())) {
                        throw new IOException("this Java runtime has no PNG writer");
                    }
                });
    }

    /**
     * Paints a grid as SVG of a plot's size and writes it, atomically.
     *
     * @param grid what to draw
     * @param size the plot's size, of the picture or of each panel
     * @param target the SVG file
     */
    static void writeSvg(PanelGrid grid, PlotSize size, Path target) {
        writeSvg(grid, size.pictureWidth(grid), size.pictureHeight(grid), target);
    }

    /**
     * Paints as SVG and writes it, atomically.
     *
     * @param painter what to draw
     * @param width the width in pixels
     * @param height the height in pixels
     * @param target the SVG file
     */
    static void writeSvg(Painter painter, int width, int height, Path target) {
        VectorGraphics2D g = new VectorGraphics2D();
        painter.paint(g, width, height);
        Document doc =
                new SVGProcessor().getDocument(g.getCommands(), new PageSize(0, 0, width, height));
        AtomicFiles.write(
                target,
                tmp -> {
                    try (OutputStream out = Files.newOutputStream(tmp)) {
                        doc.writeTo(out);
                    }
                });
    }
}
