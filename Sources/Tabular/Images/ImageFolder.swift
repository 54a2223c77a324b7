#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One image file found in a folder: its path as the file system spells it (bytes: a name
/// need not be UTF-8) and its class.
public struct ImageFileEntry: Sendable {
    /// The full path, without a terminating NUL.
    public let path: [UInt8]
    /// The path below the loaded folder, for messages (bytes that are not UTF-8 shown as \xNN).
    public let name: String
    public let label: Int
}

/// What a folder of class folders holds: the classes in Keras's order (sorted by code
/// point, as Python's `sorted`), the image files of each, and the files that are not images.
public struct ImageFolderListing: Sendable {
    public var classes: [String]
    public var train: [ImageFileEntry]
    /// The images under `test/` when the folder holds `train/` and `test/`.
    public var test: [ImageFileEntry]?
    /// Files skipped because their extension is not an image's (`.DS_Store`, `README`).
    public var skipped: [String]

    /// The extensions read as images (lower-cased).
    public static let imageExtensions: Set<String> = ["png", "jpg", "jpeg"]

    /// Lists `folder`: one subfolder per class, or `train/` and `test/` each with one.
    /// Throws `TabularError` for an empty class folder, a single class, images in the root
    /// beside class folders, a symbolic-link loop, a class folder whose name is not UTF-8.
    public static func list(_ folder: String) throws -> ImageFolderListing {
        let root = Array(folder.utf8)
        let top = try entries(of: root, shown: folder)
        let folders = top.filter { $0.isFolder }.map(\.name)
        // train/ and test/ (or train/ alone) are a split, not two classes.
        let named = folders.filter { $0.first != 46 }
        if named.contains([UInt8]("train".utf8)), named.allSatisfy({ $0 == Array("train".utf8) || $0 == Array("test".utf8) }) {
            var skipped: [String] = []
            let trainRoot = join(root, Array("train".utf8)), testRoot = join(root, Array("test".utf8))
            for entry in top where !entry.isFolder || (entry.name != Array("train".utf8) && entry.name != Array("test".utf8)) {
                skipped.append(shown(entry.name))
            }
            let train = try listClasses(trainRoot, shown: folder + "/train", prefix: "train/")
            guard named.contains(Array("test".utf8)) else {
                return ImageFolderListing(classes: train.classes, train: train.files, test: nil, skipped: skipped + train.skipped)
            }
            let test = try listClasses(testRoot, shown: folder + "/test", prefix: "test/", knownClasses: train.classes)
            return ImageFolderListing(classes: train.classes, train: train.files, test: test.files,
                                      skipped: skipped + train.skipped + test.skipped)
        }
        let listed = try listClasses(root, shown: folder, prefix: "")
        return ImageFolderListing(classes: listed.classes, train: listed.files, test: nil, skipped: listed.skipped)
    }

    /// A folder of test images with the same class folders (`load images … test=`).
    public static func listTest(_ folder: String, classes: [String]) throws -> (files: [ImageFileEntry], skipped: [String]) {
        let listed = try listClasses(Array(folder.utf8), shown: folder, prefix: "", knownClasses: classes)
        return (listed.files, listed.skipped)
    }

    /// Every image below `folder` (subfolders included), sorted by path, named relative to it
    /// (`predict "folder/"`).
    public static func listFiles(_ folder: String) throws -> [ImageFileEntry] {
        var found: [ImageFileEntry] = [], skipped: [String] = [], visited: [(UInt, UInt)] = []
        let root = Array(folder.utf8)
        let identity = try folderIdentity(root, shown: folder)
        visited.append(identity)
        for entry in try entries(of: root, shown: folder) {
            if entry.isFolder, entry.name.first != 46 {
                try walk(join(root, entry.name), shown: shown(entry.name), label: 0, into: &found, skipped: &skipped, visited: &visited)
            } else if !entry.isFolder, isImageName(entry.name) {
                found.append(ImageFileEntry(path: join(root, entry.name), name: shown(entry.name), label: 0))
            }
        }
        return found.map { ImageFileEntry(path: $0.path, name: (folder.hasSuffix("/") ? folder : folder + "/") + $0.name, label: 0) }
    }

