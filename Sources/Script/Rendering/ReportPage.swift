import DLCore
import Plot

/// The HTML of a session report, laid out as a lab report: numbered parts (the data, the
/// pipeline, the model, the training with its curves, the results) read from the session's
/// values, then an appendix of the statements since the data was loaded, with what they
/// printed and drew, the epoch lines folded away in `<details>`.
/// One offline page: no scripts, no external files, every text escaped; a print stylesheet
/// so that a PDF of it keeps every line and every picture whole.
struct ReportPage {
    /// One piece of a part, in the order it is shown.
    enum Block {
        /// Label and value rows (the rows of `show`, the figures of `evaluate`).
        case facts([(label: String, value: String)])
        case table(caption: String?, TextTable, note: String?)
        /// Standalone SVG documents, side by side where there is room.
        case charts([String])
        /// A sentence; text between backquotes is set as code.
        case note(String)
        case heading(String)
        /// Blocks side by side where there is room (a table and its picture).
        indirect case beside([Block])
    }

    /// One numbered part of the report.
    struct Part {
        var title: String
        var blocks: [Block]
        /// What the line `report` prints says of this part ("2 curves"), if anything.
        var brief: String? = nil
    }

    /// The statements the report lists: those that ran since the current data was loaded.
    struct Appendix {
        /// The statements that succeeded, in order.
        var entries: [SessionRecorder.Entry] = []
        /// How many of the first `entries` are listed without output (the recorder let it go).
        var withoutOutput = 0
        /// The statements that failed: an error leaves the session as it was, so they are not
        /// part of what made the results; they are named, not shown.
        var failed: [SessionRecorder.Entry] = []
        /// Statements before the current data's `load`: another data set's.
        var statementsBefore = 0

        init(statementsBefore: Int = 0) { self.statementsBefore = statementsBefore }
    }

    /// The data's source, for the page title; nil before `load`.
    var title: String?
    var parts: [Part]
    var appendix: Appendix

    /// The line `report` prints: what the page holds.
    var contents: String {
        var items = parts.map { part in part.title.lowercased() + (part.brief.map { " (\($0))" } ?? "") }
        let entries = appendix.entries
        let pictures = entries.map(\.pictures.count).reduce(0, +)
        var statements = "appendix of \(entries.count) statement\(entries.count == 1 ? "" : "s")"
        if pictures > 0 { statements += " with \(pictures) picture\(pictures == 1 ? "" : "s")" }
        if !appendix.failed.isEmpty { statements += " (\(appendix.failed.count) that failed left out)" }
        items.append(statements)
        return items.joined(separator: ", ")
    }

