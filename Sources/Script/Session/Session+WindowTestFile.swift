import DLCore

/// `window` after `load "a.csv" test="b.csv"`: the test file's rows were appended to the data
/// file's, so they are the later part of the one series, and the windows slide over both files.
/// A split of rows cannot hold for windows that cross the files' boundary, so `window` drops it
/// (as it drops any split) and says which `split` cuts the windows by time where the test file
/// starts. The exported scripts append the test file the same way (`DataPipeline.seriesTestFile`).
extension Session {
    /// The note after `window` on data whose split was `test=`'s file; nil for other data.
    func windowTestFileNote(before split: Split?, rows: Int) -> String? {
        guard let split, let file = split.testFile, let start = split.test.first, rows > 0 else { return nil }
        let name = file.split(separator: "/").last.map(String.init) ?? file
        var note = "the \(split.test.count) rows of the test file '\(name)' follow the \(start) of the data file as the series' later rows, "
            + "and the windows slide over both, so its split no longer applies"
        if let fraction = Self.fraction(cutting: rows, at: start) {
            note += ": `split \(fraction)` cuts the windows by time where '\(name)' starts"
        }
        return note
    }

    /// The shortest fraction that `split` rounds to `cut` of `rows` (nil if none of up to 6 decimals does).
    static func fraction(cutting rows: Int, at cut: Int) -> String? {
        for digits in 1...6 {
            let text = Format.fixed(Double(cut) / Double(rows), digits)
            guard let value = Double(text), value > 0, value < 1 else { continue }
            if Int((value * Double(rows)).rounded()) == cut { return Format.general(value) }
        }
        return nil
    }
}
