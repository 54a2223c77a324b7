import Plot
import Tabular

extension Session {
    func correlation(method: CorrelationMethod, threshold: Double, at statement: SourceRange) throws {
        let table = try requireTable(for: "corr")
        let matrix = try correlationMatrix(table, method: method, at: statement)
        print("\(method.rawValue) correlation of \(matrix.names.count) numeric features, on \(fitRowsPhrase)")
        try draw(heatmap(matrix, method: method), to: nil, at: statement)
        for name in matrix.constantColumns {
            print("note: '\(name)' is constant, so its correlation is undefined (n/a); it carries no information: consider `drop \(name)`")
        }
        let pairs = matrix.strongPairs(threshold: threshold)
        guard !pairs.isEmpty else {
            print("no feature pairs with |r| >= \(Format.general(threshold))")
            return
        }
        print("pairs with |r| >= \(Format.general(threshold)) (candidates to drop one of each):")
        var view = TextTable(headers: ["feature", "feature", "r"], rightAligned: [2])
        for pair in pairs { view.rows.append([pair.a, pair.b, Format.fixed(pair.r, 3)]) }
        show(view, title: "strongly correlated pairs", indent: "  ")
        print("to drop one of each pair: drop " + Self.redundantColumns(pairs, matrix: matrix).joined(separator: ","))
    }

    func correlationMatrix(_ table: Table, method: CorrelationMethod, at range: SourceRange) throws -> CorrelationMatrix {
        let columns = try numericColumns(nil, in: table, at: range)
        guard columns.count >= 2 else {
            throw Diagnostic("corr needs at least two numeric feature columns, but there \(columns.count == 1 ? "is one" : "are none")",
                             at: range, hint: "`columns` lists the columns and their types")
        }
        do {
            return try table.correlation(method: method, columns: columns, rows: fitRows)
        } catch let error as TabularError {
            throw Diagnostic(error, at: range)
        }
    }

    func heatmap(_ matrix: CorrelationMatrix, method: CorrelationMethod) -> Chart {
        .heatmap(Heatmap(title: "\(method.rawValue.capitalized) correlation", rowLabels: matrix.names,
                         columnLabels: matrix.names, values: matrix.values, range: -1...1))
    }

    /// One column from each strong pair, as caret's findCorrelation chooses: the one
    /// more correlated on average with all the others, skipping pairs already broken.
    static func redundantColumns(_ pairs: [(a: String, b: String, r: Double)], matrix: CorrelationMatrix) -> [String] {
        func meanAbsolute(_ name: String) -> Double {
            guard let i = matrix.names.firstIndex(of: name) else { return 0 }
            let values = matrix.values[i].enumerated().compactMap { $0.offset == i ? nil : $0.element.map(abs) }
            return values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
        }
        var dropped: [String] = []
        for pair in pairs where !dropped.contains(pair.a) && !dropped.contains(pair.b) {
            dropped.append(meanAbsolute(pair.a) >= meanAbsolute(pair.b) ? pair.a : pair.b)
        }
        return dropped
    }
}
