import XCTest
@testable import Script

/// The recorder keeps a bounded record: each output up to `textLimit` bytes (cut between
/// characters), outputs of the last `keptOutputs` statements only, every statement's text.
final class SessionRecorderTests: XCTestCase {
    func testOneLongOutputIsCutBetweenCharactersAtTheLimit() {
        let screen = CapturedOutput()
        let recorder = SessionRecorder(target: screen)
        recorder.begin(statement: "show state", fileName: "<stdin>", line: 1)
        recorder.write("x", to: .output)
        recorder.write(String(repeating: "é", count: 10_000), to: .output) // 2 bytes each
        recorder.write("more", to: .output)
        let entry = recorder.entries[0]
        XCTAssertEqual(entry.text.utf8.count, 16_384, "x, 8,191 whole é (the next would pass the limit), then the m of more")
        XCTAssertTrue(entry.text.hasSuffix("éém"))
        XCTAssertEqual(entry.droppedBytes, 20_005 - 16_384)
        XCTAssertEqual(screen.text.utf8.count, 20_005, "everything still reaches the screen")
    }

    func testOldStatementsKeepTheirTextButNotTheirOutput() {
        let recorder = SessionRecorder(target: CapturedOutput())
        for n in 1...(SessionRecorder.keptOutputs + 2) {
            recorder.begin(statement: "s\(n)", fileName: "<stdin>", line: n)
            recorder.write("out\(n)\n", to: n == 1 ? .error : .output)
            recorder.attach(picture: "<svg/>", title: "a picture")
        }
        XCTAssertEqual(recorder.entries.count, SessionRecorder.keptOutputs + 2)
        XCTAssertEqual(recorder.statementsWithoutOutput, 2)
        XCTAssertEqual(recorder.entries.map(\.statement).prefix(3), ["s1", "s2", "s3"])
        XCTAssertEqual(recorder.entries[0].text, "")
        XCTAssertEqual(recorder.entries[0].droppedBytes, 5)
        XCTAssertEqual(recorder.entries[0].droppedPictures, 1)
        XCTAssertTrue(recorder.entries[0].failed, "a failed statement stays failed for `show state`")
        XCTAssertEqual(recorder.entries[2].text, "out3\n")
        XCTAssertEqual(recorder.entries[2].pictures, ["<svg/>"])
    }
}
