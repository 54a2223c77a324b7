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
        /// A feature column that holds text (and the other text columns).
        case textFeature(column: String, others: [String])
        /// Generated images that need more memory than there is: fewer or smaller would fit.
        case imagesTooLarge
        /// A path that is not a regular file (a pipe, a device): the data must be saved to a file.
        case notARegularFile
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
