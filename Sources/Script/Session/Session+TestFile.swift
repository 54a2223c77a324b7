import DLCore
import Tabular

/// `load "X_train.csv" test="X_test.csv"`: a data set that comes with its own test file
/// keeps it as the test split (a `Split` with no seed: it came with the data).
extension Session {
    /// A CSV, or a series file as the UCR archive hands them out (`SeriesFile`).
    func readTable(_ path: String, dialect: CSVDialect) throws -> Table {
        SeriesFile.handles(path: path) ? try SeriesFile.read(path: path) : try CSV.read(path: path, dialect: dialect, cancel: cancellation)
    }

    /// Appends the rows of `test=`'s file to `table`; returns the rows that came from it.
    func appendTestFile(_ command: LoadCommand, to table: inout Table, dialect: CSVDialect) throws -> Range<Int>? {
        guard let given = command.test.value else { return nil }
        do {
            let test = try readTable(expandHome(given), dialect: dialect)
            let first = table.rowCount
            table = try table.appendingRows(of: test)
            return first..<table.rowCount
        } catch let error as TabularError {
            throw Diagnostic(error, at: command.test.range)
        }
    }

    /// `input STEPSxCHANNELS` refuses series that end early (ragged rows) and infinite values, by line.
    /// Ragged rows are refused rather than padded: a padded tail is invented data a model
    /// learns from (its length can give the class away), and how to pad, truncate or
    /// resample is the user's choice.
    func rejectBrokenSeries(_ shape: [Int], at range: SourceRange) throws {
        guard let dataset, let table, dataset.featureCount == shape[0] * shape[1] else { return }
        if let ragged = dataset.firstRaggedSeries(channels: shape[1]) {
            throw Diagnostic("line \(table.line(ofRow: ragged.row)) of '\(table.source)' ends after \(ragged.steps) of \(shape[0]) steps (its last cells are empty): series of unequal length are refused rather than padded",
                             at: range, hint: "padding would invent values a model learns from; make the series equal in length (pad, truncate or resample them) in the file")
        }
        if let cell = dataset.featureMatrix.firstInfinite() {
            throw Diagnostic("line \(table.line(ofRow: cell.row)) of '\(table.source)' has an infinite value in '\(dataset.featureNames[cell.feature])'",
                             at: range, hint: "a network cannot compute with infinity: fix that value in the file")
        }
    }

    /// Makes the test file's rows the split; returns the line that says so.
    func applyTestRows(_ rows: Range<Int>?, to pipeline: inout DataPipeline, command: LoadCommand) throws -> String? {
        guard let rows, let given = command.test.value else { return nil }
        let name = given.split(separator: "/").last.map(String.init) ?? given
        var split = Split(train: Array(0..<rows.lowerBound), test: Array(rows), description: "the test file '\(name)'")
        split.testFile = expandHome(given)
        try pipeline.setSplit(split)
        return "split: \(split.train.count) training rows, \(split.test.count) test rows from the test file '\(name)' (it came with the data, so `split` keeps it)"
    }
}
