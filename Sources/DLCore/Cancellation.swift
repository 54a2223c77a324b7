/// How long work (reading a large CSV, predicting a million rows) learns that the user asked
/// it to stop, without knowing about signals or the prompt: the dl executable's Ctrl-C flag
/// is read through the closure. Polled at block boundaries (a few MB of a file, a chunk of
/// rows), never per cell, so it costs nothing measurable.
public struct Cancellation: Sendable {
    private let requested: @Sendable () -> Bool

    public init(_ requested: @escaping @Sendable () -> Bool) {
        self.requested = requested
    }

    /// Work that is never cancelled.
    public static let never = Cancellation { false }

    /// True once a stop was asked for.
    public var isRequested: Bool { requested() }

    /// Throws `Interrupted` once a stop was asked for.
    public func check() throws(Interrupted) {
        if requested() { throw Interrupted() }
    }
}

/// Work stopped because its `Cancellation` asked it to; whatever it was building is dropped.
public struct Interrupted: Error, Equatable {
    public init() {}
}
