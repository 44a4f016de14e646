package io.github.luzj.record;

import io.github.luzj.base.Checks;

/**
 * A plot's size: either the whole picture's, or each panel's (the picture then grows with the
 * number of panels).
 *
 * @param width the width in pixels
 * @param height the height in pixels
 * @param perPanel whether the size is each panel's rather than the whole picture's
 */
record PlotSize(int width, int height, boolean perPanel) {

    /** Checks the size. */
    PlotSize {
        Checks.check(
                width >= 50 && height >= 50 && width <= 20_000 && height <= 20_000,
                "a plot's %s size must be between 50 and 20000 pixels each way, got %d x %d",
                perPanel ? "panel" : "picture",
                width,
                height);
    }

    /**
     * Returns the picture's width for a grid.
     *
     * @param grid the grid
     * @return the width in pixels
     */
    int pictureWidth(PanelGrid grid) {
        return perPanel ? width * grid.columns() : width;
    }

    /**
     * Returns the picture's height for a grid.
     *
     * @param grid the grid
     * @return the height in pixels
     */
    int pictureHeight(PanelGrid grid) {
        return perPanel ? height * grid.rows() : height;
    }
}
