package io.github.luzj.record;

import java.awt.image.BufferedImage;
import java.nio.file.Path;

/**
 * What the plots of records share: a size, and drawing their grid of panels to an image, a PNG
 * file or an SVG file through {@link ChartFiles}.
 */
abstract class PanelPlot {

    private final PlotSize size;

    PanelPlot(PlotSize size) {
        this.size = size;
    }

    /**
     * Lays the records' panels out.
     *
     * @param records the records
     * @return the grid
     * @throws io.github.luzj.base.LuzjException when the records hold nothing this plot draws
     */
    abstract PanelGrid grid(Records records);

    /**
     * Draws the records.
     *
     * @param records the records, with something this plot draws
     * @return the picture
     */
    public BufferedImage render(Records records) {
        return ChartFiles.image(grid(records), size);
    }

    /**
     * Draws the records to a PNG file, atomically.
     *
     * @param records the records, with something this plot draws
     * @param target the PNG file, such as {@code history.png}
     */
    public void writePng(Records records, Path target) {
        ChartFiles.writePng(render(records), target);
    }

    /**
     * Draws the records to an SVG file, atomically.
     *
     * @param records the records, with something this plot draws
     * @param target the SVG file, such as {@code history.svg}
     */
    public void writeSvg(Records records, Path target) {
        ChartFiles.writeSvg(grid(records), size, target);
    }

    /**
     * The size settings every plot's builder has; each setter returns a new builder.
     *
     * @param <B> the concrete builder
     */
    abstract static class SizedBuilder<B extends SizedBuilder<B>> {

        final PlotSize size;

        SizedBuilder(PlotSize size) {
            this.size = size;
        }

        /** Returns a builder like this one with another size. */
        abstract B withSize(PlotSize size);

        /**
         * Sets the whole picture's size, whatever the number of panels.
         *
         * @param width the width in pixels
         * @param height the height in pixels
         * @return a new builder
         */
        public B size(int width, int height) {
            return withSize(new PlotSize(width, height, false));
        }

        /**
         * Sets each panel's size; the picture grows with the number of panels. This is the
         * default.
         *
         * @param width the width in pixels
         * @param height the height in pixels
         * @return a new builder
         */
        public B panelSize(int width, int height) {
            return withSize(new PlotSize(width, height, true));
        }
    }
}
