import XCTest
import Tabular
@testable import Script

/// Date columns in a session: recognised at `load`, shown by `columns` and `describe`, a
/// malformed or mixed-format date named by its line with the session left intact, `encode
/// date` recorded so that `predict`, saved models and exports take the date as written; and
/// the text-feature hints that never suggest one-hot encoding of many categories.
final class DateSessionTests: XCTestCase {
    private var folder = ""

    override func setUpWithError() throws {
        folder = try makeTemporaryFolder("dl-dates")
    }

    private func write(_ name: String, _ text: String) throws -> String { try writeFile(name, text, in: folder) }

    func testAMalformedDateIsNamedByLineAndTheSessionGoesOn() throws {
        let path = try write("bad.csv", "day,x,y\n2012-01-01,1,a\n2012-01-02,2,b\n2012-02-30,3,a\n2012-01-04,4,b\n")
        let (text, outcomes) = runLines(["load iris", "load \"\(path)\"", "split 0.8"])
        XCTAssertEqual(outcomes, [.ok, .runtimeError, .ok], text)
        XCTAssertTrue(text.contains("error: column 'day' holds dates, but line 4 of 'bad.csv' has '2012-02-30', which is not a real date or time"), text)
        XCTAssertTrue(text.contains("hint: fix that cell (dates are written YYYY-MM-DD"), text)
        XCTAssertTrue(text.contains("split: 120 training rows, 30 test rows"), "iris is still loaded:\n\(text)")
    }

    func testMixedDateFormatsAreAnErrorAndTheSessionGoesOn() throws {
        let path = try write("mixed.csv", "day,x,y\n2012-01-31,1,a\n2012-02-01,2,b\n02/02/2012,3,a\n")
        let (text, outcomes) = runLines(["load iris", "load \"\(path)\"", "split 0.8"])
        XCTAssertEqual(outcomes, [.ok, .runtimeError, .ok], text)
        XCTAssertTrue(text.contains("error: column 'day' mixes date formats: line 2 of 'mixed.csv' has '2012-01-31' (YYYY-MM-DD) but line 4 has '02/02/2012'"), text)
        XCTAssertTrue(text.contains("split: 120 training rows"), text)
        let other = try write("slashes.csv", "day,x,y\n31/01/2012,1,a\n01/02/2012,2,b\n")
        assertOutput(["load \"\(other)\""], ["note: column 'day' holds dates written like '31/01/2012' (line 2); dl reads dates written YYYY-MM-DD (ISO 8601), so it stays text"])
    }

    func testColumnsAndDescribeShowTheDateRange() {
        assertOutput(["load seattle", "columns", "describe"], [
            "0  date           date          0      1461  feature",
            "date range of 'date': 2012-01-01 to 2015-12-31, 1,461 dates",
            "column  count  unique  first       last",
            "date     1461    1461  2012-01-01  2015-12-31",
        ])
    }

    func testTheHintForADateColumnIsEncodeDateAndForManyCategoriesDrop() {
        assertOutput(["load seattle", "split 0.8", "scale minmax"], [
            "error: feature column 'date' holds dates ('2012-01-01', '2012-01-02', …)",
            "hint: turn it into numbers with `encode date date` (year, month, day, weekday, day of year), or drop it with `drop date`",
        ])
        assertOutput(["load seattle", "encode onehot weather"], ["hint: encode the text features: `encode date date`"])
        let (text, _) = runLines(["load cars", "dropna", "scale minmax", "encode onehot mpg"])
        XCTAssertTrue(text.contains("error: feature column 'name' holds text with 300 distinct values"), text)
        XCTAssertTrue(text.contains("hint: drop it with `drop name`: one-hot encoding would make 300 columns"), text)
        XCTAssertTrue(text.contains("hint: for the text features: `encode date year`, `encode onehot origin`, `drop name`"), text)
        XCTAssertFalse(text.contains("encode onehot name"), text)
    }

    func testOneHotOfManyCategoriesWarnsWithTheCountAndAbbreviatesItsList() {
        let (text, outcomes) = runLines(["load cars", "encode onehot name"])
        XCTAssertEqual(outcomes, [.ok, .ok], text)
        XCTAssertTrue(text.contains("warning: 'name' has 311 distinct values, so one-hot encoding made 311 columns"), text)
        XCTAssertTrue(text.contains("dropping it (`drop name`) is often better"), text)
        let line = text.split(separator: "\n").first { $0.hasPrefix("encode onehot name: 311 indicator columns (") }
        XCTAssertNotNil(line, text)
        XCTAssertLessThan(line?.count ?? .max, 400, "a list of 311 names is abbreviated")
        XCTAssertTrue(line?.hasSuffix("; 311 in all)") ?? false, String(line ?? ""))
        let (dates, _) = runLines(["load seattle", "encode onehot date"])
        XCTAssertTrue(dates.contains("warning: 'date' has 1461 distinct values, so one-hot encoding made 1461 columns"), dates)
        XCTAssertTrue(dates.contains("`encode date date` gives its year, month, day and weekday instead"), dates)
    }

    private func seattle() -> (Interpreter, CapturedOutput) {
        let output = CapturedOutput(width: 100)
        let interpreter = Interpreter(output: output)
        for line in ["load seattle", "encode date date", "split 0.8", "scale minmax", "dense 8 relu", "dense 5 softmax",
                     "train lr=0.1 epochs=3"] {
            XCTAssertEqual(interpreter.runInteractive(line), .ok, output.text)
        }
        return (interpreter, output)
    }

