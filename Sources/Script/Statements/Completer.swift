#if canImport(Glibc)
import Glibc
#endif

/// Tab completion from the statement table: statement names, keys, allowed words,
/// data set names and file paths. The statement and the word being completed come from
/// StatementResolver (so a `;` or `#` in a quoted path is text), and each candidate
/// replaces that whole word.
struct Completer {
    let table: StatementTable
    /// The session's column names, offered where a statement takes columns.
    var columns: [String] = []

    func candidates(line: String, cursor: Int) -> [String] {
        let at = StatementResolver(table: table).statement(in: line, cursor: cursor)
        let word = at.partial
        var arguments = at.wordsBeforeCursor.dropFirst()
        switch at.partialKind {
        case .comment: return []
        case .name: return matching(word, table.families)
        default: break
        }
        guard let name = at.wordsBeforeCursor.first?.text else { return [] }
        // `plot hist …` completes as the statement "plot hist"; `plot …` offers the kinds.
        let subWords = table.subWords(of: name)
        let spec: StatementSpec
        if let second = arguments.first, second.key == nil, !second.isString,
           let member = table.member(of: name, named: second.text) {
            spec = member
            arguments = arguments.dropFirst()
        } else if !subWords.isEmpty, arguments.isEmpty, at.partialKind == .argument {
            // The members, then what the plain form takes first (`plot X vs Y`: columns; `load`: data sets).
            let plainFirst = table[name]?.positionals.first.map { values(of: $0.type, word) } ?? []
            return (matching(word, subWords) + plainFirst).reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
        } else if let plain = table[name] {
            spec = plain
        } else {
            return []
        }
        let flags = spec.flags.map(\.word)
        let positionalsGiven = arguments.filter { $0.key == nil && ($0.isString || !flags.contains($0.text)) }.count
        switch at.partialKind {
        case .value(let key), .listItem(let key?):
            guard let keySpec = spec.keys.first(where: { $0.key == key }) else { return [] }
            return values(of: keySpec.type, word)
        case .string:
            return paths(word, spec: spec)
        case .listItem(nil):
            // The next item of the positional list being typed (`drop a,b`: columns).
            guard positionalsGiven < spec.positionals.count else { return [] }
            return matching(word, values(of: spec.positionals[positionalsGiven].type, word))
        default:
            break
        }
        var options = spec.keys.map { "\($0.key)=" } + flags
        if positionalsGiven < spec.positionals.count {
            let positional = spec.positionals[positionalsGiven]
            options += name == "help" ? table.families : values(of: positional.type, word)
        }
        if spec.writesTo, positionalsGiven >= spec.positionals.filter({ !$0.optional }).count { options.append("to") }
        return matching(word, options).reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
    }

    private func values(of type: ParameterType, _ word: String) -> [String] {
        switch type {
        case .word(let words), .numberOrWord(_, _, let words): return matching(word, words)
        case .dataSource: return matching(word, DataSources.names) + Completer.files(word, extensions: [".csv"])
        case .path: return Completer.files(word, extensions: [".dl"])
        case .name, .nameList: return matching(word, columns)
        default: return []
        }
    }

    private func paths(_ word: String, spec: StatementSpec) -> [String] {
        switch spec.name {
        case "run": return Completer.files(word, extensions: [".dl"])
        case "load model", "save model": return Completer.files(word, extensions: [".safetensors"])
        case "save script": return Completer.files(word, extensions: [".dl"])
        default: return Completer.files(word, extensions: [".csv"])
        }
    }

    private func matching(_ prefix: String, _ options: [String]) -> [String] {
        options.filter { $0.hasPrefix(prefix) }
    }

    /// Directory entries starting with the word's last path component: directories
    /// (with a trailing "/") and files with one of the extensions.
    static func files(_ word: String, extensions: [String]) -> [String] {
        let slash = word.lastIndex(of: "/")
        let directory = slash.map { String(word[...$0]) } ?? ""
        let prefix = slash.map { String(word[word.index(after: $0)...]) } ?? word
        guard let dir = opendir(directory.isEmpty ? "." : directory) else { return [] }
        defer { closedir(dir) }
        var found: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            guard name.hasPrefix(prefix), name != ".", name != "..", !name.hasPrefix(".") || prefix.hasPrefix(".") else { continue }
            var info = stat()
            let isDirectory = stat(directory + name, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
            if isDirectory {
                found.append(directory + name + "/")
            } else if extensions.contains(where: { name.hasSuffix($0) }) {
                found.append(directory + name)
            }
        }
        return found.sorted()
    }
}
