import DLCore

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
/// large numeric file is made of: a short run of digits. Columns are Float; where this
/// range's values of a column are not all exactly Floats, they are kept as Doubles
/// instead (see `Outcome`).
struct CSVChunkParser {
    let bytes: UnsafeBufferPointer<UInt8>
    let source: String
    let width: Int
    /// The file's separator, and how its cells read (decimal and thousands separators, missing spellings).
    let separator: UInt8
    let cellReader: CellReader
    /// Whether plain digit cells can be numbers without a look at the missing spellings
    /// (none of the dialect's own is a number): the fast path is taken only then.
    let plainDigitsAreNumbers: Bool
    /// Whether the parser hands the bytes it has passed back to the system as it goes (a
    /// file's buffer of our own, which the caller reads again if it needs them; see
    /// `HugePages.discard`). The table and the file then do not both stay in memory whole.
    var discardsPassedBytes = false
    /// Looked at every few MB (after a block of rows); when it asks, parsing stops.
    var cancel = Cancellation.never
    var cancellationStride = CSVChunks.cancellationStride

    /// The result: counts for the range, or the first malformed record's error.
    struct Outcome {
        var counts: CellCounts
        var error: TabularError?
        /// Per column: empty when the range's values fitted Floats exactly (they are in the
        /// Float column), else all of the range's values as Doubles.
        var doubles: [[Double]]
        /// Parsing stopped because `cancel` asked it to; the rest says nothing then.
        var interrupted = false
    }

    init(bytes: UnsafeBufferPointer<UInt8>, source: String, width: Int, dialect: CSVDialect = .standard,
         cells: CellReader? = nil) {
        self.bytes = bytes
        self.source = source
        self.width = width
        separator = dialect.separator
        cellReader = cells ?? CellReader(dialect)
        plainDigitsAreNumbers = cellReader.missing.numbers.isEmpty
    }

    /// Bytes behind the parser kept when discarding: the parser of the previous range may
    /// read a word or two past its end (the fast path's window), into this range's start.
    private static let discardMargin = 4096

    private static let lf: UInt8 = 10, cr: UInt8 = 13
    /// Rows per block: four cache lines of each column per flush, and the block (rows x
    /// columns doubles, 200 KB for 785 columns) still fits in the core's L2 cache.
    static let blockRows = 32

