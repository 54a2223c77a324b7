#if canImport(Glibc)
import Glibc
#endif

extension Session {
    /// A relative path in a script starts from the working directory, as in Python, R and
    /// bash's `source`, not from the script's folder. When a script names a file that is
    /// missing from the working directory but sits next to the script, this says so and
    /// gives the path that works from here; nil otherwise (the caller's hint stands).
    func scriptFolderHint(for path: String) -> String? {
        guard !path.hasPrefix("/"), !path.hasPrefix("~"), !Self.exists(path) else { return nil }
        let script = context.currentFileName
        guard !script.hasPrefix("<"), let slash = script.lastIndex(of: "/") else { return nil }
        let folder = String(script[..<slash])
        let fromHere = (folder.isEmpty ? "/" : folder + "/") + path
        guard Self.exists(fromHere) else { return nil }
        return "relative paths start from the working directory, not from the script's folder (\(folder.isEmpty ? "/" : folder)); "
            + "from here the file is \"\(fromHere)\": write that, or run dl in that folder"
    }

    private static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    /// Writes a whole text file, with errors that say what to do (see `AtomicFile`).
    func writeFile(_ path: String, _ text: String, at range: SourceRange) throws {
        try writeFile(path, Array(text.utf8), at: range)
    }

    /// Writes a whole file so that a failure never leaves it half written: the old file, if
    /// any, stays as it was unless the new one was written completely.
    func writeFile(_ path: String, _ bytes: [UInt8], at range: SourceRange) throws {
        do {
            try AtomicFile.write(bytes, to: path)
        } catch {
            let folder = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
            switch error.code {
            case ENOENT where access(folder, F_OK) == 0:
                // The folder is there but refuses new files (such as /proc or /sys).
                throw Diagnostic("cannot write '\(path)': no file can be created in '\(folder)'", at: range,
                                 hint: "choose a folder you can write to, e.g. your home folder or /tmp")
            case ENOENT:
                throw Diagnostic("cannot write '\(path)': the folder '\(folder)' does not exist", at: range,
                                 hint: "create it first (`mkdir -p \(folder)` in a shell) or choose another path")
            case EACCES, EROFS, EPERM:
                throw Diagnostic("cannot write '\(path)': permission denied", at: range,
                                 hint: "choose a folder you can write to, e.g. your home folder or /tmp")
            case EISDIR:
                throw Diagnostic("cannot write '\(path)': it is a folder", at: range, hint: "give a file name, e.g. \"\(path)/plot.svg\"")
            case ENOSPC, EDQUOT, EFBIG:
                let reason = error.code == ENOSPC ? "the disk is full"
                    : error.code == EDQUOT ? "the disk quota is used up"
                    : "the file would exceed the file size limit (ulimit -f)"
                throw Diagnostic("cannot write '\(path)': \(reason)", at: range,
                                 hint: "free some space or choose another place; the old file, if any, is unchanged")
            default:
                throw Diagnostic("cannot write '\(path)': \(String(cString: strerror(error.code)))", at: range)
            }
        }
    }
}
