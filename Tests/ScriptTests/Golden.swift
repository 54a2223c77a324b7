import XCTest
import Engine

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

    /// Whether printed numbers can be compared bit for bit here: the golden files were
    /// recorded with OpenBLAS's Haswell-family kernels (scripts/test on such a CPU, or
    /// OPENBLAS_CORETYPE=Haswell). Another family rounds every product its own way, and
    /// after a few hundred steps the last printed digits (sometimes a test row) differ.
    static var exactNumbers: Bool { blasAddsLikeHaswell }

    /// Why `actual` does not match the golden `expected`, or nil when it does. Exact where
    /// `exactNumbers` holds; elsewhere every line must still be there with the same words,
    /// and each number outside the per-epoch progress lines must be near its golden value
    /// (see `near`). The accuracy thresholds of TranscriptTests hold everywhere.
    static func mismatch(_ actual: String, _ expected: String, exact: Bool = exactNumbers) -> String? {
        if exact { return actual == expected ? nil : "differs (exact comparison: OpenBLAS core \(blasCoreName))" }
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        guard a.count == e.count else { return "has \(a.count) lines, the golden file \(e.count)" }
        for (index, (got, want)) in zip(a, e).enumerated() where got != want && !withinOneShade(got, want) {
            let (gotWords, gotNumbers) = shape(of: got), (wantWords, wantNumbers) = shape(of: want)
            guard gotWords == wantWords, gotNumbers.count == wantNumbers.count else {
                return "line \(index + 1) reads '\(got)' where the golden file has '\(want)'"
            }
            // Epoch lines trace the path there, which drifts most (a CNN's second epoch can
            // differ by 0.2 in loss); where it ends, in the lines after them, is compared.
            // The epoch counters (whole numbers) still match exactly.
            let progress = want.hasPrefix("Epoch ")
            for (x, y) in zip(gotNumbers, wantNumbers) where progress ? (y.decimals == 0 && x.text != y.text) : !near(x, y) {
                return "line \(index + 1): \(x.text) is not near the golden \(y.text) ('\(got)' vs '\(want)', OpenBLAS core \(blasCoreName))"
            }
        }
        return nil
    }

    /// The ASCII shading ramp of pictures (`show image`, `plot filters`, heatmaps).
    static let shades = Array(" .:-=+*#%@")

    /// Whether two lines differ only in pixels one shade apart: a filter's or an image's value
    /// that sits on the border between two shades lands on either side with another kernel
    /// family's rounding, as the last printed digit of a number does.
    static func withinOneShade(_ got: Substring, _ want: Substring) -> Bool {
        let g = Array(got), w = Array(want)
        guard g.count == w.count else { return false }
        for (x, y) in zip(g, w) where x != y {
            guard let i = shades.firstIndex(of: x), let j = shades.firstIndex(of: y), abs(i - j) == 1 else { return false }
        }
        return true
    }

    struct Number { var text: Substring; var value: Double; var decimals: Int }

    /// A line's text with numbers and runs of spaces taken out (table columns widen with
    /// their numbers), and the numbers in order.
    static func shape(of line: Substring) -> (String, [Number]) {
        var words = "", numbers: [Number] = []
        var pending = ""
        func flushWords() { words += pending.split(separator: " ").joined(separator: " "); pending = "" }
        var i = line.startIndex
        while i < line.endIndex {
            let startsNumber = line[i].isASCII && line[i].isNumber
                || (line[i] == "-" && line.index(after: i) < line.endIndex && line[line.index(after: i)].isASCII
                    && line[line.index(after: i)].isNumber)
            guard startsNumber else { pending.append(line[i]); i = line.index(after: i); continue }
            var end = line.index(after: i)
            var decimals = -1
            while end < line.endIndex {
                let c = line[end]
                if c.isASCII && c.isNumber { if decimals >= 0 { decimals += 1 } }
                else if c == ".", decimals < 0, line.index(after: end) < line.endIndex,
                        line[line.index(after: end)].isASCII, line[line.index(after: end)].isNumber { decimals = 0 }
                else { break }
                end = line.index(after: end)
            }
            flushWords()
            words += "#"
            numbers.append(Number(text: line[i..<end], value: Double(line[i..<end]) ?? 0, decimals: max(decimals, 0)))
            i = end
        }
        flushWords()
        return (words, numbers)
    }

    /// Close enough for another kernel family's rounding: within 2% of the golden value, or
    /// 0.03 for figures printed with decimals (losses, accuracies; a class's precision and
    /// recall move by 0.03 when one of its 34 test rows flips), or 3 for whole numbers (a few
    /// test rows in a confusion matrix, an early stop a few epochs apart).
    static func near(_ x: Number, _ y: Number) -> Bool {
        let slack = max(0.02 * abs(y.value), y.decimals > 0 ? 0.03 : 3)
        return abs(x.value - y.value) <= slack
    }
}
