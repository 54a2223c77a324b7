import XCTest
import DLCore
@testable import Script

/// `predict "x.png"`, `predict "folder/" to "out.csv"`, and saved image models predicting
/// in a fresh session.
final class PredictImagesTests: XCTestCase {
    func run(_ lines: [String], in interpreter: Interpreter? = nil) -> (text: String, outcomes: [RunOutcome]) {
        let output = CapturedOutput(width: 100)
        let interpreter = interpreter ?? Interpreter(output: output)
        let outcomes = lines.map { interpreter.runInteractive($0) }
        return (output.text, outcomes)
    }

    /// Red and blue 8x6 RGB images, 6 of each, and a session line list that trains on them.
    func trainedLines() throws -> (folder: String, lines: [String]) {
        let folder = try makeTemporaryFolder("predict-images")
        for i in 0..<6 {
            try ImageFixtures.write(ImageFixtures.solid(8, 6, [230, UInt8(i * 5), 10]), to: "\(folder)/train/red/\(i).png")
            try ImageFixtures.write(ImageFixtures.solid(8, 6, [10, UInt8(i * 5), 230]), to: "\(folder)/train/blue/\(i).png")
        }
        return (folder, ["load images \"\(folder)/train\"", "scale minmax", "flatten", "dense 2 softmax", "train epochs=30 lr=0.5"])
    }

    func testPredictAnImagePrintsTheClassBarsAndThePicture() throws {
        let (folder, lines) = try trainedLines()
        try ImageFixtures.write(ImageFixtures.solid(16, 12, [250, 20, 0]), to: "\(folder)/new.png")
        let (text, outcomes) = run(lines + ["predict \"\(folder)/new.png\""])
        XCTAssertEqual(outcomes.last, .ok, text)
        XCTAssertTrue(text.contains("note: '\(folder)/new.png' is 12x16; resized to 6x8, the size the model was trained on"), text)
        XCTAssertTrue(text.contains("predicted: red"), text)
        XCTAssertTrue(text.contains("  red   0.9"), text)
        XCTAssertTrue(text.contains("\(folder)/new.png: predicted red ("), "the picture's caption\n\(text)")
    }

    func testAFolderOfImagesGoesToACSVWithOneProbabilityPerClass() throws {
        let (folder, lines) = try trainedLines()
        try ImageFixtures.write(ImageFixtures.solid(8, 6, [0, 0, 250]), to: "\(folder)/new/a.png")
        try ImageFixtures.write(ImageFixtures.solid(8, 6, [250, 0, 0]), to: "\(folder)/new/sub/b.png")
        let out = folder + "/out.csv"
        let (text, outcomes) = run(lines + ["predict \"\(folder)/new/\" to \"\(out)\""])
        XCTAssertEqual(outcomes.last, .ok, text)
        let csv = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").map(String.init)
        XCTAssertEqual(csv.first, "path,predicted_class,prob_blue,prob_red")
        XCTAssertEqual(csv.count, 3)
        XCTAssertTrue(csv[1].hasPrefix("\(folder)/new/a.png,blue,0.9"), csv[1])
        XCTAssertTrue(csv[2].hasPrefix("\(folder)/new/sub/b.png,red,"), csv[2])
    }

    func testASavedImageModelPredictsAFileInAFreshSession() throws {
        let (folder, lines) = try trainedLines()
        try ImageFixtures.write(ImageFixtures.solid(8, 6, [5, 5, 240]), to: "\(folder)/blue.png")
        let model = folder + "/m.dlm"
        let (first, outcomes) = run(lines + ["predict \"\(folder)/blue.png\"", "save model \"\(model)\""])
        XCTAssertEqual(outcomes.suffix(2), [.ok, .ok], first)
        let before = first.components(separatedBy: "\n").first { $0.hasPrefix("  blue") }
        let (text, fresh) = run(["load model \"\(model)\"", "predict \"\(folder)/blue.png\""])
        XCTAssertEqual(fresh, [.ok, .ok], text)
        XCTAssertTrue(text.contains("it takes 6x8 rgb images (files are resized and converted to that, pixels scaled 0-255 to 0-1)"), text)
        XCTAssertTrue(text.contains("predicted: blue"), text)
        XCTAssertEqual(text.components(separatedBy: "\n").first { $0.hasPrefix("  blue") }, before, "the same probability as before saving")
    }

    func testAnRGBAImageOnAnRGBModelDropsItsAlphaWithANote() throws {
        let (folder, lines) = try trainedLines()
        let rgba = ImageFixtures.png(width: 8, height: 6, channels: 4) { _, _, c in [240, 0, 0, 128][c] }
        try ImageFixtures.write(rgba, to: "\(folder)/alpha.png")
        let (text, outcomes) = run(lines + ["predict \"\(folder)/alpha.png\"", "predict \"\(folder)/train\""])
        XCTAssertEqual(outcomes.suffix(2), [.ok, .ok], text)
        XCTAssertTrue(text.contains("is RGBA but the model takes RGB images: its alpha channel is dropped, as for the training images"), text)
        XCTAssertTrue(text.contains("predicted: red"), text)
    }

    func testPredictingAnImageWithATableModelSaysWhatTheModelTakes() throws {
        let folder = try makeTemporaryFolder("predict-images")
        try ImageFixtures.write(ImageFixtures.solid(8, 6, [5, 5, 240]), to: "\(folder)/x.png")
        let (text, outcomes) = run(["load iris", "dense 3 softmax", "train epochs=2", "predict \"\(folder)/x.png\"", "predict 5.1,3.5,1.4,0.2"])
        XCTAssertEqual(outcomes, [.ok, .ok, .ok, .runtimeError, .ok], text)
        XCTAssertTrue(text.contains("gives an image, but this model was trained on a table (sepal_length_cm, sepal_width_cm, petal_length_cm, petal_width_cm), not on image files"), text)
        XCTAssertTrue(text.contains("for images, train on `load images \"FOLDER/\"`"), text)
    }

    func testABrokenImageToPredictIsAnErrorAndTheSessionGoesOn() throws {
        let (folder, lines) = try trainedLines()
        try ImageFixtures.write(Array("text".utf8), to: "\(folder)/fake.jpg")
        let (text, outcomes) = run(lines + ["predict \"\(folder)/fake.jpg\"", "predict \"\(folder)/missing.png\"", "evaluate"])
        XCTAssertEqual(outcomes.suffix(3), [.runtimeError, .runtimeError, .ok], text)
        XCTAssertTrue(text.contains("'\(folder)/fake.jpg' cannot be read as an image: it is not a PNG or JPEG file (it starts with text: 'text')"), text)
        XCTAssertTrue(text.contains("cannot read '\(folder)/missing.png': No such file or directory"), text)
    }
}
