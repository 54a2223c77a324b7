import Tabular

/// Binds a parsed statement to its row in the statement table and checks every
/// argument's type and range. Needs no session, so `--check` runs it on whole files.
struct Checker {
    let table: StatementTable

    /// The statement's table row and its command, decoded from the checked arguments and
    /// checked across them.
    func check(_ statement: Statement) throws -> (StatementSpec, any Command) {
        let (spec, arguments) = try checkArguments(statement)
        let command = spec.command.init(arguments)
        do {
            try command.check()
        } catch let diagnostic as Diagnostic {
            throw diagnostic.identified(byDefault: "check")
        }
        return (spec, command)
    }

    /// The statement's arguments, each of its parameter's type.
    func checkArguments(_ statement: Statement) throws -> (StatementSpec, Arguments) {
        let family = statement.name
        guard table.families.contains(family) else {
            let suggestion = Suggest.closest(to: statement.name, in: table.families)
            throw Diagnostic("unknown statement '\(statement.name)'" + didYouMean(suggestion),
                             at: statement.nameRange,
                             hint: "type `help` to list the statements", id: "unknown-statement")
        }
        let subWords = table.subWords(of: family)
        var given = statement.arguments
        // `plot loss …` is the statement "plot loss": its second word picks it (as the
        // resolver reads it for completion and `inspect`).
        if let first = given.first, first.key == nil, case .word(let word) = first.value.kind,
           let member = table.member(of: family, named: word) {
            given.removeFirst()
            return try bind(member, given, statement)
        }
        guard let plain = table[family] else { throw unknownMember(of: family, statement) }
        if subWords.isEmpty { return try bind(plain, given, statement) }
        // The family's plain form (`plot COL vs COL`, `load iris`) when the words fit it. When they
        // do not, a first word close to a member's (`plot lss`) is taken for a misspelt member;
        // otherwise the plain form's own error says best what is wrong (`load irs`).
        do {
            return try bind(plain, given, statement)
        } catch {
            if let first = given.first(where: { $0.key == nil }), Suggest.closest(to: first.value.text, in: subWords) == nil {
                throw error
            }
            throw unknownMember(of: family, statement)
        }
    }

    /// `plot lss`: the family's second word is not one of its members.
    private func unknownMember(of family: String, _ statement: Statement) -> Diagnostic {
        let forms = table.members(of: family).map(\.usage).joined(separator: "; ")
        guard let first = statement.arguments.first(where: { $0.key == nil }) else {
            return Diagnostic("\(family) needs to know what to do", at: statement.range, hint: "one of: \(forms)",
                              id: "missing-member")
        }
        let suggestion = Suggest.closest(to: first.value.text, in: table.subWords(of: family))
        return Diagnostic("unknown \(family) '\(first.value.text)'" + didYouMean(suggestion), at: first.range,
                          hint: "one of: \(forms)", id: "unknown-member")
    }

    /// Binds the arguments to the parameters of `spec`, checking each.
    private func bind(_ spec: StatementSpec, _ given: [Argument], _ statement: Statement) throws -> (StatementSpec, Arguments) {
        var arguments = Arguments(statement: statement, statementName: spec.name)
        arguments.defaults = spec.defaults
        var given = given
        if spec.writesTo { try bindDestination(&given, into: &arguments) }
        var nextPositional = 0
        for argument in given {
            if let key = argument.key {
                try bindKey(key, argument, spec: spec, into: &arguments)
                continue
            }
            if case .word(let word) = argument.value.kind, spec.flags.contains(where: { $0.word == word }) {
                arguments.flags.insert(word)
                continue
            }
            while nextPositional < spec.positionals.count,
                  skipsOptionalChoice(spec.positionals[nextPositional], for: argument.value,
                                      laterAccepts: spec.positionals.count > nextPositional + 1) {
                nextPositional += 1
            }
            guard nextPositional < spec.positionals.count else {
                throw Diagnostic("unexpected argument '\(argument.value.text)' for \(spec.name)",
                                 at: argument.range, hint: unexpectedHint(argument, spec: spec), id: "unexpected-argument")
            }
            let positional = spec.positionals[nextPositional]
            try checkValue(argument.value, against: positional.type, what: positional.name.lowercased(), spec: spec)
            arguments.positionals[positional.name] = argument.value
            nextPositional += 1
        }
        if let missing = spec.positionals.dropFirst(nextPositional).first(where: { !$0.optional }) {
            throw Diagnostic("\(spec.name) needs \(missing.name) (\(missing.type.phrase))",
                             at: statement.range, hint: "usage: \(spec.usage); e.g. `\(spec.examples[0])`", id: "missing-argument")
        }
        for (key, argument) in arguments.keys {
            guard let keySpec = spec.keys.first(where: { $0.key == key }), let required = keySpec.onlyWith else { continue }
            let chosen = spec.positionals.compactMap { arguments.text($0.name) }
            // `onlyWith` may name several words, separated by commas ("step,plateau").
            let allowed = required.split(separator: ",").map(String.init)
            if !chosen.contains(where: allowed.contains) {
                let words = allowed.map { "\(spec.name) \($0)" }.joined(separator: " or ")
                throw Diagnostic("'\(key)=' applies to \(words) only", at: argument.range,
                                 hint: "use `\(spec.name) \(allowed[0]) \(key)=\(argument.value.text)`",
                                 id: "key-not-applicable")
            }
        }
        return (spec, arguments)
    }

