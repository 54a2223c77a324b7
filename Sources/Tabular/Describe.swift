/// One column's summary, as pandas' `DataFrame.describe()` gives it.
public enum ColumnDescription: Equatable {
    /// Present values only (NaN ignored). std is the sample std (ddof = 1), NaN for fewer
    /// than 2 values; quartiles interpolate linearly (pandas' and numpy's default). With no
    /// values, every figure but count is NaN.
    case numeric(name: String, count: Int, mean: Double, std: Double, min: Double,
                 q25: Double, q50: Double, q75: Double, max: Double)
    /// count: present cells; unique: distinct present values; top: the most frequent
    /// value (ties go to the one met first in the column, as in pandas), nil when the
    /// column has no values; freq: how often top occurs.
    case text(name: String, count: Int, unique: Int, top: String?, freq: Int)

    /// The column's name.
    public var name: String {
        switch self {
        case .numeric(let name, _, _, _, _, _, _, _, _): return name
        case .text(let name, _, _, _, _): return name
        }
    }
}

extension Table {
    /// A summary of every column, in order, over all rows (pandas' `describe(include='all')`
    /// split by column type). Exploration looks at the whole file; nothing here is fitted.
    public func describe() -> [ColumnDescription] {
        columns.map(Table.describe)
    }

    /// Missing cells of every column, in order: how many, and their fraction of the rows
    /// (0 for an empty table).
    public func missingSummary() -> [(name: String, missing: Int, fraction: Double)] {
        columns.map { column in
            let missing = column.missingCount
            return (column.name, missing, rowCount > 0 ? Double(missing) / Double(rowCount) : 0)
        }
    }

    static func describe(_ column: Column) -> ColumnDescription {
        switch column.data {
        case .numeric(let values):
            let present = values.filter { !$0.isNaN }.sorted()
            return .numeric(name: column.name, count: present.count,
                            mean: Statistics.mean(present),
                            std: Statistics.standardDeviation(present, ddof: 1),
                            min: present.first ?? .nan,
                            q25: Statistics.quantile(sorted: present, 0.25),
                            q50: Statistics.quantile(sorted: present, 0.5),
                            q75: Statistics.quantile(sorted: present, 0.75),
                            max: present.last ?? .nan)
        case .text(let cells):
            let (top, freq, unique) = mostFrequent(cells.compactMap { $0 })
            return .text(name: column.name, count: cells.count - column.missingCount,
                         unique: unique, top: top, freq: freq)
        }
    }

    /// The most frequent value, its count, and the number of distinct values. Ties go to
    /// the value that appears first, which is what pandas' `describe` reports (its
    /// `value_counts` sort is stable over first appearance).
    static func mostFrequent(_ values: [String]) -> (top: String?, freq: Int, unique: Int) {
        var counts: [String: Int] = [:]
        var firstSeen: [String] = []
        for value in values {
            if counts[value] == nil { firstSeen.append(value) }
            counts[value, default: 0] += 1
        }
        var top: String?, freq = 0
        for value in firstSeen where counts[value]! > freq {
            top = value; freq = counts[value]!
        }
        return (top, freq, firstSeen.count)
    }
}
