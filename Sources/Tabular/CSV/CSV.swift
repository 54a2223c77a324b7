#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DLCore
import Dispatch

/// Reading comma-separated files into typed tables.
public enum CSV {
    /// Reads a UTF-8 CSV with a header row of distinct, non-empty names: RFC 4180 quotes
    /// (`""` inside quotes is a quote; quoted fields may hold separators and newlines), LF,
    /// CRLF or lone CR line ends, optional trailing newline, a byte order mark skipped; empty
    /// lines are skipped. Fields are separated, and numbers written, as `dialect` says
    /// (commas and decimal points by default). Empty cells, pandas' spellings of a missing
    /// value (`NA`, `NULL`, `N/A`, `None`, `nan`, …) and the dialect's own are missing; `inf`
    /// is infinity; spaces around a cell are ignored. A column is numeric when every present
    /// cell parses as a number, otherwise text. Binary files, gzip, zip and UTF-16 are
    /// refused. Throws `TabularError`, or `Interrupted` once `cancel` asks (it is looked at
    /// every few MB of a large file).
    public static func read(path: String, dialect: CSVDialect = .standard, cancel: Cancellation = .never) throws -> Table {
        if let problem = dialect.problem { throw problem }
        let source = fileName(path)
        try rejectUnaffordable(path: path, source: source)
        if let table = try readLarge(path: path, source: source, dialect: dialect, cancel: cancel) { return table }
        let bytes = try readBytes(path: path)
        try cancel.check()
        return try bytes.withUnsafeBufferPointer { buffer in
            var reader = CSVReader(bytes: buffer, source: source, dialect: dialect)
            reader.cancel = cancel
            return try reader.read()
        }
    }

    /// Parses a large regular file read into memory backed by huge pages where they are
    /// cheap (see `HugePages`), or nil when the file is small or any step fails (then
    /// `readBytes` reads it and reports errors). The buffer of a 168 MB file is otherwise
    /// 41,000 page faults, as costly as copying the bytes; with 2 MB pages it is under a
    /// hundred. Each half is read on its own thread, the same split the parser makes. The
    /// parser gives the buffer's pages back as it passes them, and has the file read again
    /// if it needs a second pass over the text.
    private static func readLarge(path: String, source: String, dialect: CSVDialect, cancel: Cancellation) throws -> Table? {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC) // a named pipe must not block the open
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG,
              info.st_size >= CSVChunks.defaultMinimumBytes else { return nil }
        let size = Int(info.st_size)
        guard let region = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              region != MAP_FAILED else { return nil }
        defer { munmap(region, size) }
        guard readWhole(fd, into: region, size: size, cancel: cancel) else {
            try cancel.check()
            return nil
        }
        let bytes = UnsafeBufferPointer(start: region.assumingMemoryBound(to: UInt8.self), count: size)
        var reader = CSVReader(bytes: bytes, source: source, dialect: dialect)
        reader.cancel = cancel
        reader.rereadBytes = {
            guard readWhole(fd, into: region, size: size, cancel: cancel) else {
                try cancel.check()
                throw TabularError("cannot read '\(path)' again: it changed or went away while it was being loaded",
                                   hint: "load it again once nothing is writing to it")
            }
        }
        return try reader.read()
    }

    /// Reads the file's `size` bytes into `region`, each half on its own thread; false
    /// when a read fails, the file turns out shorter or `cancel` asked to stop (it is looked
    /// at between reads of a few MB).
    private static func readWhole(_ fd: Int32, into region: UnsafeMutableRawPointer, size: Int,
                                  cancel: Cancellation) -> Bool {
        let parts = 2
        var complete = [Bool](repeating: false, count: parts)
        complete.withUnsafeMutableBufferPointer { done in
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                var offset = size / parts * part
                let end = part == parts - 1 ? size : size / parts * (part + 1)
                HugePages.populate(region + offset, bytes: end - offset)
                while offset < end {
                    if cancel.isRequested { return }
                    let got = pread(fd, region + offset, min(end - offset, CSVChunks.cancellationStride), off_t(offset))
                    if got < 0 && errno == EINTR { continue }
                    if got <= 0 { return }
                    offset += got
                }
                done[part] = true
            }
        }
        return !complete.contains(false)
    }

    /// Parses CSV bytes; `source` names them in messages (a file name).
    public static func parse(bytes: [UInt8], source: String, dialect: CSVDialect = .standard) throws -> Table {
        if let problem = dialect.problem { throw problem }
        return try bytes.withUnsafeBufferPointer { buffer in
            try CSVReader(bytes: buffer, source: source, dialect: dialect).read()
        }
    }

    /// The whole file in one read; errors name the path as the user wrote it.
    static func readBytes(path: String) throws -> [UInt8] {
        // O_NONBLOCK: opening a named pipe must not wait for a writer (it is refused below);
        // for a regular file it changes nothing.
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            let reason = errno == ENOENT ? "no such file"
                : errno == EACCES ? "permission denied"
                : String(cString: strerror(errno)).lowercased()
            let hint = errno == EACCES ? "check the file's permissions"
                : "check the path; bundled data sets are: " + BundledData.names.joined(separator: ", ")
            throw TabularError("cannot open '\(path)': \(reason)", hint: hint)
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw TabularError("cannot read '\(path)': \(String(cString: strerror(errno)))")
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG:
            break
        case S_IFDIR:
            throw TabularError("cannot read '\(path)': it is a directory, not a CSV file", hint: "give the path of a .csv file")
        case let type:
            throw TabularError("cannot read '\(path)': it is \(fileKind(type)), not a CSV file",
                               hint: "save the data to a regular file first and read that file", problem: .notARegularFile)
        }
        let size = Int(info.st_size)
        // /proc and /sys report a size of 0 for files that do hold text: read those to the end.
        if size == 0 { return readFileBytes(path) ?? [] }
        var failed = false
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            var done = 0
            while done < size {
                let got = Glibc.read(fd, buffer.baseAddress! + done, size - done)
                if got < 0 && errno == EINTR { continue }
                if got <= 0 { break }
                done += got
            }
            failed = done < size
            count = done
        }
        if failed {
            throw TabularError("cannot read '\(path)': the file ended early or could not be read",
                               hint: "check that the file is not being written to")
        }
        return bytes
    }

    /// What a path that is neither a file nor a folder is, for messages.
    private static func fileKind(_ type: mode_t) -> String {
        switch type {
        case S_IFIFO: return "a named pipe (FIFO)"
        case S_IFCHR, S_IFBLK: return "a device"
        case S_IFSOCK: return "a socket"
        default: return "a special file"
        }
    }

    /// The last path component, used as the table's source in messages.
    static func fileName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}
