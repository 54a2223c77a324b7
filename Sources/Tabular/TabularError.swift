/// An error from loading or preparing tabular data, as a value the shell can show.
///
/// `message` says what was expected and what was received (with the file line, 1-based,
/// where one applies); `hint` says how to fix it.
public struct TabularError: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String
    public let hint: String?

    public init(_ message: String, hint: String? = nil) {
        self.message = message
        self.hint = hint
    }

    public var description: String {
        hint.map { "\(message) (\($0))" } ?? message
    }
}
