import Tabular

extension DataPipeline {
    /// Why keeping only the rows `kept` (original indices) would leave too little to train on:
    /// fewer than 10% of the training rows, fewer than 2 training rows of a class that had
    /// more (or none of one that had any), or no test rows at all. Nil when enough remains.
    /// `step` names what would remove them ("drop outliers"); `hint` says what to do instead.
    func emptyingProblem(keeping kept: [Int], step: String, hint: String) -> Diagnostic? {
        let keptSet = Set(kept)
        let training = trainRows
        let left = training.filter { keptSet.contains($0) }
        let which = split == nil ? "rows" : "training rows"
        let unchanged = "so nothing was removed"
        if left.count * 10 < training.count {
            let share = training.isEmpty ? 0 : Double(left.count) / Double(training.count) * 100
            return Diagnostic("\(step) would keep \(left.count) of the \(training.count) \(which) (\(Format.fixed(share, share < 1 ? 1 : 0))%): too few to train on, \(unchanged)",
                              hint: hint)
        }
        if let (labels, names) = classLabels {
            var before = [Int](repeating: 0, count: names.count), after = before
            for row in training where labels[row] >= 0 { before[labels[row]] += 1 }
            for row in left where labels[row] >= 0 { after[labels[row]] += 1 }
            if let thin = names.indices.first(where: { after[$0] < min(2, before[$0]) }) {
                return Diagnostic("\(step) would leave \(after[thin]) of the \(before[thin]) \(which) of class '\(names[thin])': a class needs at least 2 to learn from, \(unchanged)",
                                  hint: hint)
            }
        }
        if let split, !split.test.isEmpty, !split.test.contains(where: keptSet.contains) {
            return Diagnostic("\(step) would remove all \(split.test.count) test rows: `evaluate` would have nothing to measure, \(unchanged)",
                              hint: hint)
        }
        return nil
    }

    /// The class of every row (-1 where the target is missing) and the class names, for a
    /// classification target; read from the table while text features wait to be encoded.
    private var classLabels: (labels: [Int], names: [String])? {
        if let dataset {
            if case .classes(let labels, let names) = dataset.target { return (labels, names) }
            return nil
        }
        guard let column = table?.column(named: targetName) else { return nil }
        switch column.data {
        case .text(let cells):
            guard task != .regression else { return nil }
            let names = Array(Set(cells.compactMap { $0 })).sorted()
            let index = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
            return (cells.map { $0.flatMap { index[$0] } ?? -1 }, names)
        case .numeric(let values):
            guard task == .classification else { return nil }
            let distinct = Array(Set(values.filter { !$0.isNaN })).sorted()
            let index = Dictionary(uniqueKeysWithValues: distinct.enumerated().map { ($1, $0) })
            return (values.map { $0.isNaN ? -1 : index[$0]! }, distinct.map(Table.className))
        }
    }
}
