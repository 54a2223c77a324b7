import XCTest
import DLCore
@testable import Script

/// `export keras` and `export torch` of a model trained on `load images`: the scripts read the
/// same folder with Keras's image_dataset_from_directory and torchvision's ImageFolder, at dl's
/// size and colour mode, in dl's class order, scaled as dl scaled, with the folder's own split
/// or dl's share; both compile. (Tests/Interop/check_exports.py runs them with PEERS_PYTHON.)
final class ImageExportTests: XCTestCase {
    private func run(_ lines: [String]) -> (text: String, outcomes: [RunOutcome]) {
        let output = CapturedOutput(width: 100)
        let interpreter = Interpreter(output: output)
        let outcomes = lines.map { interpreter.runInteractive($0) }
        return (output.text, outcomes)
    }

    /// `perClass` 8x6 images per class in the classes' colours, below `sub` ("train/", "test/" or "").
    private func addImages(_ folder: String, _ classes: [(String, [UInt8])], perClass: Int, under sub: String) throws {
        for (name, rgb) in classes {
            for i in 0..<perClass {
                try ImageFixtures.write(ImageFixtures.solid(8, 6, rgb.map { $0 &+ UInt8(i * 7) }), to: "\(folder)/\(sub)\(name)/\(i).png")
            }
        }
    }

    /// The module-level assignment `NAME = value` of a script, as written.
    private func assignment(_ name: String, in script: String) -> String? {
        script.split(separator: "\n").first { $0.hasPrefix(name + " = ") }
            .map { String($0.dropFirst(name.count + 3)).components(separatedBy: "  #")[0] }
    }

    private func assertCompiles(_ path: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", "-m", "py_compile", path]
        let err = Pipe()
        python.standardError = err
        try python.run()
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        python.waitUntilExit()
        XCTAssertEqual(python.terminationStatus, 0, "\(path) does not compile: \(errors)", file: file, line: line)
    }

    func testAFolderWithTrainAndTestKeepsItsSplitSizeColourClassesAndScaling() throws {
        let folder = try makeTemporaryFolder("image-export")
        try addImages(folder, [("dog", [0, 0, 200]), ("cat", [200, 0, 0]), ("Bird", [0, 200, 0])], perClass: 3, under: "train/")
        try addImages(folder, [("dog", [0, 0, 190]), ("cat", [190, 0, 0]), ("Bird", [0, 190, 0])], perClass: 1, under: "test/")
        let (text, outcomes) = run(["load images \"\(folder)\"", "scale minmax", "conv 3x3 filters=2 pad=same relu", "pool 2x2",
                                    "flatten", "dense 3 softmax", "train lr=0.1 epochs=1 batch=4",
                                    "export keras \"\(folder)/k.py\"", "export torch \"\(folder)/t.py\""])
        XCTAssertEqual(outcomes, Array(repeating: .ok, count: 9), text)
        let keras = try String(contentsOfFile: folder + "/k.py", encoding: .utf8)
        let torch = try String(contentsOfFile: folder + "/t.py", encoding: .utf8)
        for script in [keras, torch] {
            XCTAssertEqual(assignment("DATA", in: script), quotedLiteral(folder))
            XCTAssertEqual(assignment("CLASSES", in: script), "[\"Bird\", \"cat\", \"dog\"]")
            XCTAssertEqual(assignment("IMAGE_SIZE", in: script), "(6, 8)")
            XCTAssertEqual(assignment("COLOR_MODE", in: script), "\"rgb\"")
            XCTAssertEqual(assignment("CHANNELS", in: script), "3")
            XCTAssertEqual(assignment("SCALED", in: script), "True")
            XCTAssertEqual(assignment("OWN_SPLIT", in: script), "True")
            XCTAssertEqual(assignment("SPLIT", in: script), "None")
            XCTAssertEqual(assignment("BATCH", in: script), "4")
            XCTAssertFalse(script.contains("pd.read_csv"), "an image model's script reads no CSV")
        }
        XCTAssertTrue(keras.contains("keras.utils.image_dataset_from_directory(folder, labels=\"inferred\", label_mode=\"int\", class_names=CLASSES,"), keras)
        XCTAssertTrue(keras.contains("        keras.Input(shape=(6, 8, 3)),\n"), keras)
        XCTAssertTrue(keras.contains("        keras.layers.Rescaling(1 / 255),"), keras)
        XCTAssertFalse(keras.contains("keras.layers.Random"), "no augment, no preprocessing layers")
        XCTAssertTrue(torch.contains("datasets.ImageFolder(folder, transform=image_transform(training),"), torch)
        XCTAssertTrue(torch.contains("transforms.ToTensor() if SCALED"), torch)
        XCTAssertTrue(torch.contains("sampler = DistributedSampler(data, shuffle=True, seed=SEED) if distributed else None"), torch)
        XCTAssertFalse(torch.contains("def augment("), "no augment, no augment()")
        try assertCompiles(folder + "/k.py")
        try assertCompiles(folder + "/t.py")
    }

