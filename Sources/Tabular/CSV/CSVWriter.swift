extension Table {
    /// The table as CSV text: a header row, then one line per row (LF line ends). Missing
    /// cells are empty; a field holding a comma, a quote, a line end or edge spaces is quoted
    /// (quotes doubled), so `CSV.read` gives the same table back. Whole numbers are written
    /// without a decimal point; Float-stored numbers with the shortest text that reads back
    /// as the same Float, others as the same Double.
    public func csv() -> String {
        var text = columns.map { Self.field($0.name) }.joined(separator: ",") + "\n"
        text.reserveCapacity(rowCount * columns.count * 8)
        for row in 0..<rowCount {
            for (c, column) in columns.enumerated() {
                if c > 0 { text += "," }
                switch column.data {
                case .text(let cells):
                    if let cell = cells[row] { text += Self.field(cell) }
                case .numeric(let values):
                    switch values.storage {
                    case .float(let floats): text += Self.number(floats[row])
                    case .double(let doubles): text += Self.number(doubles[row])
                    }
                }
            }
            text += "\n"
        }
        return text
    }

    private static func number<Value: BinaryFloatingPoint & LosslessStringConvertible>(_ value: Value) -> String {
        if value.isNaN { return "" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return value.description
    }

    private static func field(_ text: String) -> String {
        let needsQuotes = text.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
            || text.first == " " || text.last == " " || text == "NA"
        guard needsQuotes else { return text }
        var quoted = "\""
        for character in text {
            quoted.append(character)
            if character == "\"" { quoted.append("\"") }
        }
        return quoted + "\""
    }
}
