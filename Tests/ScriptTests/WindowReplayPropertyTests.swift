import Foundation
import PropertyBased
import Testing
@testable import Script

/// The replay property of `show state` (as `ReplayPropertyTests`) for sessions that load a saved
/// windowed model and then a series: the series becomes the model's windows (or is refused and
/// starts afresh), and `window`, `target`, `split`, scaling, trains and forecasts follow. The
/// state line run in a fresh session gives the same weights, `evaluate` and `predict`.
@Suite struct WindowReplayPropertyTests {
    static let count = ProcessInfo.processInfo.environment["DL_PROPERTY_COUNT"].flatMap(Int.init) ?? 60

    /// The files the sessions read: a series of 80 days (`day` a date, `kind` a category, `a`, `y`),
    /// its last 20 days, its first 60 and the 20 after them as a test file, and two windowed models.
    struct Files {
        let folder: String
        var series: String { folder + "/days.csv" }
        var recent: String { folder + "/recent.csv" }
        var head: String { folder + "/head.csv" }
        var tail: String { folder + "/tail.csv" }
        var models: [String] { [folder + "/y.dlm", folder + "/a.dlm", folder + "/kind.dlm"] }

        init() throws {
            folder = NSTemporaryDirectory() + "dl-window-replay-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let rows = (0..<80).map { t -> String in
                let a = (10 * sin(Double(t) / 4) * 1000).rounded() / 1000
                return "2024-\(String(format: "%02d", 1 + t / 28))-\(String(format: "%02d", 1 + t % 28)),\(["lo", "mid", "hi"][t % 3]),\(a),\(Double(3 * t) + a)"
            }
            let header = "day,kind,a,y\n"
            try (header + rows.joined(separator: "\n") + "\n").write(toFile: series, atomically: true, encoding: .utf8)
            try (header + rows.suffix(20).joined(separator: "\n") + "\n").write(toFile: recent, atomically: true, encoding: .utf8)
            try (header + rows.prefix(60).joined(separator: "\n") + "\n").write(toFile: head, atomically: true, encoding: .utf8)
            try (header + rows.suffix(20).joined(separator: "\n") + "\n").write(toFile: tail, atomically: true, encoding: .utf8)
            let trainings = [
                ["window 6 horizon=2 target=y", "split 0.8", "scale standard", "scale target minmax"],
                ["drop kind", "window 4 target=a", "scale minmax"],
                ["encode onehot kind", "window 5 target=y", "split 0.75", "scale standard"],
            ]
            for (model, steps) in zip(models, trainings) {
                let (text, outcomes) = runLines(["load \"\(series)\""] + steps + ["dense 8 relu", "dense 1", "optimizer adam",
                                                                                  "train lr=0.01 epochs=5 verbose=0", "save model \"\(model)\""])
                guard outcomes.allSatisfy({ $0 == .ok }) else { throw Problem(text: text) }
            }
        }

        struct Problem: Error { var text: String }
    }

    static func session(_ files: Files) -> Generator<[SessionStep], some Sequence> {
        let loads = ["load \"\(files.series)\"", "load \"\(files.series)\" target=a", "load \"\(files.recent)\"",
                     "load \"\(files.head)\" test=\"\(files.tail)\""]
        let steps = ["window 6 horizon=2 target=y", "window 4 target=a", "window 5", "target a", "split 0.8", "scale minmax",
                     "scale target standard", "encode onehot kind", "drop kind", "train lr=0.01 epochs=2 verbose=0",
                     "train lr=0.02 epochs=1 verbose=0", "reset weights", "dense 1", "reset model", "predict", "evaluate",
                     "sweep lr=0.01,0.02 epochs=1", "use best"]
        let step = Gen.int(in: 0..<(steps.count + loads.count + files.models.count)).map { pick -> String in
            if pick < steps.count { return steps[pick] }
            if pick < steps.count + loads.count { return loads[pick - steps.count] }
            return "load model \"\(files.models[pick - steps.count - loads.count])\""
        }
        return zip(Gen.int(in: 0..<files.models.count), Gen.int(in: 0..<loads.count), step.array(of: 0...6)).map { model, load, rest in
            (["load model \"\(files.models[model])\"", loads[load]] + rest).map { SessionStep(text: $0) }
        }
    }

    @Test func theStateLineReplaysALoadedWindowModelsSession() async throws {
        let files = try Files()
        defer { try? FileManager.default.removeItem(atPath: files.folder) }
        await propertyCheck(count: Self.count, input: Self.session(files)) { steps in
            let original = ReplaySession()
            for step in steps { original.run(step) }
            let state = original.stateLine()
            let evaluated = original.evaluate()
            let forecast = original.predict()

            let replay = ReplaySession()
            let outcome = replay.interpreter.runInteractive(state)
            let session = steps.map(\.text).joined(separator: "\n")
            #expect(outcome == .ok, "the state line failed on replay:\n\(state)\nsession:\n\(session)\n\(replay.output.text.suffix(1500))")
            #expect(replay.evaluate() == evaluated, "`evaluate` differs after replaying\n\(state)\nsession:\n\(session)")
            #expect(replay.predict() == forecast, "`predict` differs after replaying\n\(state)\nsession:\n\(session)")
            #expect(replay.weights == original.weights, "the weights differ after replaying\n\(state)\nsession:\n\(session)")
            #expect(replay.stateLine() == state, "the replayed session's own state line differs\nsession:\n\(session)")
        }
    }
}

extension ReplaySession {
    func predict() -> String {
        let before = output.text.count
        _ = interpreter.runInteractive("predict")
        return String(output.text.dropFirst(before))
    }
}
