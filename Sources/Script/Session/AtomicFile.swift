#if canImport(Glibc)
import Glibc
#endif

/// Whole-file writes that a crash, a full disk or a size limit cannot leave half done: the
/// bytes go to a temporary file in the same folder, are flushed to the disk, and only then
/// is it renamed over the target (a rename within a folder is atomic).
enum AtomicFile {
    /// An errno from the step that failed.
    struct Failure: Error {
        var code: Int32
    }

    static func write(_ bytes: [UInt8], to path: String) throws(Failure) {
        var info = stat()
        if stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR { throw Failure(code: EISDIR) }
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let temporary = "\(folder).\(name).dl-\(getpid())-\(UInt32.random(in: 0 ... .max)).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard fd >= 0 else { throw Failure(code: errno) }
        var written = 0
        var failure: Int32?
        // A size limit (ulimit -f) would otherwise kill the process with SIGXFSZ.
        let previous = signal(SIGXFSZ, SIG_IGN)
        bytes.withUnsafeBytes { buffer in
            while written < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress! + written, buffer.count - written)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { failure = n < 0 ? errno : ENOSPC; return }
                written += n
            }
        }
        signal(SIGXFSZ, previous)
        if failure == nil, fsync(fd) != 0 { failure = errno }
        if close(fd) != 0, failure == nil { failure = errno }
        if failure == nil, rename(temporary, path) != 0 { failure = errno }
        if let failure {
            unlink(temporary)
            throw Failure(code: failure)
        }
    }

    /// A whole file's bytes.
    static func read(_ path: String) throws(Failure) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(code: errno) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw Failure(code: errno) }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw Failure(code: EISDIR) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { throw Failure(code: errno) }
            if n == 0 { return bytes }
            bytes += chunk[0..<n]
        }
    }
}
