import DLCore
import Engine

/// `show state` and `save script`: the statements that remake the session's values, read from
/// the values themselves: the current pipeline's own record of its load and steps
/// (`DataPipeline.madeBy`), the model spec, and the trains that made the current weights
/// (`TrainedModel.trains`). Nothing from before the current data set, nothing that only looks
/// or writes, and each train as it ran (an interrupted one with the epochs it completed, a
/// sweep's adopted row as the one train that made its weights).
extension Session {
    /// Statements that change the data pipeline: on success each is noted in it, in order.
    static let pipelineStatements: Set<String> = [
        "task", "split", "scale", "scale target", "input", "augment", "impute", "dropna", "drop", "keep", "target", "encode", "clip",
        "features",
        "window",
    ]

    /// Notes a statement that succeeded in the value it changed, for `show state`. `previous`
    /// is the pipeline before it ran and `seedBefore` the seed then in force.
    func noteState(_ spec: StatementSpec, _ statement: Statement, previous: DataPipeline?, seedBefore: UInt64) {
        guard data != nil else { return }
        let changed = data!.revision !== previous?.revision
        switch spec.name {
        case "outliers":
            // It changes nothing, but a later `clip outliers` or `drop outliers` acts on what it found.
            data!.note(.looking(Self.text(of: statement)))
        case "load model":
            data!.note(.loadModel(Self.text(of: statement), spec: self.spec))
        case "split" where changed:
            data!.note(.seeded(Self.text(of: statement, without: SplitCommand.seed.name), seed: data!.split?.seed ?? seedBefore))
        case _ where spec.family == "load":
            let given = statement.arguments.first { $0.key == GeneratorKeys.seed.name }
            if data!.table == nil, spec.name != "load mnist" { // generated: drawn from `seed=` or the session's seed
                let drawn: UInt64 = given.flatMap { if case .number(let n) = $0.value.kind { return UInt64(n) } else { return nil } } ?? seedBefore
                data!.note(.seeded(Self.text(of: statement, without: GeneratorKeys.seed.name), seed: drawn))
            } else {
                if let task = data!.taskOverride { data!.note(.plain("task \(task.rawValue)")) }
                data!.note(.plain(Self.text(of: statement)))
            }
            // Data that carries on a loaded model goes through the model's steps: its file comes first
            // (also when layers added since leave the weights unfit: the steps and window still apply).
            if let previous, previous.restored != nil, data!.carriesLoadedModel { data!.continueState(from: previous) }
        case _ where Self.pipelineStatements.contains(spec.name) && changed:
            data!.note(.plain(Self.text(of: statement)))
        default:
            break
        }
    }

    /// `reset weights` (or `use best`, whose sweep trained fresh weights) drops the weights of a
    /// loaded model that the data carried on: a replay of `load model` and the load would bring
    /// them back, so the state line resets them at this point too.
    func noteFileWeightsDropped() {
        guard model?.startedFromFile == true else { return }
        data?.note(.plain("reset weights"))
    }

    /// The statement as a canonical line: its words and arguments as written, single spaced,
    /// without `key` (a seed that `StateStatement.seeded` writes only where it is needed).
    static func text(of statement: Statement, without key: String? = nil) -> String {
        ([statement.name] + statement.arguments.filter { $0.key == nil || $0.key != key }.map {
            ($0.key.map { $0 + "=" } ?? "") + $0.value.text
        }).joined(separator: " ")
    }

    /// The statements that remake the session, in order.
    func stateStatements() -> [String] {
        var writer = StateWriter()
        let log = data?.madeBy ?? []
        let fromFile = log.contains { if case .loadModel = $0 { return true } else { return false } }
        let trained = model.flatMap { $0.trains.isEmpty ? nil : $0 }
        if !fromFile {
            // The seed in force from the start: the first one anything draws from.
            let drawn = log.lazy.compactMap { entry -> UInt64? in if case .seeded(_, let seed) = entry { return seed } else { return nil } }.first
            writer.set(seed: drawn ?? trained?.seed ?? seed)
        }
        // A numeric target of two values is two classes once the model ends in `dense 1 sigmoid`:
        // the steps that rely on the classes (a stratified split) need the layers before them.
        let layersFirst = data?.endsInOneSigmoid == true && !fromFile
        if layersFirst { for layer in layers { writer.write(layer.text) } }
        for (index, entry) in log.enumerated() {
            if case .looking = entry {
                // Written only when a `clip outliers` or `drop outliers` acts on it before the next look.
                let next = log[(index + 1)...].first { if case .looking = $0 { return true }; return Self.actsOnOutliers($0) }
                guard let next, Self.actsOnOutliers(next) else { continue }
            }
            writer.write(entry)
        }
        if !layersFirst {
            let fileLayers = log.lazy.compactMap { entry -> Int? in if case .loadModel(_, let spec) = entry { return spec.layers.count } else { return nil } }.first ?? 0
            if fileLayers > 0, spec.layersFromFile == 0 { writer.write("reset model") }
            // The file's layers come with its `load model`; without it (data that did not carry the
            // loaded model on) they are written as the statements they are.
            for layer in layers.dropFirst(fromFile ? spec.layersFromFile : 0) { writer.write(layer.text) }
        }
        if let trained {
            writer.set(seed: trained.seed)
            var inferred = spec
            inferred.loss = nil
            let implied = dataset.flatMap { try? inferred.resolveLoss(for: $0) }
            for train in trained.trains { writer.write(train, inferred: implied ?? train.loss) }
        }
        writer.set(optimizer: spec.optimizer, weightDecay: spec.weightDecay)
        writer.set(loss: spec.loss)
        writer.set(schedule: spec.schedule)
        writer.set(seed: seed)
        return writer.statements
    }

    private static func actsOnOutliers(_ entry: StateStatement) -> Bool {
        guard case .plain(let text) = entry else { return false }
        return text == "clip outliers" || text == "drop outliers"
    }

    /// `show state`: the statements that remake the session, on one line.
    func stateLine() -> String {
        let statements = stateStatements()
        return statements.isEmpty ? "# an empty session: nothing loaded or declared yet" : statements.joined(separator: "; ")
    }

    /// `save script PATH`: the statements of `show state`, one a line, under a comment.
    func saveScript(to file: Placed<String>) throws {
        let path = file.value
        let statements = stateStatements()
        let text = "# Saved by `save script` (dl \(dlVersion)): the \(statements.count) statement\(statements.count == 1 ? "" : "s") "
            + "that remake this session's data, model and weights (as `show state`; what only looks or writes is left out).\n"
            + statements.map { $0 + "\n" }.joined()
        try writeFile(path, text, at: file.range)
        print("saved \(statements.count) statement\(statements.count == 1 ? "" : "s") to \(path)")
    }
}
