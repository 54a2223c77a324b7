import DLCore
import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A folder of images loaded as 8-bit pixels: the data set (one row per image,
/// height x width x channels bytes, NHWC) and what `load images` reports about it.
public struct LoadedImages: Sendable {
    public var dataset: Dataset
    /// Rows 0..<trainCount are the training images and the rest the test images, when the
    /// folder brought its own split (`train/` and `test/`, or `test=`).
    public var trainCount: Int?
    public var height: Int
    public var width: Int
    public var color: ImageColor
    /// Whether `color` was chosen from the files (every image grey: gray) rather than asked for.
    public var colorChosen: Bool
    /// Notes for the user: mixed sizes, skipped files.
    public var notes: [String]
}

/// What `load images` asks for.
public struct ImageLoadRequest: Sendable {
    public var folder: String
    public var testFolder: String?
    /// Height and width; nil: the most common size among the files.
    public var size: (height: Int, width: Int)?
    /// nil: gray when every image is grey, else rgb.
    public var color: ImageColor?
    /// Skip files that cannot be decoded (with a note) instead of refusing the load.
    public var skipBad: Bool

    public init(folder: String, testFolder: String? = nil, size: (height: Int, width: Int)? = nil,
                color: ImageColor? = nil, skipBad: Bool = false) {
        self.folder = folder; self.testFolder = testFolder; self.size = size; self.color = color; self.skipBad = skipBad
    }
}

public enum ImageLoader {
    /// The largest height or width `size=` takes.
    public static let maximumSide = 1024

    /// Lists the folder, reads every header (refusing bombs and what memory cannot hold
    /// before decoding anything), then decodes, converts and resizes every image on all
    /// cores straight into one buffer of pixels. Throws `TabularError` naming the first
    /// file that cannot be read unless `skipBad`; nothing is kept from a refused load.
    public static func load(_ request: ImageLoadRequest, budget: MemoryBudget? = .current(),
                            cancel: Cancellation = .never) throws -> LoadedImages {
        var listing = try ImageFolderListing.list(request.folder)
        var testPrefix = "" // train/ and test/ names carry their folder already
        if let testFolder = request.testFolder {
            if listing.test != nil {
                throw TabularError("'\(request.folder)' has its own train/ and test/ folders, and test= gives another test folder",
                                   hint: "leave out test=, or load the train/ folder with test=")
            }
            let test = try ImageFolderListing.listTest(testFolder, classes: listing.classes)
            listing.test = test.files
            listing.skipped += test.skipped
            testPrefix = testFolder.hasSuffix("/") ? testFolder : testFolder + "/"
        }
        let files = listing.train + (listing.test ?? [])
        let names = listing.train.map(\.name) + (listing.test ?? []).map { testPrefix + $0.name }
        var notes: [String] = []

        // Headers first: sizes, channels, bombs.
        let headers = try readHeaders(files, cancel: cancel)
        var problems: [Int: String] = [:]
        for (i, header) in headers.enumerated() {
            switch header {
            case .failure(let problem): problems[i] = problem.message
            case .success(let found): if let refused = ImageFile.refusal(of: found, budget: budget) { problems[i] = refused.message }
            }
        }
        // Sizes and colours are decided by the files that will load.
        let good = headers.indices.filter { problems[$0] == nil }.compactMap { try? headers[$0].get() }
        if !request.skipBad, let first = problems.keys.min() {
            throw badFile(names[first], problems[first]!, others: problems.count - 1)
        }
        guard !good.isEmpty else {
            throw TabularError("no image in '\(request.folder)' could be read", hint: "check that the files are PNG or JPEG images")
        }
        let (height, width) = request.size ?? mostCommonSize(good, notes: &notes)
        let color = request.color ?? (good.allSatisfy { $0.channels <= 2 } ? .gray : .rgb)
        let channels = color.channels
        let rowBytes = height * width * channels
        let total = files.count * rowBytes
        if let refused = TabularError.unaffordable("\(files.count) images of \(height)x\(width)x\(channels)", needs: total,
                                                   hint: "load fewer or smaller images (`size=`)", problem: .imagesTooLarge, budget: budget) {
            throw refused
        }

        // Decode on all cores, each image into its own row.
        var pixels = [UInt8](repeating: 0, count: total)
        var decodeProblems = [String?](repeating: nil, count: files.count)
        try decodeAll(files, headers: headers, skip: Set(problems.keys), channels: channels, height: height, width: width,
                      into: &pixels, problems: &decodeProblems, cancel: cancel)
        for (i, problem) in decodeProblems.enumerated() where problem != nil { problems[i] = problem }
        if !request.skipBad, let first = problems.keys.min() {
            throw badFile(names[first], problems[first]!, others: problems.count - 1)
        }

        // Skipped files leave the rows of the others, moved up in place.
        var kept = Array(files.indices)
        if !problems.isEmpty {
            kept = files.indices.filter { problems[$0] == nil }
            pixels.withUnsafeMutableBufferPointer { buffer in
                for (row, index) in kept.enumerated() where row != index {
                    (buffer.baseAddress! + row * rowBytes).update(from: buffer.baseAddress! + index * rowBytes, count: rowBytes)
                }
            }
            pixels.removeLast((files.count - kept.count) * rowBytes)
            let listed = problems.keys.sorted().prefix(5).map { "\(names[$0]) (\(problems[$0]!))" }.joined(separator: "; ")
            notes.append("skipped \(problems.count) file\(problems.count == 1 ? "" : "s") that could not be read: \(listed)\(problems.count > 5 ? "; …" : "")")
        }
        if !listing.skipped.isEmpty {
            let shown = listing.skipped.prefix(3).joined(separator: ", ") + (listing.skipped.count > 3 ? ", …" : "")
            notes.append("skipped \(listing.skipped.count) file\(listing.skipped.count == 1 ? "" : "s") that \(listing.skipped.count == 1 ? "is" : "are") not PNG or JPEG images by \(listing.skipped.count == 1 ? "its" : "their") extension (\(shown))")
        }
        let labels = kept.map { files[$0].label }
        let trainCount = listing.test == nil ? nil : kept.filter { $0 < listing.train.count }.count
        if let trainCount, trainCount == 0 || trainCount == kept.count {
            throw TabularError(trainCount == 0 ? "there are no training images left" : "the test folder has no images",
                               hint: "give both the training and the test folder images of each class")
        }
        let featureNames = (0..<rowBytes).map { "px\($0)" }
        let dataset = Dataset(featureMatrix: FeatureMatrix(bytes: pixels, rowCount: kept.count, featureCount: rowBytes),
                              featureNames: featureNames, targetName: "class",
                              target: .classes(labels: labels, names: listing.classes),
                              imageShape: [height, width, channels], source: request.folder)
        return LoadedImages(dataset: dataset, trainCount: trainCount, height: height, width: width, color: color,
                            colorChosen: request.color == nil, notes: notes)
    }

    /// The pixels of `files`, each resized to `height` x `width` x `channels`, row by row;
    /// throws naming the first file that cannot be read (`predict "folder/"`).
    public static func decode(_ files: [ImageFileEntry], height: Int, width: Int, channels: Int,
                              budget: MemoryBudget? = .current(), cancel: Cancellation = .never) throws -> [UInt8] {
        let headers = try readHeaders(files, cancel: cancel)
        var problems: [Int: String] = [:]
        for (i, header) in headers.enumerated() {
            switch header {
            case .failure(let problem): problems[i] = problem.message
            case .success(let found): if let refused = ImageFile.refusal(of: found, budget: budget) { problems[i] = refused.message }
            }
        }
        if let first = problems.keys.min() {
            throw badFile(files[first].name, problems[first]!, others: problems.count - 1, skippable: false)
        }
        let total = files.count * height * width * channels
        if let refused = TabularError.unaffordable("\(files.count) images of \(height)x\(width)x\(channels)", needs: total,
                                                   hint: "predict fewer images at a time", budget: budget) {
            throw refused
        }
        var pixels = [UInt8](repeating: 0, count: total)
        var decodeProblems = [String?](repeating: nil, count: files.count)
        try decodeAll(files, headers: headers, skip: [], channels: channels, height: height, width: width,
                      into: &pixels, problems: &decodeProblems, cancel: cancel)
        if let first = decodeProblems.firstIndex(where: { $0 != nil }) {
            throw badFile(files[first].name, decodeProblems[first]!, others: decodeProblems.filter { $0 != nil }.count - 1, skippable: false)
        }
        return pixels
    }

    private static func badFile(_ name: String, _ problem: String, others: Int, skippable: Bool = true) -> TabularError {
        TabularError("'\(name)' cannot be loaded: \(problem)" + (others > 0 ? " (and \(others) other file\(others == 1 ? "" : "s"))" : "")
                     + "; nothing was loaded",
                     hint: skippable ? "remove or replace the file, or add `skip=bad` to load the others" : "remove or replace the file")
    }

    /// The most common height x width (the first found among equals), with a note when sizes differ.
    private static func mostCommonSize(_ headers: [ImageHeader], notes: inout [String]) -> (Int, Int) {
        var counts: [Int: Int] = [:], order: [Int] = []
        for header in headers {
            let key = header.height << 32 | header.width
            if counts[key] == nil { order.append(key) }
            counts[key, default: 0] += 1
        }
        let best = order.max { counts[$0]! < counts[$1]! || (counts[$0]! == counts[$1]! && order.firstIndex(of: $0)! > order.firstIndex(of: $1)!) }!
        let height = best >> 32, width = best & 0xFFFF_FFFF
        if order.count > 1 {
            let sizes = order.sorted { counts[$0]! > counts[$1]! }.prefix(3).map { "\($0 >> 32)x\($0 & 0xFFFF_FFFF): \(counts[$0]!)" }
            notes.append("the images come in \(order.count) sizes (\(sizes.joined(separator: ", "))\(order.count > 3 ? ", …" : "")); all are resized to the most common, \(height)x\(width) (`size=` chooses another)")
        }
        return (height, width)
    }

    /// Every file's header, read from its first 64 KiB (the whole file when the header lies
    /// further, as after a large EXIF block), on all cores.
    private static func readHeaders(_ files: [ImageFileEntry], cancel: Cancellation) throws -> [Result<ImageHeader, ImageProblem>] {
        var results = [Result<ImageHeader, ImageProblem>](repeating: .failure(ImageProblem("not read")), count: files.count)
        results.withUnsafeMutableBufferPointer { out in
            let out = UncheckedSendable(out)
            forEachChunk(files.count) { range in
                var buffer: [UInt8] = []
                for i in range {
                    out.value[i] = header(of: files[i].path, buffer: &buffer)
                }
            }
        }
        try cancel.check()
        return results
    }

    private static func header(of path: [UInt8], buffer: inout [UInt8]) -> Result<ImageHeader, ImageProblem> {
        guard let count = ImageFile.readWhole(path, into: &buffer, limit: 1 << 16) else {
            return .failure(ImageProblem("it cannot be read (\(String(cString: strerror(errno))))"))
        }
        let first = buffer.withUnsafeBufferPointer { ImageFile.header(of: UnsafeBufferPointer(rebasing: $0[..<count])) }
        if case .failure(let problem) = first, !problem.notAnImage, count == 1 << 16,
           let whole = ImageFile.readWhole(path, into: &buffer) {
            return buffer.withUnsafeBufferPointer { ImageFile.header(of: UnsafeBufferPointer(rebasing: $0[..<whole])) }
        }
        return first
    }

    private static func decodeAll(_ files: [ImageFileEntry], headers: [Result<ImageHeader, ImageProblem>], skip: Set<Int>,
                                  channels: Int, height: Int, width: Int, into pixels: inout [UInt8],
                                  problems: inout [String?], cancel: Cancellation) throws {
        let rowBytes = height * width * channels
        pixels.withUnsafeMutableBufferPointer { target in
            problems.withUnsafeMutableBufferPointer { problemsOut in
                let target = UncheckedSendable(target), problemsOut = UncheckedSendable(problemsOut)
                forEachChunk(files.count) { range in
                    var scratch = ImageScratch()
                    for i in range where !skip.contains(i) {
                        if cancel.isRequested { return }
                        guard case .success(let header) = headers[i] else { continue }
                        guard let count = ImageFile.readWhole(files[i].path, into: &scratch.file) else {
                            problemsOut.value[i] = "it cannot be read (\(String(cString: strerror(errno))))"
                            continue
                        }
                        let file = scratch.file
                        let problem = file.withUnsafeBufferPointer { bytes in
                            ImageFile.decode(UnsafeBufferPointer(rebasing: bytes[..<count]), header: header, channels: channels,
                                             height: height, width: width, into: target.value.baseAddress! + i * rowBytes,
                                             scratch: &scratch)
                        }
                        if let problem { problemsOut.value[i] = problem.message }
                    }
                }
            }
        }
        try cancel.check()
    }

    /// Runs `body` over chunks of `0..<count` on all cores.
    private static func forEachChunk(_ count: Int, _ body: @Sendable (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let chunks = min(count, 64)
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            body(count * chunk / chunks ..< count * (chunk + 1) / chunks)
        }
    }
}

/// A buffer pointer handed to concurrent chunks that each write only their own indices.
private struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
