import DLCore
import Engine

/// The learning-rate schedule in the exported scripts. A schedule that is a function of the
/// epoch becomes `lr_factor` (Keras's `LearningRateScheduler`, PyTorch's `LambdaLR`); a plateau
/// schedule becomes each framework's `ReduceLROnPlateau`, which watches the epoch's loss.
extension PythonExport {
    var plateau: Plateau? {
        if case .plateau(let rule) = spec.schedule { return rule }
        return nil
    }

    /// Keras's callback list for `fit`, before early stopping is appended.
    var kerasScheduleCallbacks: String {
        guard let rule = plateau else {
            return "[keras.callbacks.LearningRateScheduler(lambda epoch, lr: \(Format.general(plan.learningRate)) * lr_factor(epoch))]"
        }
        return "[keras.callbacks.ReduceLROnPlateau(monitor=\(quotedLiteral(rule.monitor.rawValue)), factor=\(pyFloat(rule.factor)), "
            + "patience=\(rule.patience), min_lr=\(pyFloat(rule.minimum)), min_delta=\(pyFloat(rule.minDelta)), cooldown=\(rule.cooldown))]"
    }

    /// PyTorch's scheduler on `optimizer`. Keras reduces once `patience` epochs in a row did not
    /// improve, PyTorch once more than `patience` did, and Keras's cooldown counts the epoch of
    /// the reduction's first decrement as its own: each is one less in PyTorch. Keras's
    /// `min_delta` is an absolute threshold (PyTorch's default is relative).
    var torchScheduleMaker: String {
        guard let rule = plateau else { return "torch.optim.lr_scheduler.LambdaLR(optimizer, lr_factor)" }
        return "torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, mode=\"min\", factor=\(pyFloat(rule.factor)), "
            + "patience=\(rule.patience - 1), threshold=\(pyFloat(rule.minDelta)), threshold_mode=\"abs\", "
            + "cooldown=\(max(rule.cooldown - 1, 0)), min_lr=\(pyFloat(rule.minimum)))  # Keras's patience=\(rule.patience), cooldown=\(rule.cooldown)"
    }

    /// Right after an epoch's batches: a schedule of the epoch steps there.
    var torchScheduleStep: [String] {
        plateau == nil ? ["        schedule.step()"] : []
    }

    /// After the epoch's figures: a plateau schedule steps with the figure it watches. Under
    /// torchrun each process has the loss of its own rows; the schedule takes the mean over
    /// all of them, so that every process keeps the same rate.
    var torchPlateauStep: [String] {
        guard let rule = plateau else { return [] }
        let rate = "        line += f\"  lr {optimizer.param_groups[0]['lr']:g}\"  # this epoch's rate, as dl's history shows it"
        if rule.monitor == .valLoss { return [rate, "        schedule.step(val_loss)  # dl: schedule plateau monitor=val_loss"] }
        return [
            rate,
            "        watched = total / rows",
            "        if distributed:  # the mean over every process's rows, so all keep one rate",
            "            shares = [None] * dist.get_world_size()",
            "            dist.all_gather_object(shares, (total, rows))",
            "            watched = sum(s[0] for s in shares) / sum(s[1] for s in shares)",
            "        schedule.step(watched)  # dl: schedule plateau",
        ]
    }
}
