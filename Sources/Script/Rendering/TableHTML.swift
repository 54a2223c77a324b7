import Plot

extension TextTable {
    /// The table as an HTML table: numbers right-aligned (class `num`), its rules as borders
    /// (class `rule`); every cell escaped. `report` and `dl --json` show tables this way.
    var html: String {
        func cells(_ row: [String], tag: String) -> String {
            row.enumerated().map { i, cell in
                "<\(tag)\(rightAligned.contains(i) ? " class=\"num\"" : "")>\(xmlEscaped(cell))</\(tag)>"
            }.joined()
        }
        var html = "<table class=\"grid\">\n<thead><tr>\(cells(headers, tag: "th"))</tr></thead>\n<tbody>\n"
        for (i, row) in rows.enumerated() {
            html += "<tr\(rulesAfter.contains(i) ? " class=\"rule\"" : "")>\(cells(row, tag: "td"))</tr>\n"
        }
        return html + "</tbody>\n</table>\n"
    }
}

extension TableView {
    /// The rows as an HTML table: the same columns the text shows (a "..." column where it
    /// leaves some out), and its last line as the caption.
    var html: String {
        let (grid, footer) = shownCells()
        let table = grid.html
        let opening = "<table class=\"grid\">\n"
        return opening + "<caption style=\"caption-side: bottom\">\(xmlEscaped(footer))</caption>\n" + table.dropFirst(opening.count)
    }
}

extension Session {
    /// Writes a table's text as every statement does, and gives a medium that takes tables
    /// (`dl --json`) the table as well: its title, its HTML and that same text.
    func show(_ table: TextTable, title: String, indent: String = "") {
        show(text: table.render(indent: indent), html: table.html, title: title)
    }

    /// `head` and `tail`'s rows, as `show(_:title:)` shows a `TextTable`.
    func show(_ view: TableView, title: String) {
        show(text: view.render(), html: view.html, title: title)
    }

    private func show(text: String, html: @autoclosure () -> String, title: String) {
        output.write(text, to: .output)
        if output.takesTables { output.show(table: TableValue(title: title, html: html(), text: text)) }
    }
}
