import Foundation
import XCTest

/// `dl --version`, `dl --generate-manual` (dl.1) and `dl --generate-completion-script`, as
/// scripts/install and scripts/package call them: the man page stays in step with `--help`,
/// `help` and the environment variables the sources read.
final class ManualPageTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = try makeTemporaryDirectory()
    }

    private func manualPage() throws -> String {
        let result = try DLBinary.run(["--generate-manual"], in: directory)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stderr, "")
        return result.stdout
    }

    /// The package's version is read from `dl --version`: nothing but the version in Version.swift.
    func testVersionPrintsOnlyTheVersion() throws {
        let source = try String(contentsOf: DLBinary.packageRoot.appendingPathComponent("Sources/DLCore/Version.swift"), encoding: .utf8)
        let declared = try XCTUnwrap(source.firstMatch(of: #/dlVersion = "([^"]+)"/#)).1
        let result = try DLBinary.run(["--version"], in: directory)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "\(declared)\n")
        XCTAssertNotNil(result.stdout.wholeMatch(of: #/[0-9]+(\.[0-9]+)+\n/#), "not a Debian-style version: \(result.stdout)")
    }

    func testManualHasTheSectionsOfAManPage() throws {
        let page = try manualPage()
        XCTAssertTrue(page.hasPrefix(".TH \"DL\" \"1\""), String(page.prefix(80)))
        for section in ["NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "EXIT STATUS", "ENVIRONMENT", "FILES", "STATEMENTS", "SEE ALSO"] {
            XCTAssertTrue(page.contains(".SH \"\(section)\"\n"), "no \(section) section")
        }
        // Every line that starts with a dot is a request of man(7), not escaped text.
        let requests = Set(page.split(separator: "\n").filter { $0.hasPrefix(".") }.map { $0.prefix { $0 != " " } })
        XCTAssertEqual(requests.subtracting([".TH", ".SH", ".SS", ".TP", ".PP", ".B"]), [])
        XCTAssertTrue(page.contains("grammar.md"))
    }

    /// Every option `--help` shows, with its help text, is in OPTIONS (read from ArgumentParser's
    /// own description of the command, not from the page generator).
    func testManualListsEveryOptionOfHelp() throws {
        let page = try manualPage()
        let dump = try DLBinary.run(["--experimental-dump-help"], in: directory)
        XCTAssertEqual(dump.status, 0, dump.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any])
        let command = try XCTUnwrap(json["command"] as? [String: Any])
        let arguments = try XCTUnwrap(command["arguments"] as? [[String: Any]]).filter { $0["shouldDisplay"] as? Bool == true }
        XCTAssertGreaterThanOrEqual(arguments.count, 7)
        for argument in arguments {
            for name in argument["names"] as? [[String: String]] ?? [] {
                let dashed = (name["kind"] == "long" ? "--" : "-") + name["name"]!
                XCTAssertTrue(page.contains("\\fB" + troff(dashed) + "\\fR"), "\(dashed) is missing")
            }
            let abstract = try XCTUnwrap(argument["abstract"] as? String)
            XCTAssertTrue(page.contains(troff(abstract)), "help text missing: \(abstract)")
        }
        XCTAssertTrue(page.contains("\\fIFILE.dl\\fR"))
        XCTAssertFalse(page.contains("generate\\-manual"), "the hidden flag is for scripts/install only")
        XCTAssertTrue(page.contains("\\-\\-generate\\-completion\\-script"))
    }

    /// Every statement `help` lists is in STATEMENTS, with its summary.
    func testManualListsEveryStatementOfHelp() throws {
        let page = try manualPage()
        let help = try DLBinary.run(["-e", "help"], in: directory)
        XCTAssertEqual(help.status, 0, help.stderr)
        // "  plot loss     the training curve …": the name, two spaces or more, the summary.
        let rows = help.stdout.split(separator: "\n").filter { $0.hasPrefix("  ") }.compactMap { line in
            line.firstMatch(of: #/^  (\S+(?: \S+)*)  +(.*)$/#).map { (String($0.1), String($0.2)) }
        }
        XCTAssertGreaterThan(rows.count, 40)
        for (name, summary) in rows {
            XCTAssertTrue(page.contains(".TP\n\\fB\(troff(name))\\fR\n\(troff(summary))\n"), "statement \(name) is missing")
        }
        for category in ["Data", "Exploration", "Model", "Training", "Session"] {
            XCTAssertTrue(page.contains(".SS \"\(category)\""), category)
        }
    }

    /// The exit statuses BatchTests checks dl returns.
    func testManualListsTheExitStatuses() throws {
        let page = try manualPage()
        for status in [0, 64, 65, 66, 70] {
            XCTAssertTrue(page.contains(".TP\n\\fB\(status)\\fR\n"), "exit status \(status)")
        }
    }

    /// Every environment variable the sources read is documented (a new `getenv` fails here).
    func testManualListsEveryEnvironmentVariableTheSourcesRead() throws {
        let page = try manualPage()
        let environment = try XCTUnwrap(page.range(of: ".SH \"ENVIRONMENT\"")).upperBound
        let files = try XCTUnwrap(page.range(of: ".SH \"FILES\"")).lowerBound
        let section = page[environment..<files]
        let sources = DLBinary.packageRoot.appendingPathComponent("Sources")
        let enumerator = try XCTUnwrap(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil))
        var names = Set<String>()
        for case let url as URL in enumerator where url.pathExtension == "swift" && !url.path.contains("/Fuzz/") {
            let text = try String(contentsOf: url, encoding: .utf8)
            for match in text.matches(of: #/(?:getenv|getenvString|setenv)\("([A-Z_]+)"|environment\["([A-Z_]+)"\]|static let variable = "([A-Z_]+)"/#) {
                names.insert(String(match.1 ?? match.2 ?? match.3!))
            }
        }
        XCTAssertTrue(names.isSuperset(of: ["DL_HISTORY", "DL_MEMORY_LIMIT", "DL_DATASETS", "NO_COLOR"]), "\(names)")
        for name in names {
            XCTAssertTrue(section.contains(".TP\n\\fB\(troff(name))\\fR\n"), "\(name) is not in ENVIRONMENT")
        }
    }

    /// groff reads the page without a warning, and man(1) renders it.
    func testManualRendersWithoutWarnings() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: "/usr/bin/groff"), "groff is not installed")
        let result = try DLBinary.run(shell: "\"$DL\" --generate-manual > dl.1 && groff -man -Tutf8 -ww -z dl.1 && groff -man -Tutf8 dl.1",
                                      in: directory)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stderr, "")
        let plain = result.stdout.replacing(#/.\x{8}/#, with: "")  // no overstrike bold
        XCTAssertTrue(plain.contains("EXIT STATUS"), plain)
        XCTAssertTrue(plain.contains("--execute"), "hyphens render as ASCII minus: \(plain)")
    }

    func testCompletionScriptsCompleteFlagsAndDLFiles() throws {
        for shell in ["bash", "zsh", "fish"] {
            let result = try DLBinary.run(["--generate-completion-script", shell], in: directory)
            XCTAssertEqual(result.status, 0, result.stderr)
            for flag in ["--echo", "--check", "--step", "--json", "--execute", "--help", "--version"] {
                let written = shell == "fish" ? "-l '\(flag.dropFirst(2))'" : flag  // fish: complete -c dl -l 'echo'
                XCTAssertTrue(result.stdout.contains(written), "\(shell): \(flag) missing")
            }
            XCTAssertFalse(result.stdout.contains("generate-manual"), "\(shell) offers the hidden flag")
            // bash: '!*.@(dl)', zsh: '*.dl', fish: *.\'dl\'
            XCTAssertNotNil(result.stdout.firstMatch(of: #/\*\.(@\(|\\')?dl\b/#), "\(shell): no .dl file completion")
            try FileManager.default.createDirectory(at: directory.appendingPathComponent(shell), withIntermediateDirectories: true)
            try result.stdout.write(to: directory.appendingPathComponent("\(shell)/dl"), atomically: true, encoding: .utf8)
            if shell == "bash" || FileManager.default.isExecutableFile(atPath: "/usr/bin/\(shell)") {
                let syntax = try DLBinary.run(shell: "\(shell) -n \(shell)/dl", in: directory)
                XCTAssertEqual(syntax.status, 0, "\(shell) -n: \(syntax.stderr)")
            }
        }
    }

    /// In bash, `dl <Tab>` offers the .dl files and folders, not other files.
    func testBashCompletesDLFileNames() throws {
        try ["lesson.dl", "notes.txt", "data.csv"].forEach {
            try "".write(to: directory.appendingPathComponent($0), atomically: true, encoding: .utf8)
        }
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("scripts"), withIntermediateDirectories: true)
        let script = """
            source <("$DL" --generate-completion-script bash)
            COMP_WORDS=(dl ""); COMP_CWORD=1; COMP_LINE="dl "; COMP_POINT=3
            _dl dl "" dl
            printf '%s\\n' "${COMPREPLY[@]}" | sort
            """
        let result = try DLBinary.run(shell: "exec bash -c '\(script.replacingOccurrences(of: "'", with: "'\\''"))'", in: directory)
        XCTAssertEqual(result.status, 0, result.stderr)
        let offered = Set(result.stdout.split(separator: "\n").map(String.init))
        XCTAssertTrue(offered.contains("lesson.dl"), result.stdout)
        XCTAssertFalse(offered.contains("notes.txt"), result.stdout)
        XCTAssertFalse(offered.contains("data.csv"), result.stdout)
    }

    /// Text as the page writes it: backslashes as `\e`, hyphens as `\-`, quotes as `\(aq` and
    /// `\(ga`, other characters outside ASCII as `\[uXXXX]`.
    private func troff(_ text: String) -> String {
        text.unicodeScalars.map { scalar -> String in
            switch scalar {
            case "\\": "\\e"
            case "-": "\\-"
            case "'": "\\(aq"
            case "`": "\\(ga"
            case _ where scalar.isASCII: String(scalar)
            default: String(format: "\\[u%04X]", scalar.value)
            }
        }.joined()
    }
}
