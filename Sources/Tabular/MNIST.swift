#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The MNIST handwritten digits (and sets in the same format, such as Fashion-MNIST),
/// read from the four IDX files that yann.lecun.com and its mirrors distribute.
public enum MNIST {
    /// The four files a folder must hold, in the order they are read.
    static let fileNames = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                            "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]
    static let imagesMagic: UInt32 = 0x0000_0803
    static let labelsMagic: UInt32 = 0x0000_0801

    /// Reads the four MNIST IDX files from a folder: train-images-idx3-ubyte,
    /// train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, each plain
    /// or gzipped with `.gz` (the `train-images.idx3-ubyte` dot spelling is accepted too).
    /// Pixels 0…255 become Float 0…255, unscaled (`scale minmax` does that); imageShape is
    /// [rows, cols, 1] from the headers (28x28 for MNIST); features are px0, px1, … row by
    /// row; the target "label" has the distinct label values, sorted, as classes, named as
    /// integers ("0"…"9" for MNIST); source is "mnist".
    ///
    /// Returns the combined data set, training rows first and then the t10k rows, and how
    /// many rows are training rows, so the caller can use the t10k files as the test split.
    /// Throws `TabularError` for a missing folder or file, a file that is not IDX, a
    /// truncated or corrupt file, and images and labels that do not match.
    public static func load(folder: String) throws -> (data: Dataset, trainCount: Int) {
        let entries = try listFolder(folder)
        var paths: [String] = []
        var missing: [String] = []
        for name in fileNames {
            if let found = candidates(name).first(where: entries.contains) {
                paths.append(folder.hasSuffix("/") ? folder + found : folder + "/" + found)
            } else {
                missing.append(name)
            }
        }
        guard missing.isEmpty else { throw missingFiles(missing, folder: folder, entries: entries) }

        let train = try readPair(images: paths[0], labels: paths[1])
        let test = try readPair(images: paths[2], labels: paths[3])
        guard train.rows == test.rows, train.cols == test.cols else {
            throw TabularError("the training images are \(train.rows)x\(train.cols) but the t10k images are \(test.rows)x\(test.cols)",
                               hint: "both image files must come from the same data set")
        }

        let rawLabels = train.labels + test.labels
        let distinct = Array(Set(rawLabels)).sorted()
        var index = [Int](repeating: 0, count: 256)
        for (k, value) in distinct.enumerated() { index[Int(value)] = k }
        var features: [Float] = []
        features.reserveCapacity(train.pixels.count + test.pixels.count)
        features.append(contentsOf: train.pixels.lazy.map { Float($0) })
        features.append(contentsOf: test.pixels.lazy.map { Float($0) })
        let data = Dataset(features: features, rowCount: rawLabels.count,
                           featureNames: (0..<(train.rows * train.cols)).map { "px\($0)" },
                           targetName: "label",
                           target: .classes(labels: rawLabels.map { index[Int($0)] },
                                            names: distinct.map { String($0) }),
                           imageShape: [train.rows, train.cols, 1], source: "mnist")
        return (data, train.labels.count)
    }

