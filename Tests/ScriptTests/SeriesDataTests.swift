import Foundation
import XCTest
import DLCore
@testable import Script
@testable import Tabular

/// Series data at the prompt: `load … test=`, UCR series files, `window`, the split by time,
/// the forecast, `load waves` and the series charts, with the bad input issue 26 lists.
final class SeriesDataTests: XCTestCase {
    private func file(_ name: String, _ text: String) throws -> String {
        try writeFile(name, text, in: makeTemporaryFolder("series-data"))
    }

    /// A long series of `rows` rows: x counts up, y = 2x + a wave.
    private func longSeries(rows: Int) throws -> String {
        let lines = (0..<rows).map { t in "\(t),\(Double(2 * t) + 10 * sin(Double(t) / 3))" }
        return try file("long.csv", (["x,y"] + lines).joined(separator: "\n") + "\n")
    }

    // MARK: - load … test=

    func testATestFileIsTheTestSplitAndSplitKeepsIt() throws {
        let train = try file("train.csv", "label,a,b\nx,1,2\ny,3,4\nx,5,6\ny,7,8\n")
        let test = try file("test.csv", "b,a,label\n1,2,x\n3,4,y\n") // other order: matched by name
        let (text, outcomes) = runLines(["load \"\(train)\" test=\"\(test)\" target=label", "split 0.5", "show state"])
        XCTAssertEqual(outcomes, [.ok, .ok, .ok], text)
        XCTAssertTrue(text.contains("split: 4 training rows, 2 test rows from the test file 'test.csv' (it came with the data, so `split` keeps it)"), text)
        XCTAssertTrue(text.contains("split: kept the split that came with the data (4 training rows, 2 test rows: the test file 'test.csv') rather than reshuffling"), text)
        XCTAssertFalse(text.contains("; split 0.5"), "a split that changed nothing is not part of the state:\n\(text)")
    }

    func testATestFileWithOtherColumnsIsAnErrorNamingThem() throws {
        let train = try file("train.csv", "label,a,b\nx,1,2\ny,3,4\n")
        let test = try file("test.csv", "label,a,c\nx,1,2\n")
        assertOutput(["load \"\(train)\" test=\"\(test)\" target=label", "load \"\(train)\" target=label"], [
            "error: the test file 'test.csv' has other columns than 'train.csv': it lacks 'b' and has 'c' besides",
            "loaded train.csv: 2 rows",
        ], outcomes: [.runtimeError, .ok])
    }

    // MARK: - UCR files

    func testAUCRTabFileIsReadAsLabelledSeries() throws {
        let train = try file("S_TRAIN.tsv", "1\t0.5\t1.5\t2.5\n2\t-1\t-2\t-3\n1\t0\t1\t2\n")
        let test = try file("S_TEST.tsv", "2\t-1\t-1\t-1\n")
        let (text, outcomes) = runLines(["load \"\(train)\" test=\"\(test)\"", "plot series 0,1"])
        XCTAssertEqual(outcomes, [.ok, .ok], text)
        XCTAssertTrue(text.contains("loaded S_TRAIN.tsv: 4 rows, 3 features (series of 3 steps x 1 channel); target 'label': 2 classes (1, 2)"), text)
        XCTAssertTrue(text.contains("row 0: 1") && text.contains("row 1: 2"), text)
    }

    func testATSFileWithTwoChannelsRunsChannelFastest() throws {
        let path = try file("M.ts", "# comment\n@problemName M\n@classLabel true a b\n@data\n1,2,3:10,20,30:a\n4,5,6:40,50,60:b\n")
        let table = try SeriesFile.read(path: path)
        XCTAssertEqual(table.columnNames, ["label", "t0_c0", "t0_c1", "t1_c0", "t1_c1", "t2_c0", "t2_c1"])
        XCTAssertEqual(SeriesFile.shape(of: table), [3, 2])
        guard case .numeric(let cells)? = table.column(named: "t2_c1")?.data else { return XCTFail("numeric") }
        XCTAssertEqual(cells.doubles, [30, 60])
        assertOutput(["load \"\(path)\""], ["(series of 3 steps x 2 channels)"], outcomes: [.ok])
    }

    func testRaggedSeriesAreRefusedByLine() throws {
        let tsv = try file("R.tsv", "1\t1\t2\t3\n2\t1\t2\n")
        let padded = try file("P.tsv", "1\t1\t2\t3\n2\t1\t2\tNaN\n")
        let csv = try file("r.csv", "label,t0,t1,t2,t3\na,1,2,3,4\nb,1,2,,\na,2,3,4,5\nb,5,6,7,8\nb,6,7,8,9\n")
        assertOutput(["load \"\(tsv)\"", "load \"\(padded)\"", "load \"\(csv)\" target=label", "input 4x1", "dropna", "input 4x1"], [
            "error: line 2 of 'R.tsv' holds a series of 2 values but line 1 has 3: series of unequal length are refused rather than padded",
            "error: line 2 of 'P.tsv' holds a series of 2 values but line 1 has 3",
            "<stdin>:4:7: error: line 3 of 'r.csv' ends after 2 of 4 steps (its last cells are empty): series of unequal length are refused rather than padded",
            "input: each row is a series of 4 steps x 1 channel",
        ], outcomes: [.runtimeError, .runtimeError, .ok, .runtimeError, .ok, .ok])
    }

