import Tabular

extension StatementTable {
    static let sessionStatements: [StatementSpec] = [
        SetCommand.spec, ShowCommand.spec, ShowImageCommand.spec, ShowStateCommand.spec, ShowScriptCommand.keras, ShowScriptCommand.torch,
        ExplainCommand.spec, TourCommand.spec, HelpCommand.spec, RunCommand.spec, SaveScriptCommand.spec, QuitCommand.spec,
    ]
}

/// `set`.
struct SetCommand: Command {
    static let seed = Key<Int>.integer("seed", min: 0, default: 42, doc: "the seed for weights, shuffles, splits and generated data")
    static let spec = StatementSpec(
        name: "set", category: .session, keys: [seed.spec],
        summary: "Change session settings.",
        explanation: """
                `set seed=N` makes every random choice (initial weights, shuffling, splits, generated \
                data) start from N, so the same script with the same seed prints the same numbers. A model \
                keeps the seed its weights were drawn from: each of its trains shuffles (and drops out) \
                from that seed and the number of trains before it, so a model trains the same whatever \
                else ran in the session, and a new seed applies to the next fresh weights (weights not yet \
                trained are drawn again).
                """,
        examples: ["set seed=7"],
        command: SetCommand.self)

    let seed: Placed<Int>
    init(_ args: Arguments) { seed = args.placed(Self.seed) }

    func run(in session: Session) throws { session.set(seed: seed.given ? seed.value : nil) }
    func explain(in session: Session) -> [String] { [
        "Seed \(session.seed) now decides every random choice: the split, the initial weights, the shuffles and generated data.",
        "The same script with the same seed prints the same numbers; another seed shows how much they vary by chance.",
    ] }
}

/// `show`.
struct ShowCommand: Command {
    static let spec = StatementSpec(
        name: "show", category: .session,
        summary: "Show the session at a glance: data, pipeline, layers, loss, optimizer and training.",
        explanation: """
            `show` lists what is loaded, how it is split and scaled, the layers, the loss and optimizer, \
            and how far training has gone. Its sub-commands show one thing: `show image N`, `show augment`, `show mistakes`, `show state`, \
            `show keras`, `show torch`.
            """,
        examples: ["show"],
        command: ShowCommand.self)

    init(_ args: Arguments) {}

    func run(in session: Session) throws { session.show() }
    func explain(in session: Session) -> [String] { [
        "What the session holds: the data and its preprocessing, the layers, and how far training has gone.",
        "Each part can be changed on its own; a changed part makes the next `train` start afresh where it must.",
    ] }
}

/// `show image`.
struct ShowImageCommand: Command {
    static let row = Positional<Int>.integer("N", min: 0, doc: "the row number of the sample (from 0, as `head` shows)")
    static let spec = StatementSpec(
        name: "show image", category: .session, positionals: [row.spec],
        summary: "Draw one sample of image data with its label (and the predicted class once trained).",
        explanation: "`show image N` draws row N of image data in the terminal with its label and, once the model is trained, the predicted class. Three-channel images are drawn in colour on a terminal that has it (truecolor or 256 colours, half-block cells), in grey levels otherwise, and as SVG in the report and notebooks.",
        examples: ["show image 0"],
        command: ShowImageCommand.self)

    let row: Placed<Int>
    init(_ args: Arguments) { row = args.placed(Self.row) }

    func run(in session: Session) throws { try session.showImage(row.value, at: row.range) }
    func explain(in session: Session) -> [String] { [
        "Row N of the data as the network sees it: one pixel per feature, in height x width x channels order.",
        "After training, the predicted class beside the label shows what the model makes of it.",
    ] }
}

/// `show state`.
struct ShowStateCommand: Command {
    static let spec = StatementSpec(
        name: "show state", category: .session,
        summary: "One line of statements that recreates the session's data, model and weights from scratch.",
        explanation: """
            `show state` prints one line of statements that recreates the session from scratch, to paste \
            into a chat, onto a slide or into `dl -e`: the current data set's load and its steps in order \
            (split with its seed, imputing, encoding, scaling, …), the layers, the optimizer, schedule, \
            loss and seed where they matter, and the trains that made the current weights. It is read \
            from the session's values, not from what was typed: nothing before the current `load`, \
            nothing that only looks or writes (plots, `evaluate`, `describe`, `save model`, …), no \
            failed statement and no `live` or `verbose=`. A train stopped by Ctrl-C appears with the \
            epochs it completed, an early-stopped one with the keys that stop it again, and `sweep` \
            then `use best` as the one train of the chosen combination. Run in a fresh dl, the line \
            gives the same weights, bit for bit, and so the same `evaluate`.
            """,
        examples: ["show state"],
        command: ShowStateCommand.self)

