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

    ///
    /// A symbolic link is written through, as editors do: the file it names gets the new
    /// bytes and the link stays (renaming over the link would replace it). A path that is
    /// not a regular file, such as a device, a named pipe or `/dev/stdout`, has nothing to
    /// rename over and is written in place.
    static func write(_ bytes: [UInt8], to path: String) throws(Failure) {
        var info = stat()
        guard stat(path, &info) == 0 else { return try replace(path, with: bytes) }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: throw Failure(code: EISDIR)
        case S_IFREG: try replace(resolved(path), with: bytes, mode: info.st_mode & 0o7777)
        default: try writeInPlace(bytes, to: path)
        }
    }

    /// The file a path names once its symbolic links are followed (the path itself when
    /// it cannot be resolved).
    private static func resolved(_ path: String) -> String {
        guard let real = realpath(path, nil) else { return path }
        defer { free(real) }
        return String(cString: real)
    }

    /// Writes a temporary file beside `path` and renames it over `path`. `mode` is the old
    /// file's, so that replacing a private (0600) model does not make it readable to all.
    private static func replace(_ path: String, with bytes: [UInt8], mode: mode_t? = nil) throws(Failure) {
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let temporary = "\(folder).\(name).dl-\(getpid())-\(UInt32.random(in: 0 ... .max)).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard fd >= 0 else { throw Failure(code: errno) }
        var failure = writeAll(bytes, to: fd)
        if failure == nil, let mode, fchmod(fd, mode) != 0 { failure = errno }
        if failure == nil, fsync(fd) != 0 { failure = errno }
        if close(fd) != 0, failure == nil { failure = errno }
        if failure == nil, rename(temporary, path) != 0 { failure = errno }
        if let failure {
            unlink(temporary)
            throw Failure(code: failure)
        }
        syncFolder(folder.isEmpty ? "." : folder)
    }

    /// Flushes the folder's entry for the renamed file, so a crash right after the write
    /// cannot bring back the old file. Best effort: the data itself is already on disk.
    private static func syncFolder(_ folder: String) {
        let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }

    /// A device or a pipe: opened without creating or truncating anything, and written.
    private static func writeInPlace(_ bytes: [UInt8], to path: String) throws(Failure) {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(code: errno) }
        var failure = writeAll(bytes, to: fd)
        if close(fd) != 0, failure == nil { failure = errno }
        if let failure { throw Failure(code: failure) }
    }

    /// Writes every byte, or returns the errno that stopped it.
    private static func writeAll(_ bytes: [UInt8], to fd: Int32) -> Int32? {
        var failure: Int32?
        // A size limit (ulimit -f) would otherwise kill the process with SIGXFSZ.
        let previous = signal(SIGXFSZ, SIG_IGN)
        defer { signal(SIGXFSZ, previous) }
        bytes.withUnsafeBytes { buffer in
            var written = 0
            while written < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress! + written, buffer.count - written)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { failure = n < 0 ? errno : ENOSPC; return }
                written += n
            }
        }
        return failure
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
