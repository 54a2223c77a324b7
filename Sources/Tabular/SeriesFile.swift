/// Files of series as the UCR/UEA archive (timeseriesclassification.com) hands them out,
/// one series a line with its class label:
/// - `.tsv` (UCR 2018) and `.txt` (the older archive): no header, the label first, then the
///   values, separated by tabs, spaces or commas (runs of them count as one, so a missing
///   value is written NaN, as the archive writes it, not left empty);
/// - `.ts` (sktime/aeon's format): `@` header lines, then after `@data` each line holds its
///   channels separated by `:` (values by commas) and the label last.
///
/// They become a table with a `label` column first and the values as `t0, t1, …` (one
/// channel) or `t0_c0, t0_c1, …, t1_c0, …` (channel fastest, as `input` reads them).
///
/// Series of unequal length (the archive pads them with NaN at the end, or `.ts` lines of
/// other lengths) are refused by line rather than padded: a classifier would learn from the
/// invented tail (its length can give the class away), and whether to pad, truncate or
/// resample is the user's modelling choice. An infinite value is refused by line too.
public enum SeriesFile {
    /// Whether `path` is read as a series file: `.ts`, or a `.tsv`/`.txt` whose first line is all numbers.
    public static func handles(path: String) -> Bool {
        let lower = path.lowercased()
        if lower.hasSuffix(".ts") { return true }
        guard lower.hasSuffix(".tsv") || lower.hasSuffix(".txt"), let bytes = try? CSV.readBytes(path: path) else { return false }
        let firstLine = String(decoding: bytes.prefix(while: { $0 != 10 && $0 != 13 }).prefix(1 << 20), as: UTF8.self)
        let fields = splitFields(firstLine)
        return fields.count >= 2 && fields.allSatisfy { number($0) != nil }
    }

    /// Reads a series file (see the type's notes). Throws `TabularError` naming the line at fault.
    public static func read(path: String) throws -> Table {
        let source = CSV.fileName(path)
        let bytes = try CSV.readBytes(path: path)
        let text = String(decoding: bytes, as: UTF8.self)
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
        return path.lowercased().hasSuffix(".ts")
            ? try readTS(lines, source: source)
            : try readDelimited(lines, source: source)
    }

    /// [steps, channels] of a table this type read (columns `label`, then `t0…` or `t0_c0…`); nil for other tables.
    public static func shape(of table: Table) -> [Int]? {
        let names = table.columnNames
        guard names.first == "label", names.count >= 2 else { return nil }
        let channels = names.filter { $0 == "t0" || $0.hasPrefix("t0_c") }.count
        guard channels >= 1, (names.count - 1) % channels == 0 else { return nil }
        return [(names.count - 1) / channels, channels]
    }

    /// `.tsv`/`.txt`: label, then values.
    static func readDelimited(_ lines: [Substring], source: String) throws -> Table {
        var rows: [(line: Int, label: String, channels: [[Double]])] = []
        for (index, raw) in lines.enumerated() {
            let fields = splitFields(String(raw))
            if fields.isEmpty { continue }
            guard fields.count >= 2 else {
                throw TabularError("line \(index + 1) of '\(source)' has a label but no values",
                                   hint: "each line is a label, then the values of one series")
            }
            let values = try fields.dropFirst().enumerated().map { column, field in
                try value(field, line: index + 1, position: column + 1, source: source)
            }
            rows.append((index + 1, fields[0], [values]))
        }
        return try table(rows, source: source)
    }

    /// `.ts`: header lines, then `@data` and one series a line, channels separated by `:`, the label last.
    static func readTS(_ lines: [Substring], source: String) throws -> Table {
        var inData = false, hasLabels = true
        var rows: [(line: Int, label: String, channels: [[Double]])] = []
        for (index, raw) in lines.enumerated() {
            let line = raw.trimmingCharacters(in: " \t")
            if line.isEmpty || line.hasPrefix("#") { continue }
            if !inData {
                let lower = line.lowercased()
                if lower.hasPrefix("@classlabel") { hasLabels = lower.split(separator: " ").dropFirst().first == "true" }
                if lower.hasPrefix("@data") { inData = true }
                continue
            }
            var parts = line.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            let label = hasLabels ? parts.removeLast().trimmingCharacters(in: " \t") : ""
            let channels = try parts.map { part in
                try part.split(separator: ",", omittingEmptySubsequences: false).enumerated().map { position, field in
                    try value(field.trimmingCharacters(in: " \t"), line: index + 1, position: position + 1, source: source)
                }
            }
            rows.append((index + 1, label, channels))
        }
        guard inData else {
            throw TabularError("'\(source)' has no @data line: it is not a .ts file of series",
                               hint: "a .ts file has @problemName, … header lines, then @data and one series a line")
        }
        return try table(rows, source: source)
    }

