/// A statement's command: its typed arguments, decoded once from the checked `Arguments`
/// through the command's declared parameters, and what running it does. Each statement of
/// the table names its command type (`StatementSpec.command`); the table row declares the
/// parameters, this type reads them.
protocol Command {
    /// Decodes the checked arguments; cannot fail for arguments the Checker accepted.
    init(_ args: Arguments)
    /// Checks across arguments that need no session (run by `--check` too).
    func check() throws
    /// Reads and changes the session's values; writes what it produced through the session.
    func run(in session: Session) throws
    /// What `explain on` prints after the statement ran: two to five plain lines on what just
    /// happened and why, with the session's own numbers.
    func explain(in session: Session) -> [String]
}

extension Command {
    func check() throws {}
}

