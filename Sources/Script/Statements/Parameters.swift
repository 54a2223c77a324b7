// Typed parameters: a command declares each of its parameters once, as a `Positional<V>`,
// `Key<V>` or `Flag` constant that carries both its row in the statement table (name, type,
// default, doc) and how its checked value reads as the Swift type `V`. Commands read their
// arguments through these constants (`args[Self.units]`), never by a name in a string, so the
// compiler checks that what is read was declared, with the type it was declared with.
//
// This file and Arguments.swift are the decoding layer: the only code that reads a checked
// value by its name. The Checker has already made every value match its declared type, and
// a parameter read as non-optional has a default or is required, so these reads cannot fail
// for a statement the Checker accepted (StatementTableTests decodes every example to be sure).

/// A positional parameter and how its value reads: `Positional<Int>` for `UNITS`.
struct Positional<V>: Sendable {
    let spec: PositionalSpec
    fileprivate let read: @Sendable (Arguments, String) -> V
    var name: String { spec.name }
}

/// A `key=value` parameter and how its value reads: `Key<Double>` for `lr=`.
struct Key<V>: Sendable {
    let spec: KeySpec
    fileprivate let read: @Sendable (Arguments, String) -> V
    var name: String { spec.key }
}

/// A bare word switch (`stratify`); it reads as whether it was given.
struct Flag: Sendable {
    let spec: FlagSpec
    init(_ word: String, doc: String) { spec = FlagSpec(word, doc: doc) }
}

extension Arguments {
    subscript<V>(_ parameter: Positional<V>) -> V { parameter.read(self, parameter.name) }
    subscript<V>(_ parameter: Key<V>) -> V { parameter.read(self, parameter.name) }
    subscript(_ switchWord: Flag) -> Bool { flag(switchWord.spec.word) }

    /// Whether the parameter was written in the statement (a default does not count).
    func has<V>(_ parameter: Positional<V>) -> Bool { has(parameter.name) }
    func has<V>(_ parameter: Key<V>) -> Bool { has(parameter.name) }

    /// The elements of a list as written (one for a single value; none when left out).
    func items<V>(_ parameter: Key<V>) -> [Value] {
        guard let value = value(parameter.name) else { return [] }
        if case .list(let list) = value.kind { return list }
        return [value]
    }

    /// The value as it was written (`0.99999999`), for messages that quote it.
    func written<V>(_ parameter: Positional<V>) -> String? { value(parameter.name)?.text }

    /// Where the parameter's value is, for runtime errors; the statement when it was left out.
    func range<V>(of parameter: Positional<V>) -> SourceRange { range(of: parameter.name) }
    func range<V>(of parameter: Key<V>) -> SourceRange { range(of: parameter.name) }
    /// Where `key=value` is, key included, for errors about the key itself.
    func keyRange<V>(of parameter: Key<V>) -> SourceRange { keyRange(of: parameter.name) }
}

// MARK: - Readers

/// How a value of each declared type reads. Force-unwraps here are the Checker's guarantee:
/// a required or defaulted parameter always has a value of its declared type.
private enum Read {
    static func integer(_ a: Arguments, _ name: String) -> Int? { a.integer(name) }
    static func number(_ a: Arguments, _ name: String) -> Double? { a.number(name) }
    static func text(_ a: Arguments, _ name: String) -> String? { a.text(name) }
    static func dimension(_ a: Arguments, _ name: String) -> [Int]? { a.dimension(name) }
    static func numbers(_ a: Arguments, _ name: String) -> [Double]? { a.numbers(name) }
    static func names(_ a: Arguments, _ name: String) -> [String]? { a.names(name) }
    static func value(_ a: Arguments, _ name: String) -> Value? { a.value(name) }
}

/// The allowed words of an enumeration whose raw values are the words a statement takes.
private func words<E: CaseIterable & RawRepresentable>(_ type: E.Type) -> [String] where E.RawValue == String {
    type.allCases.map(\.rawValue)
}

// MARK: - Positional factories

extension Positional where V == Int {
    static func integer(_ name: String, min: Int, max: Int? = nil, default value: Int? = nil, doc: String) -> Self {
        Self(spec: PositionalSpec(name, .integer(min: min, max: max), default: value.map { .number(Double($0)) }, doc: doc),
             read: { Read.integer($0, $1)! })
    }
}

extension Positional where V == Int? {
    /// An integer that may be left out (nil then): `plot units [LAYER]`.
    static func integer(_ name: String, min: Int, max: Int? = nil, doc: String) -> Self {
        Self(spec: PositionalSpec(name, .integer(min: min, max: max), optional: true, doc: doc), read: Read.integer)
    }
}

