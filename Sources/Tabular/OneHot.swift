/// One-hot encoding of a text column, as pandas' `get_dummies` and scikit-learn's
/// `OneHotEncoder(handle_unknown='ignore')` do it: one numeric 0/1 column per category
/// seen in the fitted rows, named "column_category".
public struct OneHotEncoding: Equatable, Sendable {
    /// The text column encoded.
    public let column: String
    /// The categories, sorted (one new column each, in this order).
    public let categories: [String]

    /// More categories than this is more indicator columns than one-hot encoding serves
    /// well: each is rare, and a value seen only in test rows is all zeros. Hints never
    /// suggest one-hot encoding for such a column; `encode onehot` warns.
    public static let manyCategories = 50

    /// An encoding with known categories (e.g. one fitted earlier and kept).
    public init(column: String, categories: [String]) {
        self.column = column
        self.categories = categories
    }

    /// Learns the categories from the column's present cells at `rows` (the training rows,
    /// so a category only seen in test rows stays unseen, as it would be in deployment).
    /// Throws for an unknown column, a numeric column, or no values in `rows`.
    public static func fit(_ table: Table, column: String, rows: [Int]) throws -> OneHotEncoding {
        let source = table.columns[try table.columnIndex(column)]
        guard case .text(let cells) = source.data else {
            throw TabularError("column '\(column)' holds numbers; one-hot encoding is for text columns",
                               hint: "numeric columns are used as they are; to treat codes as categories, "
                                   + "write them as text in the file")
        }
        let categories = Set(rows.compactMap { cells[$0] }).sorted()
        guard !categories.isEmpty else {
            throw TabularError("column '\(column)' has no values in the \(rows.count) rows used for fitting",
                               hint: "fill the column first or drop it", problem: .noValuesToFit(column: column, encoding: true))
        }
        return OneHotEncoding(column: column, categories: categories)
    }

    /// The names of the new columns, in order: "island_Biscoe", "island_Dream", …
    public var newColumnNames: [String] {
        categories.map { "\(column)_\($0)" }
    }

    /// Replaces the column with the new 0/1 columns, at the same position. A missing cell,
    /// and a value not among `categories`, get zeros in every new column. Returns how many
    /// cells held such unseen values and the first of them (for a warning). Does nothing
    /// when the table has no text column of that name.
    @discardableResult
    public func apply(to table: inout Table) -> (unseen: Int, firstUnseen: String?) {
        guard let position = table.columns.firstIndex(where: { $0.name == column }),
              case .text(let cells) = table.columns[position].data else { return (0, nil) }
        let index = Dictionary(uniqueKeysWithValues: categories.enumerated().map { ($1, $0) })
        var indicators = [[Double]](repeating: [Double](repeating: 0, count: cells.count), count: categories.count)
        var unseen = 0
        var firstUnseen: String?
        for (row, cell) in cells.enumerated() {
            guard let cell else { continue }
            if let k = index[cell] {
                indicators[k][row] = 1
            } else {
                unseen += 1
                if firstUnseen == nil { firstUnseen = cell }
            }
        }
        let newColumns = zip(newColumnNames, indicators).map { Column(name: $0, data: .numeric(.compact($1))) }
        table.columns.replaceSubrange(position...position, with: newColumns)
        return (unseen, firstUnseen)
    }
}