    /// Takes `to PATH` out of the arguments: the file a statement writes.
    private func bindDestination(_ given: inout [Argument], into arguments: inout Arguments) throws {
        guard let to = given.firstIndex(where: { $0.key == nil && $0.value.kind == .word("to") }) else { return }
        let after = given[(to + 1)...].filter { $0.key == nil }
        guard let path = after.first else {
            throw Diagnostic("'to' needs a file name after it", at: given[to].range, hint: "e.g. `to \"picture.svg\"`",
                             id: "missing-destination")
        }
        if let extra = after.dropFirst().first {
            throw Diagnostic("unexpected '\(extra.value.text)' after the file name", at: extra.range,
                             hint: "`to \"file.svg\"` comes last", id: "unexpected-argument")
        }
        switch path.value.kind {
        case .word, .string: break
        default:
            throw Diagnostic("'to' expects a file path but got '\(path.value.text)'", at: path.range, hint: "e.g. `to \"picture.svg\"`",
                             id: "bad-destination")
        }
        arguments.positionals["to"] = path.value
        let word = given[to].range
        given.removeAll { $0.range == word || $0.range == path.range }
    }

    private func bindKey(_ key: String, _ argument: Argument, spec: StatementSpec, into arguments: inout Arguments) throws {
        guard let keySpec = spec.keys.first(where: { $0.key == key }) else {
            let names = spec.keys.map(\.key)
            let suggestion = Suggest.closest(to: key, in: names)
            var takes = names.isEmpty ? "\(spec.name) takes no key=value arguments"
                                      : "\(spec.name) takes " + names.map { "\($0)=" }.joined(separator: ", ")
            // Another member of the family may take it: `load iris n=5`, where `load moons n=5` would.
            let others = table.members(of: spec.family).filter { $0.name != spec.name && $0.keys.contains { $0.key == key } }
            if !others.isEmpty { takes += "; \(key)= belongs to " + others.map { "`\($0.name)`" }.joined(separator: ", ") }
            throw Diagnostic("unknown key '\(key)' for \(spec.name)" + didYouMean(suggestion),
                             at: argument.keyRange ?? argument.range, hint: takes, id: "unknown-key")
        }
        if arguments.keys[key] != nil {
            throw Diagnostic("'\(key)=' is given twice", at: argument.range, hint: "keep one of them", id: "duplicate-key")
        }
        try checkValue(argument.value, against: keySpec.type, what: "'\(key)='", spec: spec)
        arguments.keys[key] = argument
    }

    /// An optional choice (`impute [mean|median|mode] [COL,…]`) is passed over when the
    /// value is not one of its words, nor a near miss of one, and a later parameter can
    /// take it: `impute constant=0 age` binds `age` to the columns.
    private func skipsOptionalChoice(_ positional: PositionalSpec, for value: Value, laterAccepts: Bool) -> Bool {
        guard positional.optional, laterAccepts, case .word(let words) = positional.type else { return false }
        guard case .word(let word) = value.kind else { return true }
        return !words.contains(word) && Suggest.closest(to: word, in: words) == nil
    }

    private func unexpectedHint(_ argument: Argument, spec: StatementSpec) -> String {
        if case .word(let word) = argument.value.kind {
            let candidates = spec.flags.map(\.word) + spec.keys.map(\.key)
            if let suggestion = Suggest.closest(to: word, in: candidates) {
                return "did you mean '\(suggestion)'? usage: \(spec.usage)"
            }
        }
        return "usage: \(spec.usage)"
    }

