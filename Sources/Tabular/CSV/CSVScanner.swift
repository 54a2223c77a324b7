/// Splits CSV bytes into fields, one at a time, without copying: a field is a byte range
/// (inside the quotes for a quoted field). RFC 4180 quoting; `separator` (a comma unless the
/// dialect says otherwise) ends a field; LF, CRLF or lone CR ends a record; the line
/// counter counts newlines inside quoted fields too.
struct CSVScanner {
    /// One field: `bytes[start..<end]`, with `""` still doubled when `escaped`.
    struct Field {
        var start: Int
        var end: Int
        var escaped: Bool
        var endsRecord: Bool
    }

    let bytes: UnsafeBufferPointer<UInt8>
    let source: String
    /// Offset of the next unread byte.
    var position: Int
    /// 1-based line of the next unread byte.
    var line: Int
    /// The byte between fields.
    let separator: UInt8

    private static let quote = UInt8(ascii: "\"")
    private static let lf = UInt8(ascii: "\n")
    private static let cr = UInt8(ascii: "\r")

    init(bytes: UnsafeBufferPointer<UInt8>, source: String, position: Int = 0, line: Int = 1,
         separator: UInt8 = CSVDialect.comma) {
        self.bytes = bytes
        self.source = source
        self.position = position
        self.line = line
        self.separator = separator
        // A UTF-8 byte order mark (spreadsheet exports) is not part of the first name.
        if position == 0, bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            self.position = 3
        }
    }

    /// Skips empty lines; false when nothing but empty lines remained.
    mutating func skipBlankLines() -> Bool {
        while position < bytes.count, bytes[position] == Self.lf || bytes[position] == Self.cr {
            consumeLineEnd()
        }
        return position < bytes.count
    }

    /// Reads the field at `position` and the separator or line end after it.
    @inline(__always)
    mutating func nextField() throws -> Field {
        let count = bytes.count
        if position < count, bytes[position] == Self.quote {
            return try quotedField()
        }
        let start = position
        var i = position
        while i < count {
            let b = bytes[i]
            if b == separator || b == Self.lf || b == Self.cr { break }
            i += 1
        }
        position = i
        return Field(start: start, end: i, escaped: false, endsRecord: finishField())
    }

    private mutating func quotedField() throws -> Field {
        let openLine = line
        let count = bytes.count
        let start = position + 1
        var i = start
        var escaped = false
        while true {
            guard i < count else {
                throw TabularError(
                    "line \(openLine) of '\(source)' opens a quoted field that is never closed",
                    hint: "add the closing quote; to put a quote inside a quoted field, double it (\"\")")
            }
            let b = bytes[i]
            if b == Self.quote {
                if i + 1 < count, bytes[i + 1] == Self.quote {
                    escaped = true
                    i += 2
                    continue
                }
                break
            }
            if b == Self.lf || (b == Self.cr && !(i + 1 < count && bytes[i + 1] == Self.lf)) {
                line += 1
            }
            i += 1
        }
        let end = i
        position = i + 1
        // Spaces may follow the closing quote; anything else is a malformed field.
        while position < count, bytes[position] == 32 || bytes[position] == 9 { position += 1 }
        if position < count {
            let b = bytes[position]
            if b != separator && b != Self.lf && b != Self.cr {
                throw TabularError(
                    "line \(line) of '\(source)' has text after the closing quote of a field",
                    hint: "a quoted field must end at its closing quote; to put a quote inside it, double it (\"\")")
            }
        }
        return Field(start: start, end: end, escaped: escaped, endsRecord: finishField())
    }

    /// Consumes the separator or line end at `position`; true when the record ended.
    @inline(__always)
    private mutating func finishField() -> Bool {
        guard position < bytes.count else { return true }
        if bytes[position] == separator {
            position += 1
            return false
        }
        consumeLineEnd()
        return true
    }

    @inline(__always)
    private mutating func consumeLineEnd() {
        if bytes[position] == Self.cr, position + 1 < bytes.count, bytes[position + 1] == Self.lf {
            position += 2
        } else {
            position += 1
        }
        line += 1
    }

    /// The field's text with surrounding spaces removed and `""` undoubled.
    func text(of field: Field) -> String {
        let (s, e) = trimmed(field)
        let raw = UnsafeBufferPointer(rebasing: bytes[s..<e])
        guard field.escaped else { return String(decoding: raw, as: UTF8.self) }
        return String(decoding: unescaped(s, e), as: UTF8.self)
    }

    /// The field's text as `text(of:)` gives it, or nil when its bytes are not UTF-8 or
    /// hold a zero byte (`fault(in:)` says which): a name or category must read back as
    /// written, not with replacement characters.
    func validText(of field: Field) -> String? {
        let (s, e) = trimmed(field)
        // One pass for the common case, ASCII without a zero byte, which needs no more
        // checking (`String(validating:)` alone made loading text a third slower).
        var high: UInt8 = 0, low: UInt8 = 0xFF
        for i in s..<e {
            high |= bytes[i]
            low = min(low, bytes[i])
        }
        guard low != 0 else { return nil }
        let text = text(of: field)
        // Decoding repairs bytes that are not UTF-8, so they read back differently.
        guard high >= 0x80 else { return text }
        var decoded = text
        let same = decoded.withUTF8 { utf8 in
            field.escaped ? utf8.elementsEqual(unescaped(s, e)) : utf8.elementsEqual(UnsafeBufferPointer(rebasing: bytes[s..<e]))
        }
        return same ? text : nil
    }

    /// What `validText(of:)` refused: a zero byte, or the first byte that is not UTF-8
    /// and the text with replacement characters.
    enum Fault: Equatable {
        case zeroByte
        case notUTF8(byte: UInt8, text: String)
    }

    func fault(in field: Field) -> Fault {
        let (s, e) = trimmed(field)
        let raw = field.escaped ? unescaped(s, e) : Array(bytes[s..<e])
        if raw.contains(0) { return .zeroByte }
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = raw.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let scalar): offset += scalar.count
            case .error: return .notUTF8(byte: raw[offset], text: Self.excerpt(raw, around: offset))
            case .emptyInput: return .notUTF8(byte: raw.last ?? 0, text: Self.excerpt(raw, around: raw.count - 1))
            }
        }
    }

    /// The text around `offset`, at most 30 bytes either side, cut at character starts and
    /// marked with … where cut: a cell of a megabyte must not become the message.
    private static func excerpt(_ raw: [UInt8], around offset: Int) -> String {
        var start = max(0, offset - 30), end = min(raw.count, offset + 31)
        while start > 0, start < offset, raw[start] & 0xC0 == 0x80 { start += 1 }
        while end < raw.count, end > offset + 1, raw[end] & 0xC0 == 0x80 { end -= 1 }
        return (start > 0 ? "…" : "") + String(decoding: raw[start..<end], as: UTF8.self) + (end < raw.count ? "…" : "")
    }

    /// `bytes[s..<e]` with each doubled quote made single.
    private func unescaped(_ s: Int, _ e: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(e - s)
        var i = s
        while i < e {
            out.append(bytes[i])
            i += bytes[i] == Self.quote ? 2 : 1
        }
        return out
    }

    /// The field's range without surrounding spaces and tabs.
    @inline(__always)
    func trimmed(_ field: Field) -> (Int, Int) {
        var s = field.start, e = field.end
        while s < e, bytes[s] == 32 || bytes[s] == 9 { s += 1 }
        while e > s, bytes[e - 1] == 32 || bytes[e - 1] == 9 { e -= 1 }
        return (s, e)
    }
}
