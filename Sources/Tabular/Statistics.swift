/// Small numeric helpers shared by `describe`, imputation, outliers and correlation.
/// Every function takes the values already gathered (missing cells removed), so the
/// callers decide which rows count.
enum Statistics {
    /// The p-quantile (0...1) of ascending `sorted` values by linear interpolation between
    /// the closest ranks: position (n - 1) * p, as numpy's default `method='linear'` and
    /// pandas' `quantile` do. NaN for an empty array.
    static func quantile(sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let position = Double(sorted.count - 1) * p
        let below = Int(position.rounded(.down))
        let fraction = position - Double(below)
        guard fraction > 0, below + 1 < sorted.count else { return sorted[below] }
        let a = sorted[below], b = sorted[below + 1]
        // numpy's lerp: interpolate from the nearer end so the result stays within [a, b].
        return fraction < 0.5 ? a + (b - a) * fraction : b - (b - a) * (1 - fraction)
    }

    /// Arithmetic mean; NaN for no values.
    static func mean(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return .nan }
        return values.reduce(0, +) / Double(values.count)
    }

    /// Standard deviation with `ddof` degrees of freedom removed (1: sample, as pandas'
    /// `std`; 0: population, as `scipy.stats.zscore`). NaN when count <= ddof.
    /// Two passes (mean first) to avoid the cancellation of the sum-of-squares formula.
    static func standardDeviation(_ values: [Double], ddof: Int) -> Double {
        guard values.count > ddof else { return .nan }
        let m = mean(values)
        let squares = values.reduce(0) { $0 + ($1 - m) * ($1 - m) }
        return (squares / Double(values.count - ddof)).squareRoot()
    }

    /// 1-based ranks; tied values all get the mean of the ranks they span (scipy's
    /// `rankdata(method='average')`, which pandas' Spearman correlation uses).
    static func averageRanks(_ values: [Double]) -> [Double] {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var ranks = [Double](repeating: 0, count: values.count)
        var start = 0
        while start < order.count {
            var end = start + 1
            while end < order.count, values[order[end]] == values[order[start]] { end += 1 }
            // Positions start..<end (0-based) hold ranks start+1 ... end; their mean:
            let rank = Double(start + 1 + end) / 2
            for i in start..<end { ranks[order[i]] = rank }
            start = end
        }
        return ranks
    }

    /// Pearson's r of two equally long series; nil when fewer than 2 pairs or when either
    /// series is constant (r is then undefined, and pandas gives NaN).
    static func pearson(_ x: [Double], _ y: [Double]) -> Double? {
        guard x.count == y.count, x.count >= 2 else { return nil }
        let mx = mean(x), my = mean(y)
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for i in x.indices {
            let dx = x[i] - mx, dy = y[i] - my
            sxy += dx * dy; sxx += dx * dx; syy += dy * dy
        }
        guard sxx > 0, syy > 0 else { return nil }
        // Rounding can push |r| a hair past 1; the true value never is.
        return max(-1, min(1, sxy / (sxx * syy).squareRoot()))
    }
}

extension Table {
    /// Index of the first column with this name, or the "no column named …" error with a
    /// did-you-mean hint.
    func columnIndex(_ name: String) throws -> Int {
        guard let index = columns.firstIndex(where: { $0.name == name }) else { throw unknownColumn(name) }
        return index
    }

    /// The present (non-NaN) values of a numeric column at `rows`, in that order.
    static func presentValues(_ values: NumericColumn, rows: [Int]) -> [Double] {
        rows.compactMap { values[$0].isNaN ? nil : values[$0] }
    }
}
