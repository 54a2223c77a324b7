import XCTest
@testable import Script

final class ParserTests: XCTestCase {
    func testStatementsAndArguments() {
        let parser = Parser(source: "split 0.8 seed=42 stratify; predict 5.1,3.5,1.4,0.2")
        XCTAssertEqual(parser.diagnostics, [])
        XCTAssertEqual(parser.statements.map(\.name), ["split", "predict"])
        let split = parser.statements[0]
        XCTAssertEqual(split.arguments.map(\.key), [nil, "seed", nil])
        XCTAssertEqual(split.arguments.map(\.value.text), ["0.8", "42", "stratify"])
        XCTAssertEqual(split.range, SourceRange(line: 1, column: 1, length: 26))
        guard case .list(let items) = parser.statements[1].arguments[0].value.kind else {
            return XCTFail("predict's argument should be a list")
        }
        XCTAssertEqual(items.map(\.kind), [.number(5.1), .number(3.5), .number(1.4), .number(0.2)])
    }

    func testErrorTable() {
        let cases: [(String, String)] = [
            ("train lr=", "expected a value after 'lr=' but found the end of the statement"),
            ("train =0.1", "'=' needs a name before it"),
            ("0.8 split", "expected a statement name but found '0.8'"),
            ("sweep lr=0.1,", "expected a value after ',' but found the end of the statement"),
        ]
        for (source, message) in cases {
            XCTAssertEqual(Parser(source: source).diagnostics.map(\.message), [message], source)
        }
    }

    func testOneBadLineDoesNotHideTheNext() {
        let parser = Parser(source: "train lr=\nload \"x\ndense 3")
        XCTAssertEqual(parser.diagnostics.compactMap { $0.range?.line }, [1, 2])
        XCTAssertEqual(parser.statements.map(\.name), ["dense"])
    }
}
