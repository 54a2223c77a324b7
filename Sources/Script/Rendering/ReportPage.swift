import DLCore
import Plot

/// The HTML of a session report, laid out as a lab report: the data, the pipeline, the
/// model and the training (with its curves) read from the session's values, then every
/// statement with what it printed and drew, the epoch lines folded away in `<details>`.
/// One offline page: no scripts, no external files, every text escaped.
struct ReportPage {
    /// One numbered part of the summary: `show`'s rows, and a table or charts below them.
    struct Part {
        var section: StateSection
        var table: TextTable? = nil
        var charts: [String] = [] // standalone SVG documents
    }

    struct Summary {
        /// The data's source, for the page title; nil before `load`.
        var title: String?
        var parts: [Part]
    }

    let summary: Summary
    let entries: [SessionRecorder.Entry]
    /// The first statements, whose output the recorder no longer keeps.
    var statementsWithoutOutput = 0

    var html: String {
        var body = ""
        for (number, part) in summary.parts.enumerated() {
            body += "<h2>\(number + 1). \(xmlEscaped(part.section.title))</h2>\n<table class=\"facts\">\n"
            for row in part.section.rows {
                body += "<tr><th>\(xmlEscaped(row.label))</th><td>\(xmlEscaped(row.value))</td></tr>\n"
            }
            body += "</table>\n"
            if let table = part.table { body += table.html }
            if !part.charts.isEmpty {
                body += "<div class=\"charts\">\n"
                for svg in part.charts { body += "<figure>\(inline(svg))</figure>\n" }
                body += "</div>\n"
            }
        }
        body += "<h2>\(summary.parts.count + 1). Statements</h2>\n"
        body += "<p>\(entries.count) statement\(entries.count == 1 ? "" : "s"), in the order they ran, with what each printed and drew.</p>\n"
        let old = statementsWithoutOutput
        if old > 0 {
            body += "<p class=\"note\">The first \(old) statement\(old == 1 ? "" : "s") are listed without their output: a report keeps what the last \(SessionRecorder.keptOutputs) printed and drew.</p>\n"
        }
        for entry in entries {
            body += "<section\(entry.failed ? " class=\"failed\"" : "")>\n"
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
        let title = "dl report" + (summary.title.map { ": " + $0 } ?? "")
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

    /// Monospace text in boxes that scroll rather than widen the page; the tables of
    /// `summary` as real tables; the charts side by side when there is room.
    private static let style = """
        body { font-family: system-ui, sans-serif; max-width: 62rem; margin: 2rem auto; padding: 0 1rem; color: #222; line-height: 1.4; }
        h1 { font-size: 1.5rem; }
        h2 { font-size: 1.15rem; border-bottom: 1px solid #ddd; padding-bottom: 0.2rem; margin-top: 1.8rem; }
        table { border-collapse: collapse; font-size: 0.9rem; }
        table.facts th { width: 6rem; text-align: left; font-weight: normal; color: #666; padding: 0.15rem 1.2rem 0.15rem 0; vertical-align: top; white-space: nowrap; }
        table.facts td { padding: 0.15rem 0; overflow-wrap: anywhere; }
        table.grid { margin: 0.8rem 0; }
        table.grid th, table.grid td { padding: 0.2rem 0.9rem 0.2rem 0; text-align: left; border-bottom: 1px solid #eee; }
        table.grid thead th { border-bottom: 2px solid #999; }
        table.grid .num { text-align: right; font-variant-numeric: tabular-nums; }
        table.grid tr.rule td { border-bottom: 1px solid #999; }
        .charts { display: flex; flex-wrap: wrap; gap: 1rem; }
        .charts figure { flex: 1 1 24rem; }
        figure { margin: 0.5rem 0; }
        figure svg { display: block; max-width: 100%; height: auto; }
        section { border-left: 3px solid #4c78a8; margin: 1.2rem 0; padding: 0.2rem 0 0.2rem 0.8rem; }
        section.failed { border-left-color: #e45756; }
        .stmt code { font-size: 1rem; font-weight: bold; }
        .where { color: #888; font-size: 0.8rem; margin-right: 0.5rem; }
        pre { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; background: #f6f6f6; padding: 0.6rem; margin: 0.4rem 0; overflow-x: auto; font-size: 0.85rem; line-height: 1.3; }
        details { margin: 0.4rem 0; }
        details summary { cursor: pointer; color: #4c78a8; font-size: 0.9rem; }
        p.note { color: #888; font-size: 0.85rem; }
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
