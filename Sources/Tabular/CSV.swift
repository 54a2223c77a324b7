#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading comma-separated files into typed tables.
public enum CSV {
    /// Reads a CSV with a header row: RFC 4180 quotes (`""` inside quotes is a quote;
    /// quoted fields may hold commas and newlines), LF or CRLF line ends, optional trailing
    /// newline; empty lines are skipped. Empty cells and `NA` are missing; spaces around a
    /// cell are ignored. A column is numeric when every present cell parses as a number,
    /// otherwise text. Throws `TabularError`.
    public static func read(path: String) throws -> Table {
        let bytes = try readBytes(path: path)
        return try parse(bytes: bytes, source: fileName(path))
    }

    /// Parses CSV bytes; `source` names them in messages (a file name).
    public static func parse(bytes: [UInt8], source: String) throws -> Table {
        try bytes.withUnsafeBufferPointer { buffer in
            try CSVReader(bytes: buffer, source: source).read()
        }
    }

    /// The whole file in one read; errors name the path as the user wrote it.
    static func readBytes(path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY)
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
        if (info.st_mode & S_IFMT) == S_IFDIR {
            throw TabularError("cannot read '\(path)': it is a directory, not a CSV file",
                               hint: "give the path of a .csv file")
        }
        let size = Int(info.st_size)
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

    /// The last path component, used as the table's source in messages.
    static func fileName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}
