import DLCore
import Engine

/// How the shell writes, saves and checks a plateau schedule (`schedule plateau`).
extension Plateau {
    /// `plateau: times 0.5 after 50 epochs without a lower loss, down to 0.0001`.
    var description: String {
        var text = "plateau: times \(Format.general(factor)) after \(patience) epoch\(patience == 1 ? "" : "s") without a lower \(monitor.rawValue)"
        text += " (by more than \(Format.general(minDelta))), down to \(Format.general(minimum))"
        if cooldown > 0 { text += ", then \(cooldown) epoch\(cooldown == 1 ? "" : "s") of cooldown" }
        return text
    }

    /// `schedule plateau patience=50 factor=0.5 minimum=0.0001`, with the other keys where they
    /// differ from their defaults; numbers as they read back exactly.
    var statement: String {
        var text = "schedule plateau patience=\(patience) factor=\(StateText.number(factor)) minimum=\(StateText.number(minimum))"
        if monitor != .loss { text += " monitor=\(monitor.rawValue)" }
        if minDelta != ScheduleCommand.minDelta.defaultNumber { text += " min_delta=\(StateText.number(minDelta))" }
        if cooldown != 0 { text += " cooldown=\(cooldown)" }
        return text
    }
}

extension ModelSpec {
    /// A plateau schedule that watches a validation figure, with no validation rows to read it
    /// from: what `train` and `sweep` refuse before training.
    func plateauValidationProblem(hasValidation: Bool, at range: SourceRange?) -> Diagnostic? {
        guard case .plateau(let rule) = schedule, rule.monitor.needsValidation, !hasValidation else { return nil }
        return Diagnostic("the plateau schedule watches \(rule.monitor.rawValue), but this training holds out no validation rows",
                          at: range, hint: "add `validation=0.2` to train, or watch the training loss: `schedule plateau monitor=loss`")
    }
}

/// A plateau schedule in a saved model's spec.
struct PlateauRecord: Codable, Equatable {
    var monitor: String
    var patience: Int
    var factor: Double
    var minimum: Double
    var minDelta: Double
    var cooldown: Int

    init(_ rule: Plateau) {
        monitor = rule.monitor.rawValue
        patience = rule.patience
        factor = rule.factor
        minimum = rule.minimum
        minDelta = rule.minDelta
        cooldown = rule.cooldown
    }

    /// nil when a field is out of range (a hand-edited file).
    var rule: Plateau? {
        guard let watched = Monitor(rawValue: monitor), !watched.maximises, patience >= 1, factor > 0, factor < 1,
              minimum >= 0, minDelta >= 0, cooldown >= 0 else { return nil }
        return Plateau(monitor: watched, patience: patience, factor: factor, minimum: minimum, minDelta: minDelta, cooldown: cooldown)
    }
}