    /// The rows as a table, after checking that every series has the first one's channels and length.
    private static func table(_ rows: [(line: Int, label: String, channels: [[Double]])], source: String) throws -> Table {
        guard let first = rows.first else {
            throw TabularError("'\(source)' holds no series", hint: "each line is a label, then the values of one series")
        }
        let channelCount = first.channels.count
        let steps = length(first.channels[0])
        for row in rows {
            guard row.channels.count == channelCount else {
                throw TabularError("line \(row.line) of '\(source)' has \(row.channels.count) channels but line \(first.line) has \(channelCount)",
                                   hint: "every series needs the same channels")
            }
            for channel in row.channels {
                let given = length(channel)
                guard given == steps, channel.count == given || channel.count == steps else {
                    throw raggedError(line: row.line, given: given, expected: steps, firstLine: first.line, source: source)
                }
            }
        }
        var columns: [Column] = []
        let labels = rows.map(\.label)
        if labels.allSatisfy({ number($0) != nil }) {
            columns.append(Column(name: "label", data: .numeric(NumericColumn(labels.map { number($0)! }))))
        } else {
            columns.append(Column(name: "label", data: .text(labels.map { $0.isEmpty ? nil : $0 })))
        }
        for step in 0..<steps {
            for channel in 0..<channelCount {
                let name = channelCount == 1 ? "t\(step)" : "t\(step)_c\(channel)"
                columns.append(Column(name: name, data: .numeric(NumericColumn.compact(rows.map { $0.channels[channel][step] }))))
            }
        }
        return Table(columns: columns, rowCount: rows.count, source: source, rowLines: rows.map(\.line))
    }

    /// A series' length without the missing values that pad its end.
    private static func length(_ values: [Double]) -> Int {
        var end = values.count
        while end > 0, values[end - 1].isNaN { end -= 1 }
        return end
    }

    static func raggedError(line: Int, given: Int, expected: Int, firstLine: Int, source: String) -> TabularError {
        TabularError("line \(line) of '\(source)' holds a series of \(given) values but line \(firstLine) has \(expected): series of unequal length are refused rather than padded",
                     hint: "padding would invent values a model learns from; make the series equal in length (pad, truncate or resample them) before loading")
    }

    /// One value: a number, or missing (NaN, `?`, empty); infinity is refused.
    private static func value(_ field: some StringProtocol, line: Int, position: Int, source: String) throws -> Double {
        let text = String(field)
        if text.isEmpty || text == "?" || text.lowercased() == "nan" || text == "NA" { return .nan }
        guard let parsed = number(text) else {
            throw TabularError("line \(line) of '\(source)' has '\(text)' as value \(position); expected a number",
                               hint: "each line is a label, then the numbers of one series")
        }
        guard parsed.isFinite else {
            throw TabularError("line \(line) of '\(source)' has an infinite value (value \(position), '\(text)')",
                               hint: "a network cannot compute with infinity: fix that value in the file")
        }
        return parsed
    }

    private static func number(_ text: String) -> Double? {
        Double(text.trimmingCharacters(in: " \t"))
    }

    /// Fields separated by tabs, commas or runs of spaces.
    static func splitFields(_ line: String) -> [String] {
        line.split(whereSeparator: { $0 == "\t" || $0 == "," || $0 == " " }).map(String.init)
    }
}

private extension StringProtocol {
    func trimmingCharacters(in set: String) -> String {
        let characters = Set(set)
        var start = startIndex, end = endIndex
        while start < end, characters.contains(self[start]) { start = index(after: start) }
        while end > start, characters.contains(self[index(before: end)]) { end = index(before: end) }
        return String(self[start..<end])
    }
}
