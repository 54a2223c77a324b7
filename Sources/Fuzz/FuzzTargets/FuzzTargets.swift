#if canImport(Glibc)
import Glibc
#endif
import Script

/// What each fuzzer does with one input. A target returns normally for any input, whether
/// the input is accepted or refused with an error; a crash, a sanitizer report, a broken
/// invariant (a `precondition` here) or a slow input is what the fuzzer reports.
/// `scripts/fuzz NAME` runs one; FuzzTests replays the seeds and past crashes through them.
public enum FuzzTargets {
    /// The targets by the name scripts/fuzz and the corpus folders use.
    public static let all: [String: (UnsafeBufferPointer<UInt8>) -> Void] = [
        "script": script, "statements": statements, "csv": csv, "table": table, "idx": idx, "model": model,
        "image": image,
    ]

    /// Runs statements in a fresh session whose output goes nowhere.
    static func session(_ lines: [String]) {
        let interpreter = Interpreter(output: CapturedOutput(width: 80))
        for (number, line) in lines.enumerated() {
            _ = interpreter.runInteractive(line, fileName: "fuzz", lineNumber: number + 1)
        }
    }

    /// Writes the input to a private file (in /dev/shm when there is one, so no disk is
    /// touched) for the statements that read files, and removes it afterwards.
    static func withFile(_ input: UnsafeBufferPointer<UInt8>, suffix: String, _ body: (String) -> Void) {
        let folder = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"
        let path = "\(folder)/dl-fuzz-\(getpid())\(suffix)"
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        precondition(fd >= 0, "cannot create \(path)")
        var written = 0
        while written < input.count {
            let n = write(fd, input.baseAddress! + written, input.count - written)
            precondition(n > 0, "cannot write \(path)")
            written += n
        }
        close(fd)
        defer { unlink(path) }
        body(path)
    }
}