    func testEncodeDateGivesItsPartsAndPredictTakesTheDateAsWritten() throws {
        let (interpreter, output) = seattle()
        XCTAssertTrue(output.text.contains("encode date date (2012-01-01 to 2015-12-31, 1,461 dates): 5 columns (date_year, date_month, date_day, date_weekday, date_dayofyear)"), output.text)
        let dataset = try XCTUnwrap(interpreter.session.data?.dataset)
        XCTAssertEqual(dataset.featureNames, ["date_year", "date_month", "date_day", "date_weekday", "date_dayofyear",
                                              "precipitation", "temp_max", "temp_min", "wind"])
        XCTAssertEqual(interpreter.runInteractive("predict 2016-01-01,0,10,5,3"), .ok, output.text)
        XCTAssertTrue(output.text.contains("predicted: "), output.text)

        // The row goes through the same parts as the training rows did.
        let raw = Table(columns: [Column(name: "date", data: .text(["2016-01-01"]))] + [("precipitation", 0.0), ("temp_max", 10), ("temp_min", 5), ("wind", 3)]
            .map { Column(name: $0.0, data: .numeric([$0.1])) }, rowCount: 1, source: "predict")
        let features = try XCTUnwrap(interpreter.session.data).features(ofRaw: raw).features
        let scaler = try XCTUnwrap(interpreter.session.data?.scaler)
        let unscaled = zip(features, zip(scaler.offsets, scaler.scales)).map { $0 / $1.1 + $1.0 }
        for (value, expected) in zip(unscaled.prefix(5), [Float(2016), 1, 1, 4, 1]) {
            XCTAssertEqual(value, expected, accuracy: 1e-3, "2016-01-01 was a Friday (weekday 4): \(unscaled)")
        }

        XCTAssertEqual(interpreter.runInteractive("predict 2016-13-01,0,10,5,3"), .runtimeError)
        XCTAssertTrue(output.text.contains("error: '2016-13-01' in 'date' is not a date"), output.text)
        XCTAssertEqual(interpreter.runInteractive("predict NA,0,10,5,3"), .runtimeError)
        XCTAssertTrue(output.text.contains("the value for 'date_year' is missing"), output.text)
        XCTAssertEqual(interpreter.runInteractive("evaluate"), .ok, "the session goes on")
    }

    func testASavedModelAndAFileOfRowsApplyTheDateStep() throws {
        let (interpreter, output) = seattle()
        let model = folder + "/m.safetensors", out = folder + "/out.csv", script = folder + "/t.py"
        let rows = try write("rows.csv", "date,precipitation,temp_max,temp_min,wind\n2016-01-01,0,10,5,3\n2016-07-01 12:00,0,25,15,2\n")
        for line in ["save model \"\(model)\"", "predict \"\(rows)\" to \"\(out)\"", "export torch \"\(script)\""] {
            XCTAssertEqual(interpreter.runInteractive(line), .ok, output.text)
        }
        let before = try String(contentsOfFile: out, encoding: .utf8)
        let bad = try write("bad_rows.csv", "date,precipitation,temp_max,temp_min,wind\n2016-01-01,0,10,5,3\n01/07/2016,0,25,15,2\n")
        let (text, outcomes) = runLines(["load model \"\(model)\"", "predict \"\(rows)\" to \"\(out)\"", "predict \"\(bad)\"", "show state"])
        XCTAssertEqual(outcomes, [.ok, .ok, .runtimeError, .ok], text)
        XCTAssertEqual(try String(contentsOfFile: out, encoding: .utf8), before, "the loaded model predicts as the session did")
        XCTAssertTrue(text.contains("error: line 3 of 'bad_rows.csv': '01/07/2016' in 'date' is not a date"), text)
        let exported = try String(contentsOfFile: script, encoding: .utf8)
        XCTAssertTrue(exported.contains("when = pd.to_datetime(frame[\"date\"].astype(\"string\").str.slice(0, 19), format=\"ISO8601\")"), exported)
        XCTAssertTrue(exported.contains("\"date_weekday\": when.dt.day_of_week,"), exported)
    }

    func testCyclicAddsSineAndCosineAndOnlyGoesWithDate() throws {
        assertOutput(["load seattle", "encode date date cyclic"],
                     ["9 columns (date_year, date_month, date_day, date_weekday, date_dayofyear, date_month_sin, date_month_cos, date_weekday_sin, date_weekday_cos)"])
        let (text, outcomes) = runLines(["load penguins", "encode onehot island cyclic", "encode date island", "encode date body_mass_g"])
        XCTAssertEqual(outcomes, [.ok, .badScript, .runtimeError, .runtimeError], text)
        XCTAssertTrue(text.contains("error: `cyclic` adds sine and cosine parts to `encode date`"), text)
        XCTAssertTrue(text.contains("error: column 'island' is not a date column: line 2 has 'Torgersen'"), text)
        XCTAssertTrue(text.contains("error: column 'body_mass_g' holds numbers; `encode date` is for columns of dates written YYYY-MM-DD"), text)
    }

    func testAStepRecordOfDatesReadsBack() {
        let step = PipelineStep.encodeDate(DateEncoding(column: "d", parts: [.year, .hour, .weekdayCos]))
        XCTAssertEqual(StepRecord(step)?.pipelineStep, step)
        var record = StepRecord(step)!
        record.parts = ["year", "fortnight"]
        XCTAssertNil(record.pipelineStep, "an unknown part")
    }
}
