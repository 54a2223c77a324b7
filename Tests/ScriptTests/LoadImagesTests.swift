import XCTest
import DLCore
import Engine
import Tabular
@testable import Script

/// `load images`: the folder walk, the classes and their order, the split, sizes and colours,
/// 8-bit storage, and every bad input the issue lists, each refused with an error naming
/// what was expected and received while the session keeps what it had.
final class LoadImagesTests: XCTestCase {
    /// Runs lines in one session; returns what they printed, their outcomes and the session.
    func run(_ lines: [String]) -> (text: String, outcomes: [RunOutcome], session: Session) {
        let output = CapturedOutput(width: 100)
        let interpreter = Interpreter(output: output)
        let outcomes = lines.map { interpreter.runInteractive($0) }
        return (output.text, outcomes, interpreter.session)
    }

    /// A folder of `perClass` solid images per class, in the classes' colours, 8x6 (one 10x5 in `odd`).
    func makeFolder(_ classes: [(String, [UInt8])], perClass: Int = 4, under sub: String = "") throws -> String {
        let folder = try makeTemporaryFolder("images")
        for (name, rgb) in classes {
            for i in 0..<perClass {
                try ImageFixtures.write(ImageFixtures.solid(8, 6, rgb), to: "\(folder)/\(sub)\(name)/\(i).png")
            }
        }
        return folder
    }

    /// The session still holds iris after a refused load: nothing was half loaded.
    func assertRefusedKeepingIris(_ statement: String, _ fragments: [String], file: StaticString = #filePath, line: UInt = #line) {
        let (text, outcomes, session) = run(["load iris", statement, "describe"])
        XCTAssertEqual(outcomes, [.ok, .runtimeError, .ok], text, file: file, line: line)
        for fragment in fragments {
            XCTAssertTrue(text.contains(fragment), "expected «\(fragment)» in:\n\(text)", file: file, line: line)
        }
        XCTAssertEqual(session.dataset?.source, "iris.csv", file: file, line: line)
        XCTAssertNil(session.data?.images, file: file, line: line)
    }

    func testClassesAreSortedAsKerasSortsThemAndPrintedWithCounts() throws {
        let folder = try makeFolder([("b", [0, 0, 200]), ("a", [200, 0, 0]), ("B", [0, 200, 0])], perClass: 2)
        try ImageFixtures.write(ImageFixtures.solid(8, 6, [1, 2, 3]), to: "\(folder)/a/extra.png")
        try ImageFixtures.write(Array("not an image".utf8), to: "\(folder)/.DS_Store")
        try ImageFixtures.write(Array("notes".utf8), to: "\(folder)/a/README")
        let (text, outcomes, session) = run(["load images \"\(folder)\""])
        XCTAssertEqual(outcomes, [.ok], text)
        // Python's sorted(): upper case before lower case, by code point.
        XCTAssertTrue(text.contains("classes (sorted, as Keras orders them): B 2, a 3, b 2"), text)
        XCTAssertTrue(text.contains("loaded 7 images from"), text)
        XCTAssertTrue(text.contains("6x8 rgb (6x8x3 per row), 1 KB as 8-bit pixels"), text)
        XCTAssertTrue(text.contains("note: skipped 2 files that are not PNG or JPEG images by their extension (.DS_Store, a/README)"), text)
        let dataset = try XCTUnwrap(session.dataset)
        XCTAssertEqual(dataset.classNames, ["B", "a", "b"])
        XCTAssertEqual(dataset.imageShape, [6, 8, 3])
        // Stored as bytes: the first image of class B is green.
        let bytes = try XCTUnwrap(dataset.featureMatrix.bytes)
        XCTAssertEqual(bytes.count, 7 * 6 * 8 * 3)
        XCTAssertEqual(Array(bytes[0..<3]), [0, 200, 0])
    }

    func testTrainAndTestFoldersAreTheSplitAndALaterSplitKeepsThem() throws {
        let folder = try makeFolder([("cat", [200, 0, 0]), ("dog", [0, 0, 200])], perClass: 3, under: "train/")
        for name in ["cat", "dog"] {
            try ImageFixtures.write(ImageFixtures.solid(8, 6, [9, 9, 9]), to: "\(folder)/test/\(name)/t.png")
        }
        let (text, outcomes, session) = run(["load images \"\(folder)\"", "split 0.5"])
        XCTAssertEqual(outcomes, [.ok, .ok], text)
        XCTAssertTrue(text.contains("classes (sorted, as Keras orders them): cat 3+1, dog 3+1 (training+test)"), text)
        XCTAssertTrue(text.contains("split: 6 training images, 2 test images (the folder's own train/ and test/)"), text)
        XCTAssertTrue(text.contains("split: kept the images' own split, 6 training and 2 test images"), text)
        XCTAssertEqual(session.data?.split?.test, [6, 7])
    }

