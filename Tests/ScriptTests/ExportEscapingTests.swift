import XCTest
import DLCore
@testable import Script

/// Column and class names with control characters, quotes, backslashes and non-ASCII go
/// into the exported Python scripts as literals that parse and read back as the names.
final class ExportEscapingTests: XCTestCase {
    private var folder = ""

    override func setUpWithError() throws {
        folder = try makeTemporaryFolder("dl-export-escaping")
    }

    func testQuotedLiteralUsesJSONEscapes() {
        XCTAssertEqual(quotedLiteral("plain"), "\"plain\"")
        XCTAssertEqual(quotedLiteral("a\"b\\c"), #""a\"b\\c""#)
        XCTAssertEqual(quotedLiteral("\n\r\t\u{0}\u{1F}\u{7F}"), #""\n\r\t\u0000\u001f"# + "\u{7F}\"")
        XCTAssertEqual(quotedLiteral("café é"), "\"café é\"")
        XCTAssertEqual(quotedLiteralBody("x\"\r"), #"x\"\r"#)
    }

    /// The names of the header row, the class names, and (for `columns`) the names once `encode` and `drop` ran.
    private let names = ["cr\rx", "q\"uote", "back\\slash", "tab\tx", "café", "ki\"nd"]
    private let classes = ["no \"x\"", "sí"]

    /// The CSV: a quoted header (a quote doubled inside quotes), NA in every numeric column
    /// with a strange name so that `impute` writes a step (and its docstring) for each.
    private func writeCSV() throws -> String {
        let header = names.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" } + ["label"]
        let rows = [
            "NA,NA,NA,NA,5,u,sí", "2,2,4,5,6,v,\"no \"\"x\"\"\"", "3,4,5,6,7,u,sí",
            "4,5,6,7,8,w,\"no \"\"x\"\"\"", "5,6,7,8,9,u,sí", "6,7,8,9,10,v,\"no \"\"x\"\"\"",
        ]
        let path = folder + "/strange names é.csv"
        try ([header.joined(separator: ",")] + rows).joined(separator: "\n").appending("\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Python that parses the script and prints, as JSON, the values of DATA, CLASSES and
    /// FEATURES, every `columns = [...]` and every function's docstring.
    private let reader = """
        import ast, json, sys
        tree = ast.parse(open(sys.argv[1], encoding="utf-8").read())
        found = {"columns": [], "docstrings": []}
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
                name = node.targets[0].id
                if name in ("DATA", "CLASSES", "FEATURES"):
                    found[name] = ast.literal_eval(node.value)
                elif name == "columns":
                    found["columns"].append(ast.literal_eval(node.value))
            if isinstance(node, ast.FunctionDef) and ast.get_docstring(node, clean=False):
                found["docstrings"].append(ast.get_docstring(node, clean=False))
        print(json.dumps(found))
        """

    private func readBack(_ script: String) throws -> [String: Any] {
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", "-c", reader, script]
        let out = Pipe(), err = Pipe()
        python.standardOutput = out
        python.standardError = err
        try python.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        python.waitUntilExit()
        XCTAssertEqual(python.terminationStatus, 0, "python3 could not parse \(script): \(errors)")
        return try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any], errors)
    }

    func testStrangeColumnNamesParseAndReadBackInBothScripts() throws {
        let csv = try writeCSV()
        let output = CapturedOutput(width: 100)
        let session = Interpreter(output: output)
        let lines = ["load \(quotedLiteral(csv))", "impute median", "encode onehot \"ki\\\"nd\"", "drop café",
                     "dense 2 softmax", "train epochs=1",
                     "export keras \"\(folder)/k.py\"", "export torch \"\(folder)/t.py\""]
        for line in lines {
            XCTAssertEqual(session.runInteractive(line), .ok, "\(line)\n\(output.text)")
        }
        for script in ["k.py", "t.py"] {
            let found = try readBack(folder + "/" + script)
            XCTAssertEqual(found["DATA"] as? String, csv, script)
            XCTAssertEqual(found["CLASSES"] as? [String], classes, script)
            XCTAssertEqual(found["FEATURES"] as? [String], Array(names.prefix(4)) + ["ki\"nd_u", "ki\"nd_v", "ki\"nd_w"], script)
            XCTAssertEqual(found["columns"] as? [[String]], [["café"]], script)
            let docstrings = try XCTUnwrap(found["docstrings"] as? [String])
            for name in names.prefix(4) {
                XCTAssertTrue(docstrings.contains("impute \(name): the value dl fitted on its training rows."), "\(script): \(docstrings)")
            }
            XCTAssertTrue(docstrings.contains("encode onehot ki\"nd: one 0/1 column per category; an unseen one is all zeros."), "\(script): \(docstrings)")
            XCTAssertTrue(docstrings.contains("drop café"), "\(script): \(docstrings)")
        }
    }

    /// `dropna COLUMNS` removes the rows missing those columns only, and so does the script:
    /// a bare `frame.dropna()` would also drop rows that dl kept (and `impute` filled).
    func testDropnaOfSomeColumnsIsExportedWithItsSubset() throws {
        let (text, outcomes) = runLines(["load cars", "dropna mpg", "drop name,year", "impute median", "encode onehot origin",
                                         "scale standard", "scale target standard", "dense 1", "train epochs=1", "show keras",
                                         "load iris", "dropna", "reset model", "dense 3 softmax", "train epochs=1", "show torch"])
        XCTAssertEqual(outcomes, Array(repeating: .ok, count: 16), text)
        XCTAssertTrue(text.contains("    frame = frame.dropna(subset=[\"mpg\"])  # dl: dropna mpg\n"), text)
        XCTAssertTrue(text.contains("    frame = frame.dropna()  # dl: dropna\n"), text)
    }
}
