package io.github.luzj.record;

import java.awt.Graphics2D;

/** Draws a picture of a given size; the same painter fills a PNG's raster or an SVG's canvas. */
@FunctionalInterface
interface Painter {

    /**
     * Paints into {@code g}, whose origin is the picture's top left corner.
     *
     * @param g the canvas
     * @param width the picture's width in pixels
     * @param height the picture's height in pixels
     */
    void paint(Graphics2D g, int width, int height);
}