    func testATestFolderGivenWithTestIsTheTestSplit() throws {
        let train = try makeFolder([("cat", [200, 0, 0]), ("dog", [0, 0, 200])], perClass: 2)
        let test = try makeFolder([("cat", [200, 0, 0])], perClass: 1)
        let (text, outcomes, session) = run(["load images \"\(train)\" test=\"\(test)\""])
        XCTAssertEqual(outcomes, [.ok], text)
        XCTAssertEqual(session.data?.split?.train, [0, 1, 2, 3])
        XCTAssertEqual(session.data?.split?.test, [4])
    }

    func testMixedSizesGoToTheMostCommonWithANoteAndSizeResizes() throws {
        let folder = try makeFolder([("a", [100, 50, 25]), ("b", [10, 20, 30])], perClass: 3)
        try ImageFixtures.write(ImageFixtures.solid(10, 5, [100, 50, 25]), to: "\(folder)/a/wide.png")
        var (text, outcomes, session) = run(["load images \"\(folder)\""])
        XCTAssertEqual(outcomes, [.ok], text)
        XCTAssertTrue(text.contains("note: the images come in 2 sizes (6x8: 6, 5x10: 1); all are resized to the most common, 6x8"), text)
        (text, outcomes, session) = run(["load images \"\(folder)\" size=3x4 color=gray"])
        XCTAssertEqual(outcomes, [.ok], text)
        let dataset = try XCTUnwrap(session.dataset)
        XCTAssertEqual(dataset.imageShape, [3, 4, 1])
        // A solid colour stays solid through resizing; grey is PIL's L = (299 R + 587 G + 114 B) / 1000.
        let grey: UInt8 = 62 // 0.299 * 100 + 0.587 * 50 + 0.114 * 25 = 62.1
        XCTAssertEqual(Array(try XCTUnwrap(dataset.featureMatrix.bytes)[0..<12]), [UInt8](repeating: grey, count: 12))
    }

    func testEveryColourTypeAndJPEGLoadsAndGreyFilesLoadGrey() throws {
        let folder = try makeTemporaryFolder("images")
        for name in ["rgb.png", "rgba.png", "palette.png", "palette-trns.png", "grey16.png", "rgb.jpg", "cmyk.jpg", "progressive.jpg"] {
            try ImageFixtures.write(try ImageFixtures.seed(name), to: "\(folder)/colour/\(name)")
        }
        for name in ["grey.png", "grey-alpha.png", "bilevel.png", "grey.jpg"] {
            try ImageFixtures.write(try ImageFixtures.seed(name), to: "\(folder)/grey/\(name)")
        }
        var (text, outcomes, session) = run(["load images \"\(folder)\""])
        XCTAssertEqual(outcomes, [.ok], text)
        XCTAssertEqual(session.dataset?.rowCount, 12)
        XCTAssertEqual(session.dataset?.imageShape, [9, 7, 3])
        (text, outcomes, session) = run(["load images \"\(folder)/grey/..\" color=gray"])
        XCTAssertEqual(session.dataset?.imageShape, [9, 7, 1], text)
        let greyOnly = try makeTemporaryFolder("grey")
        for (k, name) in ["grey.png", "bilevel.png"].enumerated() {
            try ImageFixtures.write(try ImageFixtures.seed(name), to: "\(greyOnly)/c\(k)/\(name)")
        }
        (text, outcomes, session) = run(["load images \"\(greyOnly)\""])
        XCTAssertEqual(session.dataset?.imageShape, [9, 7, 1], "every image grey: gray by default\n\(text)")
    }

