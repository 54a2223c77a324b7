import XCTest
@testable import Script

/// Statement checking, table-driven: source → the first diagnostic's message, column and hint.
final class CheckerTests: XCTestCase {
    func check(_ source: String) -> Diagnostic? {
        let parser = Parser(source: source)
        if let first = parser.diagnostics.first { return first }
        let checker = Checker(table: .standard)
        for statement in parser.statements {
            do { _ = try checker.check(statement) } catch let d as Diagnostic { return d } catch { return nil }
        }
        return nil
    }

    func testValidStatements() {
        for source in ["load iris", "load \"datasets/iris.csv\" target=species", "load moons n=200 noise=0.2 seed=3",
                       "load blobs classes=3 features=4", "task classification", "split 0.8 seed=42 stratify",
                       "scale minmax", "dense 64 relu", "dense 1", "summary", "reset weights", "loss mse",
                       "optimizer sgd momentum=0.9", "optimizer adam beta1=0.8", "train lr=0.1 epochs=200 batch=32",
                       "evaluate", "predict 5.1,3.5,1.4,0.2", "predict 3", "predict Biscoe,45.2,NA,\"a b\"",
                       "head", "tail 3", "columns", "describe", "missing", "impute median", "impute mode sex,island",
                       "impute constant=unknown sex", "impute median bill_length_mm", "dropna", "dropna sex", "drop year,sex",
                       "drop outliers", "keep a,b", "target sex", "encode onehot island,sex", "outliers",
                       "outliers a,b method=zscore k=2", "clip outliers", "corr method=spearman threshold=0.8",
                       "plot loss", "plot accuracy to \"a.svg\"", "plot hist x bins=10", "plot box", "plot box a,b",
                       "plot corr method=spearman", "plot boundary to \"m.svg\"", "plot a vs b", "report \"r.html\"",
                       "input 28x28x1", "conv 5x5", "conv 5x5 filters=6 pad=same relu", "conv 3x3 stride=2 tanh",
                       "pool 2x2", "pool 2x2 avg stride=1", "flatten", "dropout 0.5", "show image 3",
                       "plot filters", "plot filters 2 to \"f.svg\"", "load mnist \"data/mnist\"",
                       "load shapes n=200 size=16 classes=3 noise=0.2 seed=1", "set seed=7", "show", "help", "help dense",
                       "run \"x.dl\"", "quit"] {
            XCTAssertNil(check(source), source)
        }
    }

    func testErrorTable() {
        let cases: [(source: String, message: String, column: Int)] = [
            ("dens 64 relu", "unknown statement 'dens'; did you mean 'dense'?", 1),
            ("dense 64 relu6", "unknown activation 'relu6'; did you mean 'relu'?", 10),
            ("dense 0", "units expects a whole number from 1 to 1000000 but got '0'", 7),
            ("dense relu", "units expects a whole number from 1 to 1000000 but got 'relu'", 7),
            ("dense", "dense needs UNITS (a whole number from 1 to 1000000)", 1),
            ("split 1.5", "fraction expects a number > 0 and < 1 but got '1.5'", 7),
            ("split 0.8 sead=1", "unknown key 'sead' for split; did you mean 'seed'?", 11),
            ("split 0.8 stratfy", "unexpected argument 'stratfy' for split", 11),
            ("train lr=-1", "'lr=' expects a number > 0 and <= 100, or suggested but got '-1'", 10),
            ("train epoch=5", "unknown key 'epoch' for train; did you mean 'epochs'?", 7),
            ("train lr=0.1 lr=0.2", "'lr=' is given twice", 14),
            ("train epochs=2.5", "'epochs=' expects a whole number from 1 to 10000000 but got '2.5'", 14),
            ("scale minmix", "unknown method 'minmix'; did you mean 'minmax'?", 7),
            ("load irsi", "unknown data set 'irsi'; did you mean 'iris'?", 6),
            ("load iris n=5", "unknown key 'n' for load; did you mean 'na'?", 11),
            ("optimizer adam momentum=0.9", "'momentum=' applies to optimizer sgd only", 16),
            ("predict 1,5x5,3", "values expects values separated by commas but got '5x5'", 11),
            ("drop a,3", "columns expects names separated by commas but got '3'", 8),
            ("plot lss", "unknown plot 'lss'; did you mean 'loss'?", 6),
            ("plot loss to", "'to' needs a file name after it", 11),
            ("plot hist", "plot hist needs COLUMN (a name)", 1),
            ("plot", "plot needs to know what to do", 1),
            ("plot loss bins=3", "unknown key 'bins' for plot loss", 11),
            ("plot loss to \"a.svg\" extra", "unexpected 'extra' after the file name", 22),
            ("plot filters x", "layer expects a whole number from 1 to 1000 but got 'x'", 14),
            ("impute", "impute needs a strategy: mean, median, mode or constant=VALUE", 1),
            ("impute meen", "unknown strategy 'meen'; did you mean 'mean'?", 8),
            ("encode onehat island", "unknown method 'onehat'; did you mean 'onehot'?", 8),
            ("outliers method=iq", "unknown value for 'method=' 'iq'; did you mean 'iqr'?", 17),
            ("help trian", "no statement named 'trian'; did you mean 'train'?", 6),
            ("reset everything", "unknown part 'everything'", 7),
            ("conv 5", "kernel expects a size like 5x5 but got '5'", 6),
            ("conv 5x5x1", "kernel expects a size like 5x5 but got '5x5x1'", 6),
            ("conv 5x5 filters=0", "'filters=' expects a whole number from 1 to 4096 but got '0'", 18),
            ("conv 5x5 pad=full", "unknown value for 'pad=' 'full'", 14),
            ("pool 2x3", "pooling windows are square, but 2x3 is not", 6),
            ("input 28x28x1x1", "shape expects a shape like 150x1 (steps x channels) or 28x28x1 (height x width x channels) but got '28x28x1x1'", 7),
            ("dropout 1", "rate expects a number >= 0 and < 1 but got '1'", 9),
            ("show image", "show image needs N (a whole number >= 0)", 1),
            ("load mnist", "load mnist needs FOLDER (a file path)", 1),
            ("load shapes size=4", "'size=' expects a whole number from 8 to 128 but got '4'", 18),
            ("load moons size=28", "unknown key 'size' for load moons", 12),
        ]
        for c in cases {
            let diagnostic = check(c.source)
            XCTAssertEqual(diagnostic?.message, c.message, c.source)
            XCTAssertEqual(diagnostic?.range?.column, c.column, c.source)
            XCTAssertNotNil(diagnostic?.hint, c.source)
        }
    }

    func testRenderedDiagnostic() {
        let source = "load iris\ndens 64 relu\n"
        let renderer = DiagnosticRenderer(fileName: "iris.dl", source: source, useColor: false)
        let text = renderer.render(check("dens 64 relu")!.placedOnLine(2))
        XCTAssertEqual(text, """
            iris.dl:2:1: error: unknown statement 'dens'; did you mean 'dense'?
                2 | dens 64 relu
                  | ^~~~
            hint: type `help` to list the statements

            """)
    }
}

private extension Diagnostic {
    func placedOnLine(_ line: Int) -> Diagnostic {
        var copy = self
        copy.range?.line = line
        return copy
    }
}
