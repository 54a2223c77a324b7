import Engine
import Tabular

/// One column of the raw rows a pipeline takes: its name and whether it holds text.
struct RawColumn: Equatable, Sendable, Codable {
    var name: String
    var isText: Bool
}

/// What a pipeline learned from its training rows, without the rows: the raw columns a new
/// row gives, the steps that turn them into features (with their fitted fills, categories
/// and clips), the scaler, and what the model's outputs mean. `save model` writes it,
/// `load model` brings it back, and `predict` runs new rows through it.
struct FittedPipeline: Equatable, Sendable {
    /// The columns a `predict` row gives values for, in order (the target excepted).
    var rawColumns: [RawColumn]
    /// Loaded columns that `drop` or `keep` removed: a file of new rows may still hold them.
    var droppedColumns: [String]
    var targetName: String
    /// The steps replayed on new rows (row removals are not among them).
    var steps: [PipelineStep]
    var featureNames: [String]
    /// nil without scaling.
    var scaler: Scaler?
    /// The classes, in the order of the output units; nil for regression.
    var classNames: [String]?
    var imageShape: [Int]?
    /// Steps, channels when each row is a series (`input 150x1`, `load waves`).
    var seriesShape: [Int]? = nil
    /// How the training CSV was written, so that files of new rows are read the same way.
    var dialect = CSVDialect.standard
    /// `scale target`: the regression target's scaler (one column); the network's outputs go
    /// through its inverse. nil without target scaling.
    var targetScaler: Scaler? = nil
    /// A model trained on a folder of images: how new image files are read (`predict "x.png"`).
    var images: ImageSource? = nil
    /// `augment`: kept so that a loaded model trains on as it did; `predict` never applies it.
    var augmentation: ImageAugmentation? = nil
    /// A model trained on `window` data: the windowing its forecasts need (FittedPipeline+Window.swift).
    var window: FittedWindow? = nil

    /// New raw rows as the network takes them: `raw` holds the `rawColumns` (text columns as
    /// text) and goes through the recorded steps (fills, encodings, clips, drops) and then the
    /// scaling, exactly as the training rows did. Returns the features row by row, and a note
    /// for each category an encoding never saw.
    func features(ofRaw raw: Table) throws -> (features: [Float], notes: [String]) {
        var rows = raw
        var notes: [String] = []
        for step in steps {
            if case .encode(let encoding) = step, case .text(let cells)? = rows.column(named: encoding.column)?.data {
                for cell in Set(cells.compactMap { $0 }).sorted() where !encoding.categories.contains(cell) {
                    let place = rows.rowCount > 1 ? " (first at line \(rows.line(ofRow: cells.firstIndex(of: cell)!)))" : ""
                    notes.append("'\(cell)'\(place) was never seen in \(encoding.column) during training (known: \(encoding.categories.joined(separator: ", "))); it is encoded as all zeros")
                }
            }
            do { try step.replay(on: &rows) } catch let error as TabularError { throw Diagnostic(error) }
        }
        let columns = try featureNames.map { name -> NumericColumn in
            guard case .numeric(let cells)? = rows.column(named: name)?.data else {
                throw Diagnostic("the row has no numeric value for feature '\(name)'")
            }
            if let missing = cells.firstIndex(where: \.isNaN) {
                throw Diagnostic("the value for '\(name)' is missing\(rows.rowCount > 1 ? " at line \(rows.line(ofRow: missing))" : "") and nothing fills it",
                                 hint: "give a value, or `impute` that column before training")
            }
            return cells
        }
        // Scaled after the fact, not as the matrix is built: the training rows take the other
        // way (`Table.rowMajor(scaledBy:)`), so the tests' comparison of the two checks both.
        var features = Table.rowMajor(columns, rowCount: rows.rowCount)
        scaler?.transform(&features)
        return (features, notes)
    }
}
