import Dispatch

/// Splits the data rows of a large CSV into byte ranges that end at line ends, so each
/// range can be parsed on its own thread into known rows of the column arrays.
///
/// Only files without a quote character are split: a quoted field may hold a newline, and
/// a range boundary must never fall inside a field. Such files take the sequential path.
struct CSVChunks {
    /// One range of data lines: `bytes[start..<end]`, holding data rows
    /// `firstRow..<firstRow + rows`, the first byte on file line `firstLine`.
    struct Chunk {
        var start: Int
        var end: Int
        var firstRow: Int
        var firstLine: Int
        var rows: Int
    }

    /// Smaller data than this is parsed on one thread: splitting costs more than it saves.
    static let defaultMinimumBytes = 1 << 20

    /// The ranges for the data from `start` (just after the header's line end, on file
    /// line `line`), or nil when the data should be read sequentially: it is small, it
    /// holds a quote, or it has no line end to split at.
    static func plan(_ bytes: UnsafeBufferPointer<UInt8>, start: Int, line: Int,
                     parts: Int, minimumBytes: Int) -> [Chunk]? {
        let end = bytes.count
        guard parts > 1, end - start >= max(1, minimumBytes) else { return nil }
        var bounds = [start]
        for k in 1..<parts {
            var i = max(bounds.last!, start + (end - start) / parts * k)
            while i < end, bytes[i] != 10 { i += 1 }
            // A cut just after an LF is safe: an LF always ends a line, alone or in CRLF.
            if i + 1 < end { bounds.append(i + 1) }
        }
        bounds.append(end)
        guard bounds.count > 2 else { return nil }

        let count = bounds.count - 1
        var tallies = [Tally](repeating: Tally(), count: count)
        tallies.withUnsafeMutableBufferPointer { out in
            DispatchQueue.concurrentPerform(iterations: count) { k in
                out[k] = tally(bytes, bounds[k], bounds[k + 1])
            }
        }
        guard !tallies.contains(where: \.hasQuote) else { return nil }
        var chunks: [Chunk] = []
        var row = 0, firstLine = line
        for k in 0..<count {
            chunks.append(Chunk(start: bounds[k], end: bounds[k + 1], firstRow: row,
                                firstLine: firstLine, rows: tallies[k].records))
            row += tallies[k].records
            firstLine += tallies[k].lineEnds
        }
        return chunks
    }

    /// What one range holds, counted the way `CSVScanner` reads it.
    struct Tally {
        /// Records: runs of bytes other than CR and LF (blank lines are skipped).
        var records = 0
        /// Line ends: LF, or CR not followed by LF (CRLF counts once, at its LF).
        var lineEnds = 0
        var hasQuote = false
    }

    /// One branch-free pass over `bytes[start..<end]`; `start` follows a line end.
    static func tally(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Tally {
        guard start < end, let base = bytes.baseAddress else { return Tally() }
        var records = 0, lineEnds = 0
        var quotes: UInt8 = 0
        var previousEnds = true
        var current = base[start]
        for i in start..<end {
            let next: UInt8 = i + 1 < end ? base[i + 1] : 0
            let isEnd = current == 10 || current == 13
            records &+= (!isEnd && previousEnds) ? 1 : 0
            lineEnds &+= (current == 10 || (current == 13 && next != 10)) ? 1 : 0
            quotes |= current == 34 ? 1 : 0
            previousEnds = isEnd
            current = next
        }
        return Tally(records: records, lineEnds: lineEnds, hasQuote: quotes != 0)
    }
}
