#if canImport(Glibc)
import Glibc
#endif

/// Backing large fresh buffers with 2 MB pages. Every fresh 4 KB page costs a page fault
/// when first written (over a microsecond each on the VMs this runs on) and again when it
/// is unmapped; a loaded 60,000 x 785 table is hundreds of megabytes, so with 4 KB pages
/// the faults cost more than parsing the file. A 2 MB page is normally a tenth of a
/// millisecond, but where free memory is fragmented, or (in a VM) has been handed back to
/// the host and must be backed again, it can take several; the 512 small pages it stands
/// for are then the faster way (about 0.7 ms of faults). So pages are backed one at a
/// time, timed, and the rest left to small pages once huge ones turn out `slow`.
/// All of it is a hint: where huge pages are unsupported or unavailable, small pages.
enum HugePages {
    static let size = 1 << 21

    /// Buffers smaller than this are left alone: a few faults are cheaper than the calls.
    static let minimumBytes = 16 << 20

    /// Seconds for one 2 MB page above which it counts as slow: a huge page taken from
    /// memory the host no longer backs (over 4 ms here), against the 0.7 ms its 512 small
    /// pages would cost.
    static let slow = 2e-3

    /// Backs the 2 MB-aligned part of a fresh, not yet written range with huge pages now
    /// (zeroed, as any fresh page), on the calling thread, until they turn out slow.
    /// Callers that fill a buffer from several threads back each thread's part.
    static func populate(_ start: UnsafeMutableRawPointer, bytes: Int) {
        #if os(Linux)
        guard let (first, last) = alignedInterior(Int(bitPattern: start), Int(bitPattern: start) + bytes) else { return }
        _ = madvise(UnsafeMutableRawPointer(bitPattern: first), last - first, MADV_HUGEPAGE)
        guard bytes >= minimumBytes / 2, allowed else { return }   // small: faults take the advice
        // MADV_POPULATE_WRITE (Linux 5.14) faults the range in as a write would; with the
        // advice above, as huge pages. Failure (an older kernel) leaves the advice alone.
        let (done, slow) = back(stride(from: first, to: last, by: size), advice: 23)
        let rest = first + done * size
        if slow && rest < last {
            _ = madvise(UnsafeMutableRawPointer(bitPattern: rest), last - rest, MADV_NOHUGEPAGE)
        }
        #endif
    }

    /// Hands the 2 MB pages that lie wholly inside `start..<start + bytes` back to the
    /// system: the part of a file's buffer that a parser has passed. Anonymous memory reads
    /// as zeros afterwards, so the caller must not read that part again.
    static func discard(_ start: UnsafeRawPointer, bytes: Int) {
        #if os(Linux)
        guard let (first, last) = alignedInterior(Int(bitPattern: start), Int(bitPattern: start) + bytes) else { return }
        _ = madvise(UnsafeMutableRawPointer(bitPattern: first), last - first, MADV_DONTNEED)
        #endif
    }

    /// Applies `advice` to the 2 MB pages one at a time until one fails or three in a row
    /// each take over `slow`; returns how many were done and whether slowness stopped it.
    /// Page times fall in two groups, under 0.2 ms or over 4 ms: once one page has to be
    /// backed by the host, the following ones do too, while a single slow page can be
    /// the thread losing its core for a moment (which thread CPU time sees in a VM).
    private static func back<Pages: Sequence<Int>>(_ pages: Pages, advice: Int32) -> (done: Int, slow: Bool) {
        #if os(Linux)
        var done = 0, slowInARow = 0
        var before = threadSeconds()
        for page in pages {
            guard madvise(UnsafeMutableRawPointer(bitPattern: page), size, advice) == 0 else { return (done, false) }
            done += 1
            let now = threadSeconds()
            slowInARow = now - before > slow ? slowInARow + 1 : 0
            if slowInARow == 3 { return (done, true) }
            before = now
        }
        return (done, false)
        #else
        return (0, false)
        #endif
    }

    /// CPU time of the calling thread (the kernel's work in madvise included), so time the
    /// thread spends preempted by others is not blamed on the pages.
    private static func threadSeconds() -> Double {
        #if os(Linux)
        var now = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) * 1e-9
        #else
        return 0
        #endif
    }

    /// False where transparent huge pages are switched off ("never"): a machine set up that
    /// way should not get them from us.
    private static let allowed: Bool = {
        #if os(Linux)
        guard let file = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r") else { return false }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 128)
        guard fgets(&line, Int32(line.count), file) != nil else { return false }
        return strstr(line, "[never]") == nil
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
