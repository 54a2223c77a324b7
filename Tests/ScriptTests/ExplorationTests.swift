import XCTest
import Script

/// Exploration statements at the prompt: what they print, and their bad input.
final class ExplorationTests: XCTestCase {
    func testHeadTailAndColumns() {
        assertOutput(["load iris", "head 2", "tail 1", "columns"], [
            "   sepal_length_cm  sepal_width_cm  petal_length_cm  petal_width_cm  species\n0              5.1             3.5              1.4             0.2  setosa\n",
            "149              5.9               3              5.1             1.8  virginica\n[1 of 150 rows x 5 columns]",
            "4  species          text          0         3  target",
        ], outcomes: [.ok, .ok, .ok, .ok])
    }

    func testWideTablesAreElidedInTheMiddle() {
        let (text, _) = runLines(["load breast_cancer", "head 1"])
        let header = text.split(separator: "\n")[1]
        XCTAssertTrue(header.contains("..."), text)
        XCTAssertTrue(header.hasSuffix("diagnosis"), text)
        XCTAssertLessThanOrEqual(text.split(separator: "\n").map(\.count).max() ?? 0, 100, text)
    }

    func testDescribePrintsPandasFigures() {
        // pandas: iris.describe() sepal_length_cm mean 5.843333, std 0.828066, 25% 5.1, 75% 6.4
        assertOutput(["load iris", "describe"], [
            "sepal_length_cm    150  5.843  0.8281  4.3  5.1   5.8  6.4  7.9",
            "petal_length_cm    150  3.758   1.765    1  1.6  4.35  5.1  6.9",
            "species    150       3  setosa    50",
        ], outcomes: [.ok, .ok])
    }

    func testDescribeWithNoData() {
        assertOutput(["describe"], ["<stdin>:1:1: error: describe needs data, but nothing is loaded", "hint: start with `load iris`"],
                     outcomes: [.runtimeError])
    }

    func testMissingImputeAndDropna() {
        assertOutput(["load penguins", "missing", "impute mean sex", "dropna sex", "impute median", "missing"], [
            "sex                     11     3.2%  ##",
            "<stdin>:3:13: error: cannot take the mean of text column 'sex'",
            "dropna: removed 11 rows with missing values; 333 left",
            "impute: no missing values in any feature column",
            "no missing values",
        ], outcomes: [.ok, .ok, .runtimeError, .ok, .ok, .ok])
    }

    func testImputeIsFittedOnTrainingRowsAndReplayedByPredict() {
        assertOutput(["load penguins", "split 0.8 seed=1", "impute median", "encode onehot island,sex", "drop year",
                      "dense 3 softmax", "train epochs=1", "predict Dream,NA,17,190,3700,NA"], [
            "impute (fitted on the 275 training rows): ",
            "encode onehot island: 3 indicator columns (island_Biscoe, island_Dream, island_Torgersen)",
            "predicted: ",
        ], outcomes: [.ok, .ok, .ok, .ok, .ok, .ok, .ok, .ok])
    }

    func testUnseenCategoryAtPredictIsANote() {
        assertOutput(["load penguins", "dropna", "encode onehot island,sex", "drop year", "dense 3 softmax", "train epochs=1",
                      "predict Atlantis,45,15,200,4000,male"],
                     ["note: 'Atlantis' was never seen in island during training (known: Biscoe, Dream, Torgersen); it is encoded as all zeros"])
    }

    func testTextFeatureReachingTrainSaysWhatToDo() {
        assertOutput(["load penguins", "dropna", "dense 3 softmax", "train"],
                     ["error: feature column 'island' holds text", "also text: 'sex'"], outcomes: [.ok, .ok, .ok, .runtimeError])
    }

    func testDropUnknownColumnSuggests() {
        assertOutput(["load penguins", "drop yaer"], ["error: 'penguins.csv' has no column named 'yaer'", "did you mean 'year'?"],
                     outcomes: [.ok, .runtimeError])
    }

    func testOutliersClipAndDrop() {
        assertOutput(["load breast_cancer", "outliers area_error,mean_area", "clip outliers", "outliers area_error", "drop outliers"], [
            "area_error", "65", "rows with outliers; `clip outliers` caps them at the fences",
            "clip outliers: values capped at the fences in every row (area_error 65, mean_area 25)",
            "no outliers",
            "drop outliers: removed 0 rows; 569 left",
        ])
        assertOutput(["load iris", "clip outliers"], ["error: clip outliers acts on what `outliers` found, but it has not run yet"],
                     outcomes: [.ok, .runtimeError])
    }

    func testCorrListsRedundantPairsAndTheDropStatement() {
        assertOutput(["load iris", "corr"], [
            "petal_length_cm  petal_width_cm  0.963",
            "to drop one of each pair: drop petal_length_cm",
        ])
    }

    func testCorrWithAConstantColumnExplainsNotANumber() throws {
        let path = NSTemporaryDirectory() + "dl-constant-\(UUID().uuidString).csv"
        try "a,b,c,label\n1,5,2,x\n2,5,4,y\n3,5,7,x\n4,5,8,y\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (text, outcomes) = runLines(["load \"\(path)\"", "corr"])
        XCTAssertEqual(outcomes, [.ok, .ok], text)
        XCTAssertTrue(text.contains("note: 'b' is constant, so its correlation is undefined (n/a)"), text)
        XCTAssertTrue(text.contains("n/a"), text)
        XCTAssertFalse(text.contains("nan") || text.contains("NaN"), text)
    }

    func testPlotFileErrors() {
        assertOutput(["load iris", "plot hist sepal_width_cm to \"/nonexistent-folder/h.svg\""],
                     ["error: cannot write '/nonexistent-folder/h.svg': the folder '/nonexistent-folder' does not exist", "mkdir -p"],
                     outcomes: [.ok, .runtimeError])
        assertOutput(["load iris", "plot hist sepal_width_cm to \"/sys/h.svg\""],
                     ["error: cannot write '/sys/h.svg': permission denied"], outcomes: [.ok, .runtimeError])
    }

    func testPlotBoundaryNeedsTwoFeatures() {
        assertOutput(["load iris", "dense 3 softmax", "train epochs=1", "plot boundary"],
                     ["error: plot boundary draws the plane of two features, but the data has 4", "keep COL1,COL2"],
                     outcomes: [.ok, .ok, .ok, .runtimeError])
    }

    func testPlotsInTheTerminalAreAscii() {
        let (text, outcomes) = runLines(["load iris", "plot hist petal_length_cm", "plot sepal_length_cm vs petal_length_cm",
                                        "plot box", "plot corr"])
        XCTAssertEqual(outcomes, [.ok, .ok, .ok, .ok, .ok], text)
        XCTAssertFalse(text.unicodeScalars.contains { $0 == "\u{1B}" }, "no escape codes without a terminal")
        XCTAssertLessThanOrEqual(text.split(separator: "\n").map(\.count).max() ?? 0, 100, text)
    }
}
