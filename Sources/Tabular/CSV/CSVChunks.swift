import DLCore
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

    /// Bytes counted between two looks at the cancellation (a few milliseconds of work).
    static let cancellationStride = 8 << 20

    /// The ranges for the data from `start` (just after the header's line end, on file
    /// line `line`), or nil when the data should be read sequentially: it is small, it
    /// holds a quote, or it has no line end to split at.
    static func plan(_ bytes: UnsafeBufferPointer<UInt8>, start: Int, line: Int,
                     parts: Int, minimumBytes: Int, cancel: Cancellation = .never,
                     cancellationStride: Int = CSVChunks.cancellationStride) throws(Interrupted) -> [Chunk]? {
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
                out[k] = tally(bytes, bounds[k], bounds[k + 1], cancel: cancel, pieceBytes: cancellationStride)
            }
        }
        if tallies.contains(where: \.interrupted) { throw Interrupted() }
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
        /// The count stopped early because the cancellation asked it to.
        var interrupted = false

        static func + (a: Tally, b: Tally) -> Tally {
            Tally(records: a.records + b.records, lineEnds: a.lineEnds + b.lineEnds,
                  hasQuote: a.hasQuote || b.hasQuote, interrupted: a.interrupted || b.interrupted)
        }
    }

    /// `tally` of `bytes[start..<end]` a few MB at a time, looking at `cancel` before each
    /// piece. Pieces end just after an LF, so each starts after a line end as `tally` needs,
    /// and their counts add up to the count of the whole range.
    static func tally(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, cancel: Cancellation,
                      pieceBytes: Int = cancellationStride) -> Tally {
        var total = Tally()
        var pieceStart = start
        while pieceStart < end {
            if cancel.isRequested { return Tally(interrupted: true) }
            var pieceEnd = min(end, pieceStart + pieceBytes)
            while pieceEnd < end, bytes[pieceEnd - 1] != 10 { pieceEnd += 1 }
            total = total + tally(bytes, pieceStart, pieceEnd)
            pieceStart = pieceEnd
        }
        return total
    }

    /// One pass over `bytes[start..<end]`; `start` follows a line end. Each byte is judged
    /// from itself and its neighbours only, with no state carried from byte to byte, so
    /// the compiler turns the loop into vector code (this pass reads the whole file).
    static func tally(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Tally {
        guard start < end, let base = bytes.baseAddress else { return Tally() }
        // The first and last bytes, whose neighbours lie outside the range.
        let first = base[start], last = base[end - 1]
        var records = first != 10 && first != 13 ? 1 : 0
        var lineEnds = first == 10 || (first == 13 && !(start + 1 < end && base[start + 1] == 10)) ? 1 : 0
        var quotes = first == 34 ? 1 : 0
        if end - start >= 2 {
            let previous = base[end - 2]
            records += last != 10 && last != 13 && (previous == 10 || previous == 13) ? 1 : 0
            lineEnds += last == 10 || last == 13 ? 1 : 0
            quotes += last == 34 ? 1 : 0
        }
        // Bytes start + 1 ..< end - 1, 16 at a time and then one by one.
        var i = start + 1
        let lf = SIMD16<UInt8>(repeating: 10), cr = SIMD16<UInt8>(repeating: 13)
        let quote = SIMD16<UInt8>(repeating: 34), zero = SIMD16<UInt8>(), one = SIMD16<UInt8>(repeating: 1)
        while i + 16 <= end - 1 {
            // Byte counters, flushed before 255 steps could overflow them.
            var r = zero, l = zero, q = zero
            var steps = 0
            while steps < 255, i + 16 <= end - 1 {
                let raw = UnsafeRawPointer(base + i)
                let b = raw.loadUnaligned(as: SIMD16<UInt8>.self)
                let p = raw.loadUnaligned(fromByteOffset: -1, as: SIMD16<UInt8>.self)
                let n = raw.loadUnaligned(fromByteOffset: 1, as: SIMD16<UInt8>.self)
                let isEnd = (b .== lf) .| (b .== cr)
                let previousEnds = (p .== lf) .| (p .== cr)
                r &+= zero.replacing(with: one, where: .!isEnd .& previousEnds)
                l &+= zero.replacing(with: one, where: (b .== lf) .| ((b .== cr) .& (n .!= lf)))
                q &+= zero.replacing(with: one, where: b .== quote)
                i += 16
                steps += 1
            }
            for k in 0..<16 {
                records += Int(r[k])
                lineEnds += Int(l[k])
                quotes += Int(q[k])
            }
        }
        while i < end - 1 {
            let b = base[i], p = base[i - 1], n = base[i + 1]
            records += b != 10 && b != 13 && (p == 10 || p == 13) ? 1 : 0
            lineEnds += b == 10 || (b == 13 && n != 10) ? 1 : 0
            quotes += b == 34 ? 1 : 0
            i += 1
        }
        return Tally(records: records, lineEnds: lineEnds, hasQuote: quotes > 0)
    }
}
