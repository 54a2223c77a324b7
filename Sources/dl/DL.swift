import ArgumentParser
import Script
import DLCore
#if canImport(Glibc)
import Glibc
#endif

/// `dl`: runs script files, `-e` statements or a script piped on standard input as a
/// batch, or opens the interactive prompt when standard input is a terminal.
@main
struct DL: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dl",
        abstract: "A shell for deep learning: load data, stack layers, train, evaluate.",
        discussion: """
        With no FILE and no -e, dl reads statements from standard input: an \
        interactive prompt on a terminal, otherwise the whole input as one script; \
        with --json, one request a line, each answered with one line of JSON.
        """ + "\n\n" + ExitStatus.helpParagraph,
        version: dlVersion)

    @ArgumentParser.Argument(help: ArgumentHelp("Script files, run in order in one session.", valueName: "FILE.dl"),
                             completion: .file(extensions: ["dl"]))
    var files: [String] = []

    @Option(name: [.customShort("e"), .customLong("execute")],
            help: ArgumentHelp("Statements to run, separated by ';' or newlines (repeatable; run after the files).",
                               valueName: "statements"))
    var execute: [String] = []

    @Flag(help: "Print each statement before its output.")
    var echo = false

    @Flag(help: "Parse and check the scripts without running anything.")
    var check = false

    @Flag(help: ArgumentHelp("Presenter mode: show each statement of the script with the comments above it and run it on Enter (s skips, b goes back, e opens the prompt, q quits).",
                             valueName: "lesson.dl"))
    var step = false

    @Flag(help: ArgumentHelp("For programs: read requests from standard input, a line of statements or {\"code\": ..., \"id\": ...}, and answer each with one line of JSON (status, output, error, pictures as SVG). See README.md."))
    var json = false

    /// For `scripts/install` and `scripts/package`: the man page, dl(1), on standard output.
    @Flag(help: .hidden)
    var generateManual = false

    func validate() throws {
        if json && (!files.isEmpty || !execute.isEmpty || check || step) {
            throw ValidationError("--json reads its requests from standard input: it takes no FILE, -e, --check or --step")
        }
        if step && (files.count != 1 || !execute.isEmpty || check) {
            throw ValidationError("--step presents one script file: dl --step lesson.dl")
        }
        if check && files.isEmpty && execute.isEmpty && isatty(STDIN_FILENO) == 1 {
            throw ValidationError("--check needs a script: a FILE, -e, or a script on standard input.")
        }
    }

    func run() throws {
        if generateManual {
            print(ManualPage.render(), terminator: "")
            return
        }
        // A closed pipe shows up as EPIPE from write (StandardOutput ends quietly then),
        // rather than as a signal that kills dl with status 141.
        signal(SIGPIPE, SIG_IGN)
        let interpreter = Self.interpreter(writingTo: StandardOutput())
        interpreter.echo = echo

        let status: ExitStatus
        if step {
            status = present(files[0]) // its sessions write through an output it can silence
        } else if json {
            // Ctrl-C stops a running statement and the next request is read, as at the prompt.
            installInterruptHandler(.interactive)
            let sink = JSONOutput()
            let session = Self.interpreter(writingTo: sink)
            session.echo = echo
            status = JSONMode(interpreter: session, sink: sink).run()
        } else if files.isEmpty && execute.isEmpty && isatty(STDIN_FILENO) == 1 {
            installInterruptHandler(.interactive)
            status = REPL(interpreter: interpreter).run()
        } else {
            installInterruptHandler(.batch)
            status = BatchRunner(interpreter: interpreter, checkOnly: check).run(scriptSources())
        }
        // Leave at once: tearing down a session that holds a large data set only frees
        // memory the process is about to give back (50 ms for a 168 MB CSV).
        fflush(stdout)
        fflush(stderr)
        Glibc.exit(status.rawValue)
    }

    /// A fresh session whose long statements stop on Ctrl-C (the flag the SIGINT handler sets).
    static func interpreter(writingTo output: OutputSink) -> Interpreter {
        Interpreter(output: output,
                    shouldInterrupt: { interruptFlag.load(ordering: .sequentiallyConsistent) },
                    clearInterrupt: { interruptFlag.store(false, ordering: .sequentiallyConsistent) })
    }

    /// Presenter mode: the whole lesson is checked first, as a batch run is.
    private func present(_ path: String) -> ExitStatus {
        let source: String
        switch readFile(path) {
        case .success(let text): source = text
        case .failure(let error):
            reportCannotOpen(path, error)
            return .noInput
        }
        let output = MutableOutput()
        let makeInterpreter = Self.interpreter(writingTo:)
        let checked = makeInterpreter(output).check(source, fileName: path)
        guard checked == .ok else { return ExitStatus(checked) }
        // Ctrl-C stops a running `train` and comes back to the lesson, as at the prompt.
        installInterruptHandler(.interactive)
        return Presenter(path: path, steps: Presenter.steps(of: source), output: output, makeInterpreter: makeInterpreter).run()
    }

    /// The scripts in the order they run: the files, then the `-e` statements, or
    /// standard input when there are neither.
    private func scriptSources() -> [ScriptSource] {
        if files.isEmpty && execute.isEmpty {
            return [.standardInput]
        }
        return files.map { ScriptSource.file($0) }
            + execute.map { ScriptSource.text($0, name: "<command line>") }
    }
}
