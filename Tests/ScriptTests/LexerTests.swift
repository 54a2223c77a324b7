import XCTest
@testable import Script

final class LexerTests: XCTestCase {
    /// (source, expected token kinds without separators/end)
    func testTokenTable() {
        let cases: [(String, [TokenKind])] = [
            ("dense 64 relu", [.word("dense"), .number(64), .word("relu")]),
            ("split 0.8 seed=42", [.word("split"), .number(0.8), .word("seed"), .equals, .number(42)]),
            ("train lr=1e-3", [.word("train"), .word("lr"), .equals, .number(0.001)]),
            ("train lr=-1", [.word("train"), .word("lr"), .equals, .number(-1)]),
            ("x .5 +2", [.word("x"), .number(0.5), .number(2)]),
            ("conv 5x5", [.word("conv"), .dimension([5, 5])]),
            ("input 28x28x1", [.word("input"), .dimension([28, 28, 1])]),
            ("sweep lr=0.1,0.001", [.word("sweep"), .word("lr"), .equals, .number(0.1), .comma, .number(0.001)]),
            ("load \"a b.csv\"", [.word("load"), .string("a b.csv")]),
            ("load \"say \\\"hi\\\".csv\"", [.word("load"), .string("say \"hi\".csv")]),
            ("load datasets/iris.csv target=species", [.word("load"), .word("datasets/iris.csv"), .word("target"), .equals, .word("species")]),
            ("dense 3 softmax # the output layer", [.word("dense"), .number(3), .word("softmax")]),
            ("# only a comment", []),
            // A date is a word, as a text cell is; whether it is a real one is for `predict` to say.
            ("predict 2016-01-31,0.5,NA", [.word("predict"), .word("2016-01-31"), .comma, .number(0.5), .comma, .word("NA")]),
            ("predict 2016-01-31T14:00:00Z,1", [.word("predict"), .word("2016-01-31T14:00:00Z"), .comma, .number(1)]),
            ("predict 2016-13-45", [.word("predict"), .word("2016-13-45")]),
        ]
        for (source, expected) in cases {
            let lexer = Lexer(source: source)
            XCTAssertEqual(lexer.diagnostics, [], source)
            let kinds = lexer.tokens.map(\.kind).filter { $0 != .separator && $0 != .end }
            XCTAssertEqual(kinds, expected, source)
        }
    }

    func testSemicolonsAndNewlinesSeparate() {
        let kinds = Lexer(source: "load iris; split 0.8\nsummary").tokens.map(\.kind)
        XCTAssertEqual(kinds, [.word("load"), .word("iris"), .separator, .word("split"), .number(0.8), .separator,
                               .word("summary"), .separator, .end])
    }

    func testColumnsAreCharacterPositions() {
        let tokens = Lexer(source: "  dense  64").tokens
        XCTAssertEqual(tokens[0].range, SourceRange(line: 1, column: 3, length: 5))
        XCTAssertEqual(tokens[1].range, SourceRange(line: 1, column: 10, length: 2))
    }

    func testErrorTable() {
        let cases: [(String, String, Int)] = [
            ("load \"iris.csv", "unterminated string", 6),
            ("split 0.8x", "'0.8x' is not a number, a dimension or a word", 7),
            ("dense 64 @relu", "unexpected character '@'", 10),
            ("conv 5x", "'5x' is not a number, a dimension or a word", 6),
        ]
        for (source, message, column) in cases {
            let diagnostics = Lexer(source: source).diagnostics
            XCTAssertEqual(diagnostics.map(\.message), [message], source)
            XCTAssertEqual(diagnostics.first?.range?.column, column, source)
        }
    }
}
