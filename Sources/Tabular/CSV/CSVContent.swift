#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Refuses bytes that are not CSV text before they are parsed as if they were: parsed, a
/// workbook or a compressed file only gives a puzzling "line 2 has 7 fields". A look at the
/// first bytes finds them: a known signature, or a zero byte, which text never holds. (A
/// zero byte further on is caught in the cell that holds it, see `CSVReader`.)
enum CSVContent {
    /// How far the zero-byte check looks: enough for any binary format's header, and a
    /// fixed cost however large the file.
    static let checkedBytes = 1 << 16

    static func check(_ bytes: UnsafeBufferPointer<UInt8>, source: String) throws {
        func starts(with prefix: [UInt8]) -> Bool {
            bytes.count >= prefix.count && zip(bytes, prefix).allSatisfy { $0 == $1 }
        }
        if starts(with: [0x1F, 0x8B]) {
            throw TabularError("'\(source)' is compressed with gzip, not CSV text",
                               hint: "decompress it first (gunzip FILE.gz) and load the CSV file it holds")
        }
        if starts(with: [0x50, 0x4B, 0x03, 0x04]) || starts(with: [0x50, 0x4B, 0x05, 0x06]) {
            throw TabularError("'\(source)' is a zip archive (an Excel workbook is one), not CSV text",
                               hint: "save the sheet as 'CSV UTF-8' in the spreadsheet, or unzip the archive and load the CSV file it holds")
        }
        if starts(with: [0xFF, 0xFE]) || starts(with: [0xFE, 0xFF]) {
            throw TabularError("'\(source)' is UTF-16 text; dl reads UTF-8",
                               hint: "save it as 'CSV UTF-8', or convert it, e.g. iconv -f utf-16 -t utf-8 old.csv > new.csv")
        }
        let checked = min(bytes.count, checkedBytes)
        if let base = bytes.baseAddress, let zero = memchr(base, 0, checked) {
            let offset = UnsafeRawPointer(zero) - UnsafeRawPointer(base)
            throw TabularError("'\(source)' is not a text file: line \(line(at: offset, in: bytes)) holds a zero byte",
                               hint: "check that this is the CSV file you meant; a file saved as UTF-16 ('Unicode text') must be saved as 'CSV UTF-8' instead")
        }
    }

    /// The 1-based line of `offset`, counting LF, CRLF and lone CR as the scanner does
    /// (quotes aside: this is for files that are not CSV).
    private static func line(at offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var line = 1
        for i in 0..<offset where bytes[i] == 10 || (bytes[i] == 13 && bytes[i + 1] != 10) { line += 1 }
        return line
    }

    /// A cell or name that `CSVScanner.validText(of:)` refused, as an error naming its line.
    static func textError(_ fault: CSVScanner.Fault, line: Int, source: String, header: Bool, column: Int,
                          name: String) -> TabularError {
        let place = header ? "line \(line) of '\(source)' (the header)" : "line \(line) of '\(source)'"
        let what = header ? "the name of column \(column + 1)" : "column '\(name)'"
        switch fault {
        case .zeroByte:
            return TabularError("\(place) holds a zero byte in \(what)",
                                hint: "a CSV file is text: check that this is the file you meant, or remove that byte")
        case .notUTF8(let byte, let text):
            let hex = String(byte, radix: 16, uppercase: true)
            return TabularError("\(place) is not UTF-8 text: \(what) holds the byte 0x\(hex.count == 1 ? "0" : "")\(hex) in '\(text)'",
                                hint: "save the file as UTF-8 (a spreadsheet's 'CSV UTF-8'), or convert it, e.g. iconv -f latin1 -t utf-8 old.csv > new.csv")
        }
    }
}