    /// `augment` on a folder: Keras's preprocessing layers after the rescaling (so brightness and
    /// contrast clip to the scaled range dl used), PyTorch's augment() on each training batch.
    func testAnAugmentedFolderCarriesItsAugmentationIntoBothScripts() throws {
        let folder = try makeTemporaryFolder("image-export-augment")
        try addImages(folder, [("dog", [0, 0, 200]), ("cat", [200, 0, 0])], perClass: 3, under: "")
        let (text, outcomes) = run(["load images \"\(folder)\"", "scale minmax", "augment flip=horizontal rotate=15 brightness=0.2",
                                    "conv 3x3 filters=2 pad=same relu", "flatten", "dense 2 softmax", "train lr=0.1 epochs=1 batch=2",
                                    "export keras \"\(folder)/k.py\"", "export torch \"\(folder)/t.py\""])
        XCTAssertEqual(outcomes, Array(repeating: .ok, count: 9), text)
        let keras = try String(contentsOfFile: folder + "/k.py", encoding: .utf8)
        let torch = try String(contentsOfFile: folder + "/t.py", encoding: .utf8)
        let rescaling = try XCTUnwrap(keras.range(of: "keras.layers.Rescaling(1 / 255),"), keras)
        let flip = try XCTUnwrap(keras.range(of: "        keras.layers.RandomFlip(\"horizontal\"),"), keras)
        XCTAssertLessThan(rescaling.lowerBound, flip.lowerBound, "the augmentation works on the scaled pixels")
        XCTAssertTrue(keras.contains("        keras.layers.RandomRotation(15.0 / 360),"), keras)
        XCTAssertEqual(keras.components(separatedBy: "RandomFlip").count, 2, "one flip layer, not two")
        XCTAssertTrue(torch.contains("def augment(x):"), torch)
        XCTAssertTrue(torch.contains("batch_x = augment(batch_x)  # dl: augment, training batches only"), torch)
        try assertCompiles(folder + "/k.py")
        try assertCompiles(folder + "/t.py")
    }

    func testAPlainGreyFolderGivesDlsShareAndNoRescalingWithoutScale() throws {
        let folder = try makeTemporaryFolder("image-export")
        try addImages(folder, [("no", [10, 10, 10]), ("yes", [240, 240, 240])], perClass: 4, under: "")
        let (text, outcomes) = run(["load images \"\(folder)\" color=gray size=4x4", "split 0.75 seed=7", "flatten", "dense 1 sigmoid",
                                    "train lr=0.1 epochs=1", "export keras \"\(folder)/k.py\"", "export torch \"\(folder)/t.py\""])
        XCTAssertEqual(outcomes, Array(repeating: .ok, count: 7), text)
        let keras = try String(contentsOfFile: folder + "/k.py", encoding: .utf8)
        let torch = try String(contentsOfFile: folder + "/t.py", encoding: .utf8)
        for script in [keras, torch] {
            XCTAssertEqual(assignment("IMAGE_SIZE", in: script), "(4, 4)")
            XCTAssertEqual(assignment("COLOR_MODE", in: script), "\"grayscale\"")
            XCTAssertEqual(assignment("CHANNELS", in: script), "1")
            XCTAssertEqual(assignment("SCALED", in: script), "False")
            XCTAssertEqual(assignment("OWN_SPLIT", in: script), "False")
            XCTAssertEqual(assignment("SPLIT", in: script), "0.2500")
            XCTAssertEqual(assignment("SEED", in: script), "7")
            XCTAssertTrue(script.contains("draws the same share with the same seed through its own generator"), script)
        }
        // One sigmoid unit: Keras's labels are 0/1 floats; no rescaling, the pixels stay 0-255.
        XCTAssertTrue(keras.contains("label_mode=\"binary\""), keras)
        XCTAssertTrue(keras.contains("validation_split=SPLIT, subset=\"both\""), keras)
        XCTAssertFalse(keras.contains("Rescaling"), keras)
        XCTAssertTrue(torch.contains("nn.BCEWithLogitsLoss()"), torch)
        try assertCompiles(folder + "/k.py")
        try assertCompiles(folder + "/t.py")
    }
}
