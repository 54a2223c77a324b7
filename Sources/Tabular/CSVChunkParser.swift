/// What pass 1 learned about the cells of each column.
struct CellCounts {
    var numeric: [Int]
    var text: [Int]
    /// The first text cell of each column, in file order.
    var firstText: [NonNumericCell?]

    init(width: Int) {
        numeric = [Int](repeating: 0, count: width)
        text = numeric
        firstText = [NonNumericCell?](repeating: nil, count: width)
    }

    /// Adds a later part of the file: its first text cells come after ours.
    mutating func add(_ later: CellCounts) {
        for c in numeric.indices {
            numeric[c] += later.numeric[c]
            text[c] += later.text[c]
            if firstText[c] == nil { firstText[c] = later.firstText[c] }
        }
    }
}

/// Pass 1 over one quote-free range of data lines (see `CSVChunks`), writing each cell
/// into its column at the range's known rows. It reads exactly as `CSVScanner` and the
/// sequential loop in `CSVReader` do (same fields, trimming, missing cells, numbers, line
/// numbers) but without their per-field bookkeeping, and with a fast path for the cell a
/// large numeric file is made of: a short run of digits.
struct CSVChunkParser {
    let bytes: UnsafeBufferPointer<UInt8>
    let source: String
    let width: Int

    /// The result: counts for the range, or the first malformed record's error.
    struct Outcome {
        var counts: CellCounts
        var error: TabularError?
    }

    private static let comma: UInt8 = 44, lf: UInt8 = 10, cr: UInt8 = 13

    /// Parses `chunk`, writing row r of column c to `columns[c][r]` and each row's first
    /// byte and line to `rowStarts[r]` and `rowLines[r]`.
    func parse(_ chunk: CSVChunks.Chunk, columns: UnsafePointer<UnsafeMutablePointer<Double>>,
               rowStarts: UnsafeMutablePointer<Int>, rowLines: UnsafeMutablePointer<Int>) -> Outcome {
        let base = bytes.baseAddress!
        let end = chunk.end
        var p = chunk.start
        var line = chunk.firstLine
        var row = chunk.firstRow
        var counts = CellCounts(width: width)
        // Per-cell counting is only for the rare cells; numeric counts follow at the end.
        var missing = [Int](repeating: 0, count: width)

        while true {
            // Blank lines, as `CSVScanner.skipBlankLines` skips them.
            while p < end, base[p] == Self.lf || base[p] == Self.cr {
                p += base[p] == Self.cr && p + 1 < end && base[p + 1] == Self.lf ? 2 : 1
                line += 1
            }
            guard p < end else { break }
            rowStarts[row] = p
            rowLines[row] = line
            var column = 0
            while true {
                let start = p
                var digits: UInt64 = 0
                while p < end {
                    let d = base[p] &- 48
                    if d >= 10 { break }
                    digits = digits &* 10 &+ UInt64(d)
                    p += 1
                }
                var value: Double
                let atDelimiter = p == end || base[p] == Self.comma || base[p] == Self.lf || base[p] == Self.cr
                if atDelimiter && p > start && p - start <= 15 {
                    // Up to 15 digits is below 2^53, so the integer converts exactly:
                    // the same Double that `Double(String)` gives.
                    value = Double(digits)
                } else {
                    while p < end, base[p] != Self.comma && base[p] != Self.lf && base[p] != Self.cr { p += 1 }
                    value = .nan
                    if column < width {
                        var s = start, e = p
                        while s < e, base[s] == 32 || base[s] == 9 { s += 1 }
                        while e > s, base[e - 1] == 32 || base[e - 1] == 9 { e -= 1 }
                        if e == s || (e - s == 2 && base[s] == UInt8(ascii: "N") && base[s + 1] == UInt8(ascii: "A")) {
                            missing[column] += 1
                        } else if let number = NumberParser.parse(bytes, s, e) {
                            value = number
                        } else {
                            counts.text[column] += 1
                            if counts.firstText[column] == nil {
                                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[s..<e]), as: UTF8.self)
                                counts.firstText[column] = NonNumericCell(row: row, line: line, value: text)
                            }
                        }
                    }
                }
                if column < width { columns[column][row] = value }
                column += 1
                if p < end && base[p] == Self.comma {
                    p += 1
                    continue
                }
                if p < end {
                    p += base[p] == Self.cr && p + 1 < end && base[p + 1] == Self.lf ? 2 : 1
                    line += 1
                }
                break
            }
            if column != width {
                return Outcome(counts: counts, error: CSVReader.fieldCountError(
                    line: rowLines[row], fields: column, width: width, source: source))
            }
            row += 1
        }
        for c in 0..<width {
            counts.numeric[c] = chunk.rows - missing[c] - counts.text[c]
        }
        return Outcome(counts: counts, error: nil)
    }
}