    func testATruncatedPNGOrJPEGRefusesTheWholeLoadAndSkipBadLoadsTheRest() throws {
        for (name, seed) in [("broken.png", "truncated.png"), ("broken.jpg", "truncated.jpg")] {
            let folder = try makeFolder([("a", [1, 2, 3]), ("b", [4, 5, 6])], perClass: 2)
            try ImageFixtures.write(try ImageFixtures.seed(seed), to: "\(folder)/b/\(name)")
            assertRefusedKeepingIris("load images \"\(folder)\"", ["error: 'b/\(name)' cannot be loaded:", "nothing was loaded",
                                                                  "add `skip=bad` to load the others"])
            let (text, outcomes, session) = run(["load images \"\(folder)\" skip=bad"])
            XCTAssertEqual(outcomes, [.ok], text)
            XCTAssertTrue(text.contains("note: skipped 1 file that could not be read: b/\(name) ("), text)
            XCTAssertEqual(session.dataset?.rowCount, 4)
            XCTAssertEqual(session.dataset?.target.classCounts(), [2, 2])
        }
    }

    func testATruncatedJPEGSaysItEndsEarly() throws {
        let folder = try makeFolder([("a", [1, 2, 3]), ("b", [4, 5, 6])], perClass: 1)
        try ImageFixtures.write(try ImageFixtures.seed("truncated.jpg"), to: "\(folder)/a/cut.jpg")
        assertRefusedKeepingIris("load images \"\(folder)\"", ["'a/cut.jpg' cannot be loaded: the file ends early (truncated)"])
    }

    func testATextFileNamedJPGIsNotAnImage() throws {
        let folder = try makeFolder([("a", [1, 2, 3]), ("b", [4, 5, 6])], perClass: 1)
        try ImageFixtures.write(Array("hello, I am text".utf8), to: "\(folder)/a/photo.jpg")
        assertRefusedKeepingIris("load images \"\(folder)\"",
                                 ["'a/photo.jpg' cannot be loaded: it is not a PNG or JPEG file (it starts with text: 'hello, I')"])
    }

    func testAnEmptyClassFolder() throws {
        let folder = try makeFolder([("a", [1, 2, 3]), ("b", [4, 5, 6])], perClass: 1)
        try FileManager.default.createDirectory(atPath: folder + "/c", withIntermediateDirectories: true)
        assertRefusedKeepingIris("load images \"\(folder)\"", ["the class folder 'c' has no images (PNG or JPEG files)",
                                                               "add its images, or remove the folder"])
    }

    func testAFolderWithOneClass() throws {
        let folder = try makeFolder([("only", [1, 2, 3])], perClass: 2)
        assertRefusedKeepingIris("load images \"\(folder)\"", ["has one class folder ('only'); a classifier needs at least two classes"])
    }

    func testImagesInTheRootBesideClassFolders() throws {
        let folder = try makeFolder([("a", [1, 2, 3]), ("b", [4, 5, 6])], perClass: 1)
        try ImageFixtures.write(ImageFixtures.solid(8, 6, [0, 0, 0]), to: "\(folder)/stray.png")
        assertRefusedKeepingIris("load images \"\(folder)\"", ["holds 1 image ('stray.png') beside its class folders",
                                                               "move each image into its class's folder (a, b)"])
    }

    func testSymbolicLinkLoops() throws {
        let folder = try makeFolder([("a", [1, 2, 3]), ("b", [4, 5, 6])], perClass: 1)
        try FileManager.default.createSymbolicLink(atPath: folder + "/a/again", withDestinationPath: folder + "/a")
        assertRefusedKeepingIris("load images \"\(folder)\"", ["'a/again' is a symbolic link loop: it leads back to a folder above it"])
        let other = try makeFolder([("a", [1, 2, 3]), ("b", [4, 5, 6])], perClass: 1)
        try FileManager.default.createSymbolicLink(atPath: other + "/b/self.png", withDestinationPath: other + "/b/self.png")
        assertRefusedKeepingIris("load images \"\(other)\"", ["'b/self.png' is a symbolic link loop"])
    }

    func testAFileNameThatIsNotUTF8LoadsAndAClassFolderNameThatIsNotIsRefused() throws {
        let folder = try makeFolder([("a", [1, 2, 3]), ("b", [4, 5, 6])], perClass: 1)
        let png = ImageFixtures.solid(8, 6, [7, 7, 7])
        try writeRaw(png, folder: folder + "/a", name: [0x63, 0x61, 0x66, 0xE9, 0x2E, 0x70, 0x6E, 0x67]) // "caf\xE9.png" (Latin-1)
        let (text, outcomes, session) = run(["load images \"\(folder)\""])
        XCTAssertEqual(outcomes, [.ok], text)
        XCTAssertEqual(session.dataset?.target.classCounts(), [2, 1])
        let other = try makeFolder([("a", [1, 2, 3])], perClass: 1)
        try FileManager.default.createDirectory(atPath: other + "/b", withIntermediateDirectories: true)
        try writeRaw(png, folder: other, name: [0x6E, 0xE4, 0x6D, 0x65], subfolder: true) // "n\xE4me/"
        assertRefusedKeepingIris("load images \"\(other)\"", ["the class folder 'n\\xE4me' in", "has a name that is not UTF-8 text"])
    }

