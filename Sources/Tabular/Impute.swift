/// How missing cells of a column are filled (scikit-learn's `SimpleImputer` strategies).
public enum ImputeStrategy: Equatable, Sendable {
    /// Mean of the present values (numeric columns only).
    case mean
    /// Median of the present values, linearly interpolated (numeric columns only).
    case median
    /// Most frequent present value; ties go to the smallest, as in `SimpleImputer`
    /// (`most_frequent`) and pandas' `mode()[0]`.
    case mode
    /// A fixed value; for a numeric column it must be a number.
    case constant(String)
}

/// A value to put in missing cells.
public enum FillValue: Equatable, Sendable {
    case number(Double)
    case text(String)
}

extension Table {
    /// The value to fill a column's missing cells with, fitted on `rows` only (the training
    /// rows) so that test rows do not leak into it. Throws for an unknown column, for mean
    /// or median of a text column, for a constant that is not a number on a numeric
    /// column, and when the column has no values in `rows`.
    public func fillValue(for column: String, strategy: ImputeStrategy, rows: [Int]) throws -> FillValue {
        let target = columns[try columnIndex(column)]
        switch (target.data, strategy) {
        case (.text, .mean), (.text, .median):
            let what = strategy == .mean ? "mean" : "median"
            throw TabularError("cannot take the \(what) of text column '\(column)'",
                               hint: "fill it with its most frequent value or a constant",
                               problem: .numbersNeeded(column: column, strategy: what))
        case (.numeric, .constant(let text)):
            guard let number = Table.parseNumber(text) else {
                throw TabularError("cannot fill numeric column '\(column)' with '\(text)': it is not a number",
                                   hint: "give a number", problem: .constantNotANumber(column: column))
            }
            return .number(number)
        case (.text, .constant(let text)):
            return .text(text)
        case (.numeric(let values), _):
            let present = Table.presentValues(values, rows: rows)
            guard !present.isEmpty else { throw noValues(column, rows: rows) }
            switch strategy {
            case .mean: return .number(Statistics.mean(present))
            case .median: return .number(Statistics.quantile(sorted: present.sorted(), 0.5))
            default: return .number(Table.mode(present)!)
            }
        case (.text(let cells), _):
            let present = rows.compactMap { cells[$0] }
            guard let mode = Table.mode(present) else { throw noValues(column, rows: rows) }
            return .text(mode)
        }
    }

    /// Fills the missing cells of the column; returns how many were filled (0 for an
    /// unknown column). A number going into a text column is written as text ("3", "2.5");
    /// text that is not a number going into a numeric column turns the column into text,
    /// as pandas' `fillna` turns it into an object column.
    @discardableResult
    public mutating func fill(_ column: String, with value: FillValue) -> Int {
        guard let c = columns.firstIndex(where: { $0.name == column }) else { return 0 }
        let missing = columns[c].missingCount
        guard missing > 0 else { return 0 }
        switch (columns[c].data, value) {
        case (.numeric(let values), .number(let x)):
            columns[c].data = .numeric(values.mapValues { $0.isNaN ? x : $0 })
        case (.numeric(let values), .text(let text)):
            if let x = Table.parseNumber(text) {
                columns[c].data = .numeric(values.mapValues { $0.isNaN ? x : $0 })
            } else {
                columns[c].data = .text(values.map { $0.isNaN ? text : Table.className($0) })
                columns[c].nonNumericCell = nil   // genuinely text now, by the caller's choice
            }
        case (.text(let cells), _):
            let text: String
            switch value {
            case .number(let x): text = Table.className(x)
            case .text(let t): text = t
            }
            columns[c].data = .text(cells.map { $0 ?? text })
        }
        return missing
    }

    /// The most frequent value; ties go to the smallest. Nil for no values.
    static func mode<T: Hashable & Comparable>(_ values: [T]) -> T? {
        var counts: [T: Int] = [:]
        for value in values { counts[value, default: 0] += 1 }
        return counts.max { a, b in a.value != b.value ? a.value < b.value : a.key > b.key }?.key
    }

    /// A number written the way the CSV reader accepts one (spaces around it ignored).
    static func parseNumber(_ text: String) -> Double? {
        let bytes = Array(text.utf8).drop { $0 == 32 }
        let trimmed = Array(bytes.reversed().drop { $0 == 32 }.reversed())
        guard !trimmed.isEmpty else { return nil }
        return trimmed.withUnsafeBufferPointer { NumberParser.parse($0, 0, $0.count) }
    }

    private func noValues(_ column: String, rows: [Int]) -> TabularError {
        TabularError("column '\(column)' has no values in the \(rows.count) rows used for fitting",
                     hint: "fill it with a constant, or drop the column", problem: .noValuesToFit(column: column, encoding: false))
    }
}
