import XCTest
import Script

/// A value typed in `predict` that the lexer cannot read as one number or word gets the hint
/// to quote it, with the statement rewritten; the quoted statement then works.
final class PredictQuotingTests: XCTestCase {
    private let cars = ["load cars", "dropna mpg", "drop name", "encode date year", "split 0.8 seed=42", "impute median", "encode onehot origin",
                        "scale standard", "dense 8 relu", "dense 1", "train epochs=3 verbose=0"]

    func testValuesThatNeedQuotesGetTheHint() {
        let cases: [(typed: String, message: String, quoted: String)] = [
            // A date with a time: the space splits it, and ':' is no word character.
            ("predict 4,97,88,2130,14.5,1982-01-01 14:00,Japan", "'14:00' is not a number, a dimension or a word",
             "predict 4,97,88,2130,14.5,\"1982-01-01 14:00\",Japan"),
            // Text with a space.
            ("predict 4,97,88,2130,14.5,1982-01-01,West Germany", "unexpected argument 'Germany' for predict",
             "predict 4,97,88,2130,14.5,1982-01-01,\"West Germany\""),
            // Starts with a digit but is no number.
            ("predict 4,97,88,2130,14.5,1982-01-01,3-cyl", "'3-cyl' is not a number, a dimension or a word",
             "predict 4,97,88,2130,14.5,1982-01-01,\"3-cyl\""),
            ("predict 4,97,88,2130,14.5,01/02/1982,Japan", "'01/02/1982' is not a number, a dimension or a word",
             "predict 4,97,88,2130,14.5,\"01/02/1982\",Japan"),
        ]
        for (typed, message, quoted) in cases {
            let (text, outcomes) = runLines(cars + [typed, "show"])
            XCTAssertEqual(outcomes.suffix(2), [.badScript, .ok], "\(typed): the session goes on\n\(text)")
            XCTAssertTrue(text.contains("error: \(message)"), "\(typed):\n\(text)")
            XCTAssertTrue(text.contains("in double quotes: \(quoted)\n"), "\(typed):\n\(text)")
        }
    }

    /// The quoted values are read as typed: a date with a time, and a category never seen.
    func testTheQuotedStatementsWork() {
        let (text, outcomes) = runLines(cars + ["predict 4,97,88,2130,14.5,\"1982-01-01 14:00\",Japan",
                                                "predict 4,97,88,2130,14.5,1982-01-01,\"West Germany\""])
        XCTAssertEqual(Array(outcomes.suffix(2)), [.ok, .ok], text)
        XCTAssertEqual(text.components(separatedBy: "predicted mpg: ").count - 1, 2, text)
        XCTAssertTrue(text.contains("'West Germany' was never seen in origin"), text)
    }

    /// What reads as it is needs no hint: a date and a word with '-' (`N-A`, `Biscoe-2`) are words.
    func testWordsWithHyphensAndDatesNeedNoQuotes() {
        let (text, outcomes) = runLines(cars + ["predict 4,97,88,2130,14.5,1982-01-01,N-A"])
        XCTAssertEqual(outcomes.last, .ok, text)
        XCTAssertFalse(text.contains("double quotes"), text)
        let (penguins, results) = runLines(["load penguins", "split 0.8", "impute median", "encode onehot island,sex", "drop year",
                                            "scale minmax", "dense 8 relu", "dense 3 softmax", "train epochs=2 verbose=0",
                                            "predict Biscoe-2,45.2,15.8,215,5300,male"])
        XCTAssertEqual(results.last, .ok, penguins)
        XCTAssertTrue(penguins.contains("'Biscoe-2' was never seen in island"), penguins)
    }

    /// Other errors in `predict`, and values elsewhere, keep their own hints.
    func testOtherErrorsKeepTheirHints() {
        let (text, _) = runLines(["dense 3-4 relu", "predict 1,2 lr=3-4"])
        XCTAssertFalse(text.contains("double quotes"), text)
    }
}