    /// Parses `chunk`, writing row r of column c to `columns[c][r]` and each row's first
    /// byte and line to `rowStarts[r]` and `rowLines[r]`.
    func parse(_ chunk: CSVChunks.Chunk, columns: UnsafePointer<UnsafeMutablePointer<Float>>,
               rowStarts: UnsafeMutablePointer<Int>, rowLines: UnsafeMutablePointer<Int>) -> Outcome {
        let base = bytes.baseAddress!
        let end = chunk.end
        var p = chunk.start
        var line = chunk.firstLine
        var row = chunk.firstRow
        var counts = CellCounts(width: width)
        // Per-cell counting is only for the rare cells; numeric counts follow at the end.
        var missing = [Int](repeating: 0, count: width)
        // Rows are parsed into a small row-major block and then stored a column run at a
        // time: stored cell by cell, each row would touch one page per column, and with
        // hundreds of columns those stores missed the TLB.
        let blockRows = Self.blockRows
        let block = UnsafeMutablePointer<Double>.allocate(capacity: blockRows * max(1, width))
        defer { block.deallocate() }
        var blockStart = row
        var doubles = [[Double]](repeating: [], count: width)
        var promoted = [Bool](repeating: false, count: width)
        let separator = separator
        let fastPath = plainDigitsAreNumbers
        var discardedUpTo = chunk.start + Self.discardMargin
        var checkedAt = chunk.start
        func flush() {
            let count = row - blockStart
            guard count > 0 else { return }
            for c in 0..<width where !promoted[c] {
                let column = columns[c] + blockStart
                var cell = UnsafePointer(block + c)
                var inexact: UInt8 = 0
                for r in 0..<count {
                    let value = cell.pointee
                    column[r] = Float(value)
                    inexact |= NumericColumn.isExactFloat(value) ? 0 : 1
                    cell += width
                }
                if inexact != 0 {
                    // From here on this range's cells of the column are kept as Doubles;
                    // the Floats before this block were exact, so they convert back as they
                    // were. Appended as they come, so the pages fill in step with the file's
                    // going back.
                    promoted[c] = true
                    doubles[c].reserveCapacity(chunk.rows)
                    doubles[c] += UnsafeBufferPointer(start: columns[c] + chunk.firstRow, count: blockStart - chunk.firstRow)
                        .lazy.map { Double($0) }
                }
            }
            for c in 0..<width where promoted[c] {
                var cell = UnsafePointer(block + c)
                for _ in 0..<count {
                    doubles[c].append(cell.pointee)
                    cell += width
                }
            }
            blockStart = row
            let passed = p - Self.discardMargin
            if discardsPassedBytes, passed - discardedUpTo >= 2 * HugePages.size {
                HugePages.discard(base + discardedUpTo, bytes: passed - discardedUpTo)
                // On from the start of the 2 MB page that `passed` lies in: it was not whole.
                discardedUpTo = passed - (Int(bitPattern: base + passed) & (HugePages.size - 1))
            }
        }

        while true {
            // Blank lines, as `CSVScanner.skipBlankLines` skips them.
            while p < end, base[p] == Self.lf || base[p] == Self.cr {
                p += base[p] == Self.cr && p + 1 < end && base[p + 1] == Self.lf ? 2 : 1
                line += 1
            }
            guard p < end else { break }
            if row - blockStart == blockRows {
                flush()
                if p - checkedAt >= cancellationStride {
                    checkedAt = p
                    if cancel.isRequested { return Outcome(counts: counts, error: nil, doubles: [], interrupted: true) }
                }
            }
            rowStarts[row] = p
            rowLines[row] = line
            let cells = block + (row - blockStart) * width
            var column = 0
            fields: while true {
                // Plain cells (1 to 8 digits, then a comma or the line end) located 64 bytes
                // at a time: with the bit mask of the bytes that are not digits, each cell's
                // end is a bit scan, not a chain of loads and tests that the next cell waits
                // on. Anything else is left to the general code below, one cell at a time.
                while fastPath, p + Self.windowBytes <= bytes.count {
                    let window = p
                    var mask = Self.nonDigits(base + window)
                    // Wrapping arithmetic: offsets stay far below Int.max, and the overflow
                    // checks were a fifth of this loop's instructions.
                    while mask != 0 {
                        let q = window &+ mask.trailingZeroBitCount
                        let length = q &- p
                        guard UInt(bitPattern: length &- 1) < 8, column < width else { break }   // 1...8 digits
                        let word = UInt64(littleEndian: UnsafeRawPointer(base + p).loadUnaligned(as: UInt64.self))
                        let value = Double(Self.digitsValue(word, length))
                        let b = base[q]
                        if b == separator {
                            cells[column] = value
                            column &+= 1
                            p = q &+ 1
                            mask &= mask &- 1
                            continue
                        }
                        guard b == Self.lf || (b == Self.cr && base[q &+ 1] == Self.lf) else { break }
                        cells[column] = value
                        column &+= 1
                        p = q &+ (b == Self.cr ? 2 : 1)
                        line &+= 1
                        break fields
                    }
                    // On at the next window only when this one ended inside a plain cell.
                    if mask != 0 || p == window { break }
                }
                let start = p
                var digits: UInt64 = 0
                while p < end {
                    let d = base[p] &- 48
                    if d >= 10 { break }
                    digits = digits &* 10 &+ UInt64(d)
                    p += 1
                }
                var value: Double
                let atDelimiter = p == end || base[p] == separator || base[p] == Self.lf || base[p] == Self.cr
                if atDelimiter && p > start && p - start <= 15 && fastPath {
                    // Up to 15 digits is below 2^53, so the integer converts exactly:
                    // the same Double that `Double(String)` gives.
                    value = Double(Int64(truncatingIfNeeded: digits))
                } else {
                    while p < end, base[p] != separator && base[p] != Self.lf && base[p] != Self.cr { p += 1 }
                    value = .nan
                    if column < width {
                        var s = start, e = p
                        while s < e, base[s] == 32 || base[s] == 9 { s += 1 }
                        while e > s, base[e - 1] == 32 || base[e - 1] == 9 { e -= 1 }
                        switch cellReader.value(bytes, s, e) {
                        case .missing:
                            missing[column] += 1
                        case .number(let number):
                            value = number
                        case .text:
                            counts.text[column] += 1
                            if counts.firstText[column] == nil {
                                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[s..<e]), as: UTF8.self)
                                counts.firstText[column] = NonNumericCell(row: row, line: line, value: text)
                            }
                        }
                    }
                }
                if column < width { cells[column] = value }
                column += 1
                if p < end && base[p] == separator {
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
                    line: rowLines[row], fields: column, width: width, source: source, separator: separator), doubles: [])
            }
            row += 1
        }
        flush()
        for c in 0..<width {
            counts.numeric[c] = chunk.rows - missing[c] - counts.text[c]
        }
        return Outcome(counts: counts, error: nil, doubles: doubles)
    }

    /// Bytes the fast path may read from a cell's first byte: a 64-byte window, and a
    /// word loaded at any cell start inside it.
    static let windowBytes = 64 + 8

    /// Bit k set when byte k of the 64 at `start` is not an ASCII digit.
    @inline(__always)
    static func nonDigits(_ start: UnsafePointer<UInt8>) -> UInt64 {
        let raw = UnsafeRawPointer(start)
        var mask: UInt64 = 0
        for k in 0..<8 {
            let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * k, as: UInt64.self))
            // Each byte's flag (bit 7) down to bit 0, then gathered into the top byte: the
            // multiplier sends byte i's bit to bit 56 + i, and no two products share a bit.
            let flags = nonDigitFlags(word) >> 7
            mask |= ((flags &* 0x0102_0408_1020_4080) >> 56) << UInt64(8 * k)
        }
        return mask
    }

    /// Bit 7 of each byte of the word set when that byte is not an ASCII digit.
    @inline(__always)
    static func nonDigitFlags(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let t = word ^ (ones &* 0x30)
        // Bit 7 of a byte is set when it is not a digit: its low 7 bits plus 0x76 reach
        // 0x80 exactly when they are 10 or more (no carry crosses bytes), or it was ≥ 0x80.
        return (((t & (ones &* 0x7F)) &+ (ones &* 0x76)) | t) & (ones &* 0x80)
    }

    /// How many of the word's bytes, first byte lowest, are ASCII digits before the first
    /// byte that is not (8 when all are).
    @inline(__always)
    static func leadingDigits(_ word: UInt64) -> Int {
        nonDigitFlags(word).trailingZeroBitCount / 8
    }

    /// The value of the first `length` (1...8) digit bytes of the word, first byte most
    /// significant: the digits are moved to the top of the word (zeros before them) and
    /// combined pairwise, as in Lemire's eight-digit conversion.
    @inline(__always)
    static func digitsValue(_ word: UInt64, _ length: Int) -> Int64 {
        // A masking shift (one instruction; 0 for 8 digits): `<<` would add range checks.
        var v = (word & 0x0F0F_0F0F_0F0F_0F0F) &<< UInt64(truncatingIfNeeded: 64 &- 8 &* length)
        v = (v &* 10) &+ (v >> 8)
        v = (((v & 0x0000_00FF_0000_00FF) &* (100 &+ (1_000_000 << 32)))
            &+ (((v >> 16) & 0x0000_00FF_0000_00FF) &* (1 &+ (10_000 << 32)))) >> 32
        return Int64(truncatingIfNeeded: v)
    }
}