    init(_ args: Arguments) {}

    func run(in session: Session) throws { session.print(session.stateLine()) }
    func explain(in session: Session) -> [String] { [
        "This one line recreates the session from scratch: paste it into a chat, onto a slide or into `dl -e`.",
        "It names the data, the pipeline, the layers, the optimizer and the seed, so the numbers come out the same.",
    ] }
}

/// `show keras` and `show torch`: one command, two statements.
struct ShowScriptCommand: Command {
    static let keras = StatementSpec(
        name: "show keras", category: .session,
        summary: "Print the script `export keras` would write.",
        explanation: "The Python script that redoes the session with pandas, scikit-learn and Keras, printed instead of written to a file.",
        examples: ["show keras"],
        command: ShowScriptCommand.self)
    static let torch = StatementSpec(
        name: "show torch", category: .session,
        summary: "Print the script `export torch` would write.",
        explanation: "The Python script that redoes the session with pandas, scikit-learn and PyTorch, printed instead of written to a file.",
        examples: ["show torch"],
        command: ShowScriptCommand.self)

    let framework: PythonExport.Framework
    init(_ args: Arguments) { framework = args.statementName.hasSuffix("torch") ? .torch : .keras }

    func run(in session: Session) throws { session.output.write(try session.pythonScript(framework), to: .output) }
    func explain(in session: Session) -> [String] { [
        "The script repeats this session step by step in pandas, scikit-learn and Keras: the same split, preprocessing, layers and training.",
        "`export keras \"FILE.py\"` writes it to a file.",
    ] }
}

/// `explain`.
struct ExplainCommand: Command {
    static let onOff = Positional<String>.word("SWITCH", ["on", "off"], doc: "on: explain each statement after it runs; off: stop")
    static let spec = StatementSpec(
        name: "explain", category: .session, positionals: [onOff.spec],
        summary: "After each statement, explain what just happened and why (for teaching).",
        explanation: """
                With `explain on`, every statement is followed by two to five plain lines on what it did \
                and why, with the session's own numbers: the fitted minimum and maximum of `scale minmax`, \
                the weights a `dense` layer adds, the batches and steps of `train`, the class counts that \
                make `split … stratify` matter. `explain off` stops them.
                """,
        examples: ["explain on", "explain off"],
        command: ExplainCommand.self)

    let on: Bool
    init(_ args: Arguments) { on = args[Self.onOff] == "on" }

    func run(in session: Session) throws { 
        session.explaining = on
        if !on { session.print("explain: off") }
     }
    func explain(in session: Session) -> [String] {
        session.explaining ? [
            "From now on, a few lines like these follow each statement: what it did and why, with this session's numbers.",
            "`explain off` stops them.",
        ] : []
    }
}

/// `tour`.
struct TourCommand: Command {
    static let stepNumber = Positional<Int>.integer("STEP", min: 1, max: 4, default: 1,
                                                     doc: "the step to start at: 1 preprocessing, 2 exploration, 3 architecture, 4 tuning")
    static let leave = Flag("off", doc: "leave the tour")
    static let spec = StatementSpec(
        name: "tour", category: .session, positionals: [stepNumber.spec], flags: [leave.spec],
        summary: "A guided lesson: the four steps of the workflow on iris, typed by you.",
        explanation: """
                The tour explains each step of the workflow (preprocessing, exploration, architecture, \
                tuning) and asks you to type its statements at the prompt. It runs in a session of its own: \
                yours is put aside, and `tour off` (or the end of the tour) brings it back as it was, with its \
                data, layers, weights and settings. Small variations count: another split fraction, another \
                number of units, added keys; after each one the tour explains what it did with the tour's \
                numbers. A statement that does not do the task (`dense 3 relu` where the output layer needs \
                softmax) is not applied: the tour says why and waits. Statements that only look (`head`, \
                `plot`, `help`) run as usual; others that change the data or the model wait for their task. \
                `tour 3` starts at step 3, with steps 1 and 2 done for you, one line each.
                """,
        examples: ["tour", "tour 3", "tour off"],
        command: TourCommand.self)

    let step: Int
    let off: Bool
    init(_ args: Arguments) { step = args[Self.stepNumber]; off = args[Self.leave] }