extension Positional where V == Double {
    static func number(_ name: String, _ type: ParameterType, default value: Double? = nil, doc: String) -> Self {
        Self(spec: PositionalSpec(name, type, default: value.map { .number($0) }, doc: doc), read: { Read.number($0, $1)! })
    }
}

extension Positional where V == [Int] {
    /// A dimension with `count` sizes: `5x5`, `28x28x1`.
    static func dimension(_ name: String, _ count: Int, doc: String) -> Self {
        Self(spec: PositionalSpec(name, .dimension(count), doc: doc), read: { Read.dimension($0, $1)! })
    }
    /// A row's shape: `150x1` (steps x channels) or `28x28x1` (height x width x channels).
    static func shape(_ name: String, doc: String) -> Self {
        Self(spec: PositionalSpec(name, .shape, doc: doc), read: { Read.dimension($0, $1)! })
    }
}

extension Positional where V == [Double] {
    /// Numbers separated by commas (`1,2,3`), or one number.
    static func numbers(_ name: String, doc: String) -> Self {
        Self(spec: PositionalSpec(name, .numberList, doc: doc), read: { Read.numbers($0, $1)! })
    }
}

extension Positional where V == Value? {
    /// The value as written, or nil when left out.
    static func optionalRaw(_ name: String, _ type: ParameterType, doc: String) -> Self {
        Self(spec: PositionalSpec(name, type, optional: true, doc: doc), read: Read.value)
    }
}

extension Positional where V == String {
    /// One of `words`, read as the word.
    static func word(_ name: String, _ words: [String], default value: String? = nil, doc: String) -> Self {
        Self(spec: PositionalSpec(name, .word(words), default: value.map { .word($0) }, doc: doc), read: { Read.text($0, $1)! })
    }
    /// A file path, quoted or bare.
    static func path(_ name: String, doc: String) -> Self {
        Self(spec: PositionalSpec(name, .path, doc: doc), read: { Read.text($0, $1)! })
    }
    /// A name (a column, a statement), as a word or a string.
    static func name(_ name: String, doc: String) -> Self {
        Self(spec: PositionalSpec(name, .name, doc: doc), read: { Read.text($0, $1)! })
    }
}

extension Positional where V == String? {
    static func word(_ name: String, _ words: [String], doc: String) -> Self {
        Self(spec: PositionalSpec(name, .word(words), optional: true, doc: doc), read: Read.text)
    }
    static func name(_ name: String, doc: String) -> Self {
        Self(spec: PositionalSpec(name, .name, optional: true, doc: doc), read: Read.text)
    }
}

extension Positional where V: CaseIterable & RawRepresentable & Sendable, V.RawValue == String {
    /// One of an enumeration's words, read as its case.
    static func choice(_ name: String, default value: V? = nil, only allowed: [V]? = nil, doc: String) -> Self {
        let words = allowed.map { $0.map(\.rawValue) } ?? words(V.self)
        return Self(spec: PositionalSpec(name, .word(words), default: value.map { .word($0.rawValue) }, doc: doc),
                    read: { V(rawValue: Read.text($0, $1)!)! })
    }
}

extension Positional where V == [String]? {
    /// Names separated by commas (`a,b,"c d"`), or nil when left out.
    static func names(_ name: String, doc: String) -> Self {
        Self(spec: PositionalSpec(name, .nameList, optional: true, doc: doc), read: Read.names)
    }
}

extension Positional where V == [String] {
    static func names(_ name: String, doc: String) -> Self {
        Self(spec: PositionalSpec(name, .nameList, doc: doc), read: { Read.names($0, $1)! })
    }
}

extension Positional where V == Value {
    /// The value as written, for parameters whose meaning depends on its form (a row of
    /// values or a quoted file; a data set's name or a path).
    static func raw(_ name: String, _ type: ParameterType, doc: String) -> Self {
        Self(spec: PositionalSpec(name, type, doc: doc), read: { Read.value($0, $1)! })
    }
}

// MARK: - Key factories

extension Key where V == Int {
    static func integer(_ key: String, min: Int, max: Int? = nil, default value: Int, onlyWith: String? = nil, doc: String) -> Self {
        Self(spec: KeySpec(key, .integer(min: min, max: max), default: .number(Double(value)), onlyWith: onlyWith, doc: doc),
             read: { Read.integer($0, $1)! })
    }
}

extension Key where V == Int? {
    static func integer(_ key: String, min: Int, max: Int? = nil, doc: String) -> Self {
        Self(spec: KeySpec(key, .integer(min: min, max: max), doc: doc), read: Read.integer)
    }
}

extension Key where V == Double {
    static func number(_ key: String, _ type: ParameterType, default value: Double, onlyWith: String? = nil, doc: String) -> Self {
        Self(spec: KeySpec(key, type, default: .number(value), onlyWith: onlyWith, doc: doc), read: { Read.number($0, $1)! })
    }
}