    func testAnInfiniteValueIsRefusedByLine() throws {
        let tsv = try file("I.tsv", "1\t1\t2\n2\tinf\t2\n")
        let csv = try file("i.csv", "label,t0,t1\na,1,2\nb,-inf,3\n")
        let long = try file("l.csv", "y\n1\n2\ninf\n4\n5\n")
        assertOutput(["load \"\(tsv)\"", "load \"\(csv)\" target=label", "input 2x1", "load \"\(long)\"", "window 2", "columns"], [
            "error: line 2 of 'I.tsv' has an infinite value (value 1, 'inf')",
            "<stdin>:3:7: error: line 3 of 'i.csv' has an infinite value in 't0'",
            "<stdin>:5:8: error: line 4 of 'l.csv' has an infinite value in 'y'",
        ], outcomes: [.runtimeError, .ok, .runtimeError, .ok, .runtimeError, .ok])
    }

    // MARK: - window

    func testWindowOnTooFewRowsAndAHorizonBeyondTheData() throws {
        let short = try longSeries(rows: 20)
        assertOutput(["load \"\(short)\"", "window 24", "window 18 horizon=5", "window 18 horizon=2"], [
            "<stdin>:2:8: error: window 24 needs at least 25 rows (24 steps and a target 1 step after them) but 'long.csv' has 20",
            "hint: use a window of at most 19 steps",
            "<stdin>:3:19: error: window 18 horizon=5 needs 23 rows (18 steps and a target 5 steps after the last) but 'long.csv' has 20: the horizon reaches beyond the data",
            "hint: use a horizon of at most 2, or a shorter window",
            "window: 1 windows of 18 steps x 2 channels (x, y), each forecasting 'y' 2 steps after its last row",
        ], outcomes: [.ok, .runtimeError, .runtimeError, .ok])
    }

    func testWindowsHoldTheStepsChannelFastestAndTheTargetAhead() throws {
        let table = Table(columns: [Column(name: "a", data: .numeric([0, 1, 2, 3, 4, 5])),
                                    Column(name: "b", data: .numeric([10, 11, 12, 13, 14, 15]))], rowCount: 6, source: "t")
        let windows = try table.windowed(Windowing(steps: 3, horizon: 2, target: "b"))
        XCTAssertEqual(windows.rowCount, 2)
        XCTAssertEqual(windows.seriesShape, [3, 2])
        XCTAssertEqual(windows.featureNames, ["a_lag2", "b_lag2", "a_lag1", "b_lag1", "a_lag0", "b_lag0"])
        XCTAssertEqual(windows.featureMatrix.row(1), [1, 11, 2, 12, 3, 13])
        XCTAssertEqual(windows.target, .values([14, 15]), "window 0 ends at row 2 and predicts row 4")
        XCTAssertEqual(table.lastWindow(Windowing(steps: 3, horizon: 2, target: "b")), [3, 13, 4, 14, 5, 15])
    }

    func testSplitOnWindowsIsByTimeWithNoOverlap() throws {
        let windowing = Windowing(steps: 12, horizon: 1, target: "y")
        let parts = windowing.splitByTime(rows: 144, cut: 115)
        XCTAssertEqual(parts.train.count + parts.test.count + parts.dropped, 132)
        let lastTrainRow = parts.train.map(windowing.targetRow(of:)).max()!
        XCTAssertLessThan(lastTrainRow, parts.test.min()!, "every row a training window uses comes before every test window's first row")
        XCTAssertEqual(parts.dropped, 12, "the windows whose rows straddle the cut")

        let path = try longSeries(rows: 144)
        let (text, outcomes) = runLines(["load \"\(path)\"", "window 12 target=y", "split 0.8", "explain on", "split 0.8"])
        XCTAssertEqual(outcomes, [.ok, .ok, .ok, .ok, .ok], text)
        XCTAssertTrue(text.contains("split by time at row 115 of 144: 103 training windows (targets in rows 12–114), 17 test windows (rows 115–143); 12 windows that straddle the cut are left out"), text)
        XCTAssertTrue(text.contains("The windows were split by time, never shuffled"), text)
    }

