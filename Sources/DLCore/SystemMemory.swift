#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How much memory a new allocation of this process can take, so that requests far beyond it
/// (a model, a data set) are refused with their size before anything is allocated, instead of
/// swapping the machine to a halt or being killed by the kernel.
///
/// Why MemAvailable rather than physical memory: it is the kernel's estimate of what can be
/// allocated without swapping, counting reclaimable cache as free and memory already held
/// (by this session's data and models, and by other programs) as taken, which is exactly the
/// question. It moves as other programs run, so it is compared only with estimates of large
/// requests; a container's cgroup limit lowers it further. `DL_MEMORY_LIMIT` overrides both
/// (tests, and users who want to keep dl within a budget).
public struct MemoryBudget: Equatable, Sendable {
    /// Bytes available.
    public var bytes: Int
    /// Where the figure came from, for messages: "available", "allowed by DL_MEMORY_LIMIT", ….
    public var source: String

    public init(bytes: Int, source: String) {
        self.bytes = bytes
        self.source = source
    }

    /// The name of the environment variable that sets the budget in bytes (suffixes K, M, G, T
    /// for powers of 1000 are accepted, e.g. `DL_MEMORY_LIMIT=2G`).
    public static let variable = "DL_MEMORY_LIMIT"

    /// The budget now: `DL_MEMORY_LIMIT` when set and valid; else MemAvailable from
    /// /proc/meminfo, lowered to what the cgroup (v2) still allows; else physical memory;
    /// nil when none can be read (then nothing is refused).
    public static func current() -> MemoryBudget? {
        if let text = getenv(variable).map({ String(cString: $0) }), let bytes = parse(text) {
            return MemoryBudget(bytes: bytes, source: "\(variable) allows")
        }
        var best: Int?
        if let meminfo = readSmallFile("/proc/meminfo"), let available = memAvailable(in: meminfo) {
            best = available
        } else {
            let pages = sysconf(Int32(_SC_PHYS_PAGES)), size = sysconf(Int32(_SC_PAGESIZE))
            if pages > 0, size > 0 { best = pages * size }
        }
        if let limit = readSmallFile("/sys/fs/cgroup/memory.max").flatMap({ Int($0.trimmingWhitespace) }),
           let used = readSmallFile("/sys/fs/cgroup/memory.current").flatMap({ Int($0.trimmingWhitespace) }) {
            best = min(best ?? .max, max(limit - used, 0))
        }
        return best.map { MemoryBudget(bytes: $0, source: "this machine has") }
    }

    /// Bytes from "123", "2G", "1.5G", "512M" (powers of 1000); nil when not a size.
    public static func parse(_ text: String) -> Int? {
        var digits = Substring(text.trimmingWhitespace)
        var scale = 1.0
        if let last = digits.last, let factor = ["K": 1e3, "M": 1e6, "G": 1e9, "T": 1e12][last.uppercased()] {
            scale = factor
            digits = digits.dropLast()
        }
        guard let value = Double(digits), value.isFinite, value >= 0, value * scale < 9e18 else { return nil }
        return Int(value * scale)
    }

    /// The MemAvailable line of /proc/meminfo, in bytes.
    static func memAvailable(in meminfo: String) -> Int? {
        for line in meminfo.split(separator: "\n") where line.hasPrefix("MemAvailable:") {
            let fields = line.split(separator: " ")
            guard fields.count >= 2, let kilobytes = Int(fields[1]) else { return nil }
            return kilobytes * 1024
        }
        return nil
    }
}

/// "61.3 GB", "512 KB", "12 bytes": bytes in powers of 1000, three significant digits at most.
public func describeBytes(_ bytes: Int) -> String {
    let units = ["bytes", "KB", "MB", "GB", "TB", "PB", "EB"]
    var value = Double(bytes), unit = 0
    while value >= 999.95 && unit < units.count - 1 {
        value /= 1000
        unit += 1
    }
    if unit == 0 { return "\(bytes) byte\(bytes == 1 ? "" : "s")" }
    let tenths = (value * 10).rounded()
    let text = value >= 100 ? String(Int(value.rounded()))
        : tenths.truncatingRemainder(dividingBy: 10) == 0 ? String(Int(tenths / 10)) : String(tenths / 10)
    return "\(text) \(units[unit])"
}

/// The contents of a small text file (a /proc or /sys entry), or nil when it cannot be read.
private func readSmallFile(_ path: String) -> String? {
    readFileBytes(path, limit: 1 << 20).map { String(decoding: $0, as: UTF8.self) }
}

private extension String {
    var trimmingWhitespace: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[first...last])
    }
}
