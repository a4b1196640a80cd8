package dev.ringpark.benchmarks.report;

import java.util.ArrayList;
import java.util.List;

/** A Markdown table: the leading label columns left-aligned (names), the others right-aligned (figures). */
final class MarkdownTable {
    private final int labelColumns;
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    /** A table whose first column holds labels. */
    MarkdownTable(String... header) {
        this(1, header);
    }

    /** A table whose first {@code labelColumns} columns hold labels. */
    MarkdownTable(int labelColumns, String... header) {
        this.labelColumns = labelColumns;
        this.header = List.of(header);
    }

    /**
     * Adds a row.
     *
     * @throws IllegalArgumentException if it has not as many cells as the header
     */
    MarkdownTable row(String... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException(cells.length + " cells for " + header.size() + " columns");
        }
        rows.add(List.of(cells));
        return this;
    }

    /** Whether no row was added. */
    boolean isEmpty() {
        return rows.isEmpty();
    }

    /** The table as Markdown, ending with a newline. */
    String render() {
        StringBuilder table = new StringBuilder();
        line(table, header);
        table.append('|').append("---|".repeat(labelColumns)).append("---:|".repeat(header.size() - labelColumns)).append('\n');
        rows.forEach(row -> line(table, row));
        return table.toString();
    }

    private static void line(StringBuilder table, List<String> cells) {
        table.append("| ").append(String.join(" | ", cells)).append(" |\n");
    }
}
