import ArgumentParser
import DLCore
import Foundation
import Script

/// `dl --generate-manual`: the man page, dl(1), in man(7) macros.
///
/// The synopsis, description and options come from the same declarations as `--help`
/// (read back through ArgumentParser's JSON description of the command), the exit
/// statuses from `ExitStatus`, and the statement list from the statement table that
/// `help` prints, so the page cannot drift from the tool.
enum ManualPage {
    static func render() -> String {
        render(command: CommandDescription.of(DL.self), table: .standard, version: dlVersion)
    }

    static func render(command: CommandDescription, table: StatementTable, version: String) -> String {
        var page = Troff()
        page.request("TH", "DL", "1", "", "dl \(version)", "User Commands")

        page.section("NAME")
        let abstract = command.abstract ?? ""
        page.text("dl \\- " + Troff.escape(abstract.prefix(1).lowercased() + abstract.dropFirst().trimmingCharacters(in: ["."])))

        page.section("SYNOPSIS")
        page.request("B", "dl")
        page.text(command.visibleArguments.map(synopsisItem).joined(separator: " "))

        page.section("DESCRIPTION")
        page.paragraph(abstract)
        // The exit statuses get a section of their own below.
        for paragraph in (command.discussion ?? "").components(separatedBy: "\n\n")
        where !paragraph.isEmpty && paragraph != ExitStatus.helpParagraph {
            page.paragraph(paragraph)
        }

        page.section("OPTIONS")
        for argument in command.visibleArguments {
            if argument.isBuiltIn && !page.source.contains("completion\\-script") {
                // Hidden in --help, but how the completions below are installed.
                page.request("TP")
                page.text("\\fB\\-\\-generate\\-completion\\-script\\fR \\fIshell\\fR")
                page.text("Print the completion script for \\fIshell\\fR (bash, zsh or fish): flags, and .dl files for \\fIFILE.dl\\fR.")
            }
            page.request("TP")
            page.text(optionLabel(argument))
            page.text(Troff.escape(argument.abstract ?? ""))
            if let discussion = argument.discussion, !discussion.isEmpty { page.paragraph(discussion) }
        }

        page.section("EXIT STATUS")
        for status in ExitStatus.allCases {
            page.request("TP")
            page.text("\\fB\(status.rawValue)\\fR")
            page.text(Troff.escape(status.meaning.prefix(1).uppercased() + status.meaning.dropFirst() + "."))
        }

        page.section("ENVIRONMENT")
        for variable in EnvironmentVariable.all {
            page.request("TP")
            page.text("\\fB\(Troff.escape(variable.name))\\fR")
            page.text(Troff.escape(variable.meaning))
        }

        page.section("FILES")
        for file in filesRead {
            page.request("TP")
            page.text("\\fI\(Troff.escape(file.path))\\fR")
            page.text(Troff.escape(file.meaning))
        }

        page.section("STATEMENTS")
        page.paragraph("A script is a sequence of statements separated by newlines or ';'; '#' starts a comment. "
                       + "At the prompt, 'help' lists them and 'help NAME' explains one with its parameters and examples; "
                       + "grammar.md in dl's repository is the full reference.")
        for category in StatementCategory.allCases {
            page.request("SS", category.rawValue)
            for spec in table.statements where spec.category == category {
                page.request("TP")
                page.text("\\fB\(Troff.escape(spec.name))\\fR")
                page.text(Troff.escape(spec.summary))
            }
        }

        page.section("SEE ALSO")
        page.paragraph("'help' at the dl prompt; grammar.md (the language and every statement) and README.md in dl's repository.")
        return page.source
    }

    /// `[--echo]`, `[-e statements]...`, `[FILE.dl ...]`.
    private static func synopsisItem(_ argument: CommandDescription.Argument) -> String {
        let value = "\\fI\(Troff.escape(argument.valueName ?? "value"))\\fR"
        switch argument.kind {
        case "positional":
            return "[" + value + (argument.isRepeating ? " .\\|.\\|.]" : "]")
        case "option":
            let shortest = argument.names?.first { $0.kind == "short" } ?? argument.preferredName
            let name = "\\fB\(Troff.escape(shortest?.dashed ?? ""))\\fR"
            return "[" + name + " " + value + "]" + (argument.isRepeating ? ".\\|.\\|." : "")
        default:
            return "[\\fB\(Troff.escape(argument.preferredName?.dashed ?? ""))\\fR]"
        }
    }

    /// `\fB-e\fR, \fB--execute\fR \fIstatements\fR`, or `\fIFILE.dl\fR` for a positional.
    private static func optionLabel(_ argument: CommandDescription.Argument) -> String {
        let value = "\\fI\(Troff.escape(argument.valueName ?? "value"))\\fR"
        if argument.kind == "positional" { return value }
        let names = (argument.names ?? []).map { "\\fB\(Troff.escape($0.dashed))\\fR" }.joined(separator: ", ")
        return argument.kind == "option" ? names + " " + value : names
    }

    /// The environment variables dl reads (ManualPageTests checks the sources name no other).
    struct EnvironmentVariable {
        var name: String
        var meaning: String

