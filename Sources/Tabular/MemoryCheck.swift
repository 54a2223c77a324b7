import DLCore

extension TabularError {
    /// The error for a request of `bytes` that exceeds the memory available now (see
    /// `MemoryBudget`), or nil when it fits or nothing is known: "`what` would need about
    /// 54 GB (`parts`) but this machine has 22.8 GB available".
    static func unaffordable(_ what: String, needs bytes: Int, parts: String? = nil, hint: String,
                             problem: Problem? = nil, budget: MemoryBudget? = .current()) -> TabularError? {
        guard let budget, bytes > budget.bytes else { return nil }
        let available = budget.source.hasPrefix(MemoryBudget.variable)
            ? "\(budget.source) \(describeBytes(budget.bytes))"
            : "\(budget.source) \(describeBytes(budget.bytes)) available"
        return TabularError("\(what) would need about \(describeBytes(bytes))\(parts.map { " (\($0))" } ?? "") but \(available)",
                            hint: hint, problem: problem)
    }
}
