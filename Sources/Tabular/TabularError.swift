/// An error from loading or preparing tabular data, as a value the shell can show.
///
/// `message` says what was expected and what was received (with the file line, 1-based,
/// where one applies); `hint` says how to fix it.
public struct TabularError: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String
    /// A remedy in plain words; the shell may give one in its own syntax instead (`problem`).
    public let hint: String?
    /// What went wrong, as data, where the remedy is written in the shell's syntax (a
    /// preprocessing step, a statement's parameters): the shell names it (`Diagnostic`).
    public let problem: Problem?

    /// Problems whose fix the shell writes in its syntax, a step or a parameter to change.
    public enum Problem: Equatable, Sendable {
        /// A statistic (mean, median, outlier fences) of a column that holds text.
        case numbersNeeded(column: String, strategy: String?)
        /// A fill value that is not a number, for a numeric column.
        case constantNotANumber(column: String)
        /// A column with no values in the rows that fit it (to impute or to encode).
        case noValuesToFit(column: String, encoding: Bool)
        /// A feature column that holds text (and the other text columns), and what it needs.
        case textFeature(column: String, others: [String], treatment: TextTreatment = .onehot)
        /// Generated images that need more memory than there is: fewer or smaller would fit.
        case imagesTooLarge
        /// A path that is not a regular file (a pipe, a device): the data must be saved to a file.
        case notARegularFile
        /// A CSV whose header is one column: its fields seem to be separated by this byte
        /// (nil: by none that dl knows), which `sep=` reads.
        case otherSeparator(UInt8?)
    }

    public init(_ message: String, hint: String? = nil, problem: Problem? = nil) {
        self.message = message
        self.hint = hint
        self.problem = problem
    }

    public var description: String {
        hint.map { "\(message) (\($0))" } ?? message
    }
}

/// What a text feature needs before a network can take it: one-hot encoding (a few
/// categories), `encode date` (dates), or, with more categories than one-hot encoding serves
/// (`OneHotEncoding.manyCategories`), to be dropped.
public enum TextTreatment: Equatable, Sendable {
    case onehot
    case date
    case drop(distinct: Int)
}

extension Column {
    /// What this column needs as a feature; nil for a numeric column.
    public var textTreatment: TextTreatment? {
        guard case .text(let cells) = data else { return nil }
        if isDateColumn { return .date }
        let distinct = Set(cells.compactMap { $0 }).count
        return distinct > OneHotEncoding.manyCategories ? .drop(distinct: distinct) : .onehot
    }
}
