import Foundation
import PropertyBased

/// The grammar of the sessions `ReplayPropertyTests` generates: random choices (`Choice`)
/// drawn by PropertyBased, then written as statements by `SessionGrammar.statements`, which
/// knows what the data loaded last looks like (its classes, whether it is the CSV with gaps and
/// text). Tiny data and few epochs keep a session to milliseconds. Some statements fail on
/// purpose (a text feature not yet encoded, a layer after the output, a diverging rate).
enum SessionGrammar {
    /// What one step asks for, before it is written as statements.
    enum Choice: Sendable {
        case load(source: Int, rows: Int, seed: Int?, classes: Int, sessionSeed: Int?, prepare: Bool)
        case split(fraction: Int, stratify: Bool, seed: Int?)
        case scale(Int)
        case prepare(Int)
        case model(reset: Bool, hidden: Int, units: Int, activation: Int, dropout: Bool)
        case optimizer(Int)
        case schedule(Int)
        case train(Train, interruptAfter: Int?)
        case resetWeights
        case seed(Int)
        case sweep(Int, useBest: Bool)
        case look(Int)
        case misc(Int)
    }

    struct Train: Sendable {
        var rate: Int, epochs: Int, batch: Int, validation: Bool, patience: Int, monitor: Int, restoreLast: Bool, balance: Bool
    }

    static let sources = ["moons", "circles", "xor", "blobs", "spiral", "iris", "csv", "diabetes"]

    static func session(csv: String) -> Generator<[SessionStep], some Sequence> {
        let load = zip(Gen.int(in: 0...7), Gen.int(in: 30...70), Gen.element(of: [nil, 1, 7]), Gen.int(in: 2...3),
                       Gen.element(of: [nil, nil, 3, 42]), Gen.bool(0.8))
            .map { Choice.load(source: $0, rows: $1, seed: $2!, classes: $3, sessionSeed: $4!, prepare: $5) }
        let split = zip(Gen.int(in: 0...2), Gen.bool(0.4), Gen.element(of: [nil, nil, 5]))
            .map { Choice.split(fraction: $0, stratify: $1, seed: $2!) }
        let model = zip(Gen.bool(0.8), Gen.int(in: 0...2), Gen.int(in: 3...8), Gen.int(in: 0...2), Gen.bool(0.25))
            .map { Choice.model(reset: $0, hidden: $1, units: $2, activation: $3, dropout: $4) }
        let train = zip(Gen.int(in: 0...9), Gen.int(in: 1...5), Gen.int(in: 0...2), Gen.bool(0.3), Gen.int(in: 0...2),
                        Gen.int(in: 0...2), Gen.bool(0.3), Gen.bool(0.2))
            .map { Train(rate: $0, epochs: $1, batch: $2, validation: $3, patience: $4, monitor: $5, restoreLast: $6, balance: $7) }
        let trained = train.map { Choice.train($0, interruptAfter: nil) }
        let interrupted = zip(train, Gen.int(in: 1...30)).map { Choice.train($0, interruptAfter: $1) }
        let step = weighted([
            (1.2, load.eraseToAny()),
            (0.8, split.eraseToAny()),
            (0.8, Gen.int(in: 0...2).map { Choice.scale($0) }.eraseToAny()),
            (0.7, Gen.int(in: 0...9).map { Choice.prepare($0) }.eraseToAny()),
            (1.2, model.eraseToAny()),
            (0.6, Gen.int(in: 0...6).map { Choice.optimizer($0) }.eraseToAny()),
            (0.3, Gen.int(in: 0...4).map { Choice.schedule($0) }.eraseToAny()),
            (2.5, trained.eraseToAny()),
            (1.2, interrupted.eraseToAny()),
            (0.4, Gen.always(Choice.resetWeights).eraseToAny()),
            (0.4, Gen.int(in: 0...2).map { Choice.seed($0) }.eraseToAny()),
            (0.7, zip(Gen.int(in: 0...3), Gen.bool(0.8)).map { Choice.sweep($0, useBest: $1) }.eraseToAny()),
            (0.5, Gen.int(in: 0...5).map { Choice.look($0) }.eraseToAny()),
            (0.3, Gen.int(in: 0...3).map { Choice.misc($0) }.eraseToAny()),
        ])
        // Every session starts with a load and a model, so that most of what follows can run,
        // and most end with a `train`, so that most have weights to compare.
        return zip(load, model, step.array(of: 2...14), trained.optional(valueRate: 0.85))
            .map { statements([$0.0, $0.1] + $0.2 + ($0.3.map { [$0] } ?? []), csv: csv) }
    }

    /// One of the generators, picked with the given weights (PropertyBased's own `frequency`
    /// needs Swift 6.2 language mode, which this package's tests do not compile in).
    static func weighted(_ options: [(Double, Generator<Choice, AnySequence<Any>>)]) -> Generator<Choice, Shrink.None<Choice>> {
        let total = options.map(\.0).reduce(0, +)
        return Generator { rng in
            var pick = Double.random(in: 0..<total, using: &rng)
            for (weight, generator) in options.dropLast() {
                if pick < weight { return generator.run(using: &rng) }
                pick -= weight
            }
            return options.last!.1.run(using: &rng)
        }
    }

