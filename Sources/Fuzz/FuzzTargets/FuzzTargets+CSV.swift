import Tabular

extension FuzzTargets {
    /// The CSV reader, both ways: in one piece and split into two parts read by two
    /// threads, which must agree cell for cell (or fail with the same message), in the
    /// standard dialect and in a European one with missing spellings of its own (a number
    /// among them, which turns the split reader's fast path off).
    public static func csv(_ input: UnsafeBufferPointer<UInt8>) {
        let european = CSVDialect(separator: UInt8(ascii: ";"), decimal: UInt8(ascii: ","), thousands: UInt8(ascii: "."),
                                  missing: ["-999", "?"])
        for dialect in [CSVDialect.standard, european] {
            let whole = read(input, dialect, parts: 1, minimumChunkBytes: .max)
            let split = read(input, dialect, parts: 2, minimumChunkBytes: 1)
            switch (whole, split) {
            case (.success(let a), .success(let b)):
                if let difference = firstDifference(a, b) { preconditionFailure("split read differs: \(difference)") }
            case (.failure(let a), .failure(let b)):
                precondition(a.message == b.message, "split read fails differently: «\(a.message)» vs «\(b.message)»")
            case (.success, .failure(let error)), (.failure(let error), .success):
                preconditionFailure("only one read failed: \(error.message)")
            }
        }
    }

    /// What a learner does with a table once it loads: the file through `load`, the
    /// statements that look at it, then split, impute, scale and the correlation and
    /// outlier reports. Slower per input than `csv`, so a target of its own.
    public static func table(_ input: UnsafeBufferPointer<UInt8>) {
        withFile(input, suffix: ".csv") { path in
            session(["load \"\(path)\"", "columns", "describe", "missing", "head 3", "encode date date",
                     "split 0.5 seed=1", "impute median", "scale minmax", "corr", "outliers"])
        }
    }

    private static func read(_ input: UnsafeBufferPointer<UInt8>, _ dialect: CSVDialect, parts: Int,
                             minimumChunkBytes: Int) -> Result<Table, TabularError> {
        var reader = CSVReader(bytes: input, source: "fuzz.csv", dialect: dialect)
        reader.parts = parts
        reader.minimumChunkBytes = minimumChunkBytes
        return Result { try reader.read() }.mapError { $0 as! TabularError }
    }

    /// Where two tables differ: names, rows, lines, types, or a cell's bits (NaN equals NaN).
    private static func firstDifference(_ a: Table, _ b: Table) -> String? {
        if a.columnNames != b.columnNames { return "columns \(a.columnNames) vs \(b.columnNames)" }
        if a.rowCount != b.rowCount { return "\(a.rowCount) vs \(b.rowCount) rows" }
        if a.rowLines != b.rowLines { return "row lines differ" }
        for (x, y) in zip(a.columns, b.columns) {
            if x.nonNumericCell != y.nonNumericCell { return "column \(x.name): stray cells differ" }
            switch (x.data, y.data) {
            case (.numeric(let u), .numeric(let v)):
                if !u.elementsEqual(v, by: { $0.bitPattern == $1.bitPattern }) { return "column \(x.name): numbers differ" }
            case (.text(let u), .text(let v)):
                if u != v { return "column \(x.name): texts differ" }
            default:
                return "column \(x.name): types differ"
            }
        }
        return nil
    }
}
