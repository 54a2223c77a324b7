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
    /// moves the written pages into a huge page at once; contents are unchanged. The pages
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
        var pages: [Int] = []
        for run in runs {
            guard let (first, last) = alignedInterior(run.0, run.1) else { continue }
            pages += stride(from: first, to: last, by: size)
        }
        let parts = min(2, pages.count)
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            collapse(pages[pages.count * part / parts ..< pages.count * (part + 1) / parts])
        }
        #endif
    }

    /// Collapses these 2 MB pages one by one while that stays cheaper than the small pages
    /// it replaces. A huge page is normally a tenth of a millisecond, but where free memory
    /// is fragmented, or (in a VM) not yet backed by the host, it can take several: then
    /// the 512 small pages it stands for (about 0.7 ms of faults) are the faster way, and
    /// the rest of the pages are left to them.
    private static func collapse(_ pages: ArraySlice<Int>) {
        #if os(Linux)
        let budget = 1e-3   // seconds per 2 MB page
        let start = threadSeconds()
        for (done, page) in pages.enumerated() {
            // MADV_COLLAPSE is 25 in Linux's ABI; glibc 2.36's headers lack the name.
            // Failure (an older kernel, no free huge pages) leaves small pages.
            guard madvise(UnsafeMutableRawPointer(bitPattern: page), size, 25) == 0 else { return }
            if done >= 3 && threadSeconds() - start > Double(done + 1) * budget { return }
        }
        #endif
    }

    /// CPU time of the calling thread (the kernel's work in madvise included), so time the
    /// thread spends preempted by others is not blamed on the pages.
    private static func threadSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) * 1e-9
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