    private static func listClasses(_ root: [UInt8], shown folder: String, prefix: String,
                                    knownClasses: [String]? = nil) throws -> (classes: [String], files: [ImageFileEntry], skipped: [String]) {
        let top = try entries(of: root, shown: folder)
        var skipped: [String] = []
        var rootImages: [String] = []
        var classFolders: [(name: String, path: [UInt8])] = []
        for entry in top {
            if entry.isFolder, entry.name.first == 46 { // hidden (.git, .ipynb_checkpoints): not a class
                skipped.append(prefix + shown(entry.name) + "/")
            } else if entry.isFolder {
                guard let name = String(validating: entry.name, as: UTF8.self) else {
                    throw TabularError("the class folder '\(prefix)\(shown(entry.name))' in '\(folder)' has a name that is not UTF-8 text, and class names are text",
                                       hint: "rename the folder (e.g. `convmv -f latin1 -t utf8`)")
                }
                classFolders.append((name, join(root, entry.name)))
            } else if isImageName(entry.name) {
                rootImages.append(prefix + shown(entry.name))
            } else {
                skipped.append(prefix + shown(entry.name))
            }
        }
        // Python's sorted(): by code point.
        classFolders.sort { $0.name.unicodeScalars.lexicographicallyPrecedes($1.name.unicodeScalars) { $0.value < $1.value } }
        let names = classFolders.map(\.name)
        if !rootImages.isEmpty {
            let listed = rootImages.sorted().prefix(3).map { "'\($0)'" }.joined(separator: ", ") + (rootImages.count > 3 ? ", …" : "")
            throw TabularError(classFolders.isEmpty
                ? "'\(folder)' holds \(rootImages.count) image\(rootImages.count == 1 ? "" : "s") (\(listed)) but no class folders; load images needs one folder per class, named after it"
                : "'\(folder)' holds \(rootImages.count) image\(rootImages.count == 1 ? "" : "s") (\(listed)) beside its class folders; every image must be in its class's folder",
                hint: classFolders.isEmpty ? "make a folder per class (e.g. cats/, dogs/) and move each image into its class's folder"
                    : "move each image into its class's folder (\(names.prefix(4).joined(separator: ", "))), or out of '\(folder)'")
        }
        if let knownClasses {
            if let stray = names.first(where: { !knownClasses.contains($0) }) {
                throw TabularError("'\(folder)' has a class folder '\(stray)' that the training images do not have (they have \(knownClasses.joined(separator: ", ")))",
                                   hint: "give the test images the training images' class folders")
            }
        } else {
            if classFolders.isEmpty {
                throw TabularError("'\(folder)' has no class folders; load images needs one folder per class holding that class's images",
                                   hint: "make a folder per class (e.g. cats/, dogs/) inside '\(folder)'")
            }
            if classFolders.count == 1 {
                throw TabularError("'\(folder)' has one class folder ('\(names[0])'); a classifier needs at least two classes",
                                   hint: "add a folder of images for each other class beside '\(names[0])'")
            }
        }
        var files: [ImageFileEntry] = []
        for (name, path) in classFolders {
            let label = knownClasses?.firstIndex(of: name) ?? names.firstIndex(of: name)!
            var found: [ImageFileEntry] = []
            var visited: [(UInt, UInt)] = []
            try walk(path, shown: prefix + name, label: label, into: &found, skipped: &skipped, visited: &visited)
            if found.isEmpty, knownClasses == nil {
                throw TabularError("the class folder '\(prefix)\(name)' has no images (PNG or JPEG files)",
                                   hint: "add its images, or remove the folder")
            }
            files += found
        }
        return (names, files, skipped)
    }

    /// Every image below a class folder, subfolders included (as Keras does), sorted by path.
    private static func walk(_ path: [UInt8], shown: String, label: Int, into found: inout [ImageFileEntry],
                             skipped: inout [String], visited: inout [(UInt, UInt)]) throws {
        let identity = try folderIdentity(path, shown: shown)
        if visited.contains(where: { $0 == identity }) {
            throw TabularError("'\(shown)' is a symbolic link loop: it leads back to a folder above it",
                               hint: "remove the link, or point it elsewhere")
        }
        visited.append(identity)
        defer { visited.removeLast() }
        for entry in try entries(of: path, shown: shown) {
            let child = shown + "/" + Self.shown(entry.name)
            if entry.isFolder, entry.name.first == 46 {
                skipped.append(child + "/")
            } else if entry.isFolder {
                try walk(join(path, entry.name), shown: child, label: label, into: &found, skipped: &skipped, visited: &visited)
            } else if isImageName(entry.name) {
                found.append(ImageFileEntry(path: join(path, entry.name), name: child, label: label))
            } else {
                skipped.append(child)
            }
        }
    }

