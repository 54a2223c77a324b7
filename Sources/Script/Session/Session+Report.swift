import Plot

extension Session {
    /// Writes one offline HTML page with every statement run so far, its output and
    /// its pictures inline: something a student can hand in.
    func report(_ args: Arguments) throws {
        let path = args.text("FILE")!
        let entries = recorder.entries.dropLast() // the `report` statement itself
        try writeFile(path, ReportPage(entries: Array(entries)).html, at: args.range(of: "FILE"))
        let pictures = entries.map(\.pictures.count).reduce(0, +)
        print("wrote \(path): \(entries.count) statement\(entries.count == 1 ? "" : "s"), \(pictures) picture\(pictures == 1 ? "" : "s")")
    }
}

/// The HTML of a session report: no scripts, no external files.
struct ReportPage {
    let entries: [SessionRecorder.Entry]

    var html: String {
        var body = ""
        for entry in entries {
            body += "<section\(entry.failed ? " class=\"failed\"" : "")>\n"
            body += "<div class=\"stmt\"><span class=\"where\">\(xmlEscaped(entry.fileName)):\(entry.line)</span> "
                + "<code>\(xmlEscaped(entry.statement))</code></div>\n"
            let text = stripEscapes(entry.text)
            if !text.isEmpty { body += "<pre>\(xmlEscaped(text))</pre>\n" }
            for svg in entry.pictures { body += "<figure>\(inline(svg))</figure>\n" }
            body += "</section>\n"
        }
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>dl session report</title>
            <style>
            body { font-family: sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
            h1 { font-size: 1.4rem; }
            section { border-left: 3px solid #4c78a8; margin: 1.2rem 0; padding: 0.2rem 0 0.2rem 0.8rem; }
            section.failed { border-left-color: #e45756; }
            .stmt code { font-size: 1rem; font-weight: bold; }
            .where { color: #888; font-size: 0.8rem; margin-right: 0.5rem; }
            pre { background: #f6f6f6; padding: 0.6rem; overflow-x: auto; font-size: 0.85rem; line-height: 1.25; }
            figure { margin: 0.5rem 0; }
            figure svg { max-width: 100%; height: auto; }
            </style>
            </head>
            <body>
            <h1>dl session report</h1>
            <p>\(entries.count) statements, in the order they ran, with what each printed and drew.</p>
            \(body)</body>
            </html>

            """
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