    /// The choices written as statements, each knowing the data loaded before it.
    static func statements(_ choices: [Choice], csv: String) -> [SessionStep] {
        var steps: [SessionStep] = []
        var classes = 2
        func say(_ text: String, interruptAfter: Int? = nil) { steps.append(SessionStep(text: text, interruptAfter: interruptAfter)) }
        for choice in choices {
            switch choice {
            case .load(let source, let rows, let seed, let k, let sessionSeed, let prepare):
                if let sessionSeed { say("set seed=\(sessionSeed)") }
                let seedKey = seed.map { " seed=\($0)" } ?? ""
                switch sources[source] {
                case "iris": say("load iris"); classes = 3
                case "diabetes": // a regression: `dense 1`, and `scale target` has work
                    say("load diabetes")
                    classes = 0
                    if prepare { say("scale standard"); say("scale target standard") }
                case "csv":
                    say("load \"\(csv)\"")
                    classes = 3
                    if prepare { say("impute median"); say(rows % 2 == 0 ? "encode onehot color" : "drop color") }
                case "blobs": say("load blobs n=\(rows) classes=\(k) features=3\(seedKey)"); classes = k
                case "spiral": say("load spiral n=\(rows) classes=\(k)\(seedKey)"); classes = k
                case let name: say("load \(name) n=\(rows) noise=0.2\(seedKey)"); classes = 2
                }
            case .split(let fraction, let stratify, let seed):
                say("split \([0.6, 0.7, 0.8][fraction])" + (stratify ? " stratify" : "") + (seed.map { " seed=\($0)" } ?? ""))
            case .scale(let method): say("scale \(["minmax", "standard", "none"][method])")
            case .prepare(let which):
                switch which {
                case 0: say("impute median")
                case 1: say("impute mode")
                case 2: say("encode onehot color")
                case 3: say("drop color")
                case 4: say("dropna")
                case 5: say("outliers"); say("clip outliers")
                case 6: say("outliers method=zscore k=2"); say("describe"); say("drop outliers")
                case 7: say("keep a,color")
                case 8: say("scale target standard")
                default: say("impute constant=0 a")
                }
            case .model(let reset, let hidden, let units, let activation, let dropout):
                if reset { say("reset model") }
                for layer in 0..<hidden {
                    say("dense \(units + layer) \(["relu", "tanh", "sigmoid"][activation])")
                    if dropout && layer == 0 { say("dropout 0.25") }
                }
                say(classes == 0 ? "dense 1" : "dense \(classes) softmax")
            case .optimizer(let which):
                say(["optimizer sgd", "optimizer sgd momentum=0.9", "optimizer sgd momentum=0.5 nesterov", "optimizer adam",
                     "optimizer rmsprop", "optimizer adam beta1=0.8 weight_decay=0.01", "optimizer sgd weight_decay=0.001"][which])
            case .schedule(let which):
                say(["schedule constant", "schedule step every=2 factor=0.5", "schedule exponential rate=0.9",
                     "schedule cosine epochs=4 minimum=0.001", "schedule plateau patience=1 factor=0.5 minimum=0.001"][which])
            case .train(let train, let polls):
                let rates = [0.01, 0.05, 0.1, 0.1, 0.2, 0.3, 0.05, 0.1, 0.02, 40]
                var keys = ["train", "lr=\(rates[train.rate])", "epochs=\(polls == nil ? train.epochs : train.epochs + 3)"]
                if train.batch > 0 { keys.append("batch=\([8, 16][train.batch - 1])") }
                if train.validation { keys.append("validation=0.25") }
                if train.patience > 0, train.validation || train.monitor == 2 {
                    keys.append("patience=\(train.patience)")
                    if train.monitor == 1, train.validation { keys.append("monitor=val_accuracy") }
                    if train.monitor == 2 { keys.append("monitor=loss") }
                    if train.restoreLast { keys.append("restore=last") }
                }
                if train.balance { keys.append("balance=auto") }
                if train.monitor == 0, train.epochs == 1 { keys.append("live") }
                say(keys.joined(separator: " "), interruptAfter: polls)
            case .resetWeights: say("reset weights")
            case .seed(let which): say("set seed=\([1, 7, 42][which])")
            case .sweep(let which, let useBest):
                say(["sweep lr=0.05,0.1 epochs=2,3", "sweep lr=0.1 momentum=0,0.9 epochs=2",
                     "sweep lr=0.05,0.2 epochs=3 patience=1", "sweep lr=0.05,0.1 epochs=2 cv=3"][which])
                if useBest { say("use best") }
            case .look(let which): say(["evaluate", "show", "summary", "history", "plot loss", "describe"][which])
            case .misc(let which): say(["loss crossentropy", "dense 4 relu", "crossval 3 epochs=2", "task classification"][which])
            }
        }
        return steps
    }

    /// A small CSV with gaps, a text feature and three classes: `impute`, `encode`, `drop`,
    /// `dropna` and `outliers` have work to do, and `train` fails until they did it.
    static func writeCSV() throws -> String {
        let path = NSTemporaryDirectory() + "dl-replay-\(UUID().uuidString).csv"
        var text = "a,b,color,label\n"
        for i in 0..<48 {
            let a = i % 7 == 3 ? "" : String(Double((i * 37) % 23) / 4 + (i == 5 ? 30 : 0))
            let color = i % 11 == 4 ? "" : ["red", "green", "blue"][(i * 5) % 3]
            text += "\(a),\(Double((i * 13) % 17) / 3),\(color),\(["x", "y", "z"][(i + i / 3) % 3])\n"
        }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
