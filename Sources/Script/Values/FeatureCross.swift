#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DLCore
import Tabular

/// One of TensorFlow Playground's feature crosses: a new numeric column computed from raw
/// columns (`x1*x2`, `x1^2`, `sin(x1)`), named as it is written. `features` records a list of
/// them as one pipeline step; `predict`, saved models and the exports compute them the same way.
struct FeatureCross: Equatable, Sendable {
    enum Operation: String, Sendable {
        case product, square, cube, sin, cos, abs, log1p
    }

    let operation: Operation
    /// Two or more for a product, one otherwise.
    let columns: [String]

    /// The allowed forms, for messages and help.
    static let allowed = "a*b (a product of columns), a^2, a^3, sin(a), cos(a), abs(a), log1p(a)"
    private static let functions: [String: Operation] = ["sin": .sin, "cos": .cos, "abs": .abs, "log1p": .log1p]

    /// The column's name: the expression in its canonical form.
    var name: String {
        switch operation {
        case .product: return columns.joined(separator: "*")
        case .square: return columns[0] + "^2"
        case .cube: return columns[0] + "^3"
        case .sin, .cos, .abs, .log1p: return "\(operation.rawValue)(\(columns[0]))"
        }
    }

    /// Reads one expression; nil with the reason for anything else (`x1^x2`, `exp(x1)`, `sin(x1*x2)`).
    static func parse(_ text: String) -> (cross: FeatureCross?, problem: String?) {
        func isName(_ part: Substring) -> Bool {
            !part.isEmpty && !part.contains { "*^()".contains($0) }
        }
        func refuse(_ why: String) -> (FeatureCross?, String?) { (nil, why) }
        if let open = text.firstIndex(of: "(") {
            let function = String(text[..<open])
            guard text.hasSuffix(")") else { return refuse("'\(text)' does not close its bracket") }
            let inner = text[text.index(after: open)..<text.index(before: text.endIndex)]
            guard let operation = functions[function] else {
                return refuse("'\(text)' uses \(function.isEmpty ? "brackets without a function" : "'\(function)'"), which is not one of the operations")
            }
            guard isName(inner) else { return refuse("'\(text)' applies \(function) to '\(inner)'; one operation per feature, on a column") }
            return (FeatureCross(operation: operation, columns: [String(inner)]), nil)
        }
        if text.contains(")") { return refuse("'\(text)' has a ')' without its '('") }
        if let caret = text.firstIndex(of: "^") {
            let base = text[..<caret], power = text[text.index(after: caret)...]
            guard isName(base) else { return refuse("'\(text)' raises '\(base)' to a power; one operation per feature, on a column") }
            switch power {
            case "2": return (FeatureCross(operation: .square, columns: [String(base)]), nil)
            case "3": return (FeatureCross(operation: .cube, columns: [String(base)]), nil)
            default: return refuse("'\(text)' raises to the power '\(power)'; only ^2 and ^3 are allowed")
            }
        }
        if text.contains("*") {
            let parts = text.split(separator: "*", omittingEmptySubsequences: false)
            guard parts.allSatisfy(isName) else { return refuse("'\(text)' has an empty factor") }
            return (FeatureCross(operation: .product, columns: parts.map(String.init)), nil)
        }
        return refuse("'\(text)' is a column as it is, not a cross of columns")
    }

    /// The new value from the columns' values (in `columns` order).
    func value(_ inputs: [Double]) -> Double {
        let x = inputs[0]
        switch operation {
        case .product: return inputs.reduce(1, *)
        case .square: return x * x
        case .cube: return x * x * x
        case .sin: return sin(x)
        case .cos: return cos(x)
        case .abs: return Swift.abs(x)
        case .log1p: return log1p(x)
        }
    }

    /// The column computed for every row (a missing input gives a missing value).
    func values(_ inputs: [NumericColumn]) -> [Double] {
        let count = inputs.first?.count ?? 0
        var result = [Double](repeating: 0, count: count)
        var cells = [Double](repeating: 0, count: inputs.count)
        for row in 0..<count {
            for k in inputs.indices { cells[k] = inputs[k][row] }
            result[row] = value(cells)
        }
        return result
    }

    /// The pandas expression of the exported scripts, on a frame named `frame`.
    var pandas: String {
        let columns = self.columns.map { "frame[\(quotedLiteral($0))]" }
        switch operation {
        case .product: return columns.joined(separator: " * ")
        case .square: return "\(columns[0]) ** 2"
        case .cube: return "\(columns[0]) ** 3"
        case .sin, .cos, .abs, .log1p: return "np.\(operation.rawValue)(\(columns[0]))"
        }
    }
}

extension PipelineStep {
    /// `features …`: appends each cross as a numeric column of the table, computed from its
    /// columns as they are at this point of the pipeline.
    static func addCrosses(_ crosses: [FeatureCross], to table: inout Table) throws {
        for cross in crosses {
            let inputs = try cross.columns.map { name -> NumericColumn in
                guard let column = table.column(named: name) else { throw table.unknownColumn(name) }
                guard case .numeric(let values) = column.data else {
                    throw TabularError("\(cross.name) needs numbers, but '\(name)' holds text", hint: "encode it first, or cross numeric columns")
                }
                return values
            }
            let column = Column(name: cross.name, data: .numeric(.compact(cross.values(inputs))))
            if let at = table.columns.firstIndex(where: { $0.name == cross.name }) {
                table.columns[at] = column
            } else {
                table.columns.append(column)
            }
        }
    }
}
