import Tabular

// The recorded steps as ONNX nodes, shared by table models (each column [N, 1]) and windowed
// models (each column [N, steps, 1], one value per step of each window): the nodes are
// elementwise with scalar or [1, 1] constants, which broadcast over either, and a one-hot
// encoding's indicators come out in the column's own shape.

extension ONNXExport {
    /// Replays `steps` on `columns` (name -> tensor, and whether it holds text), in order: fills
    /// (IsNaN/Where, or an ai.onnx.ml LabelEncoder with the encoding), clips (Clip), one-hot
    /// encodings (OneHotEncoder, unseen categories as zeros), a date's parts (`dates`: the columns
    /// given as seconds), drops and keeps, and feature crosses. `rowShape` is what each column
    /// holds per row besides its one value: [] for a table, [steps] for a window.
    static func replaySteps(_ graph: inout ONNXGraph, _ steps: [PipelineStep], on columns: inout [String: (tensor: String, isText: Bool)],
                            dates: Set<String>, rowShape: [Int] = []) {
        var textFills: [String: String] = [:]
        for step in steps {
            switch step {
            case .fill(let name, let value) where dates.contains(name):
                guard let column = columns[name], let seconds = dateFill(value) else { continue }
                let fill = graph.constant(.doubles([seconds]), dims: [1, 1], stem: "\(name)_fill")
                let missing = graph.apply("IsNaN", [column.tensor], stem: "\(name)_missing")
                columns[name] = (graph.apply("Where", [missing, fill, column.tensor], stem: "\(name)_filled"), true)
            case .encodeDate(let encoding):
                guard let column = columns[encoding.column], dates.contains(encoding.column) else { continue }
                let parts = dateParts(&graph, seconds: column.tensor, encoding: encoding)
                columns[encoding.column] = nil
                for (name, part) in zip(encoding.newColumnNames, parts) { columns[name] = (part, false) }
            case .drop(let names):
                for name in names { columns[name] = nil }
            case .keep(let names):
                columns = columns.filter { names.contains($0.key) }
            case .fill(let name, let value):
                guard let column = columns[name] else { continue }
                switch (value, column.isText) {
                case (.number(let x), false):
                    let fill = graph.constant(.floats([Float(x)]), dims: [1, 1], stem: "\(name)_fill")
                    let missing = graph.apply("IsNaN", [column.tensor], stem: "\(name)_missing")
                    columns[name] = (graph.apply("Where", [missing, fill, column.tensor], stem: "\(name)_filled"), false)
                case (.text(let text), true):
                    textFills[name] = text      // done with the encoding, which knows every category
                case (.number(let x), true):
                    textFills[name] = Table.className(x)
                case (.text, false):
                    break                       // a text fill of a numeric column is not replayed on numbers
                }
            case .clip(let name, let lower, let upper):
                guard let column = columns[name], !column.isText else { continue }
                let low = graph.constant(.floats([Float(lower)]), dims: [], stem: "\(name)_low")
                let high = graph.constant(.floats([Float(upper)]), dims: [], stem: "\(name)_high")
                columns[name] = (graph.apply("Clip", [column.tensor, low, high], stem: "\(name)_clipped"), false)
            case .encode(let encoding):
                guard let column = columns[encoding.column], column.isText else { continue }
                var text = column.tensor
                if let fill = textFills[encoding.column] {
                    // "" (missing) becomes the fill; a known category stays; anything else, none.
                    text = graph.apply("LabelEncoder", [text], [
                        ("keys_strings", .strings(encoding.categories + [""])),
                        ("values_strings", .strings(encoding.categories + [fill])),
                        ("default_string", .string(unseen)),
                    ], domain: "ai.onnx.ml", stem: "\(encoding.column)_filled")
                }
                let count = encoding.categories.count
                let indicators = graph.apply("OneHotEncoder", [text], [("cats_strings", .strings(encoding.categories)), ("zeros", .int(1))],
                                             domain: "ai.onnx.ml", stem: "\(encoding.column)_onehot")
                let shape = graph.constant(.ints([-1] + rowShape + [count]), dims: [2 + rowShape.count], stem: "\(encoding.column)_shape")
                let matrix = graph.apply("Reshape", [indicators, shape], stem: "\(encoding.column)_indicators")
                let sizes = graph.constant(.ints([Int](repeating: 1, count: count)), dims: [count], stem: "\(encoding.column)_split")
                let parts = count == 1 ? [matrix]
                    : graph.node("Split", [matrix, sizes], [("axis", .int(1 + rowShape.count))], outputs: count, stem: "\(encoding.column)_part")
                columns[encoding.column] = nil
                for (name, part) in zip(encoding.newColumnNames, parts) { columns[name] = (part, false) }
            case .removedRows:
                continue
            case .features(let crosses):
                addCrosses(&graph, crosses, to: &columns)
            }
        }
    }
}
