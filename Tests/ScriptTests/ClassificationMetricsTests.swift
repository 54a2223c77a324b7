import XCTest
@testable import Script

/// evaluate's figures for classes against scikit-learn 1.9 on the same labels and scores
/// (the expected numbers were printed by classification_report, balanced_accuracy_score,
/// roc_auc_score, average_precision_score and roc_curve).
final class ClassificationMetricsTests: XCTestCase {
    /// y_true = [0,0,0,0,1,1,1,2,2,3,3,3,3,0,1], y_pred = [0,0,1,3,1,1,0,2,0,3,3,1,4,0,1]; class 4 is
    /// only predicted, class 5 neither true nor predicted (scikit-learn leaves it out of the report).
    func testReportRowsAndBalancedAccuracyAsScikitLearn() {
        let truth = [0, 0, 0, 0, 1, 1, 1, 2, 2, 3, 3, 3, 3, 0, 1]
        let predicted = [0, 0, 1, 3, 1, 1, 0, 2, 0, 3, 3, 1, 4, 0, 1]
        let report = ClassificationReport(truth: truth, predicted: predicted, classNames: ["a", "b", "c", "d", "e", "f"])
        XCTAssertEqual(report.presentClasses, [0, 1, 2, 3, 4])
        XCTAssertEqual(report.accuracy, 0.6, accuracy: 1e-9)
        let (macro, weighted) = report.averages()
        XCTAssertEqual(macro.precision, 0.573333, accuracy: 1e-6)
        XCTAssertEqual(macro.recall, 0.470000, accuracy: 1e-6)
        XCTAssertEqual(macro.f1, 0.500952, accuracy: 1e-6)
        XCTAssertEqual(weighted.precision, 0.671111, accuracy: 1e-6)
        XCTAssertEqual(weighted.recall, 0.600000, accuracy: 1e-6)
        XCTAssertEqual(weighted.f1, 0.619048, accuracy: 1e-6)
        // balanced_accuracy_score: the mean recall of the four classes in y_true.
        XCTAssertEqual(report.balancedAccuracy, 0.5875, accuracy: 1e-9)

        let table = report.perClassTable().table.render()
        XCTAssertTrue(table.contains("accuracy                         0.6000       15"), table)
        XCTAssertTrue(table.contains("macro avg        0.5733  0.4700  0.5010       15"), table)
        XCTAssertTrue(table.contains("weighted avg     0.6711  0.6000  0.6190       15"), table)
    }

    /// Scores with ties: roc_auc_score 0.730159, average_precision_score 0.744589, and the
    /// curve of roc_curve(drop_intermediate=False).
    func testROCAndAveragePrecisionAsScikitLearn() {
        let truth = [0, 0, 1, 1, 0, 1, 0, 0, 1, 0, 1, 1, 0, 0, 0, 1]
        let scores = [0.1, 0.4, 0.35, 0.8, 0.4, 0.9, 0.2, 0.65, 0.4, 0.05, 0.7, 0.55, 0.3, 0.4, 0.6, 0.2]
        let curves = BinaryCurves(positive: truth.map { $0 == 1 }, scores: scores)
        XCTAssertEqual(curves.rocAUC!, 0.7301587301587301, accuracy: 1e-12)
        XCTAssertEqual(curves.averagePrecision!, 0.7445887445887445, accuracy: 1e-12)
        let expected: [(Double, Double)] = [(0, 0), (0, 0.1429), (0, 0.2857), (0, 0.4286), (0.1111, 0.4286), (0.2222, 0.4286),
                                            (0.2222, 0.5714), (0.5556, 0.7143), (0.5556, 0.8571), (0.6667, 0.8571),
                                            (0.7778, 1), (0.8889, 1), (1, 1)]
        XCTAssertEqual(curves.roc.count, expected.count)
        for (point, want) in zip(curves.roc, expected) {
            XCTAssertEqual(point.fpr, want.0, accuracy: 1e-4)
            XCTAssertEqual(point.tpr, want.1, accuracy: 1e-4)
        }
        let oneClass = BinaryCurves(positive: [true, true], scores: [0.2, 0.9])
        XCTAssertNil(oneClass.rocAUC)
        XCTAssertEqual(oneClass.averagePrecision!, 1, accuracy: 1e-12)
    }

    func testLargestConfusionsAndTheMostCommonClass() {
        // 30 classes: each class k's rows go to k, and class 3 sends 5 rows to 7, class 9 sends 2 to 1.
        var truth: [Int] = [], predicted: [Int] = []
        for k in 0..<30 { truth.append(k); predicted.append(k) }
        truth += Array(repeating: 3, count: 5); predicted += Array(repeating: 7, count: 5)
        truth += [9, 9]; predicted += [1, 1]
        let report = ClassificationReport(truth: truth, predicted: predicted, classNames: (0..<30).map { "c\($0)" })
        let confusions = report.largestConfusions(10)
        XCTAssertEqual(confusions.count, 2)
        XCTAssertEqual(confusions[0].truth, 3); XCTAssertEqual(confusions[0].predicted, 7); XCTAssertEqual(confusions[0].rows, 5)
        XCTAssertEqual(confusions[1].truth, 9); XCTAssertEqual(confusions[1].rows, 2)
        let table = report.confusionTable()
        XCTAssertTrue(table.heading.contains("the 2 largest confusions of 30 classes"), table.heading)
        XCTAssertEqual(table.table.rows.first, ["c3", "c7", "5", "0.8333"])
        let perClass = report.perClassTable()
        XCTAssertEqual(perClass.table.rows.count, 10 + 3, "the 10 lowest F1, then accuracy, macro and weighted avg")
        XCTAssertEqual(perClass.table.rows.first?.first, "c3")
        XCTAssertNotNil(perClass.note)

        XCTAssertEqual(Session.mostCommon([2, 1, 1, 2, 0], classes: 3), 1, "ties go to the first class, as DummyClassifier")
        XCTAssertNil(Session.mostCommon([], classes: 3))
    }
}