    /// Reads one IDX file of unsigned bytes, gzipped or not (recognised by content):
    /// magic number 0x00000803 for images (3 dimensions: count, rows, cols) or 0x00000801
    /// for labels (1 dimension: count), then the big-endian 32-bit sizes, then the bytes.
    /// Returns the sizes and exactly their product of bytes; anything after them is ignored.
    public static func readIDX(path: String) throws -> (dims: [Int], bytes: [UInt8]) {
        let name = CSV.fileName(path)
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw TabularError("cannot open '\(path)': no such file", hint: "check the path")
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            throw TabularError("cannot read '\(path)': it is a folder, not an IDX file",
                               hint: "give the path of an IDX file, or load the whole folder with MNIST")
        }
        return try readIDX(bytes: CSV.readBytes(path: path), name: name)
    }

    /// An IDX file's contents (see `readIDX(path:)`); `name` names it in messages.
    package static func readIDX(bytes file: [UInt8], name: String) throws -> (dims: [Int], bytes: [UInt8]) {
        var bytes = file
        if Gzip.isGzip(file) {
            // The header first: sizes that could not fit are refused before the rest is inflated.
            try rejectUnaffordable(header: try Gzip.decompress(file, source: name, limit: 16), name: name)
            bytes = try Gzip.decompress(file, source: name)
        }
        try rejectUnaffordable(header: bytes, name: name)
        guard bytes.count >= 4 else {
            throw TabularError("'\(name)' is not an IDX file: it holds only \(bytes.count) bytes, expected a 4-byte magic number and sizes",
                               hint: "the file may be empty or truncated: download it again")
        }
        let magic = bigEndian(bytes, at: 0)
        guard magic == imagesMagic || magic == labelsMagic else {
            throw TabularError("'\(name)' is not an IDX file: its magic number is \(hex(magic)), expected \(hex(imagesMagic)) for images or \(hex(labelsMagic)) for labels",
                               hint: "MNIST needs the raw IDX files (e.g. train-images-idx3-ubyte.gz), not images or CSV")
        }
        let dimCount = Int(magic & 0xff)
        let headerSize = 4 + 4 * dimCount
        guard bytes.count >= headerSize else {
            throw TabularError("'\(name)' is cut short: its header needs \(headerSize) bytes but the file holds only \(bytes.count)",
                               hint: "the download may be incomplete: download the file again")
        }
        let dims = (0..<dimCount).map { Int(bigEndian(bytes, at: 4 + 4 * $0)) }
        // At most 2^32 * 2^32 per pair of dimensions, so this cannot overflow Int for 3 dims
        // unless the header is nonsense; multipliedReportingOverflow catches that too.
        var needed = 1
        for d in dims {
            let (product, overflow) = needed.multipliedReportingOverflow(by: d)
            needed = overflow ? Int.max : product
        }
        let held = bytes.count - headerSize
        guard held >= needed else {
            let what = dimCount == 3
                ? "\(dims[0]) images of \(dims[1])x\(dims[2])"
                : "\(dims[0]) labels"
            throw TabularError("'\(name)' says \(what) (\(needed) bytes) but holds only \(held) bytes after its header",
                               hint: "the file is truncated: download it again")
        }
        return (dims, Array(bytes[headerSize..<(headerSize + needed)]))
    }

    /// The sizes an IDX header claims, and the bytes they make (saturating), or nil while the
    /// bytes are too few to hold a header.
    static func claimedSizes(_ bytes: [UInt8]) -> (dims: [Int], count: Int)? {
        guard bytes.count >= 4 else { return nil }
        let magic = bigEndian(bytes, at: 0)
        guard magic == imagesMagic || magic == labelsMagic else { return nil }
        let dimCount = Int(magic & 0xff)
        guard bytes.count >= 4 + 4 * dimCount else { return nil }
        let dims = (0..<dimCount).map { Int(bigEndian(bytes, at: 4 + 4 * $0)) }
        var count = 1
        for d in dims {
            let (product, overflow) = count.multipliedReportingOverflow(by: d)
            count = overflow ? Int.max : product
        }
        return (dims, count)
    }

    /// Refuses a header whose sizes could not be loaded in the memory available: each pixel
    /// (or label) is held as its byte, a copy of it, and a 4-byte float in the data set.
    static func rejectUnaffordable(header bytes: [UInt8], name: String) throws {
        guard let (dims, count) = claimedSizes(bytes) else { return }
        let (needed, overflow) = count.multipliedReportingOverflow(by: 6)
        let what = dims.count == 3 ? "\(dims[0]) images of \(dims[1])x\(dims[2])" : "\(dims[0]) labels"
        if let error = TabularError.unaffordable("'\(name)' says it holds \(what): loading them", needs: overflow ? .max : needed,
                                                 hint: "the header is likely damaged: download the file again") {
            throw error
        }
    }

    /// The names a file may have: plain or gzipped, with a dash or a dot before "idx".
    static func candidates(_ name: String) -> [String] {
        let dotted = name.replacingLastDash(before: "idx")
        return [name, name + ".gz", dotted, dotted + ".gz"]
    }

    /// One images file and its labels file, checked against each other.
    private static func readPair(images: String, labels: String) throws
        -> (pixels: [UInt8], labels: [UInt8], rows: Int, cols: Int) {
        let imageFile = try readIDX(path: images)
        let labelFile = try readIDX(path: labels)
        let imagesName = CSV.fileName(images), labelsName = CSV.fileName(labels)
        guard imageFile.dims.count == 3 else {
            throw TabularError("'\(imagesName)' holds labels, not images (its magic number is \(hex(labelsMagic)))",
                               hint: "check that the files were not renamed or swapped")
        }
        guard labelFile.dims.count == 1 else {
            throw TabularError("'\(labelsName)' holds images, not labels (its magic number is \(hex(imagesMagic)))",
                               hint: "check that the files were not renamed or swapped")
        }
        let count = imageFile.dims[0]
        guard count > 0, imageFile.dims[1] > 0, imageFile.dims[2] > 0 else {
            throw TabularError("'\(imagesName)' holds no images: its header says \(count) images of \(imageFile.dims[1])x\(imageFile.dims[2])",
                               hint: "download the file again")
        }
        guard labelFile.dims[0] == count else {
            throw TabularError("\(stem(imagesName)) has \(count) images but \(stem(labelsName)) has \(labelFile.dims[0]) labels",
                               hint: "the images and labels files must come from the same download")
        }
        return (imageFile.bytes, labelFile.bytes, imageFile.dims[1], imageFile.dims[2])
    }

    /// "train-images" for "train-images-idx3-ubyte.gz": short names for messages.
    private static func stem(_ name: String) -> String {
        let base = name.replacingLastDash(before: "idx")
        return base.split(separator: ".").first.map(String.init) ?? name
    }

    /// The folder's entries, without hidden files, sorted.
    private static func listFolder(_ folder: String) throws -> [String] {
        var info = stat()
        guard stat(folder, &info) == 0 else {
            throw TabularError("cannot open the MNIST folder '\(folder)': no such folder",
                               hint: "give the folder that holds " + fileNames.joined(separator: ", ") + " (each may end in .gz)")
        }
        guard (info.st_mode & S_IFMT) == S_IFDIR, let dir = opendir(folder) else {
            throw TabularError("cannot open the MNIST folder '\(folder)': it is a file, not a folder",
                               hint: "give the folder that holds the four MNIST files, not one of them")
        }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if !name.hasPrefix(".") { names.append(name) }
        }
        return names.sorted()
    }

    private static func missingFiles(_ missing: [String], folder: String, entries: [String]) -> TabularError {
        let listed = entries.isEmpty ? "it is empty"
            : "it holds " + entries.prefix(12).joined(separator: ", ")
                + (entries.count > 12 ? " and \(entries.count - 12) more" : "")
        let which = missing.count == 1 ? missing[0] : missing.dropLast().joined(separator: ", ") + " and " + missing.last!
        return TabularError("the MNIST folder '\(folder)' has no \(which) (plain or .gz); \(listed)",
                            hint: "download the missing file\(missing.count == 1 ? "" : "s") into '\(folder)', keeping the original names")
    }

    private static func bigEndian(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3])
    }

    private static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }
}

private extension String {
    /// "train-images.idx3-ubyte" for "train-images-idx3-ubyte" (the last dash before
    /// `marker`). Written on characters so the module needs no Foundation here.
    func replacingLastDash(before marker: String) -> String {
        let characters = Array(self), pattern = Array("-" + marker)
        guard characters.count >= pattern.count else { return self }
        for start in stride(from: characters.count - pattern.count, through: 0, by: -1)
            where Array(characters[start..<(start + pattern.count)]) == pattern {
            var result = characters
            result[start] = "."
            return String(result)
        }
        return self
    }
}
