/// How outliers are told apart.
public enum OutlierMethod: String, CaseIterable, Sendable {
    /// Tukey's fences: below q1 - k·IQR or above q3 + k·IQR (k = 1.5 by default).
    case iqr
    /// Further than k population standard deviations from the mean (k = 3 by default),
    /// i.e. |scipy.stats.zscore(x)| > k.
    case zscore

    /// The usual fence distance: 1.5 IQRs (Tukey), 3 standard deviations.
    public var conventionalK: Double { self == .iqr ? 1.5 : 3 }

    /// The customary k for the method.
    public var defaultK: Double { self == .iqr ? 1.5 : 3 }
}

/// Where a numeric column's outliers lie, with the figures of its box plot.
public struct OutlierReport: Equatable, Sendable {
    public let column: String
    public let method: OutlierMethod
    public let k: Double
    /// Quartiles of the fitted values, linearly interpolated (numpy's default).
    public let q1: Double, median: Double, q3: Double
    /// Values strictly outside [lowerFence, upperFence] are outliers.
    public let lowerFence: Double, upperFence: Double
    /// The most extreme values within the fences (matplotlib's box-plot whiskers); q1 / q3
    /// when no value lies between the fence and that quartile.
    public let lowerWhisker: Double, upperWhisker: Double
    /// Table row indices of the outliers, in the order of the rows given.
    public let rows: [Int]
    /// Their values.
    public let values: [Double]

    public init(column: String, method: OutlierMethod, k: Double, q1: Double, median: Double, q3: Double,
                lowerFence: Double, upperFence: Double, lowerWhisker: Double, upperWhisker: Double,
                rows: [Int], values: [Double]) {
        self.column = column; self.method = method; self.k = k
        self.q1 = q1; self.median = median; self.q3 = q3
        self.lowerFence = lowerFence; self.upperFence = upperFence
        self.lowerWhisker = lowerWhisker; self.upperWhisker = upperWhisker
        self.rows = rows; self.values = values
    }
}

extension Table {
    /// Finds the outliers of a numeric column among `rows`, with fences fitted on those
    /// rows only (pass the training rows so the test rows do not set them). NaN cells are
    /// skipped. Throws for an unknown or text column, a negative or non-finite k, and a
    /// column with no values in `rows`.
    public func outliers(in column: String, method: OutlierMethod, k: Double, rows: [Int]) throws -> OutlierReport {
        guard case .numeric(let all) = columns[try columnIndex(column)].data else {
            throw TabularError("column '\(column)' holds text; outliers are found in numeric columns",
                               hint: "pick a numeric column", problem: .numbersNeeded(column: column, strategy: nil))
        }
        guard k >= 0, k.isFinite else {
            throw TabularError("k must be a number 0 or above; got \(k)",
                               hint: "the usual k is \(method.defaultK) for \(method.rawValue)")
        }
        let present = Table.presentValues(all, rows: rows)
        guard !present.isEmpty else {
            throw TabularError("column '\(column)' has no values in the \(rows.count) rows given",
                               hint: "fill or drop its missing cells first")
        }
        let sorted = present.sorted()
        let q1 = Statistics.quantile(sorted: sorted, 0.25)
        let median = Statistics.quantile(sorted: sorted, 0.5)
        let q3 = Statistics.quantile(sorted: sorted, 0.75)
        let lower: Double, upper: Double
        switch method {
        case .iqr:
            lower = q1 - k * (q3 - q1); upper = q3 + k * (q3 - q1)
        case .zscore:
            // scipy.stats.zscore uses the population std (ddof = 0).
            let mean = Statistics.mean(present), std = Statistics.standardDeviation(present, ddof: 0)
            lower = mean - k * std; upper = mean + k * std
        }
        let inside = sorted.filter { $0 >= lower && $0 <= upper }
        var outRows: [Int] = [], outValues: [Double] = []
        for r in rows where !all[r].isNaN && (all[r] < lower || all[r] > upper) {
            outRows.append(r); outValues.append(all[r])
        }
        return OutlierReport(column: column, method: method, k: k, q1: q1, median: median, q3: q3,
                             lowerFence: lower, upperFence: upper,
                             lowerWhisker: min(inside.first ?? q1, q1), upperWhisker: max(inside.last ?? q3, q3),
                             rows: outRows, values: outValues)
    }

    /// Clips a numeric column's values to [lower, upper] (NaN stays missing); returns how
    /// many values changed. Does nothing to an unknown or text column.
    @discardableResult
    public mutating func clip(_ column: String, lower: Double, upper: Double) -> Int {
        guard let c = columns.firstIndex(where: { $0.name == column }),
              case .numeric(let values) = columns[c].data else { return 0 }
        let changed = values.reduce(0) { $0 + ($1 < lower || $1 > upper ? 1 : 0) }
        columns[c].data = .numeric(values.mapValues { min(max($0, lower), upper) })
        return changed
    }
}
