/// Every statement dl knows, declared once. The table drives checking, `help`,
/// tab completion and the statement reference in grammar.md.
public struct StatementTable: Sendable {
    public let statements: [StatementSpec]

    public static let standard = StatementTable(statements:
        dataStatements + exploreStatements + plotStatements + classPlotStatements + modelStatements + trainingStatements + tuningStatements + sessionStatements
        + insightStatements + imageStatements + seeStatements)

    public var names: [String] { statements.map(\.name) }

    public subscript(name: String) -> StatementSpec? {
        statements.first { $0.name == name }
    }

    /// The first words of every statement, each once ("plot" for all the plots).
    public var families: [String] {
        statements.map(\.family).reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
    }

    /// The statements of a family: "plot" gives "plot loss", "plot hist", …, and the plain
    /// "plot" (of "plot COL vs COL") if there is one.
    public func members(of family: String) -> [StatementSpec] {
        statements.filter { $0.family == family }
    }

    /// The second words of a family's multi-word statements ("loss", "hist", …).
    public func subWords(of family: String) -> [String] {
        members(of: family).compactMap { $0.name == family ? nil : String($0.name.dropFirst(family.count + 1)) }
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
