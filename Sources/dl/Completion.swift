/// Fits the interpreter's completion candidates to the word libedit will replace.
///
/// The interpreter answers with whole words for the word ending at the cursor
/// ("epochs=", "cross_entropy", "datasets/iris.csv"); libedit replaces only the text
/// after its last break character. Where the two words start differently (say the
/// interpreter's word is `loss=cr` and libedit's is `cr`), each candidate is trimmed
/// or extended so that it replaces exactly libedit's word.
func completionReplacements(line: String, cursor: Int, word: String, candidates: [String]) -> [String] {
    let before = Array(line.utf8.prefix(cursor))
    let typed = Array(word.utf8)
    guard typed.count <= before.count, before.suffix(typed.count).elementsEqual(typed) else {
        return unique(candidates)
    }
    let wordStart = before.count - typed.count
    // The interpreter's word cannot reach back past a space or a quote.
    let regionStart = (before.lastIndex { $0 == 0x20 || $0 == 0x09 || $0 == 0x22 || $0 == 0x27 } ?? -1) + 1

    let fitted = candidates.map { candidate -> String in
        let bytes = Array(candidate.utf8)
        // The longest text before the cursor that the candidate starts with.
        guard let start = (regionStart..<before.count).first(where: { bytes.starts(with: before[$0...]) }) else {
            // Nothing typed matches (a candidate for an empty word, or a case-insensitive
            // match): it stands for the whole word.
            return candidate
        }
        if start <= wordStart {
            return String(decoding: bytes.dropFirst(wordStart - start), as: UTF8.self)
        }
        return String(decoding: before[wordStart..<start] + bytes, as: UTF8.self)
    }
    return unique(fitted)
}

/// The longest common prefix of two strings, by characters.
func commonPrefix(_ a: String, _ b: String) -> String {
    var result = ""
    for (x, y) in zip(a, b) {
        guard x == y else { break }
        result.append(x)
    }
    return result
}

private func unique(_ words: [String]) -> [String] {
    var seen = Set<String>()
    return words.filter { seen.insert($0).inserted }
}
