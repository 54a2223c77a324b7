#if canImport(Glibc)
import Glibc
#endif
import Dispatch

/// Backing large fresh buffers with 2 MB pages. Every fresh 4 KB page costs a page fault
/// when first written (over a microsecond each on the VMs this runs on) and again when it
/// is unmapped; a loaded 60,000 x 785 table is hundreds of megabytes, so with 4 KB pages
/// the faults cost more than parsing the file. Both calls are hints: where huge pages are
/// unsupported or unavailable they do nothing and small pages are used as before.
enum HugePages {
    static let size = 1 << 21

    /// Buffers smaller than this are left alone: a few faults are cheaper than the calls.
    static let minimumBytes = 16 << 20

    /// Asks for 2 MB pages in the 2 MB-aligned part of a fresh buffer, before it is first
    /// written (pages already written stay small).
    static func advise(_ start: UnsafeMutableRawPointer, bytes: Int) {
        #if os(Linux)
        guard let (first, last) = alignedInterior(Int(bitPattern: start), Int(bitPattern: start) + bytes),
              let aligned = UnsafeMutableRawPointer(bitPattern: first) else { return }
        _ = madvise(aligned, last - first, MADV_HUGEPAGE)
        #endif
    }

    /// Backs the buffers with 2 MB pages now, before they are filled, where they lie next to
    /// each other: a `[Double]` of one column of a large table is a few hundred KB, too small
    /// to hold an aligned 2 MB page, but the allocator places such arrays back to back.
    ///
    /// `advise` cannot do this: each array's header is already written, so every 2 MB range
    /// holds a small page and later faults there stay small. MADV_COLLAPSE (Linux 6.1)
    /// moves the written pages into a huge page at once; contents are unchanged. The runs
    /// are split between two threads, the same two that then fill them.
    static func collapse(_ buffers: [UnsafeMutableRawPointer], bytesEach: Int) {
        #if os(Linux)
        guard buffers.count * bytesEach >= minimumBytes, allowed else { return }
        // Runs of buffers that follow each other with at most two pages between them (the
        // rest of the last page of one, the allocator's and the array's headers).
        let starts = buffers.map { Int(bitPattern: $0) }.sorted()
        var runs: [(Int, Int)] = []
        for start in starts {
            if let last = runs.last, start >= last.1, start - last.1 <= 8192 {
                runs[runs.count - 1].1 = start + bytesEach
            } else {
                runs.append((start, start + bytesEach))
            }
        }
        var pieces: [(Int, Int)] = []
        for run in runs {
            guard let (first, last) = alignedInterior(run.0, run.1) else { continue }
            // Two halves, cut at a 2 MB boundary.
            let middle = first + (last - first) / size / 2 * size
            if middle > first { pieces.append((first, middle)) }
            pieces.append((middle, last))
        }
        guard !pieces.isEmpty else { return }
        DispatchQueue.concurrentPerform(iterations: min(2, pieces.count)) { part in
            for k in stride(from: part, to: pieces.count, by: 2) {
                let (first, last) = pieces[k]
                // MADV_COLLAPSE is 25 in Linux's ABI; glibc 2.36's headers lack the name.
                // Failure (an older kernel, no free huge pages) leaves small pages.
                _ = madvise(UnsafeMutableRawPointer(bitPattern: first), last - first, 25)
            }
        }
        #endif
    }

    /// False where transparent huge pages are switched off ("never"): MADV_COLLAPSE
    /// ignores that setting, but a machine set up that way should not get them from us.
    private static let allowed: Bool = {
        #if os(Linux)
        guard let file = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r") else { return false }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 128)
        guard fgets(&line, Int32(line.count), file) != nil else { return false }
        let setting = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return !setting.contains("[never]")
        #else
        return false
        #endif
    }()

    /// The 2 MB-aligned part of `start..<end`, or nil when it holds no whole 2 MB page.
    private static func alignedInterior(_ start: Int, _ end: Int) -> (Int, Int)? {
        let first = (start + size - 1) & ~(size - 1)
        let last = end & ~(size - 1)
        return last > first ? (first, last) : nil
    }
}