    /// Checks one value; `what` names the parameter in messages ("units", "'lr='").
    func checkValue(_ value: Value, against type: ParameterType, what: String, spec: StatementSpec) throws {
        func mismatch() -> Diagnostic {
            Diagnostic("\(what) expects \(type.phrase) but got '\(value.text)'", at: value.range,
                       hint: "usage: \(spec.usage)", id: "bad-value")
        }
        switch type {
        case .number(let lo, let hi, let loEx, let hiEx):
            guard case .number(let n) = value.kind else { throw mismatch() }
            let tooLow = lo.map { loEx ? n <= $0 : n < $0 } ?? false
            let tooHigh = hi.map { hiEx ? n >= $0 : n > $0 } ?? false
            if tooLow || tooHigh { throw mismatch() }
        case .integer(let lo, let hi):
            guard case .number(let n) = value.kind, n == n.rounded(), abs(n) < 1e12 else { throw mismatch() }
            if Int(n) < lo || (hi.map { Int(n) > $0 } ?? false) { throw mismatch() }
        case .numberOrWord(let lo, let hi, let words):
            switch value.kind {
            case .number(let n) where n > lo && n <= hi: break
            case .word(let word) where words.contains(word): break
            case .word(let word):
                let suggestion = Suggest.closest(to: word, in: words)
                throw Diagnostic("unknown value for \(what) '\(word)'" + didYouMean(suggestion),
                                 at: value.range, hint: "\(what) takes \(type.phrase)", id: "unknown-word")
            default: throw mismatch()
            }
        case .word(let words):
            guard case .word(let word) = value.kind else { throw mismatch() }
            if !words.contains(word) {
                let suggestion = Suggest.closest(to: word, in: words)
                let noun = what.hasPrefix("'") ? "value for \(what)" : what
                throw Diagnostic("unknown \(noun) '\(word)'" + didYouMean(suggestion),
                                 at: value.range, hint: "\(what) is one of: \(words.joined(separator: ", "))",
                                 id: "unknown-word")
            }
        case .path, .name:
            switch value.kind {
            case .word, .string: break
            default: throw mismatch()
            }
        case .dataSource:
            switch value.kind {
            case .string: break
            case .word(let word):
                let known = DataSources.names
                if !known.contains(word) && !DataSources.looksLikePath(word) {
                    let suggestion = Suggest.closest(to: word, in: known)
                    throw Diagnostic("unknown data set '\(word)'" + didYouMean(suggestion),
                                     at: value.range,
                                     hint: "data sets: \(known.joined(separator: ", ")); or give a CSV path, e.g. `load \"data/my.csv\"`",
                                     id: "unknown-data-set")
                }
            default: throw mismatch()
            }
        case .dimension(let count):
            guard case .dimension(let sizes) = value.kind, sizes.count == count, sizes.allSatisfy({ $0 >= 1 && $0 <= 4096 }) else {
                throw mismatch()
            }
        case .shape:
            // A series may be long (a day of seconds), so its sizes are not bounded as kernels are.
            guard case .dimension(let sizes) = value.kind, sizes.count == 2 || sizes.count == 3,
                  sizes.allSatisfy({ $0 >= 1 && $0 <= 10_000_000 }) else {
                throw mismatch()
            }
        case .nameList, .valueList:
            let items: [Value]
            if case .list(let list) = value.kind { items = list } else { items = [value] }
            for item in items {
                switch item.kind {
                case .word, .string: continue
                case .number where type == .valueList: continue
                default:
                    throw Diagnostic("\(what) expects \(type.phrase) but got '\(item.text)'", at: item.range,
                                     hint: "usage: \(spec.usage)", id: "bad-value")
                }
            }
        case .numberList:
            switch value.kind {
            case .number: break
            case .list(let items) where items.allSatisfy({ if case .number = $0.kind { return true } else { return false } }):
                break
            case .list(let items):
                let bad = items.first { if case .number = $0.kind { return false } else { return true } }!
                throw Diagnostic("\(what) expects numbers separated by commas but '\(bad.text)' is not a number",
                                 at: bad.range, hint: "usage: \(spec.usage)", id: "bad-value")
            default: throw mismatch()
            }
        }
    }
}
