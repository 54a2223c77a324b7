#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The bytes of a file read to its end (at most about `limit`), or nil when it cannot be
/// opened or read. Reads until end of file rather than trusting the size the file reports,
/// which is 0 for /proc entries. For small files: scripts, /proc entries, the history.
public func readFileBytes(_ path: String, limit: Int = .max) -> [UInt8]? {
    guard let file = fopen(path, "rb") else { return nil }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while bytes.count <= limit {
        let got = fread(&buffer, 1, buffer.count, file)
        if got > 0 { bytes.append(contentsOf: buffer[..<got]) }
        if got < buffer.count { break }
    }
    return ferror(file) == 0 ? bytes : nil
}