    func testADecompressionBombIsRefusedFromItsHeader() throws {
        let folder = try makeFolder([("a", [1, 2, 3]), ("b", [4, 5, 6])], perClass: 1)
        // 30,000 x 30,000 by its header: the pixels would be 2.7 GB; the file is a few bytes.
        let bomb = ImageFixtures.png(width: 1, height: 1, channels: 3, declaredWidth: 30_000, declaredHeight: 30_000) { _, _, _ in 0 }
        try ImageFixtures.write(bomb, to: "\(folder)/b/bomb.png")
        assertRefusedKeepingIris("load images \"\(folder)\"", ["'b/bomb.png' cannot be loaded: its header says 30000 x 30000 pixels, more than the 178,956,970",
                                                               "refused before decoding"])
        // Under the pixel limit but over the memory budget: the memory check that `load` has.
        let big = ImageFixtures.png(width: 1, height: 1, channels: 3, declaredWidth: 10_000, declaredHeight: 10_000) { _, _, _ in 0 }
        try ImageFixtures.write(big, to: "\(folder)/b/bomb.png")
        setenv(MemoryBudget.variable, "50M", 1)
        defer { unsetenv(MemoryBudget.variable) }
        assertRefusedKeepingIris("load images \"\(folder)\"", ["its header says 10000 x 10000 pixels: decoding it (10000 x 10000 pixels) would need about 600 MB",
                                                               "DL_MEMORY_LIMIT allows 50 MB"])
    }

    func testSizeZeroAndSizesOver1024AreRefusedBeforeRunning() throws {
        let (text, outcomes, _) = run(["load images \"x/\" size=0x0", "load images \"x/\" size=2048x64", "load iris"])
        XCTAssertEqual(outcomes, [.badScript, .badScript, .ok], text)
        XCTAssertTrue(text.contains("'size=' expects a size like 5x5 but got '0x0'"), text)
        XCTAssertTrue(text.contains("size=2048x64 is larger than 1024x1024, the largest image size load images makes"), text)
    }

    func testAMissingFolderSaysSo() throws {
        assertRefusedKeepingIris("load images \"/nonexistent/pets\"", ["cannot read the folder '/nonexistent/pets': No such file or directory"])
    }

    func testScaleOnImagesIsFittedOnNothingAndTrainingConvertsPerBatch() throws {
        let folder = try makeFolder([("a", [250, 0, 0]), ("b", [0, 0, 250])], perClass: 4)
        let (text, outcomes, session) = run(["load images \"\(folder)\"", "scale standard", "split 0.5 stratify", "explain on", "scale minmax",
                                             "explain off", "flatten", "dense 2 softmax", "train epochs=20 lr=0.5", "evaluate"])
        XCTAssertEqual(outcomes, Array(repeating: .ok, count: 10), text)
        XCTAssertTrue(text.contains("scale: pixels 0-255 map to 0-1 (x / 255), fitted on nothing"), text)
        XCTAssertTrue(text.contains("on images `scale` always does this, not a per-pixel mean and std"), text)
        XCTAssertTrue(text.contains("This scaling is fitted on nothing"), text)
        XCTAssertTrue(text.contains("accuracy 1.0000 (4/4 correct)"), text)
        let pipeline = try XCTUnwrap(session.data)
        XCTAssertEqual(pipeline.scaler?.scales.first, 1 / 255)
        XCTAssertEqual(pipeline.scaler?.offsets.first, 0)
        // Training read the bytes a batch at a time: the Float matrix was never built.
        XCTAssertTrue(pipeline.scaledFeaturesPending)
    }

    private func writeRaw(_ bytes: [UInt8], folder: String, name: [UInt8], subfolder: Bool = false) throws {
        var path = Array(folder.utf8) + [47] + name
        if subfolder {
            XCTAssertEqual((path + [0]).withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { mkdir($0.baseAddress!, 0o755) } }, 0)
            path += Array("/x.png".utf8)
        }
        let fd = (path + [0]).withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_WRONLY | O_CREAT, 0o644) } }
        XCTAssertGreaterThanOrEqual(fd, 0)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress!, bytes.count) }
        close(fd)
    }
}
