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

    /// Commands read defaults through their declared parameters: what `help` shows is what runs.
    func testArgumentsReadTheDeclaredDefaults() throws {
        let parser = Parser(source: "conv 5x5", firstLine: 1)
        let (_, args) = try Checker(table: .standard).checkArguments(parser.statements[0])
        XCTAssertEqual(args[ConvKind.filters], 8)
        XCTAssertEqual(args[ConvKind.stride], 1)
        XCTAssertEqual(args[ConvKind.pad], .valid)
        XCTAssertEqual(args[ConvKind.activationWord], .linear)
        XCTAssertFalse(args.has(ConvKind.filters), "a default is not a given value")
        let command = try XCTUnwrap(Checker(table: .standard).check(parser.statements[0]).1 as? AddLayer<ConvKind>)
        XCTAssertEqual(command.kind, ConvKind(kernel: [5, 5], filters: 8, stride: 1, padding: .valid, activation: .linear))
        XCTAssertTrue(StatementTable.standard["conv"]!.usage.contains("[filters=8]"))
    }
}

/// Every example of every statement decodes into its command: a parameter a command reads
/// but its table row does not declare would trap here, not in front of a user.
final class CommandDecodingTests: XCTestCase {
    func testEveryExampleDecodesIntoItsCommand() throws {
        let checker = Checker(table: .standard)
        var decoded = 0
        for spec in StatementTable.standard.statements {
            for example in spec.examples {
                let statement = try XCTUnwrap(Parser(source: example, firstLine: 1).statements.first, example)
                let (found, command) = try checker.check(statement)
                XCTAssertEqual(found.name, spec.name, example)
                XCTAssertTrue(type(of: command) == spec.command, example)
                decoded += 1
            }
        }
        XCTAssertGreaterThan(decoded, 90)
    }

    /// 0.99999999 is 1.0 as a 32-bit float: dropout would silence everything, so the checker says so.
    func testADropoutRateThatRoundsToOneIsRefusedAtCheck() throws {
        let statement = Parser(source: "dropout 0.99999999", firstLine: 1).statements[0]
        XCTAssertThrowsError(try Checker(table: .standard).check(statement)) { error in
            XCTAssertTrue((error as? Diagnostic)?.message.contains("rounds to 1 as a 32-bit float") == true, "\(error)")
        }
        XCTAssertNoThrow(try Checker(table: .standard).check(Parser(source: "dropout 0.9999999", firstLine: 1).statements[0]))
    }

    /// `loss mae` is explained as the mean absolute error, not as cross-entropy.
    func testEachLossIsExplainedAsItself() throws {
        for (source, words) in [("loss mae", "absolute"), ("loss mse", "squared"), ("loss binary_crossentropy", "Binary cross-entropy"),
                                ("loss crossentropy", "Cross-entropy")] {
            let (_, command) = try Checker(table: .standard).check(Parser(source: source, firstLine: 1).statements[0])
            let session = Session(context: SessionContext(output: CapturedOutput(), shouldInterrupt: { false }, clearInterrupt: {}))
            XCTAssertTrue(command.explain(in: session).joined().contains(words), source)
        }
    }
}
