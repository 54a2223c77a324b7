import Foundation
import XCTest

/// Every statement that writes a file writes it whole or not at all: with the disk full (a
/// file size limit, or a tiny tmpfs where root may mount one) the statement fails with an
/// error naming the file and the reason, dl exits 70 instead of dying of SIGXFSZ, the old
/// file keeps every byte and no temporary file is left beside it.
final class FullDiskTests: XCTestCase {
    private static let prelude = """
        load iris
        split 0.8 seed=42
        scale minmax
        dense 16 relu
        dense 3 softmax
        train lr=0.1 epochs=3 verbose=0

        """

    /// Each writing statement with the file it writes. Every plot goes through the same
    /// `draw … to`, so a few stand for all of them.
    private static var writes: [(statement: String, file: String)] {
        let rows = DLBinary.packageRoot.appendingPathComponent("datasets/iris.csv").path
        return [
            ("plot loss to \"out.svg\"", "out.svg"),
            ("plot accuracy to \"out.svg\"", "out.svg"),
            ("plot hist petal_length_cm to \"out.svg\"", "out.svg"),
            ("plot box to \"out.svg\"", "out.svg"),
            ("plot corr to \"out.svg\"", "out.svg"),
            ("plot petal_length_cm vs petal_width_cm to \"out.svg\"", "out.svg"),
            ("report \"out.html\"", "out.html"),
            ("save model \"out.safetensors\"", "out.safetensors"),
            ("export onnx \"out.onnx\"", "out.onnx"),
            ("export keras \"out.py\"", "out.py"),
            ("export torch \"out.py\"", "out.py"),
            // Enough trains before it (each one a line of the state) that the script is larger than the limit.
            (String(repeating: "train lr=0.05 epochs=1 verbose=0\n", count: 60) + "save script \"out.dl\"", "out.dl"),
            ("predict \"\(rows)\" to \"out.csv\"", "out.csv"),
        ]
    }

    private static let oldContents = Data("the old file, which must survive\n".utf8)

    /// Runs each write in a fresh folder under `shellPrefix`, its target in the folder that
    /// `prepare` returns (it puts the old file there first, e.g. before filling a disk), and
    /// checks the outcome; `cleanUp` runs before the folder is removed.
    private func assertEveryWriteFailsCleanly(shellPrefix: String, reason: String,
                                              prepare: (_ directory: URL, _ name: String) throws -> URL,
                                              cleanUp: (URL) -> Void = { _ in }) throws {
        for (statement, name) in Self.writes {
            let directory = try DLBinary.temporaryDirectory()
            defer {
                cleanUp(directory)
                try? FileManager.default.removeItem(at: directory)
            }
            let target = try prepare(directory, name)
            let path = target.appendingPathComponent(name).path
            let script = Self.prelude + statement.replacingOccurrences(of: "\"\(name)\"", with: "\"\(path)\"") + "\n"
            try script.write(to: directory.appendingPathComponent("script.dl"), atomically: true, encoding: .utf8)

            let result = try DLBinary.run(shell: "\(shellPrefix) exec \"$DL\" script.dl", in: directory, timeout: 60)
            let what = statement.split(separator: "\n").last!
            XCTAssertEqual(result.status, 70, "\(what): exit status 70, not a signal:\n\(result.stderr)")
            XCTAssertTrue(result.stderr.contains("cannot write '\(path)': \(reason)"), "\(what):\n\(result.stderr)")
            XCTAssertTrue(result.stderr.contains("the old file, if any, is unchanged"), "\(what):\n\(result.stderr)")
            XCTAssertEqual(FileManager.default.contents(atPath: path), Self.oldContents, "\(what): the old file is unchanged")
            let left = try FileManager.default.contentsOfDirectory(atPath: target.path).filter { $0.hasSuffix(".tmp") }
            XCTAssertEqual(left, [], "\(what): no temporary file is left")
        }
    }

    /// Without a limit every statement writes more than 1 KB, so the limit below really
    /// cuts each write short.
    func testEveryWriteIsLargerThanTheLimit() throws {
        let statements = Self.writes.enumerated().map { i, write in
            write.statement.replacingOccurrences(of: "\"\(write.file)\"", with: "\"\(i)-\(write.file)\"")
        }
        let directory = try makeTemporaryDirectory(with: ["script.dl": Self.prelude + statements.joined(separator: "\n") + "\n"])
        let result = try DLBinary.run(["script.dl"], in: directory, timeout: 60)
        XCTAssertEqual(result.status, 0, result.stderr)
        for (i, write) in Self.writes.enumerated() {
            let written = directory.appendingPathComponent("\(i)-\(write.file)").path
            let size = (try? FileManager.default.attributesOfItem(atPath: written))?[.size] as? Int
            XCTAssertGreaterThan(size ?? 0, 1024, written)
        }
    }

    /// `ulimit -f 2`: files may grow to 1 KB (dash counts 512-byte blocks); a write beyond
    /// fails with EFBIG, where the default action of SIGXFSZ would kill dl.
    func testEveryWriteUnderAFileSizeLimitLeavesTheOldFile() throws {
        try assertEveryWriteFailsCleanly(shellPrefix: "ulimit -f 2;", reason: "the file would exceed the file size limit",
                                         prepare: { directory, name in
                                             try Self.oldContents.write(to: directory.appendingPathComponent(name))
                                             return directory
                                         })
    }

    /// A 64 KB tmpfs filled to the last byte after the old file: the temporary file cannot
    /// take a single page. Needs root and a kernel that lets it mount; skipped elsewhere.
    func testEveryWriteOnAFullDiskLeavesTheOldFile() throws {
        guard getuid() == 0 else { throw XCTSkip("mounting a tmpfs needs root") }
        let probe = try makeTemporaryDirectory()
        try FileManager.default.createDirectory(at: probe.appendingPathComponent("disk"), withIntermediateDirectories: true)
        let mount = try DLBinary.run(shell: "mount -t tmpfs -o size=64k dl-full-disk disk && umount disk", in: probe)
        guard mount.status == 0 else { throw XCTSkip("cannot mount a tmpfs here: \(mount.stderr)") }

        try assertEveryWriteFailsCleanly(shellPrefix: "", reason: "the disk is full", prepare: { directory, name in
            let disk = directory.appendingPathComponent("disk")
            try FileManager.default.createDirectory(at: disk, withIntermediateDirectories: true)
            let mount = try DLBinary.run(shell: "mount -t tmpfs -o size=64k dl-full-disk disk", in: directory)
            XCTAssertEqual(mount.status, 0, mount.stderr)
            try Self.oldContents.write(to: disk.appendingPathComponent(name))
            _ = try DLBinary.run(shell: "cat /dev/zero > disk/filler 2>/dev/null; true", in: directory)
            return disk
        }, cleanUp: { directory in
            _ = try? DLBinary.run(shell: "umount disk", in: directory)
        })
    }
}
