/// `help` and `help NAME`, rendered from the statement table.
enum HelpText {
    /// `help NAME`: the statement, or every statement of a family (`help plot`).
    static func render(_ name: String?, table: StatementTable) -> String {
        guard let name else { return overview(table) }
        let members = name.contains(" ") ? table[name].map { [$0] } ?? [] : table.members(of: name)
        guard !members.isEmpty else { return overview(table) }
        return members.map(render).joined(separator: "\n")
    }

    static func render(_ spec: StatementSpec) -> String {
        var text = "\(spec.usage)\n\n\(spec.summary)\n\n\(wrap(spec.explanation, width: 78))\n"
        let rows = spec.parameterRows
        if !rows.isEmpty {
            text += "\nparameters:\n"
            let width = rows.map(\.0.count).max()!
            for (label, type, doc) in rows {
                text += "  " + Format.pad(label, width) + "  " + doc + " (" + type + ")\n"
            }
        }
        text += "\nexamples:\n" + spec.examples.map { "  \($0)\n" }.joined()
        return text
    }

    static func overview(_ table: StatementTable) -> String {
        var text = "dl statements (`help NAME` explains one):\n"
        let width = table.statements.map(\.name.count).max() ?? 0
        for category in StatementCategory.allCases {
            text += "\n\(category.rawValue)\n"
            for spec in table.statements where spec.category == category {
                text += "  " + Format.pad(spec.name, width) + "  " + spec.summary + "\n"
            }
        }
        text += "\nStatements are separated by newlines or `;`, and `#` starts a comment.\n"
        return text
    }

    /// Wraps a paragraph at word boundaries.
    static func wrap(_ paragraph: String, width: Int) -> String {
        var lines: [String] = []
        var line = ""
        for word in paragraph.split(separator: " ") {
            if !line.isEmpty, line.count + 1 + word.count > width {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines.joined(separator: "\n")
    }
}
