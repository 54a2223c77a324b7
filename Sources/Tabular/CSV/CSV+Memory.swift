#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DLCore

extension CSV {
    /// Refuses a regular file whose loading could not fit in the memory available, before it
    /// is read: the file's bytes are held while it is parsed, and each cell becomes at least a
    /// 4-byte number. The cells are counted in the first MiB (separators and line ends) and
    /// scaled to the file's size, so the estimate is a floor (text cells take more).
    static func rejectUnaffordable(path: String, source: String) throws {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return } // readBytes reports why
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return }
        let size = Int(info.st_size)
        let sampleSize = min(size, 1 << 20)
        guard sampleSize > 0 else { return }
        var sample = [UInt8](repeating: 0, count: sampleSize)
        let got = sample.withUnsafeMutableBytes { pread(fd, $0.baseAddress, sampleSize, 0) }
        guard got > 0 else { return }
        var separators = 0
        for byte in sample[..<got] where byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\n") { separators += 1 }
        let cells = Int(Double(max(separators, 1)) / Double(got) * Double(size))
        if let error = TabularError.unaffordable(
            "'\(source)' is \(describeBytes(size)): loading it", needs: size + 4 * cells,
            parts: "the file \(describeBytes(size)), about \(grouped(cells)) cells \(describeBytes(4 * cells))",
            hint: "load a part of it, e.g. `head -n 100001 \(source) > part.csv` keeps the header and 100,000 rows") {
            throw error
        }
    }

    /// "6,000,000,000".
    private static func grouped(_ value: Int) -> String {
        var digits = String(value), groups: [Substring] = []
        while digits.count > 3 {
            groups.insert(digits.suffix(3), at: 0)
            digits.removeLast(3)
        }
        return ([Substring(digits)] + groups).joined(separator: ",")
    }
}
