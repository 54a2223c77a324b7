import Tabular

/// A preprocessing step as recorded in the session's pipeline: applied to the
/// working table when run, and replayed on each `predict` row so new data goes
/// through exactly what the training data went through.
enum PipelineStep: Equatable, Sendable {
    case drop([String])
    case keep([String])
    case fill(String, FillValue)
    case encode(OneHotEncoding)
    /// `encode date`: a date column becomes the numbers of its parts.
    case encodeDate(DateEncoding)
    case clip(String, lower: Double, upper: Double)
    /// Rows were removed (dropna, drop outliers): nothing to replay on a new row.
    case removedRows(RowRemoval)
    /// `features x1*x2, sin(x1)`: new columns computed from others (FeatureCross.swift).
    case features([FeatureCross])

    var description: String {
        switch self {
        case .drop(let columns): return "drop " + columns.joined(separator: ",")
        case .keep(let columns): return "keep " + columns.joined(separator: ",")
        case .fill(let column, .number(let value)): return "impute \(column) = \(Format.general(value))"
        case .fill(let column, .text(let value)): return "impute \(column) = \(value)"
        case .encode(let encoding): return "encode onehot \(encoding.column) (\(encoding.categories.count) categories)"
        case .encodeDate(let encoding):
            return "encode date \(encoding.column) (\(encoding.parts.map(\.rawValue).joined(separator: ", ")))"
        case .clip(let column, let lower, let upper):
            return "clip \(column) to [\(Format.general(lower)), \(Format.general(upper))]"
        case .removedRows(let removal): return removal.description
        case .features(let crosses): return "features " + crosses.map(\.name).joined(separator: ", ")
        }
    }

    /// Replays the step on a table of new rows (e.g. the one row of `predict`).
    func replay(on table: inout Table) throws {
        switch self {
        case .drop(let columns): try table.dropColumns(columns.filter { table.column(named: $0) != nil })
        case .keep(let columns): try table.keepColumns(columns.filter { table.column(named: $0) != nil })
        case .fill(let column, let value): table.fill(column, with: value)
        case .encode(let encoding): encoding.apply(to: &table)
        case .encodeDate(let encoding): try encoding.apply(to: &table)
        case .clip(let column, let lower, let upper): table.clip(column, lower: lower, upper: upper)
        case .removedRows: break
        case .features(let crosses): try Self.addCrosses(crosses, to: &table)
        }
    }
}

/// Which rows a step removed, as a value rather than its text, so that an exported script can
/// redo it (`dropna` of some columns is `frame.dropna(subset=[…])`, not every missing cell).
enum RowRemoval: Equatable, Sendable {
    /// `dropna [COLUMNS]`: rows missing a value in these columns (in any column when nil).
    case missingValues(columns: [String]?)
    /// `drop outliers`: the rows `outliers` flagged, this many of them.
    case outliers(count: Int)

    /// The statement that removed them, for messages: "dropna", "drop outliers".
    var statement: String {
        switch self {
        case .missingValues: return "dropna"
        case .outliers: return "drop outliers"
        }
    }

    var description: String {
        switch self {
        case .missingValues(nil): return "dropna"
        case .missingValues(let columns?): return "dropna " + columns.joined(separator: ",")
        case .outliers(let count): return "drop outliers (\(count) rows)"
        }
    }
}