    func run(in session: Session) throws { try session.startTour(self) }
    func explain(in session: Session) -> [String] {
        if off { return ["Your own session is back as you left it; the tour's data and model went with the tour's session."] }
        return ["The tour runs in a session of its own: what you type is an ordinary statement, and the tour checks it against its task before it runs.",
                "Try other numbers than the suggested ones: the explanation after each task shows what they changed."]
    }
}

/// `help`.
struct HelpCommand: Command {
    static let name = Positional<String?>.name("NAME", doc: "a statement to explain")
    static let spec = StatementSpec(
        name: "help", category: .session, positionals: [name.spec],
        summary: "List the statements, or explain one.",
        explanation: "`help` lists every statement with a one-line summary; `help NAME` shows its usage, parameters and examples.",
        examples: ["help", "help train"],
        command: HelpCommand.self)

    let name: Placed<String?>
    init(_ args: Arguments) { name = args.placed(Self.name) }
    func check() throws {
        guard let name = name.value, StatementTable.standard.members(of: name).isEmpty else { return }
        let suggestion = Suggest.closest(to: name, in: StatementTable.standard.families)
        throw Diagnostic("no statement named '\(name)'" + didYouMean(suggestion),
                         at: self.name.range, hint: "type `help` to list the statements")
    }

    func run(in session: Session) throws { session.help(name.value) }
    func explain(in session: Session) -> [String] { [
        "Every statement has a `help NAME` page with its parameters and examples; Tab completes names, keys and choices.",
        "grammar.md holds the same reference.",
    ] }
}

/// `run`.
struct RunCommand: Command {
    static let file = Positional<String>.path("FILE", doc: "a .dl script to run in this session")
    static let spec = StatementSpec(
        name: "run", category: .session, positionals: [file.spec],
        summary: "Run another .dl script in this session.",
        explanation: """
                The file is checked as a whole first, then its statements run one by one, sharing this session's \
                data and model. Relative paths in it start from the working directory, not from its folder (as \
                in Python, R and bash's `source`); a file missing there but beside the script gets a hint with \
                the path that works.
                """,
        examples: ["run \"examples/iris.dl\""],
        command: RunCommand.self)

    let file: Placed<String>
    init(_ args: Arguments) { file = args.placed(Self.file) }

    func run(in session: Session) throws { try session.runFile(file) }
    func explain(in session: Session) -> [String] { [
        "The statements of \(file.value) ran in this session, as if typed here, and changed it.",
        "A script is how a session is kept and shared: `save script` writes one.",
    ] }
}

/// `save script`.
struct SaveScriptCommand: Command {
    static let file = Positional<String>.path("FILE", doc: "the .dl file to write")
    static let spec = StatementSpec(
        name: "save script", category: .session, positionals: [file.spec],
        summary: "Save the statements that recreate the session, as a script.",
        explanation: """
                Writes the statements of `show state`, one a line, under a comment: the current data \
                set's load and steps, the layers and settings, and the trains that made the current \
                weights, so `dl FILE` rebuilds the same data, pipeline and weights with the same \
                numbers. As for `show state`, what only looks or writes (`evaluate`, plots, `save \
                model`, …), failed statements and anything before the current `load` are left out: add \
                an `evaluate` to the file to see the figures when it runs.
                """,
        examples: ["save script \"session.dl\""],
        command: SaveScriptCommand.self)

    let file: Placed<String>
    init(_ args: Arguments) { file = args.placed(Self.file) }

    func run(in session: Session) throws { try session.saveScript(to: file) }
    func explain(in session: Session) -> [String] { [
        "The file lists the statements that make the session's data, model and weights: `dl FILE` redoes them with the same numbers.",
        "Statements that only look or write, and failed ones, are left out, as they change nothing.",
    ] }
}

/// `quit`.
struct QuitCommand: Command {
    static let spec = StatementSpec(
        name: "quit", category: .session,
        summary: "Leave dl (Ctrl-D does the same).",
        explanation: "Ends the session. History typed at the prompt is kept in ~/.dl_history (or $DL_HISTORY).",
        examples: ["quit"],
        command: QuitCommand.self)

    init(_ args: Arguments) {}

    func run(in session: Session) throws { session.context.quitRequested = true }
    func explain(in session: Session) -> [String] { [
        "The session ends; what was typed is kept in the history file for the next time.",
        "Saved models and scripts stay; the session itself does not.",
    ] }
}
