import DLCore

extension Session {
    /// Parses and checks the whole source, then (when `execute`) runs its statements in
    /// order against this session. Any syntax or check error: every diagnostic printed and
    /// nothing run. A runtime error stops the source; the session stays as it was after
    /// the last statement that succeeded.
    func run(_ source: String, fileName: String, firstLine: Int, execute: Bool) -> RunOutcome {
        let renderer = DiagnosticRenderer(fileName: fileName, source: source, firstLine: firstLine, useColor: output.useColor)
        let parser = Parser(source: source, firstLine: firstLine)
        var diagnostics = parser.diagnostics
        var checked: [(spec: StatementSpec, command: any Command, statement: Statement)] = []
        let checker = Checker(table: .standard)
        for statement in parser.statements {
            do {
                let (spec, command) = try checker.check(statement)
                checked.append((spec, command, statement))
            } catch let diagnostic as Diagnostic {
                diagnostics.append(diagnostic)
            } catch {
                diagnostics.append(Diagnostic("\(error)", at: statement.range))
            }
        }
        if !diagnostics.isEmpty {
            diagnostics = diagnostics.map { diagnostic in
                diagnostic.range.flatMap { renderer.line($0.line) }.map { PredictValueQuoting.hinting(diagnostic, line: $0) } ?? diagnostic
            }
            diagnostics.sort { ($0.range?.line ?? 0, $0.range?.column ?? 0) < ($1.range?.line ?? 0, $1.range?.column ?? 0) }
            for diagnostic in diagnostics { context.recorder.target.report(renderer.report(diagnostic)) }
            return .badScript
        }
        guard execute else { return .ok }
        context.sources.append(renderer)
        defer { context.sources.removeLast() }
        for (spec, command, statement) in checked {
            let range = statement.range
            let statementText = renderer.line(range.line).map { text in
                String(text.dropFirst(range.column - 1).prefix(range.length))
            } ?? spec.name
            // Echo and check errors go straight out, as they are not a statement's output.
            if context.echo { context.recorder.target.write("> \(statementText)\n", to: .output) }
            // A `run` is recorded through the statements of its file.
            if spec.name != "run" { recorder.begin(statement: statementText, fileName: fileName, line: range.line) }
            // While a tour runs, statements run in its own session (Session+Tour).
            let session = active
            if session.tourDeclines(spec, command, text: statementText) { continue }
            let previous = session.data, seedBefore = session.seed
            do {
                try command.run(in: session)
                session.noteState(spec, statement, previous: previous, seedBefore: seedBefore)
                try session.followOutputLayer()
            } catch let diagnostic as Diagnostic {
                recorder.report(renderer.report(diagnostic.placed(at: range)))
                return .runtimeError
            } catch is AlreadyReported {
                return .runtimeError
            } catch is Interrupted {
                // Ctrl-C: the statement threw away what it was building before changing anything.
                context.clearInterrupt()
                let message = "interrupted: \(spec.name) stopped; the session is as it was"
                recorder.report(ReportedError(message: message, fileName: fileName, line: range.line, column: range.column,
                                              hint: nil, rendered: message + "\n"))
                return .runtimeError
            } catch {
                recorder.report(renderer.report(Diagnostic("\(error)", at: range)))
                return .runtimeError
            }
            if session.explaining { session.explainStatement(command) }
            if session.tour != nil { session.followTour(spec, command) }
            if context.quitRequested { return .quit }
        }
        return .ok
    }

    /// `run FILE`: the file's statements in this session, as if typed here.
    func runFile(_ file: Placed<String>) throws {
        let path = file.value
        guard context.runDepth < 16 else {
            throw Diagnostic("`run` is nested more than 16 deep", at: file.range,
                             hint: "a script probably runs itself; remove the `run` that loops")
        }
        guard let source = readTextFile(path) else {
            throw Diagnostic("cannot open '\(path)'", at: file.range,
                             hint: scriptFolderHint(for: path) ?? "check the path (relative paths start from the working directory)")
        }
        context.runDepth += 1
        defer { context.runDepth -= 1 }
        switch run(source, fileName: path, firstLine: 1, execute: true) {
        case .ok: break
        case .quit: context.quitRequested = true
        case .badScript, .runtimeError:
            throw AlreadyReported() // the nested script printed its own error
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// Reads a whole UTF-8 text file; nil when it cannot be opened.
func readTextFile(_ path: String) -> String? {
    readFileBytes(path).map { String(decoding: $0, as: UTF8.self) }
}
