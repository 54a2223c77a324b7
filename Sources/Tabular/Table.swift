/// The cells of one column: numbers when every present cell is a number, text otherwise.
public enum ColumnData: Equatable, Sendable {
    /// Missing cells are `.nan`.
    case numeric(NumericColumn)
    /// Missing cells are `nil`.
    case text([String?])

    /// Number of cells.
    public var count: Int {
        switch self {
        case .numeric(let values): return values.count
        case .text(let values): return values.count
        }
    }
}

/// The first cell of a mostly-numeric text column that is not a number.
public struct NonNumericCell: Equatable, Sendable {
    /// Row index among data rows, 0-based.
    public var row: Int
    /// File line, 1-based (the header is line 1).
    public var line: Int
    /// The cell's text.
    public var value: String

    public init(row: Int, line: Int, value: String) {
        self.row = row
        self.line = line
        self.value = value
    }
}

/// A named column of a `Table`.
public struct Column: Equatable, Sendable {
    public var name: String
    public var data: ColumnData
    /// Set when the column is created (see `firstNonNumeric`); not updated if `data` changes.
    public var nonNumericCell: NonNumericCell?

    /// Builds a column; for text data, `firstNonNumeric` is worked out here, taking row r
    /// to be file line r + 2 (a header line and one line per row).
    public init(name: String, data: ColumnData) {
        self.name = name
        self.data = data
        if case .text(let cells) = data {
            nonNumericCell = Column.findNonNumeric(cells)
        }
    }

    /// Builds a column whose stray-text cell the caller already knows (the CSV reader does,
    /// with the true file line even when quoted fields span lines).
    public init(name: String, data: ColumnData, nonNumericCell: NonNumericCell?) {
        self.name = name
        self.data = data
        self.nonNumericCell = nonNumericCell
    }

    /// Number of missing cells (NaN or nil).
    public var missingCount: Int {
        switch data {
        case .numeric(let values): return values.reduce(0) { $0 + ($1.isNaN ? 1 : 0) }
        case .text(let values): return values.reduce(0) { $0 + ($1 == nil ? 1 : 0) }
        }
    }

    /// For a text column whose present cells are mostly numbers: the first cell that is
    /// not (row 0-based among data rows, file line 1-based, the text). Lets the caller say
    /// "text value 'abc' in numeric column 'x' at line 17". Nil for numeric columns and for
    /// columns that are genuinely text.
    public var firstNonNumeric: (row: Int, line: Int, value: String)? {
        nonNumericCell.map { ($0.row, $0.line, $0.value) }
    }

    /// The first non-number in `cells` when numbers are the majority of present cells.
    static func findNonNumeric(_ cells: [String?]) -> NonNumericCell? {
        var numbers = 0, texts = 0
        var first: NonNumericCell?
        for (row, cell) in cells.enumerated() {
            guard let cell else { continue }
            let bytes = Array(cell.utf8)
            let isNumber = bytes.withUnsafeBufferPointer { NumberParser.parse($0, 0, $0.count) != nil }
            if isNumber {
                numbers += 1
            } else {
                texts += 1
                if first == nil { first = NonNumericCell(row: row, line: row + 2, value: cell) }
            }
        }
        return numbers > texts ? first : nil
    }
}

/// A table read from a CSV file (or built by the caller): typed columns of equal length.
public struct Table: Sendable {
    public var columns: [Column]
    public var rowCount: Int
    /// File name or generator description, for messages.
    public var source: String
    /// File line (1-based) of each row when known; nil means row r is line r + 2.
    /// Callers that drop or reorder rows should subset this too (or set it to nil).
    public var rowLines: [Int]?

    public init(columns: [Column], rowCount: Int, source: String, rowLines: [Int]? = nil) {
        self.columns = columns
        self.rowCount = rowCount
        self.source = source
        self.rowLines = rowLines
    }

    /// The first column with this exact name.
    public func column(named name: String) -> Column? {
        columns.first { $0.name == name }
    }

    /// Column names in order.
    public var columnNames: [String] { columns.map(\.name) }

    /// File line (1-based) of data row `row` (0-based).
    public func line(ofRow row: Int) -> Int {
        if let rowLines, row < rowLines.count { return rowLines[row] }
        return row + 2
    }
}