    func testPredictForecastsFromTheLastWindowAndPlotForecastDrawsIt() throws {
        let path = try longSeries(rows: 60)
        let (text, outcomes) = runLines(["load \"\(path)\"", "predict", "window 6 target=y", "plot forecast", "predict",
                                         "split 0.8", "scale minmax", "scale target minmax", "dense 1", "train lr=0.1 epochs=50",
                                         "predict", "plot forecast", "show state"])
        XCTAssertEqual(outcomes, [.ok, .runtimeError, .ok, .runtimeError, .runtimeError, .ok, .ok, .ok, .ok, .ok, .ok, .ok, .ok], text)
        XCTAssertTrue(text.contains("<stdin>:2:1: error: predict needs values"), text)
        XCTAssertTrue(text.contains("plot forecast shows what the model predicts, but it has not been trained yet"), text)
        let forecast = text.split(separator: "\n").first { $0.hasPrefix("forecast y at row 60 (1 step after the last row, from rows 54–59): ") }
        let value = forecast.flatMap { Double($0.split(separator: " ").last!) }
        // y grows by 2 a row from 118 - … at row 59; a linear model of the last 6 rows lands near 120.
        XCTAssertNotNil(value, text)
        if let value { XCTAssertEqual(value, 120, accuracy: 15, text) }
        XCTAssertTrue(text.contains("Forecast of y") && text.contains("predicted (test windows)") && text.contains("forecast (row 60)"), text)
        XCTAssertTrue(text.contains("window 6 target=y; split 0.8"), "the state replays the window:\n\(text)")
    }

    // MARK: - load waves and plot series

    func testWavesAreSeededSeriesOneClassPerFrequency() throws {
        var a = SeededRandom(seed: 7), b = SeededRandom(seed: 7)
        let one = try Waves.make(n: 30, steps: 40, classes: 3, noise: 0, rng: &a)
        let two = try Waves.make(n: 30, steps: 40, classes: 3, noise: 0, rng: &b)
        XCTAssertEqual(one.featureMatrix.row(5), two.featureMatrix.row(5), "the same seed gives the same series")
        XCTAssertEqual(one.seriesShape, [40, 1])
        XCTAssertEqual(one.classNames, ["1_cycle", "2_cycles", "3_cycles"])
        XCTAssertEqual(one.target.classCounts(), [10, 10, 10])
        // Without noise, class k crosses zero upwards k + 1 times (give or take the ends).
        guard case .classes(let labels, _) = one.target else { return XCTFail() }
        for row in 0..<30 {
            let v = one.featureMatrix.row(row)
            let rises = (1..<40).filter { v[$0 - 1] < 0 && v[$0] >= 0 }.count
            XCTAssertEqual(Double(rises), Double(labels[row] + 1), accuracy: 1, "row \(row)")
        }
        assertOutput(["load waves n=60 steps=50 classes=2 seed=3", "plot series 0", "plot series 0,1,99", "load iris", "plot series 0"], [
            "loaded waves(n: 60, steps: 50, classes: 2, noise: 0.3): 60 rows, 50 features (series of 50 steps x 1 channel); target 'wave': 2 classes (1_cycle, 2_cycles)",
            "Row 0 of waves",
            "<stdin>:3:13: error: there is no row 99: the data has rows 0 to 59",
            "<stdin>:5:13: error: the rows of 'iris.csv' are not series",
        ], outcomes: [.ok, .ok, .runtimeError, .ok, .runtimeError])
    }

    /// In SVG too: three lines for the forecast; one colour per class for overlaid series.
    func testTheSeriesChartsWriteSVG() throws {
        let folder = try makeTemporaryFolder("series-svg")
        let (text, outcomes) = runLines(["load airline", "window 12", "split 0.8", "scale minmax", "scale target minmax", "dense 1",
                                         "train lr=0.1 epochs=5", "plot forecast to \"\(folder)/f.svg\"",
                                         "load waves n=30 classes=3", "plot series 0,1,2,3,4,5 to \"\(folder)/s.svg\""])
        XCTAssertEqual(outcomes.filter { $0 != .ok }, [], text)
        let forecast = try String(contentsOfFile: folder + "/f.svg", encoding: .utf8)
        XCTAssertEqual(forecast.components(separatedBy: "class=\"series\"").count - 1, 3, forecast)
        let series = try String(contentsOfFile: folder + "/s.svg", encoding: .utf8)
        let strokes = series.components(separatedBy: "<polyline").dropFirst().compactMap { part in
            part.range(of: "stroke=\"#[0-9a-f]+\"", options: .regularExpression).map { String(part[$0]) }
        }
        XCTAssertEqual(strokes.count, 6, series)
        var rng = SeededRandom(seed: 42) // the session's seed, as `load waves` draws from it
        let waves = try Waves.make(n: 30, steps: 100, classes: 3, noise: 0.3, rng: &rng)
        guard case .classes(let labels, _) = waves.target else { return XCTFail() }
        for i in 0..<6 { for j in 0..<6 { XCTAssertEqual(strokes[i] == strokes[j], labels[i] == labels[j], "rows \(i), \(j)") } }
    }

    func testTheBundledAirlineSeriesForecasts() {
        let (text, outcomes) = runLines(["load airline", "window 12", "split 0.8", "plot series 0"])
        XCTAssertEqual(outcomes, [.ok, .ok, .ok, .ok], text)
        XCTAssertTrue(text.contains("loaded airline.csv: 144 rows"), text)
        XCTAssertTrue(text.contains("window: 132 windows of 12 steps x 1 channel (passengers)"), text)
        XCTAssertTrue(text.contains("note: 'month' holds text or dates and is left out of the windows"), text)
    }
}
