import XCTest
@testable import Script

/// The statement table is the one place a parameter's type and default are declared.
final class StatementTableTests: XCTestCase {
    /// A default the checker would refuse if typed would hand actions a value no user can give.
    func testEveryDefaultPassesItsOwnParameterCheck() throws {
        let checker = Checker(table: .standard)
        var checked = 0
        for spec in StatementTable.standard.statements {
            let declared = spec.positionals.map { ($0.name, $0.type, $0.defaultValue) } + spec.keys.map { ($0.key, $0.type, $0.defaultValue) }
            for case let (name, type, value?) in declared {
                let given = Value(kind: value.kind, text: value.text, range: SourceRange(line: 1, column: 1, length: 1))
                XCTAssertNoThrow(try checker.checkValue(given, against: type, what: name, spec: spec), "\(spec.name) \(name)")
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 30)
    }

    /// Actions read defaults through Arguments: what `help` shows is what runs.
    func testArgumentsReadTheDeclaredDefaults() throws {
        let parser = Parser(source: "conv 5x5", firstLine: 1)
        let (_, args) = try Checker(table: .standard).check(parser.statements[0])
        XCTAssertEqual(args.integer("filters"), 8)
        XCTAssertEqual(args.integer("stride"), 1)
        XCTAssertEqual(args.text("pad"), "valid")
        XCTAssertEqual(args.text("ACTIVATION"), "linear")
        XCTAssertFalse(args.has("filters"), "a default is not a given value")
        XCTAssertTrue(StatementTable.standard["conv"]!.usage.contains("[filters=8]"))
    }
}
