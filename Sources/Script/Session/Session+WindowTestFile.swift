import DLCore
import Tabular

/// `window` after `load "a.csv" test="b.csv"`: the test file's rows were appended to the data
/// file's, so they are the later part of the one series. The file stays the test split, as it
/// does for tables and image folders: `window` splits the windows by time where the test file
/// starts, as `split` would at that row (test windows start at its first row, training windows'
/// targets lie before it, the windows that straddle the cut are left out). When one side is too
/// short for a window, the split is dropped with a note. The exported scripts append the test
/// file the same way (`DataPipeline.seriesTestFile`) and cut at the same row (`SPLIT_ROW`).
extension Session {
    /// Keeps `split`'s test file as the test windows, or says why it cannot; nothing for other data.
    /// `split` is the file's split of rows, or (after an earlier `window`) the split by time at
    /// its first row; either way its first test index is the row where the file starts.
    func keepTestFileSplit(_ split: Split?, windowing: Windowing, rows: Int) throws {
        guard let split, let file = split.testFile, let start = split.test.first, rows > 0 else { return }
        let name = file.split(separator: "/").last.map(String.init) ?? file
        print("note: the \(rows - start) rows of the test file '\(name)' follow the \(start) of the data file as the series' later rows; "
              + "it stays the test split: the windows are split by time where it starts")
        let parts = windowing.splitByTime(rows: rows, cut: start)
        guard !parts.train.isEmpty, !parts.test.isEmpty else {
            let side = parts.train.isEmpty ? "the data file" : "'\(name)'"
            print("note: \(side) is too short for a window of \(windowing.steps) steps and a horizon of \(windowing.horizon), "
                  + "so the windows are not split: `split FRACTION` cuts them by time elsewhere")
            return
        }
        try installTimeSplit(parts, cut: start, rows: rows, windowing: windowing, testFile: file)
    }
}
