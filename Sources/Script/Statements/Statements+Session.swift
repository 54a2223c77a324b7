import Tabular

extension StatementTable {
    static let sessionStatements: [StatementSpec] = [
        StatementSpec(
            name: "set", category: .session,
            keys: [KeySpec("seed", .integer(min: 0), default: 42, doc: "the seed for weights, shuffles, splits and generated data")],
            summary: "Change session settings.",
            explanation: """
                `set seed=N` makes every random choice (initial weights, shuffling, splits, generated \
                data) start from N, so the same script with the same seed prints the same numbers.
                """,
            examples: ["set seed=7"],
            explain: { session, _ in [
                "Seed \(session.seed) now decides every random choice: the split, the initial weights, the shuffles and generated data.",
                "The same script with the same seed prints the same numbers; another seed shows how much they vary by chance.",
            ] },
            action: { session, args in session.set(args) }),

        StatementSpec(
            name: "show", category: .session,
            positionals: [
                PositionalSpec("WHAT", .word(["image", "keras", "torch", "state"]), optional: true,
                               doc: "image: draw one sample of image data; keras, torch: print the script `export` would write; state: one line of statements that recreates the session"),
                PositionalSpec("N", .integer(min: 0), optional: true, doc: "the row number of the sample (from 0, as `head` shows)"),
            ],
            summary: "Show the session at a glance, `show image N` to draw a sample, `show keras|torch` for the exported script, `show state` as one line.",
            explanation: """
                `show` lists what is loaded, how it is split and scaled, the layers, the loss and optimizer, \
                and how far training has gone. `show image N` draws row N of image data in the terminal with \
                its label and, once the model is trained, the predicted class. `show state` prints one line \
                of statements that recreates the session from scratch (data, preprocessing, layers, optimizer, \
                seed and training), to paste into a chat, onto a slide or into `dl -e`.
                """,
            examples: ["show", "show image 0", "show state"],
            validate: { args in
                if ["keras", "torch", "state"].contains(args.text("WHAT") ?? "") {
                    if args.has("N") { throw Diagnostic("`show \(args.text("WHAT")!)` takes no row number", at: args.range(of: "N")) }
                    return
                }
                if args.has("WHAT") != args.has("N") {
                    throw Diagnostic("`show image` needs a row number, e.g. `show image 0`", at: args.statement.range,
                                     hint: "usage: show [image N]")
                }
            },
            explain: { _, args in args.text("WHAT") == "state" ? [
                "This one line recreates the session from scratch: paste it into a chat, onto a slide or into `dl -e`.",
                "It names the data, the pipeline, the layers, the optimizer and the seed, so the numbers come out the same.",
            ] : [
                "What the session holds: the data and its preprocessing, the layers, and how far training has gone.",
                "Each part can be changed on its own; a changed part makes the next `train` start afresh where it must.",
            ] },
            action: { session, args in
                if let n = args.integer("N") {
                    try session.showImage(n, at: args.range(of: "N"))
                } else if args.text("WHAT") == "state" {
                    session.print(session.stateLine())
                } else if let what = args.text("WHAT"), let framework = PythonExport.Framework(rawValue: what) {
                    session.output.write(try session.pythonScript(framework, args), to: .output)
                } else {
                    session.show()
                }
            }),

        StatementSpec(
            name: "explain", category: .session,
            positionals: [PositionalSpec("SWITCH", .word(["on", "off"]), doc: "on: explain each statement after it runs; off: stop")],
            summary: "After each statement, explain what just happened and why (for teaching).",
            explanation: """
                With `explain on`, every statement is followed by two to five plain lines on what it did \
                and why, with the session's own numbers: the fitted minimum and maximum of `scale minmax`, \
                the weights a `dense` layer adds, the batches and steps of `train`, the class counts that \
                make `split … stratify` matter. `explain off` stops them.
                """,
            examples: ["explain on", "explain off"],
            explain: { session, _ in session.explaining ? [
                "From now on, a few lines like these follow each statement: what it did and why, with this session's numbers.",
                "`explain off` stops them.",
            ] : [] },
            action: { session, args in
                session.explaining = args.text("SWITCH") == "on"
                if !session.explaining { session.print("explain: off") }
            }),

        StatementSpec(
            name: "tour", category: .session,
            positionals: [PositionalSpec("STEP", .integer(min: 1, max: 4), optional: true, default: 1,
                                         doc: "the step to start at: 1 preprocessing, 2 exploration, 3 architecture, 4 tuning")],
            flags: [FlagSpec("off", doc: "leave the tour")],
            summary: "A guided lesson: the four steps of the workflow on iris, typed by you.",
            explanation: """
                The tour explains each step of the workflow (preprocessing, exploration, architecture, \
                tuning) and asks you to type its statements at the prompt. Small variations count: another \
                split fraction, another number of units, added keys; after each one the tour explains what \
                it did with this session's numbers. Other statements run as usual meanwhile. `tour 3` starts \
                at step 3, with steps 1 and 2 done for you; `tour off` leaves.
                """,
            examples: ["tour", "tour 3", "tour off"],
            explain: { session, _ in [
                "The tour runs in this session: what you type is an ordinary statement, and the tour checks it against its task.",
                "Try other numbers than the suggested ones: the explanation after each task shows what they changed.",
            ] },
            action: { session, args in try session.startTour(args) }),

        StatementSpec(
            name: "help", category: .session,
            positionals: [PositionalSpec("NAME", .name, optional: true, doc: "a statement to explain")],
            summary: "List the statements, or explain one.",
            explanation: "`help` lists every statement with a one-line summary; `help NAME` shows its usage, parameters and examples.",
            examples: ["help", "help train"],
            validate: { args in
                guard let name = args.text("NAME"), StatementTable.standard.members(of: name).isEmpty else { return }
                let suggestion = Suggest.closest(to: name, in: StatementTable.standard.families)
                throw Diagnostic("no statement named '\(name)'" + didYouMean(suggestion),
                                 at: args.range(of: "NAME"), hint: "type `help` to list the statements")
            },
            explain: { _, _ in [
                "Every statement has a `help NAME` page with its parameters and examples; Tab completes names, keys and choices.",
                "grammar.md holds the same reference.",
            ] },
            action: { session, args in session.help(args) }),

        StatementSpec(
            name: "run", category: .session,
            positionals: [PositionalSpec("FILE", .path, doc: "a .dl script to run in this session")],
            summary: "Run another .dl script in this session.",
            explanation: """
                The file is checked as a whole first, then its statements run one by one, sharing this session's \
                data and model. Relative paths in it start from the working directory, not from its folder (as \
                in Python, R and bash's `source`); a file missing there but beside the script gets a hint with \
                the path that works.
                """,
            examples: ["run \"examples/iris.dl\""],
            explain: { _, args in [
                "The statements of \(args.text("FILE") ?? "the file") ran in this session, as if typed here, and changed it.",
                "A script is how a session is kept and shared: `save script` writes one.",
            ] },
            action: { session, args in try session.runFile(args) }),

        StatementSpec(
            name: "save script", category: .session,
            positionals: [PositionalSpec("FILE", .path, doc: "the .dl file to write")],
            summary: "Save the statements of this session that succeeded, as a script that reproduces it.",
            explanation: """
                Writes every statement run so far that succeeded, in order (those of `run` files \
                included, one per line), so `dl FILE` rebuilds the same data, pipeline and model with \
                the same numbers. Failed statements are left out, and so are `help`, `quit` and \
                `save script` itself.
                """,
            examples: ["save script \"session.dl\""],
            explain: { _, _ in [
                "The file lists the statements that succeeded, in order: `dl FILE` redoes the session with the same numbers.",
                "Failed statements and `help` or `show` are left out, as they change nothing.",
            ] },
            action: { session, args in try session.saveScript(args) }),

        StatementSpec(
            name: "quit", category: .session,
            summary: "Leave dl (Ctrl-D does the same).",
            explanation: "Ends the session. History typed at the prompt is kept in ~/.dl_history (or $DL_HISTORY).",
            examples: ["quit"],
            explain: { _, _ in [
                "The session ends; what was typed is kept in the history file for the next time.",
                "Saved models and scripts stay; the session itself does not.",
            ] },
            action: { session, _ in session.context.quitRequested = true }),
    ]
}
