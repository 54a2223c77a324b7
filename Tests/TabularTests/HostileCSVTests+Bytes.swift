import Foundation
import XCTest
@testable import Tabular

/// Hostile CSVs, continued: bytes that are not UTF-8 text, and paths that are not files.
extension HostileCSVTests {
    // MARK: Bytes that are not UTF-8 text

    func testInvalidUTF8InATextCellNamesTheLineAndColumn() {
        // "café" in Latin-1: é is the single byte 0xE9.
        let bytes = Array("id,name\n1,ok\n2,caf".utf8) + [0xE9] + Array("\n3,fine\n".utf8)
        let error = self.error(bytes)
        XCTAssertEqual(error?.message, "line 3 of 't.csv' is not UTF-8 text: column 'name' holds the byte 0xE9 in 'caf\u{FFFD}'")
        XCTAssertEqual(error?.hint, Self.utf8Hint)
        // In a column of numbers the cell makes the column text, which is read as text.
        let stray = Array("x\n1\n2".utf8) + [0xFF] + Array("\n".utf8)
        XCTAssertEqual(self.error(stray)?.message, "line 3 of 't.csv' is not UTF-8 text: column 'x' holds the byte 0xFF in '2\u{FFFD}'")
        // A long cell is shown around the byte, not whole.
        let long = Array("t\n".utf8) + [UInt8](repeating: UInt8(ascii: "a"), count: 100_000) + [0xC3, 0x28]
            + [UInt8](repeating: UInt8(ascii: "b"), count: 100) + Array("\n".utf8)
        XCTAssertEqual(self.error(long)?.message, "line 2 of 't.csv' is not UTF-8 text: column 't' holds the byte 0xC3 in '…"
                       + String(repeating: "a", count: 30) + "\u{FFFD}(" + String(repeating: "b", count: 29) + "…'")
    }

    func testInvalidUTF8InTheHeaderNamesTheColumn() {
        let bytes = Array("id,".utf8) + [0x4E, 0xBA, 0x6D] + Array(",y\n1,2,3\n".utf8)
        let error = self.error(bytes)
        XCTAssertEqual(error?.message, "line 1 of 't.csv' (the header) is not UTF-8 text: the name of column 2 holds the byte 0xBA in 'N\u{FFFD}m'")
        XCTAssertEqual(error?.hint, Self.utf8Hint)
    }

    func testValidUTF8IsKept() throws {
        let table = try self.table("名前,ü\n\"café, crème\",1\n🦜,2\n")
        XCTAssertEqual(table.columnNames, ["名前", "ü"])
        XCTAssertEqual(texts(table, "名前"), ["café, crème", "🦜"])
    }

    func testABinaryFileIsRefused() throws {
        var g = SystemRandomNumberGenerator()
        var bytes = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &g) }
        bytes[0...5] = [0x61, 0x2C, 0x62, 0x0A, 0x31, 0x00]   // "a,b\n1" and a NUL on line 2
        let error = self.error(bytes)
        XCTAssertEqual(error?.message, "'t.csv' is not a text file: line 2 holds a zero byte")
        XCTAssertEqual(error?.hint, "check that this is the CSV file you meant; a file saved as UTF-16 ('Unicode text') must be saved as 'CSV UTF-8' instead")
    }

    func testAZeroByteInALaterTextCellNamesTheLine() throws {
        // Beyond the first bytes that are checked for a binary file, the cell is caught where it is read.
        var text = "id,name\n"
        for i in 0..<20_000 { text += "\(i),n\(i)\n" }
        let bytes = Array(text.utf8) + Array("20000,a".utf8) + [0] + Array("b\n".utf8)
        XCTAssertEqual(self.error(bytes)?.message, "line 20002 of 't.csv' holds a zero byte in column 'name'")
    }

    func testAGzipFileIsRefusedWithAHint() throws {
        let gzip: [UInt8] = [0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x4B, 0x4C, 0x2A, 0xE2, 0x02, 0x00]
        let error = self.error(gzip)
        XCTAssertEqual(error?.message, "'t.csv' is compressed with gzip, not CSV text")
        XCTAssertEqual(error?.hint, "decompress it first (gunzip FILE.gz) and load the CSV file it holds")
    }

    func testAZipArchiveOrWorkbookIsRefusedWithAHint() throws {
        let zip = Array("PK".utf8) + [3, 4, 20, 0, 6, 0] + Array("[Content_Types].xml".utf8)
        let error = readError(path: try temporaryFile(zip, name: "grades.xlsx"))
        XCTAssertEqual(error?.message, "'grades.xlsx' is a zip archive (an Excel workbook is one), not CSV text")
        XCTAssertEqual(error?.hint, "save the sheet as 'CSV UTF-8' in the spreadsheet, or unzip the archive and load the CSV file it holds")
    }

    func testUTF16IsRefusedWithAHint() {
        for bom: [UInt8] in [[0xFF, 0xFE], [0xFE, 0xFF]] {
            let bytes = bom + Array("a,b\n1,2\n".utf8).flatMap { bom[0] == 0xFF ? [$0, 0] : [0, $0] }
            let error = self.error(bytes)
            XCTAssertEqual(error?.message, "'t.csv' is UTF-16 text; dl reads UTF-8")
            XCTAssertEqual(error?.hint, "save it as 'CSV UTF-8', or convert it, e.g. iconv -f utf-16 -t utf-8 old.csv > new.csv")
        }
    }

    // MARK: Paths that are not files

    func testADirectoryIsRefused() throws {
        let path = try temporaryFile([])
        let folder = (path as NSString).deletingLastPathComponent
        let error = readError(path: folder)
        XCTAssertEqual(error?.message, "cannot read '\(folder)': it is a directory, not a CSV file")
        XCTAssertEqual(error?.hint, "give the path of a .csv file")
    }
}
