/// Every statement dl knows, declared once. The table drives checking, `help`,
/// tab completion and the statement reference in grammar.md.
public struct StatementTable: Sendable {
    public let statements: [StatementSpec]

    public static let standard = StatementTable(statements:
        dataStatements + exploreStatements + modelStatements + trainingStatements + tuningStatements + sessionStatements)

    public var names: [String] { statements.map(\.name) }

    public subscript(name: String) -> StatementSpec? {
        statements.first { $0.name == name }
    }

    /// The statement reference as Markdown, exactly as grammar.md holds it between
    /// its `<!-- statements:begin -->` and `<!-- statements:end -->` markers.
    public func markdownReference() -> String {
        var text = ""
        for category in StatementCategory.allCases {
            text += "### \(category.rawValue)\n\n"
            for spec in statements where spec.category == category {
                text += "#### `\(spec.usage)`\n\n\(spec.summary)\n\n\(spec.explanation)\n\n"
                let parameters = spec.parameterRows.map { ("`\($0.label)`", $0.type, $0.doc) }
                for (name, type, doc) in parameters { text += "- \(name) (\(type)): \(doc)\n" }
                if !parameters.isEmpty { text += "\n" }
                text += (spec.examples.count == 1 ? "Example: " : "Examples: ") + spec.examples.map { "`\($0)`" }.joined(separator: ", ") + "\n\n"
            }
        }
        return text
    }
}
