import XCTest
import Script

/// The statement at a cursor, read with the Lexer: (text, cursor) → the statement's name, its
/// words, those before the cursor, and the word being typed. `|` marks the cursor.
final class StatementResolverTests: XCTestCase {
    struct Case {
        let text: String
        let name: String?
        let words: [String]
        let before: [String]
        let partial: String
        let kind: ResolvedStatement.PartialKind
        init(_ text: String, _ name: String?, _ words: [String], _ before: [String], _ partial: String,
             _ kind: ResolvedStatement.PartialKind) {
            (self.text, self.name, self.words, self.before, self.partial, self.kind) = (text, name, words, before, partial, kind)
        }
    }

    func testTheStatementAndTheWordAtTheCursor() {
        let cases: [Case] = [
            Case("|", nil, [], [], "", .name),
            Case("den|", nil, ["den"], [], "den", .name),
            Case("dense 64 re|", "dense", ["dense", "64", "re"], ["dense", "64"], "re", .argument),
            Case("dense 64 |", "dense", ["dense", "64"], ["dense", "64"], "", .argument),
            Case("train lr=0.1 ep|", "train", ["train", "lr=0.1", "ep"], ["train", "lr=0.1"], "ep", .argument),
            Case("train lr=|", "train", ["train", "lr="], ["train"], "", .value(key: "lr")),
            Case("sweep lr=0.1,0.0|", "sweep", ["sweep", "lr=0.1,0.0"], ["sweep"], "0.0", .listItem(key: "lr")),
            Case("drop a,|", "drop", ["drop", "a,"], ["drop"], "", .listItem(key: nil)),
            Case("plot lo|ss", "plot loss", ["plot", "loss"], ["plot"], "lo", .argument),
            Case("plot loss |", "plot loss", ["plot", "loss"], ["plot", "loss"], "", .argument),
            Case("load model \"m.safe|", "load model", ["load", "model"], ["load", "model"], "m.safe", .string),
            Case("load iris; den|", nil, ["den"], [], "den", .name),
            Case("load iris;|", nil, [], [], "", .name),
            Case("dense 3 # so|", "dense", ["dense", "3"], ["dense", "3"], "", .comment),
            // A `;` or `#` inside quotes is text, as when the line runs.
            Case("load \"a;b.csv\" |", "load", ["load", "\"a;b.csv\""], ["load", "\"a;b.csv\""], "", .argument),
            Case("load \"a;b|", "load", ["load"], ["load"], "a;b", .string),
            Case("load \"a#b.csv\" ta|", "load", ["load", "\"a#b.csv\"", "ta"], ["load", "\"a#b.csv\""], "ta", .argument),
            Case("plot loss to \"x#y.svg\"|", "plot loss", ["plot", "loss", "to", "\"x#y.svg\""],
                 ["plot", "loss", "to"], "\"x#y.svg\"", .argument),
            Case("plot loss to \"x;y.svg\"; sp|", nil, ["sp"], [], "sp", .name),
            Case("plot loss to \"x;y.svg\" # a; b|", "plot loss", ["plot", "loss", "to", "\"x;y.svg\""],
                 ["plot", "loss", "to", "\"x;y.svg\""], "", .comment),
            // The cursor's statement, with the words after the cursor; the cursor's line of several.
            Case("plot| loss to \"a.svg\"; split 0.8", "plot loss", ["plot", "loss", "to", "\"a.svg\""], [], "plot", .name),
            Case("load iris\ntrain ep|\nsplit 0.8", "train", ["train", "ep"], ["train"], "ep", .argument),
            // A word the lexer cannot read is still the word being typed.
            Case("load ab@c|", "load", ["load", "ab"], ["load"], "ab@c", .argument),
        ]
        let resolver = StatementResolver()
        for test in cases {
            let cursor = test.text.utf8.firstIndex(of: UInt8(ascii: "|")).map { test.text.utf8.distance(from: test.text.utf8.startIndex, to: $0) }!
            var text = test.text
            text.remove(at: text.firstIndex(of: "|")!)
            let at = resolver.statement(in: text, cursor: cursor)
            XCTAssertEqual(at.name, test.name, test.text)
            XCTAssertEqual(at.words.map(\.text), test.words, test.text)
            XCTAssertEqual(at.wordsBeforeCursor.map(\.text), test.before, test.text)
            XCTAssertEqual(at.partial, test.partial, test.text)
            XCTAssertEqual(at.partialKind, test.kind, test.text)
            XCTAssertEqual(at.partialStart, cursor - at.partial.utf8.count, "the word ends at the cursor: \(test.text)")
        }
    }

    func testKeysAndStringsOfWords() {
        let at = StatementResolver().statement(in: "save model \"m.safetensors\" epochs=3 to", cursor: 38)
        XCTAssertEqual(at.words.map(\.key), [nil, nil, nil, "epochs", nil])
        XCTAssertEqual(at.words.map(\.isString), [false, false, true, false, false])
        XCTAssertEqual(at.family, "save")
        XCTAssertEqual(at.member, "model")
    }

    func testOffsetsCountBytesAcrossLinesAndWideCharacters() {
        let text = "# é\nload \"données/ir"
        let at = StatementResolver().statement(in: text, cursor: text.utf8.count)
        XCTAssertEqual(at.partial, "données/ir")
        XCTAssertEqual(at.partialStart, "# é\nload \"".utf8.count)
        XCTAssertEqual(at.partialKind, .string)
    }
}
