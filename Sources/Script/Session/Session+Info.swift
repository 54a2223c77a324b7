import DLCore
import Engine
import Tabular

extension Session {
    func set(_ args: Arguments) {
        if args.has("seed"), let newSeed = args.integer("seed") {
            spec.seed = UInt64(newSeed)
            trainingRandom = SeededRandom(seed: seed)
            print("seed: \(seed) (applies to the next split, generated data, fresh weights and shuffles)")
        }
    }

    func show() {
        func row(_ label: String, _ value: String) { print(Format.pad(label, 10) + value) }
        if let dataset {
            var text = "\(dataset.source): \(dataset.rowCount) rows, \(dataset.featureCount) features, target '\(dataset.targetName)'"
            switch dataset.target {
            case .classes(_, let names): text += " (\(names.count) classes)"
            case .values: text += " (regression)"
            }
            row("data", text)
        } else if let table {
            row("data", "\(table.source): \(table.rowCount) rows, \(table.columns.count) columns; not ready: \(data?.problem?.message ?? "")")
        } else {
            row("data", "none (`load iris` to start)")
        }
        if let split = data?.split {
            row("split", "\(split.train.count) training / \(split.test.count) test rows (\(split.description))")
        } else {
            row("split", "none (all rows train; `split 0.8` holds 20% back for testing)")
        }
        if let steps = data?.steps, !steps.isEmpty { row("steps", steps.map(\.description).joined(separator: "; ")) }
        let scaling = data?.scaling ?? .none
        let fittedWhere = data?.keptScaler != nil ? "as fitted for the loaded model" : "fitted on \(trainRows.count) training rows"
        row("scaling", scaling == .none ? "none" : "\(scaling.rawValue), \(fittedWhere)")
        if layers.isEmpty {
            row("model", "no layers")
        } else {
            let count = network.map { " (\(Format.grouped($0.parameterCount)) parameters)" } ?? ""
            row("model", layers.map(\.text).joined(separator: " → ") + count)
        }
        row("loss", spec.loss?.rawValue ?? "inferred from the output layer")
        row("optimizer", spec.optimizerDescription)
        if spec.schedule != .constant { row("schedule", spec.scheduleDescription) }
        if epochsTrained > 0, let last = history.last {
            var text = "\(epochsTrained) epochs, last loss \(Format.fixed(last.loss, 4))"
            if let accuracy = last.accuracy { text += ", accuracy \(Format.fixed(accuracy, 4))" }
            row("trained", text)
        } else {
            row("trained", "not yet")
        }
        row("seed", String(seed))
    }

    func help(_ args: Arguments) {
        output.write(HelpText.render(args.text("NAME"), table: .standard), to: .output)
    }

    func runFile(_ args: Arguments) throws {
        let path = args.text("FILE")!
        guard context.runDepth < 16 else {
            throw Diagnostic("`run` is nested more than 16 deep", at: args.range(of: "FILE"),
                             hint: "a script probably runs itself; remove the `run` that loops")
        }
        guard let source = readTextFile(path) else {
            throw Diagnostic("cannot open '\(path)'", at: args.range(of: "FILE"),
                             hint: "check the path (relative paths start from the current directory)")
        }
        context.runDepth += 1
        defer { context.runDepth -= 1 }
        switch run(source, fileName: path, firstLine: 1, execute: true) {
        case .ok: break
        case .quit: context.quitRequested = true
        case .badScript, .runtimeError:
            throw AlreadyReported() // the nested script printed its own error
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// Reads a whole UTF-8 text file; nil when it cannot be opened.
func readTextFile(_ path: String) -> String? {
    guard let file = fopen(path, "rb") else { return nil }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = fread(&buffer, 1, buffer.count, file)
        if n > 0 { bytes.append(contentsOf: buffer[0..<n]) }
        if n < buffer.count { break }
    }
    if ferror(file) != 0 { return nil }
    return String(decoding: bytes, as: UTF8.self)
}