        static let all: [EnvironmentVariable] = [
            .init(name: "DL_HISTORY", meaning: "The prompt's history file; empty: keep no history. Default: ~/.dl_history."),
            .init(name: "HOME", meaning: "Where ~/.dl_history lives, and what a path starting with ~/ in a statement means."),
            .init(name: MemoryBudget.variable, meaning: "The memory dl may use, in bytes, with an optional K, M, G or T suffix (powers of 1000), e.g. 2G. "
                  + "Statements that would need more are refused with a message. Default: the memory available (MemAvailable, lowered to the cgroup's limit)."),
            .init(name: "DL_DATASETS", meaning: "A folder holding the bundled data sets (iris.csv, penguins.csv, ...), searched before the usual places (see FILES)."),
            .init(name: "NO_COLOR", meaning: "When set and not empty, output has no colour, even on a terminal."),
            .init(name: "TERM", meaning: "dumb: no colour."),
            .init(name: "COLORTERM", meaning: "truecolor or 24bit: charts on a terminal use 24-bit colour, otherwise 256 colours."),
            .init(name: "COLUMNS", meaning: "The width of tables and charts when standard output is not a terminal (default 80)."),
            .init(name: "OPENBLAS_NUM_THREADS", meaning: "The threads OpenBLAS uses for matrix products (default: one per core); 1 also makes dl's own kernels run on one thread."),
            .init(name: "OPENBLAS_CORETYPE", meaning: "Overrides the CPU OpenBLAS and dl's kernels choose kernels for, e.g. Haswell or Sandybridge."),
            .init(name: "OPENBLAS_THREAD_TIMEOUT", meaning: "How long idle OpenBLAS threads spin before sleeping; dl sets 24 unless it is set."),
        ]
    }

    /// The files dl reads on its own, besides the scripts and data it is given.
    static let filesRead: [(path: String, meaning: String)] = [
        ("~/.dl_history", "The prompt's history (see DL_HISTORY)."),
        ("datasets/NAME.csv", "The bundled data sets that 'load NAME' reads ('help load' names them): "
         + "looked for in $DL_DATASETS, then in share/dl/datasets beside the installed executable (PREFIX/bin/dl), "
         + "then in a datasets folder in the folders above the dl executable, then in the repository dl was built from."),
    ]
}

/// What ArgumentParser knows about a command: the part of its JSON description
/// (`ToolInfoV0`, from `_dumpHelp()`, the same data `--experimental-dump-help` prints)
/// that the man page uses.
struct CommandDescription: Decodable {
    var commandName: String
    var abstract: String?
    var discussion: String?
    var arguments: [Argument]?

    struct Argument: Decodable {
        var kind: String  // "positional", "option" or "flag"
        var shouldDisplay: Bool
        var isRepeating: Bool
        var names: [Name]?
        var preferredName: Name?
        var valueName: String?
        var abstract: String?
        var discussion: String?

        /// ArgumentParser's own --help and --version.
        var isBuiltIn: Bool { names?.contains { $0.name == "help" || $0.name == "version" } ?? false }
    }

    struct Name: Decodable {
        var kind: String  // "long", "short" or "longWithSingleDash"
        var name: String

        var dashed: String { (kind == "long" ? "--" : "-") + name }
    }

    /// The shown arguments, positionals last as in the usage line, without --help and --version
    /// (listed once, at the end).
    var visibleArguments: [Argument] {
        let shown = (arguments ?? []).filter(\.shouldDisplay)
        return shown.filter { $0.kind != "positional" && !$0.isBuiltIn } + shown.filter(\.isBuiltIn)
            + shown.filter { $0.kind == "positional" }
    }

    static func of(_ command: ParsableCommand.Type) -> CommandDescription {
        struct ToolInfo: Decodable { var command: CommandDescription }
        do {
            return try JSONDecoder().decode(ToolInfo.self, from: Data(command._dumpHelp().utf8)).command
        } catch {
            // The format is ArgumentParser's own; a new version that changed it fails here,
            // in ManualPageTests, not in a user's hands.
            fatalError("cannot read ArgumentParser's description of \(command): \(error)")
        }
    }
}

/// A man(7) page being written: requests on lines of their own, text escaped.
struct Troff {
    private(set) var source = ""

    mutating func request(_ name: String, _ arguments: String...) {
        source += "." + name + arguments.map { " \"" + Self.escape($0).replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined() + "\n"
    }

    mutating func section(_ title: String) { request("SH", title) }

    /// A line of text already escaped (it may hold font changes).
    mutating func text(_ line: String) {
        source += (line.hasPrefix(".") || line.hasPrefix("'") ? "\\&" : "") + line + "\n"
    }

    /// A paragraph of plain text, one sentence per line as man(7) prefers (troff puts
    /// two spaces after a sentence that ends a line).
    mutating func paragraph(_ plain: String) {
        request("PP")
        let sentences = plain.replacingOccurrences(of: "\n", with: " ")
            .replacingOccurrences(of: ". ", with: ".\n").replacingOccurrences(of: "; ", with: ";\n")
        for line in sentences.split(separator: "\n") {
            text(Self.escape(line.trimmingCharacters(in: .whitespaces)))
        }
    }

    /// Plain text as troff source: backslashes; hyphens as minus signs and quotes as
    /// straight ASCII quotes, so that options and statements can be copied from the page;
    /// anything else outside ASCII by its code point, whatever the locale man runs in.
    static func escape(_ plain: some StringProtocol) -> String {
        var result = ""
        for scalar in plain.unicodeScalars {
            switch scalar {
            case "\\": result += "\\e"
            case "-": result += "\\-"
            case "'": result += "\\(aq"
            case "`": result += "\\(ga"
            case _ where scalar.isASCII: result.unicodeScalars.append(scalar)
            default: result += "\\[u" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4) + "]"
            }
        }
        return result
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
