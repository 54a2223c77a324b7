import Foundation
import XCTest
@testable import Tabular

/// MNIST from tiny IDX files written into a temporary folder, plain and gzipped.
final class MNISTTests: XCTestCase {
    private var folder = ""

    override func setUpWithError() throws {
        folder = try makeTemporaryFolder("mnist-test-\(getpid())")
    }

    // MARK: - Building IDX files

    private func be32(_ value: Int) -> [UInt8] {
        [UInt8(value >> 24 & 0xff), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)]
    }

    /// Image i's pixel p is (i * 7 + p * 3) % 256, so every image differs.
    private func pixel(_ image: Int, _ p: Int) -> UInt8 { UInt8((image * 7 + p * 3) % 256) }

    private func imagesFile(count: Int, rows: Int, cols: Int, first: Int = 0) -> [UInt8] {
        var bytes = be32(0x803) + be32(count) + be32(rows) + be32(cols)
        for i in 0..<count { for p in 0..<(rows * cols) { bytes.append(pixel(first + i, p)) } }
        return bytes
    }

    private func labelsFile(_ labels: [UInt8]) -> [UInt8] { be32(0x801) + be32(labels.count) + labels }

    @discardableResult
    private func write(_ name: String, _ bytes: [UInt8], gzip: Bool = false) throws -> String {
        let path = folder + "/" + name
        let plain = gzip ? String(path.dropLast(3)) : path
        XCTAssertTrue(FileManager.default.createFile(atPath: plain, contents: Data(bytes)))
        if gzip {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/gzip")
            process.arguments = ["-n", "-f", plain]
            try process.run()
            process.waitUntilExit()
            XCTAssertEqual(process.terminationStatus, 0)
        }
        return path
    }

    private let trainLabels: [UInt8] = (0..<20).map { UInt8($0 % 10) }
    private let testLabels: [UInt8] = (0..<7).map { UInt8(($0 + 3) % 10) }

    /// The four files of a 20 + 7 image set; `gzip` compresses them all.
    private func writeSet(rows: Int = 28, cols: Int = 28, gzip: Bool = false) throws {
        let ext = gzip ? ".gz" : ""
        try write("train-images-idx3-ubyte" + ext, imagesFile(count: 20, rows: rows, cols: cols), gzip: gzip)
        try write("train-labels-idx1-ubyte" + ext, labelsFile(trainLabels), gzip: gzip)
        try write("t10k-images-idx3-ubyte" + ext, imagesFile(count: 7, rows: rows, cols: cols, first: 20), gzip: gzip)
        try write("t10k-labels-idx1-ubyte" + ext, labelsFile(testLabels), gzip: gzip)
    }

    private func assertError(_ expression: @autoclosure () throws -> Any, message: String,
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try expression(), file: file, line: line) { error in
            guard let error = error as? TabularError else { return XCTFail("not a TabularError: \(error)", file: file, line: line) }
            XCTAssertEqual(error.message, message, file: file, line: line)
            XCTAssertNotNil(error.hint, file: file, line: line)
        }
    }

    private func checkSet(_ loaded: (data: Dataset, trainCount: Int), rows: Int, cols: Int) {
        let data = loaded.data
        XCTAssertEqual(loaded.trainCount, 20)
        XCTAssertEqual(data.rowCount, 27)
        XCTAssertEqual(data.featureCount, rows * cols)
        XCTAssertEqual(data.featureNames.first, "px0")
        XCTAssertEqual(data.featureNames.last, "px\(rows * cols - 1)")
        XCTAssertEqual(data.imageShape, [rows, cols, 1])
        XCTAssertEqual(data.source, "mnist")
        XCTAssertEqual(data.targetName, "label")
        XCTAssertEqual(data.target, .classes(labels: (trainLabels + testLabels).map(Int.init),
                                             names: (0...9).map(String.init)))
        // Training rows first, then t10k; pixels unscaled.
        for image in [0, 19, 20, 26] {
            for p in [0, 1, rows * cols - 1] {
                XCTAssertEqual(data.featureMatrix.rowMajor()[image * rows * cols + p], Float(pixel(image, p)))
            }
        }
        let expected = (0..<27).flatMap { i in (0..<(rows * cols)).map { Float(pixel(i, $0)) } }
        XCTAssertEqual(data.featureMatrix.rowMajor(), expected)
    }

    // MARK: - Round trips

    func testLoadsPlainFiles() throws {
        try writeSet()
        checkSet(try MNIST.load(folder: folder), rows: 28, cols: 28)
    }

    func testLoadsGzippedNonSquareImages() throws {
        try writeSet(rows: 4, cols: 5, gzip: true)
        checkSet(try MNIST.load(folder: folder + "/"), rows: 4, cols: 5)
    }

    func testAcceptsDotSpellingAndMixedCompression() throws {
        try write("train-images.idx3-ubyte.gz", imagesFile(count: 20, rows: 28, cols: 28), gzip: true)
        try write("train-labels.idx1-ubyte", labelsFile(trainLabels))
        try write("t10k-images-idx3-ubyte", imagesFile(count: 7, rows: 28, cols: 28, first: 20))
        try write("t10k-labels-idx1-ubyte.gz", labelsFile(testLabels), gzip: true)
        checkSet(try MNIST.load(folder: folder), rows: 28, cols: 28)
    }

    func testGzipRecognisedByContentNotName() throws {
        // A browser may decompress a download and keep the .gz name.
        let path = try write("t10k-labels-idx1-ubyte.gz", labelsFile([1, 2, 3]))
        let idx = try MNIST.readIDX(path: path)
        XCTAssertEqual(idx.dims, [3])
        XCTAssertEqual(idx.bytes, [1, 2, 3])
    }

    func testReadIDXGivesDimsAndBody() throws {
        let path = try write("x-idx3-ubyte.gz", imagesFile(count: 2, rows: 4, cols: 5), gzip: true)
        let idx = try MNIST.readIDX(path: path)
        XCTAssertEqual(idx.dims, [2, 4, 5])
        XCTAssertEqual(idx.bytes, (0..<2).flatMap { i in (0..<20).map { pixel(i, $0) } })
    }

    func testClassesAreTheDistinctLabelsSorted() throws {
        try write("train-images-idx3-ubyte", imagesFile(count: 3, rows: 2, cols: 2))
        try write("train-labels-idx1-ubyte", labelsFile([12, 3, 200]))
        try write("t10k-images-idx3-ubyte", imagesFile(count: 2, rows: 2, cols: 2))
        try write("t10k-labels-idx1-ubyte", labelsFile([3, 7]))
        let loaded = try MNIST.load(folder: folder)
        XCTAssertEqual(loaded.trainCount, 3)
        XCTAssertEqual(loaded.data.target, .classes(labels: [2, 0, 3, 0, 1], names: ["3", "7", "12", "200"]))
    }

    // MARK: - Errors

    func testMissingFolder() {
        assertError(try MNIST.load(folder: folder + "/nope"),
                    message: "cannot open the MNIST folder '\(folder)/nope': no such folder")
    }

    func testFolderIsAFile() throws {
        let path = try write("notes.txt", Array("hi".utf8))
        assertError(try MNIST.load(folder: path),
                    message: "cannot open the MNIST folder '\(path)': it is a file, not a folder")
    }

    func testMissingFileNamesItAndListsTheFolder() throws {
        try writeSet()
        try FileManager.default.removeItem(atPath: folder + "/t10k-labels-idx1-ubyte")
        try write("readme.txt", [])
        assertError(try MNIST.load(folder: folder),
                    message: "the MNIST folder '\(folder)' has no t10k-labels-idx1-ubyte (plain or .gz); it holds readme.txt, t10k-images-idx3-ubyte, train-images-idx3-ubyte, train-labels-idx1-ubyte")
    }

    func testEmptyFolderNamesAllFour() {
        assertError(try MNIST.load(folder: folder),
                    message: "the MNIST folder '\(folder)' has no train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte (plain or .gz); it is empty")
    }

    func testWrongMagicNumber() throws {
        let path = try write("x", be32(0x1234_5678) + be32(1) + [0])
        assertError(try MNIST.readIDX(path: path),
                    message: "'x' is not an IDX file: its magic number is 0x12345678, expected 0x00000803 for images or 0x00000801 for labels")
    }

    func testTooShortForAMagicNumber() throws {
        let path = try write("x", [0, 0])
        assertError(try MNIST.readIDX(path: path),
                    message: "'x' is not an IDX file: it holds only 2 bytes, expected a 4-byte magic number and sizes")
    }

    func testTruncatedHeader() throws {
        let path = try write("x", be32(0x803) + be32(5))
        assertError(try MNIST.readIDX(path: path),
                    message: "'x' is cut short: its header needs 16 bytes but the file holds only 8")
    }

    /// A header claiming 2^31 images is refused for the memory they would need, before the
    /// body is read or (gzipped) inflated, whatever the file holds.
    func testHeaderClaimingAbsurdSizesIsRefusedBeforeAllocating() throws {
        let header = be32(0x803) + be32(1 << 31) + be32(28) + be32(28)
        let plain = try write("x", header + [UInt8](repeating: 0, count: 100))
        let zipped = try write("z.gz", header + [UInt8](repeating: 7, count: 100_000), gzip: true)
        for (path, name) in [(plain, "x"), (zipped, "z.gz")] {
            XCTAssertThrowsError(try MNIST.readIDX(path: path)) { error in
                let message = (error as? TabularError)?.message ?? "\(error)"
                XCTAssertTrue(message.hasPrefix("'\(name)' says it holds 2147483648 images of 28x28: loading them would need about 10.1 TB but "),
                              message)
            }
        }
        setenv("DL_MEMORY_LIMIT", "1M", 1)
        defer { unsetenv("DL_MEMORY_LIMIT") }
        let labels = try write("y", labelsFile([UInt8](repeating: 1, count: 200_000)))
        assertError(try MNIST.readIDX(path: labels),
                    message: "'y' says it holds 200000 labels: loading them would need about 1.2 MB but DL_MEMORY_LIMIT allows 1 MB")
    }

    func testTruncatedBody() throws {
        let images = try write("x", be32(0x803) + be32(60000) + be32(28) + be32(28) + [UInt8](repeating: 0, count: 1000))
        assertError(try MNIST.readIDX(path: images),
                    message: "'x' says 60000 images of 28x28 (47040000 bytes) but holds only 1000 bytes after its header")
        let labels = try write("y.gz", labelsFile([1, 2, 3]).dropLast(), gzip: true)
        assertError(try MNIST.readIDX(path: labels),
                    message: "'y.gz' says 3 labels (3 bytes) but holds only 2 bytes after its header")
    }

    func testCorruptGzip() throws {
        let path = try write("x.gz", [0x1f, 0x8b] + Array("certainly not deflate data".utf8))
        XCTAssertThrowsError(try MNIST.readIDX(path: path)) { error in
            let error = error as? TabularError
            XCTAssertTrue(error?.message.hasPrefix("'x.gz' is not valid gzip data: ") ?? false, "\(String(describing: error))")
            XCTAssertNotNil(error?.hint)
        }
    }

    func testTruncatedGzip() throws {
        try write("y.gz", imagesFile(count: 50, rows: 28, cols: 28), gzip: true)
        let whole = try Array(Data(contentsOf: URL(fileURLWithPath: folder + "/y.gz")))
        let path = try write("x.gz", Array(whole.prefix(whole.count / 2)))
        assertError(try MNIST.readIDX(path: path),
                    message: "'x.gz' ends in the middle of its gzip data after \(whole.count / 2) bytes")
    }

    func testImageAndLabelCountsDiffer() throws {
        try writeSet()
        try write("train-labels-idx1-ubyte", labelsFile(Array(trainLabels.dropLast())))
        assertError(try MNIST.load(folder: folder),
                    message: "train-images has 20 images but train-labels has 19 labels")
    }

    func testSwappedFiles() throws {
        try writeSet()
        try write("t10k-images-idx3-ubyte", labelsFile(testLabels))
        assertError(try MNIST.load(folder: folder),
                    message: "'t10k-images-idx3-ubyte' holds labels, not images (its magic number is 0x00000801)")
    }

    func testTrainAndTestSizesDiffer() throws {
        try writeSet()
        try write("t10k-images-idx3-ubyte", imagesFile(count: 7, rows: 4, cols: 5))
        assertError(try MNIST.load(folder: folder),
                    message: "the training images are 28x28 but the t10k images are 4x5")
    }

    func testReadIDXMissingPathAndFolder() {
        assertError(try MNIST.readIDX(path: folder + "/none"), message: "cannot open '\(folder)/none': no such file")
        assertError(try MNIST.readIDX(path: folder),
                    message: "cannot read '\(folder)': it is a folder, not an IDX file")
    }
}