extension Key where V == Double? {
    static func number(_ key: String, _ type: ParameterType, onlyWith: String? = nil, doc: String) -> Self {
        Self(spec: KeySpec(key, type, onlyWith: onlyWith, doc: doc), read: Read.number)
    }
}

extension Key where V == Double? {
    /// A number, or one of `words`, which reads as nil (the command asks `args.has` and looks
    /// at the text): `lr=0.1`, `lr=suggested`. Left out, it reads as the default number.
    static func numberOrWord(_ key: String, min: Double, max: Double, words: [String], default value: Double, doc: String) -> Self {
        Self(spec: KeySpec(key, .numberOrWord(min: min, max: max, words: words), default: .number(value), doc: doc), read: Read.number)
    }
}

extension Key where V == String? {
    /// A name (a column), as a word or a string, or nil when left out.
    static func name(_ key: String, doc: String) -> Self {
        Self(spec: KeySpec(key, .name, doc: doc), read: Read.text)
    }
}

extension Key where V == String? {
    /// A file path, quoted or bare, or nil when left out.
    static func path(_ key: String, doc: String) -> Self {
        Self(spec: KeySpec(key, .path, doc: doc), read: Read.text)
    }
    /// One of `words`, or nil when left out.
    static func word(_ key: String, _ words: [String], doc: String) -> Self {
        Self(spec: KeySpec(key, .word(words), doc: doc), read: Read.text)
    }
}

extension Key where V == [Int]? {
    /// A dimension with `count` sizes (`64x64`), or nil when left out.
    static func dimension(_ key: String, _ count: Int, doc: String) -> Self {
        Self(spec: KeySpec(key, .dimension(count), doc: doc), read: Read.dimension)
    }
}

extension Key where V == [String]? {
    /// Names separated by commas, or nil when left out.
    static func names(_ key: String, doc: String) -> Self {
        Self(spec: KeySpec(key, .nameList, doc: doc), read: Read.names)
    }
}

extension Key where V: CaseIterable & RawRepresentable & Sendable, V.RawValue == String {
    static func choice(_ key: String, default value: V, onlyWith: String? = nil, doc: String) -> Self {
        Self(spec: KeySpec(key, .word(words(V.self)), default: .word(value.rawValue), onlyWith: onlyWith, doc: doc),
             read: { V(rawValue: Read.text($0, $1)!)! })
    }
}

extension Key {
    /// One of an enumeration's words, read as its case, or nil when left out (`flip=horizontal`).
    static func choice<E: CaseIterable & RawRepresentable & Sendable>(_ key: String, doc: String) -> Self
    where V == E?, E.RawValue == String {
        Self(spec: KeySpec(key, .word(words(E.self)), doc: doc), read: { Read.text($0, $1).flatMap(E.init(rawValue:)) })
    }
}

extension Key where V == Value? {
    /// A number or one of `words` (`pace=30`, `pace=fast`) as written, or nil when left out.
    static func numberOrWord(_ key: String, min: Double, max: Double, words: [String], doc: String) -> Self {
        Self(spec: KeySpec(key, .numberOrWord(min: min, max: max, words: words), doc: doc), read: Read.value)
    }
}

extension Key where V == [Double]? {
    /// Numbers separated by commas, or nil when left out (a default is only shown by `help`).
    static func numbers(_ key: String, default value: DefaultValue? = nil, doc: String) -> Self {
        Self(spec: KeySpec(key, .numberList, default: value, doc: doc), read: Read.numbers)
    }
}

extension Key {
    /// The declared default as a number (for keys declared with one).
    var defaultNumber: Double {
        if case .number(let n)? = spec.defaultValue { return n }
        preconditionFailure("\(spec.key)= has no numeric default")
    }
}

extension Key where V: RawRepresentable, V.RawValue == String {
    /// The declared default as its case (for keys declared with one).
    var defaultChoice: V {
        if case .word(let word)? = spec.defaultValue, let value = V(rawValue: word) { return value }
        preconditionFailure("\(spec.key)= has no default word")
    }
}

/// A value with the place it was written, for errors that point at it (a file path, a column).
struct Placed<V> {
    let value: V
    /// Where it was written; the statement's range when it was left out.
    let range: SourceRange
    /// Whether it was written (a default does not count).
    let given: Bool
}

extension Arguments {
    func placed<V>(_ parameter: Positional<V>) -> Placed<V> {
        Placed(value: self[parameter], range: range(of: parameter), given: has(parameter))
    }
    func placed<V>(_ parameter: Key<V>) -> Placed<V> {
        Placed(value: self[parameter], range: range(of: parameter), given: has(parameter))
    }
}
