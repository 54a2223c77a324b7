extension CSVReader {
    /// More columns than this is not a table dl can train on, and most likely not a header
    /// at all (a file without line ends, or another separator): refused before a column is
    /// made for each field.
    static let maximumColumns = 1_000_000

    /// Header names, trimmed. Every column needs a name of its own: an empty or repeated
    /// name is an error that says which columns, as pandas' `Unnamed: 0` and `a.1` would
    /// only move the question to the first statement that names them.
    func readHeader(_ scanner: inout CSVScanner) throws -> [String] {
        let line = scanner.line
        var names: [String] = []
        while true {
            let field = try scanner.nextField()
            guard names.count < Self.maximumColumns else {
                throw TabularError("line \(line) of '\(source)' (the header) has more than 1,000,000 columns",
                                   hint: "dl reads at most 1,000,000 columns: check that this is a CSV file, with commas between fields and a line end after each row")
            }
            guard let name = scanner.validText(of: field) else {
                throw CSVContent.textError(scanner.fault(in: field), line: line, source: source, header: true,
                                           column: names.count, name: "")
            }
            names.append(name)
            if field.endsRecord { break }
        }
        try checkSeparator(names, line: line)
        try checkNames(names, line: line)
        return names
    }

    /// A header of one name is a file with another separator than the dialect's (a European
    /// spreadsheet's export, a TSV) when the name holds one: read with commas, it is one text
    /// column. With a separator other than the comma, one column is refused in any case:
    /// `sep=` was given and split nothing. The error names the separator that seems to be
    /// used (`problem`), so the shell can say which key reads the file.
    private func checkSeparator(_ names: [String], line: Int) throws {
        guard names.count == 1 else { return }
        let name = names[0]
        let candidates: [UInt8] = [UInt8(ascii: ";"), 9, UInt8(ascii: "|"), CSVDialect.comma]
        let found = candidates.first { $0 != dialect.separator && name.utf8.contains($0) }
        guard found != nil || dialect.separator != CSVDialect.comma else { return }
        let header = "line \(line) of '\(source)' (the header) is one column named '\(Self.excerpt(name))'"
        let given = dialect.separator == CSVDialect.comma ? "" : " with sep='\(CSVDialect.shown(dialect.separator))'"
        guard let found else {
            throw TabularError("\(header)\(given): the separator splits nothing",
                               hint: "give the character that separates the fields in this file with sep=",
                               problem: .otherSeparator(nil))
        }
        let shown = found == 9 ? "tabs" : "'\(CSVDialect.shown(found))'"
        let not = dialect.separator == CSVDialect.comma ? ", not commas" : ""
        throw TabularError("\(header)\(given): the fields seem to be separated by \(shown)\(not)",
                           hint: "read it with sep='\(CSVDialect.shown(found))'",
                           problem: .otherSeparator(found))
    }

    /// A name for a message: at most 60 characters.
    private static func excerpt(_ name: String) -> String {
        name.count > 60 ? String(name.prefix(57)) + "…" : name
    }

    private func checkNames(_ names: [String], line: Int) throws {
        let header = "line \(line) of '\(source)' (the header)"
        let unnamed = names.indices.filter { names[$0].isEmpty }
        if unnamed.count == 1 {
            let column = unnamed[0]
            let cause = column == 0 ? "; if it holds row numbers written by pandas' to_csv, save without them (index=False) or delete the column"
                : column == names.count - 1 ? "; if every line ends with a comma, remove the commas at the ends" : ""
            throw TabularError("\(header) has no name for column \(column + 1)",
                               hint: "write a name for it in the header line" + cause)
        } else if !unnamed.isEmpty {
            throw TabularError("\(header) has no name for columns \(Self.list(unnamed))",
                               hint: "write a name for each in the header line")
        }
        var seen = Set<String>()
        seen.reserveCapacity(names.count)
        for name in names where !seen.insert(name).inserted {
            let columns = names.indices.filter { names[$0] == name }
            let times = columns.count == 2 ? "twice" : "\(columns.count) times"
            throw TabularError("\(header) names column '\(name)' \(times) (columns \(Self.list(columns)))",
                               hint: "rename them so that every column has its own name")
        }
    }

    /// 1-based column numbers in words: "1 and 3", "1, 2 and 4", "1, 2, 3, 4, 5 and 95 more".
    private static func list(_ columns: [Int]) -> String {
        let numbers = columns.map { String($0 + 1) }
        if numbers.count > 6 { return numbers.prefix(5).joined(separator: ", ") + " and \(numbers.count - 5) more" }
        return numbers.dropLast().joined(separator: ", ") + " and " + numbers.last!
    }
}
