import Tabular

extension Session {
    /// How many classes `columns` and `describe` list one by one; beyond it, the largest and
    /// the smallest `shownAtEachEnd`.
    static let classesListed = 10
    static let shownAtEachEnd = 5

    /// The rows of each class of the target, commonest first (ties by name), counted in the
    /// whole table; nil when the target holds numbers to predict.
    func targetClassCounts() -> [(name: String, rows: Int)]? {
        guard let pipeline = data, let column = table?.column(named: pipeline.targetName) else { return nil }
        var counts: [String: Int] = [:]
        switch column.data {
        case .text(let cells):
            for case let cell? in cells { counts[cell, default: 0] += 1 }
        case .numeric(let values):
            guard pipeline.task == .classification || pipeline.twoTargetValues != nil else { return nil }
            for value in values where !value.isNaN { counts[Table.className(value), default: 0] += 1 }
        }
        return counts.map { (name: $0.key, rows: $0.value) }.sorted { ($1.rows, $0.name) < ($0.rows, $1.name) }
    }

    /// `columns` and `describe` end with the target's classes and their counts, compactly,
    /// and a note when one is rare enough to call for `balance=auto`.
    func printTargetClasses() {
        guard let pipeline = data, let counts = targetClassCounts(), !counts.isEmpty else { return }
        let total = counts.map(\.rows).reduce(0, +)
        func entry(_ c: (name: String, rows: Int)) -> String {
            "\(c.name) \(c.rows) (\(Format.fixed(100 * Double(c.rows) / Double(max(total, 1)), 1))%)"
        }
        var line = "target '\(pipeline.targetName)': "
        if pipeline.task != .classification, case .numeric? = table?.column(named: pipeline.targetName)?.data {
            line += "numbers with two values, \(counts.map(entry).joined(separator: ", ")); a regression until the model ends in `dense 1 sigmoid` or `task classification` says classes"
            print(line)
            return
        }
        line += "\(counts.count) class\(counts.count == 1 ? "" : "es") in \(total) rows: "
        if counts.count <= Self.classesListed {
            line += counts.map(entry).joined(separator: ", ")
        } else {
            line += "the largest " + counts.prefix(Self.shownAtEachEnd).map(entry).joined(separator: ", ")
                + "; … ; the smallest " + counts.suffix(Self.shownAtEachEnd).map(entry).joined(separator: ", ")
        }
        print(line)
        // Rare: fewer than half the rows it would have if every class had as many.
        if let rarest = counts.last, counts.count > 1, Double(rarest.rows) < Double(total) / Double(2 * counts.count) {
            print("note: the classes are imbalanced ('\(rarest.name)' has \(rarest.rows) rows, '\(counts[0].name)' \(counts[0].rows)); "
                  + "`train balance=auto` weights the loss by class, and `evaluate` gives balanced accuracy and macro F1")
        }
    }
}
