package io.github.luzj.record;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.util.List;
import org.knowm.xchart.XYChart;

/**
 * Lays panels out in a grid of equal cells, row by row, on a white canvas: ggplot's
 * {@code facet_wrap}, which luz's {@code plot()} uses.
 */
final class PanelGrid implements Painter {

    private final List<Painter> panels;
    private final int columns;

    /**
     * Creates a grid.
     *
     * @param panels the panels, in reading order
     * @param columns the number of columns, at least 1
     */
    PanelGrid(List<Painter> panels, int columns) {
        this.panels = List.copyOf(panels);
        this.columns = Math.max(1, Math.min(columns, Math.max(1, panels.size())));
    }

    /**
     * Returns facet_wrap's default number of columns for {@code n} panels: the smallest square
     * grid that holds them, trimmed to the rows needed.
     *
     * @param n the number of panels
     * @return the number of columns
     */
    static int defaultColumns(int n) {
        return Math.max(1, (int) Math.ceil(Math.sqrt(n)));
    }

    /**
     * Returns the number of rows the grid needs.
     *
     * @return the rows
     */
    int rows() {
        return Math.max(1, (panels.size() + columns - 1) / columns);
    }

    /**
     * Returns the number of columns.
     *
     * @return the columns
     */
    int columns() {
        return columns;
    }

    @Override
    public void paint(Graphics2D g, int width, int height) {
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        int rows = rows();
        for (int i = 0; i < panels.size(); i++) {
            int r = i / columns;
            int c = i % columns;
            // edges from integer division, so cells tile the canvas without gaps
            int x0 = c * width / columns;
            int x1 = (c + 1) * width / columns;
            int y0 = r * height / rows;
            int y1 = (r + 1) * height / rows;
            Graphics2D cell = (Graphics2D) g.create(x0, y0, x1 - x0, y1 - y0);
            try {
                panels.get(i).paint(cell, x1 - x0, y1 - y0);
            } finally {
                cell.dispose();
            }
        }
    }

    /**
     * Returns a panel that shows a title and a note instead of a chart, for a metric with
     * nothing finite to draw.
     *
     * @param title the panel's title
     * @param note the note
     * @return the panel
     */
    static Painter note(String title, String note) {
        return (g, w, h) -> {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
                    RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, w, h);
            g.setColor(Color.DARK_GRAY);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
            FontMetrics fm = g.getFontMetrics();
            g.drawString(title, (w - fm.stringWidth(title)) / 2, fm.getHeight() + 4);
            g.setFont(new Font(Font.SANS_SERIF, Font.ITALIC, 12));
            fm = g.getFontMetrics();
            g.drawString(note, (w - fm.stringWidth(note)) / 2, h / 2);
        };
    }

    /**
     * Returns a chart as a panel or, when none of its lines had a finite value to draw, a note
     * in its place: XChart cannot paint a chart without series.
     *
     * @param chart the chart
     * @param title the panel's title, shown on the note
     * @return the panel
     */
    static Painter chartOrNote(XYChart chart, String title) {
        if (chart.getSeriesMap().isEmpty()) {
            return note(title, "no finite values");
        }
        return chart::paint;
    }
}
