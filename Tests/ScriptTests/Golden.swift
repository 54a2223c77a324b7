import XCTest

/// Paths in the repository and golden-file comparison. Set DL_UPDATE_GOLDEN=1 to
/// rewrite the golden files from the current output (then read the diff!).
enum Golden {
    static let root: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3) // Tests/ScriptTests/Golden.swift
        return parts.joined(separator: "/")
    }()

    static var updating: Bool { ProcessInfo.processInfo.environment["DL_UPDATE_GOLDEN"] == "1" }

    static func read(_ relativePath: String) -> String? {
        try? String(contentsOfFile: root + "/" + relativePath, encoding: .utf8)
    }

    static func write(_ relativePath: String, _ text: String) {
        try? text.write(toFile: root + "/" + relativePath, atomically: true, encoding: .utf8)
    }

    /// Durations ("12ms", "1.25s", "2m05s") vary run to run; transcripts compare them masked.
    static func maskingTimes(_ text: String) -> String {
        text.replacingOccurrences(of: #"\b\d+(\.\d+)?(ms|s)\b|\b\d+m\d\ds\b"#, with: "<time>", options: .regularExpression)
    }
}
