/// `text` as a double-quoted JSON string literal: `"` and `\` escaped, newline, carriage
/// return and tab as `\n`, `\r`, `\t`, every other control character below U+0020 as
/// `\u00XX` (lowercase hex); everything else, non-ASCII included, as it is (UTF-8).
///
/// The one string escaper of the project: the safetensors header (JSON) and the exported
/// Python scripts use it, since a JSON string literal is also a valid Python 3 str literal
/// that reads back as the same text.
public func quotedLiteral(_ text: String) -> String {
    "\"" + quotedLiteralBody(text) + "\""
}

/// What `quotedLiteral` puts between its quotes: for text inside a longer literal, such as
/// a Python docstring or comment, where a name must neither end the literal nor the line.
public func quotedLiteralBody(_ text: String) -> String {
    var out = ""
    out.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where scalar.value < 0x20:
            let hex = String(scalar.value, radix: 16)
            out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out
}
