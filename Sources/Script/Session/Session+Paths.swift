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
}
