/// Which correlation coefficient.
public enum CorrelationMethod: String, CaseIterable, Sendable {
    /// Linear (Pearson's r).
    case pearson
    /// Monotonic: Pearson's r of the ranks, ties given their mean rank (Spearman's ρ).
    case spearman
}

/// Pairwise correlations of numeric columns.
public struct CorrelationMatrix: Equatable {
    /// The columns, in table order (or the order asked for).
    public let names: [String]
    /// values[i][j]: the coefficient of names[i] and names[j]; nil where it is undefined
    /// (a column constant over the rows compared, or fewer than 2 rows with both present).
    /// The diagonal is 1, or nil for a constant column.
    public let values: [[Double?]]
    /// Columns with fewer than 2 distinct values among the rows used.
    public let constantColumns: [String]

    public init(names: [String], values: [[Double?]], constantColumns: [String]) {
        self.names = names
        self.values = values
        self.constantColumns = constantColumns
    }

    /// Pairs i < j with |r| >= threshold, strongest first (ties in column order).
    public func strongPairs(threshold: Double) -> [(a: String, b: String, r: Double)] {
        var pairs: [(a: String, b: String, r: Double)] = []
        for i in names.indices {
            for j in names.indices where j > i {
                if let r = values[i][j], abs(r) >= threshold { pairs.append((names[i], names[j], r)) }
            }
        }
        // Swift's sort is not stable; ties are rare but order them by position explicitly.
        return pairs.enumerated()
            .sorted { abs($0.element.r) != abs($1.element.r) ? abs($0.element.r) > abs($1.element.r) : $0.offset < $1.offset }
            .map(\.element)
    }
}

extension Table {
    /// Correlations of the numeric columns among `columns` (nil: every numeric column;
    /// text columns named are passed over), on `rows` (the training rows, or all rows).
    /// Each pair uses the rows where both cells are present, as pandas' `DataFrame.corr`
    /// does; for spearman the ranks are taken over those rows. Throws for an unknown
    /// column name, or when no numeric column is left.
    public func correlation(method: CorrelationMethod, columns names: [String]?, rows: [Int]) throws -> CorrelationMatrix {
        let chosen = try names.map { try $0.map { columns[try columnIndex($0)] } } ?? columns
        var picked: [(name: String, values: [Double])] = []
        for column in chosen {
            guard case .numeric(let all) = column.data else { continue }
            picked.append((column.name, rows.map { all[$0] }))
        }
        guard !picked.isEmpty else {
            throw TabularError("'\(source)' has no numeric columns to correlate"
                               + (names.map { " among " + $0.joined(separator: ", ") } ?? ""),
                               hint: "correlation needs numeric columns; encode text columns first")
        }
        // Columns with no missing cell share one ranking across all their pairs.
        let complete = picked.map { !$0.values.contains { $0.isNaN } }
        let ranks = picked.indices.map { i in
            method == .spearman && complete[i] ? Statistics.averageRanks(picked[i].values) : picked[i].values
        }
        let constant = picked.map { Set($0.values.filter { !$0.isNaN }).count < 2 }
        var values = [[Double?]](repeating: [Double?](repeating: nil, count: picked.count), count: picked.count)
        for i in picked.indices {
            values[i][i] = constant[i] ? nil : 1
            for j in picked.indices where j > i && !constant[i] && !constant[j] {
                let r: Double?
                if complete[i] && complete[j] {
                    r = Statistics.pearson(ranks[i], ranks[j])
                } else {
                    r = Table.pairwise(picked[i].values, picked[j].values, method: method)
                }
                values[i][j] = r
                values[j][i] = r
            }
        }
        return CorrelationMatrix(names: picked.map(\.name), values: values,
                                 constantColumns: picked.indices.filter { constant[$0] }.map { picked[$0].name })
    }

    /// The coefficient over the rows where both x and y are present.
    static func pairwise(_ x: [Double], _ y: [Double], method: CorrelationMethod) -> Double? {
        var a: [Double] = [], b: [Double] = []
        for i in x.indices where !x[i].isNaN && !y[i].isNaN {
            a.append(x[i]); b.append(y[i])
        }
        if method == .spearman { (a, b) = (Statistics.averageRanks(a), Statistics.averageRanks(b)) }
        return Statistics.pearson(a, b)
    }
}
