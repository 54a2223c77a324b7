@testable import Script
import XCTest

/// How many epoch lines a `train` leaves: every epoch up to 40, then about 40 on round
/// epoch numbers, whatever the length and however many epochs came before.
final class EpochLinesTests: XCTestCase {
    /// The epochs printed as they finish, plus the last (which `finish` prints).
    private func shown(_ lines: EpochLines) -> [Int] {
        (1...lines.epochs).filter { lines.showsAsItFinishes($0) || $0 == lines.epochs }
    }

    func testEveryEpochUpToFortyThenAboutFortyOnRoundNumbers() {
        let table: [(epochs: Int, first: Int, step: Int, count: Int)] = [
            (1, 1, 1, 1), (40, 1, 1, 40), (41, 1, 2, 22), (60, 1, 2, 31), (100, 1, 5, 21),
            (200, 1, 5, 41), (4000, 1, 100, 41), (100_000, 1, 5000, 21), (1_000_000, 1, 50_000, 21),
            // after 200 epochs, the next 100 are shown at 205, 210, …: round session numbers
            (100, 201, 5, 21),
        ]
        for row in table {
            let lines = EpochLines(epochs: row.epochs, firstEpoch: row.first, verbosity: .thinned)
            XCTAssertEqual(lines.step, row.step, "\(row)")
            let epochs = shown(lines)
            XCTAssertEqual(epochs.count, row.count, "\(row)")
            XCTAssertLessThanOrEqual(epochs.count, EpochLines.budget + 1, "\(row)")
            XCTAssertEqual(epochs.first, 1)
            XCTAssertEqual(epochs.last, row.epochs)
            for epoch in epochs.dropFirst().dropLast() {
                XCTAssertEqual((row.first - 1 + epoch) % row.step, 0, "\(row): epoch \(epoch) is not a round number")
            }
        }
    }

    func testVerboseTwoShowsEveryEpochAndZeroNone() {
        XCTAssertEqual((1...4000).filter(EpochLines(epochs: 4000, verbosity: .every).showsAsItFinishes).count, 4000)
        XCTAssertEqual((1...4000).filter(EpochLines(epochs: 4000, verbosity: .silent).showsAsItFinishes).count, 0)
    }

    /// The best epoch, when it fell between the spaced lines, is printed before the last.
    func testTheBestAndTheLastEpochFollowAtTheEnd() throws {
        let output = CapturedOutput()
        let interpreter = Interpreter(output: output)
        for line in ["load iris", "split 0.8 seed=1", "scale minmax", "dense 8 relu", "dense 3 softmax",
                     "train lr=0.1 epochs=1000 batch=64"] {
            XCTAssertEqual(interpreter.runInteractive(line), .ok, output.text)
        }
        let model = try XCTUnwrap(interpreter.session.model)
        let epochLines = output.text.split(separator: "\n").filter { $0.hasPrefix("Epoch ") }
        XCTAssertLessThanOrEqual(epochLines.count, 42, output.text)
        XCTAssertTrue(epochLines.first?.hasPrefix("Epoch    1/1000") ?? false, output.text)
        XCTAssertTrue(epochLines.last?.hasPrefix("Epoch 1000/1000") ?? false, output.text)
        // the line marked best has the lowest loss of all 1000
        let best = try XCTUnwrap(epochLines.first { $0.hasSuffix("(best)") }, output.text)
        let lowest = try XCTUnwrap(model.history.map(\.loss).min())
        XCTAssertTrue(best.contains("loss \(Format.fixed(lowest, 4))"), "\(best) vs \(lowest)")
        XCTAssertEqual(model.history.count, 1000, "history keeps every epoch")
    }
}
