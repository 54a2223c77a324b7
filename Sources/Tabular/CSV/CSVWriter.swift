import DLCore
import Dispatch

extension Table {
    /// The table as CSV text: a header row, then one line per row (LF line ends). Missing
    /// cells are empty; a field holding a comma, a quote, a line end or edge spaces is quoted
    /// (quotes doubled), so `CSV.read` gives the same table back. Whole numbers are written
    /// without a decimal point; Float-stored numbers with the shortest text that reads back
    /// as the same Float, others as the same Double.
    public func csv() -> String {
        String(decoding: csvBytes(), as: UTF8.self)
    }

    /// `csv()` as UTF-8 bytes, written straight into buffers (a million rows of predictions
    /// are seven million numbers); a large table's two halves are written at once.
    public func csvBytes() -> [UInt8] {
        csvBytes(unless: .never)!
    }

    /// `csvBytes()`, throwing `Interrupted` once `cancel` asks (looked at every 65,536 rows).
    public func csvBytes(cancel: Cancellation) throws(Interrupted) -> [UInt8] {
        guard let bytes = csvBytes(unless: cancel) else { throw Interrupted() }
        return bytes
    }

    /// The CSV bytes, or nil when `cancel` asked to stop.
    private func csvBytes(unless cancel: Cancellation) -> [UInt8]? {
        var bytes: [UInt8] = []
        for (c, column) in columns.enumerated() {
            if c > 0 { bytes.append(Self.comma) }
            Self.appendField(column.name, to: &bytes)
        }
        bytes.append(Self.newline)
        let parts = rowCount >= 100_000 ? 2 : 1
        var pieces = [[UInt8]?](repeating: [], count: parts)
        pieces.withUnsafeMutableBufferPointer { out in
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                out[part] = rowBytes(rowCount * part / parts ..< rowCount * (part + 1) / parts, unless: cancel)
            }
        }
        for piece in pieces {
            guard let piece else { return nil }
            bytes += piece
        }
        return bytes
    }

    private static let comma = UInt8(ascii: ","), newline = UInt8(ascii: "\n"), quote = UInt8(ascii: "\"")

    private func rowBytes(_ rows: Range<Int>, unless cancel: Cancellation) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(rows.count * columns.count * 8)
        for row in rows {
            if row & 0xFFFF == 0, cancel.isRequested { return nil }
            for (c, column) in columns.enumerated() {
                if c > 0 { bytes.append(Self.comma) }
                switch column.data {
                case .text(let cells):
                    if let cell = cells[row] { Self.appendField(cell, to: &bytes) }
                case .numeric(let values):
                    switch values.storage {
                    case .float(let floats): Self.appendNumber(floats[row], to: &bytes)
                    case .double(let doubles): Self.appendNumber(doubles[row], to: &bytes)
                    }
                }
            }
            bytes.append(Self.newline)
        }
        return bytes
    }

    private static func appendNumber<Value: BinaryFloatingPoint & LosslessStringConvertible>(_ value: Value, to bytes: inout [UInt8]) {
        if value.isNaN { return }
        if value == value.rounded(), abs(value) < 1e15 {
            var whole = Int64(value)
            if whole < 0 || (whole == 0 && value.sign == .minus) { bytes.append(UInt8(ascii: "-")); whole = -whole }
            var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                         UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            var count = 0
            withUnsafeMutableBytes(of: &digits) { buffer in
                repeat {
                    buffer[15 - count] = UInt8(ascii: "0") + UInt8(whole % 10)
                    whole /= 10
                    count += 1
                } while whole > 0
                bytes.append(contentsOf: buffer[(16 - count)...])
            }
            return
        }
        // The shortest round-trip text; short enough to stay a small string (no allocation).
        bytes.append(contentsOf: value.description.utf8)
    }

    private static func appendField(_ text: String, to bytes: inout [UInt8]) {
        let utf8 = text.utf8
        let needsQuotes = utf8.contains { $0 == comma || $0 == quote || $0 == newline || $0 == 13 }
            || utf8.first == 32 || utf8.last == 32 || text == "NA"
        guard needsQuotes else {
            bytes.append(contentsOf: utf8)
            return
        }
        bytes.append(quote)
        for byte in utf8 {
            bytes.append(byte)
            if byte == quote { bytes.append(quote) }
        }
        bytes.append(quote)
    }
}