    private struct Entry {
        let name: [UInt8]
        let isFolder: Bool
    }

    /// The entries of a folder but `.` and `..`, sorted by their bytes; symbolic links are
    /// followed. A link that loops (ELOOP) or leads nowhere is an error naming it.
    private static func entries(of path: [UInt8], shown: String) throws -> [Entry] {
        guard let directory = withCString(path, { opendir($0) }) else {
            let reason = String(cString: strerror(errno))
            throw TabularError("cannot read the folder '\(shown)': \(reason)",
                               hint: errno == ENOENT ? "check the path (a relative path starts from the working directory)" : nil)
        }
        defer { closedir(directory) }
        var result: [Entry] = []
        while let item = readdir(directory) {
            let name: [UInt8] = withUnsafeBytes(of: item.pointee.d_name) { raw in
                Array(raw.prefix(while: { $0 != 0 }))
            }
            if name == [46] || name == [46, 46] { continue }
            var isFolder = false
            switch Int32(item.pointee.d_type) {
            case Int32(DT_DIR): isFolder = true
            case Int32(DT_REG): isFolder = false
            default:
                var status = stat()
                let full = join(path, name)
                if withCString(full, { stat($0, &status) }) != 0 {
                    let looped = errno == ELOOP
                    let what = "'\(shown)/\(Self.shown(name))'"
                    throw TabularError(looped ? "\(what) is a symbolic link loop" : "\(what) is a symbolic link to nothing (\(String(cString: strerror(errno))))",
                                       hint: "remove the link, or point it at an image")
                }
                isFolder = (status.st_mode & S_IFMT) == S_IFDIR
            }
            result.append(Entry(name: name, isFolder: isFolder))
        }
        return result.sorted { $0.name.lexicographicallyPrecedes($1.name) }
    }

    private static func folderIdentity(_ path: [UInt8], shown: String) throws -> (UInt, UInt) {
        var status = stat()
        guard withCString(path, { stat($0, &status) }) == 0 else {
            throw TabularError(errno == ELOOP ? "'\(shown)' is a symbolic link loop" : "cannot read '\(shown)': \(String(cString: strerror(errno)))",
                               hint: "remove the link, or point it elsewhere")
        }
        return (UInt(status.st_dev), UInt(status.st_ino))
    }

    public static func isImageName(_ name: [UInt8]) -> Bool {
        guard let dot = name.lastIndex(of: 46), dot > name.startIndex else { return false }
        let ext = String(decoding: name[(dot + 1)...], as: UTF8.self).lowercased()
        return imageExtensions.contains(ext)
    }

    /// A name for messages: UTF-8 as it is, other bytes as \xNN.
    static func shown(_ name: [UInt8]) -> String {
        if let text = String(validating: name, as: UTF8.self) { return text }
        var result = ""
        var i = 0
        while i < name.count {
            // The longest valid UTF-8 run from i, else one escaped byte.
            var end = min(name.count, i + 4)
            var decoded: String?
            while end > i {
                if let text = String(validating: name[i..<end], as: UTF8.self), text.unicodeScalars.count == 1 { decoded = text; break }
                end -= 1
            }
            if let decoded { result += decoded; i = end } else {
                let hex = String(name[i], radix: 16, uppercase: true)
                result += "\\x" + (hex.count == 1 ? "0" + hex : hex)
                i += 1
            }
        }
        return result
    }

    static func join(_ folder: [UInt8], _ name: [UInt8]) -> [UInt8] {
        folder.last == 47 ? folder + name : folder + [47] + name
    }
}

/// Calls `body` with `path` as a NUL-terminated C string.
func withCString<R>(_ path: [UInt8], _ body: (UnsafePointer<CChar>) -> R) -> R {
    (path + [0]).withUnsafeBufferPointer { buffer in
        buffer.withMemoryRebound(to: CChar.self) { body($0.baseAddress!) }
    }
}