    var html: String {
        var body = ""
        for (number, part) in parts.enumerated() {
            body += "<h2>\(number + 1). \(xmlEscaped(part.title))</h2>\n"
            for block in part.blocks { body += html(block) }
        }
        body += appendixHTML
        let title = "dl report" + (title.map { ": " + $0 } ?? "")
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>\(xmlEscaped(title))</title>
            <style>
            \(Self.style)
            </style>
            </head>
            <body>
            <h1>\(xmlEscaped(title))</h1>
            \(body)</body>
            </html>

            """
    }

    private func html(_ block: Block) -> String {
        switch block {
        case .facts(let rows):
            guard !rows.isEmpty else { return "" }
            var html = "<table class=\"facts\">\n"
            for row in rows { html += "<tr><th>\(xmlEscaped(row.label))</th><td>\(xmlEscaped(row.value))</td></tr>\n" }
            return html + "</table>\n"
        case .table(let caption, let table, let note):
            var html = "<div class=\"tablebox\">\n"
            if let caption { html += "<p class=\"caption\">\(Self.prose(caption))</p>\n" }
            html += table.html
            if let note {
                let lines = note.split(separator: "\n").map { Self.prose(String($0)) }
                html += "<p class=\"note\">\(lines.joined(separator: "<br>\n"))</p>\n"
            }
            return html + "</div>\n"
        case .charts(let svgs):
            guard !svgs.isEmpty else { return "" }
            return "<div class=\"charts\">\n" + svgs.map { "<figure>\(inline($0))</figure>\n" }.joined() + "</div>\n"
        case .note(let text):
            return "<p>\(Self.prose(text))</p>\n"
        case .heading(let text):
            return "<h3>\(xmlEscaped(text))</h3>\n"
        case .beside(let blocks):
            return "<div class=\"beside\">\n" + blocks.map { "<div>\n" + html($0) + "</div>\n" }.joined() + "</div>\n"
        }
    }

    /// The appendix: every statement that succeeded since the data was loaded, and a note of
    /// what is left out (earlier data sets' statements, statements that failed).
    private var appendixHTML: String {
        let entries = appendix.entries
        var body = "<h2 class=\"appendix\">Appendix: the statements</h2>\n"
        var opening = "\(entries.count) statement\(entries.count == 1 ? "" : "s")"
        if let first = entries.first { opening += " from <code>\(xmlEscaped(first.statement))</code> on" }
        body += "<p>\(opening), in the order they ran, with what each printed and drew.</p>\n"
        var left: [String] = []
        let before = appendix.statementsBefore
        if before > 0 {
            left.append("the \(before) statement\(before == 1 ? "" : "s") before it, which worked on an earlier data set")
        }
        let failed = appendix.failed
        if !failed.isEmpty {
            left.append("\(failed.count) statement\(failed.count == 1 ? "" : "s") that failed (an error leaves the session as it was, "
                        + "so \(failed.count == 1 ? "it" : "they") made none of the results above)")
        }
        if !left.isEmpty { body += "<p class=\"note\">Left out: \(left.joined(separator: "; ")).</p>\n" }
        if !failed.isEmpty {
            body += "<ul class=\"failed\">\n"
            for entry in failed {
                let error = stripEscapes(entry.text).split(separator: "\n").first.map(String.init) ?? ""
                body += "<li><span class=\"where\">\(xmlEscaped(entry.fileName)):\(entry.line)</span> <code>\(xmlEscaped(entry.statement))</code>"
                    + (error.isEmpty ? "" : ": \(xmlEscaped(error))") + "</li>\n"
            }
            body += "</ul>\n"
        }
        let old = appendix.withoutOutput
        if old > 0 {
            body += "<p class=\"note\">The first \(old) statement\(old == 1 ? "" : "s") are listed without their output: a report keeps what the last \(SessionRecorder.keptOutputs) printed and drew.</p>\n"
        }
        for entry in entries {
            body += "<section>\n"
            body += "<div class=\"stmt\"><span class=\"where\">\(xmlEscaped(entry.fileName)):\(entry.line)</span> "
                + "<code>\(xmlEscaped(entry.statement))</code></div>\n"
            body += output(stripEscapes(entry.text))
            if entry.droppedBytes > 0 || entry.droppedPictures > 0 {
                var dropped: [String] = []
                if entry.droppedBytes > 0 { dropped.append("\(describeBytes(entry.droppedBytes)) of output") }
                if entry.droppedPictures > 0 { dropped.append("\(entry.droppedPictures) picture\(entry.droppedPictures == 1 ? "" : "s")") }
                body += "<p class=\"note\">(\(dropped.joined(separator: " and ")) not kept)</p>\n"
            }
            for svg in entry.pictures { body += "<figure>\(inline(svg))</figure>\n" }
            body += "</section>\n"
        }
        return body
    }

    /// Escaped text with `backquoted` words set as code.
    static func prose(_ text: String) -> String {
        let pieces = text.split(separator: "`", omittingEmptySubsequences: false)
        guard pieces.count % 2 == 1 else { return xmlEscaped(text) } // an unpaired backquote: plain text
        return pieces.enumerated().map { i, piece in
            i % 2 == 1 ? "<code>\(xmlEscaped(String(piece)))</code>" : xmlEscaped(String(piece))
        }.joined()
    }

    /// On screen: monospace text in boxes that scroll rather than widen the page, the charts
    /// side by side when there is room. On paper (`@media print`): every line of a box wraps
    /// instead of being cut at the edge, pictures, tables and statements' headings are not
    /// split across pages, and the epoch logs folded on screen are printed open.
    private static let style = """
        body { font-family: system-ui, sans-serif; max-width: 62rem; margin: 2rem auto; padding: 0 1rem; color: #222; line-height: 1.4; }
        h1 { font-size: 1.5rem; }
        h2 { font-size: 1.15rem; border-bottom: 1px solid #ddd; padding-bottom: 0.2rem; margin-top: 1.8rem; }
        h3 { font-size: 1rem; margin: 1.2rem 0 0.4rem; }
        code { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.9em; }
        table { border-collapse: collapse; font-size: 0.9rem; }
        table.facts th { width: 8rem; text-align: left; font-weight: normal; color: #666; padding: 0.15rem 1.2rem 0.15rem 0; vertical-align: top; white-space: nowrap; }
        table.facts td { padding: 0.15rem 0; overflow-wrap: anywhere; }
        table.grid { margin: 0.4rem 0 0.8rem; }
        table.grid th, table.grid td { padding: 0.2rem 0.9rem 0.2rem 0; text-align: left; border-bottom: 1px solid #eee; }
        table.grid thead th { border-bottom: 2px solid #999; }
        table.grid .num { text-align: right; font-variant-numeric: tabular-nums; }
        table.grid tr.rule td { border-bottom: 1px solid #999; }
        p.caption { margin: 0.8rem 0 0; font-size: 0.9rem; color: #444; }
        .charts { display: flex; flex-wrap: wrap; gap: 1rem; }
        .charts figure { flex: 1 1 24rem; }
        .beside { display: flex; flex-wrap: wrap; gap: 0 1.5rem; align-items: flex-start; }
        .beside > div { flex: 0 1 auto; min-width: 0; }
        .beside > div:last-child { flex: 1 1 14rem; max-width: 34rem; }
        figure { margin: 0.5rem 0; }
        figure svg { display: block; max-width: 100%; height: auto; }
        section { border-left: 3px solid #4c78a8; margin: 1.2rem 0; padding: 0.2rem 0 0.2rem 0.8rem; }
        ul.failed { font-size: 0.85rem; color: #555; padding-left: 1.2rem; }
        ul.failed li { border-left: 3px solid #e45756; padding-left: 0.5rem; margin: 0.2rem 0; list-style: none; overflow-wrap: anywhere; }
        .stmt code { font-size: 1rem; font-weight: bold; }
        .where { color: #888; font-size: 0.8rem; margin-right: 0.5rem; }
        pre { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; background: #f6f6f6; padding: 0.6rem; margin: 0.4rem 0; overflow-x: auto; font-size: 0.85rem; line-height: 1.3; }
        details { margin: 0.4rem 0; }
        details summary { cursor: pointer; color: #4c78a8; font-size: 0.9rem; }
        p.note { color: #777; font-size: 0.85rem; }
        @page { size: A4; margin: 16mm 14mm 18mm; }
        @media print {
          body { max-width: none; margin: 0; padding: 0; font-size: 10pt; }
          h1 { margin-top: 0; }
          h2, h3, p.caption, .stmt { break-after: avoid; }
          h2.appendix { break-before: page; }
          pre { white-space: pre-wrap; overflow-wrap: anywhere; overflow: visible; font-size: 7.5pt; background: none; border: 1px solid #ddd; }
          figure, svg, table, tr, .tablebox, ul.failed li { break-inside: avoid; }
          .charts figure { flex: 1 1 45%; }
          .beside { display: block; }
          .beside figure svg { max-width: 125mm; }
          figure svg { max-height: 230mm; }
          details > summary { color: #555; }
          details::details-content { content-visibility: visible; display: block; }
          section { border-left-width: 2px; }
          * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        }
        """

    /// A statement's text, each run of epoch progress lines (ProgressPrinter's "Epoch  5/100 …")
    /// folded into a `<details>` so the lines around it ("trained 100 epochs …") stay in view.
    private func output(_ text: String) -> String {
        var html = ""
        var plain: [Substring] = [], epochs: [Substring] = []
        func flushPlain() {
            if plain.contains(where: { !$0.isEmpty }) { html += "<pre>\(xmlEscaped(plain.joined(separator: "\n")))</pre>\n" }
            plain = []
        }
        func flushEpochs() {
            guard !epochs.isEmpty else { return }
            html += "<details><summary>epoch log (\(epochs.count) line\(epochs.count == 1 ? "" : "s"))</summary>"
                + "<pre>\(xmlEscaped(epochs.joined(separator: "\n")))</pre></details>\n"
            epochs = []
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        for line in lines {
            if line.hasPrefix("Epoch ") {
                flushPlain()
                epochs.append(line)
            } else {
                flushEpochs()
                plain.append(line)
            }
        }
        flushPlain()
        flushEpochs()
        return html
    }

    /// Drops an XML declaration so the SVG can sit inside HTML.
    private func inline(_ svg: String) -> String {
        guard svg.hasPrefix("<?xml"), let end = svg.range(of: "?>") else { return svg }
        return String(svg[end.upperBound...])
    }

    /// Removes ANSI escape sequences and in-place redraws (\r) from terminal text.
    private func stripEscapes(_ text: String) -> String {
        var out = ""
        var chars = text.makeIterator()
        while let c = chars.next() {
            if c == "\u{1B}" {
                guard let next = chars.next(), next == "[" else { continue }
                while let d = chars.next(), !(d.isLetter) {}
                continue
            }
            if c == "\r" {
                if let lastNewline = out.lastIndex(of: "\n") { out = String(out[...lastNewline]) } else { out = "" }
                continue
            }
            out.append(c)
        }
        return out
    }
}
