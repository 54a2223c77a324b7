/// The tour's own session (its room), and the user's record of statements, kept aside while
/// it runs. The user's session itself is untouched: nothing runs in it until the tour ends.
struct TourRoom {
    let session: Session
    let userRecord: [SessionRecorder.Entry]
}

/// `tour`: the built-in lesson runs in a fresh session of its own, so it cannot add to the
/// user's layers or replace their data, and `tour off` (or its end) hands the user's session
/// back as it was: data, layers, weights, history, settings such as `explain`. The learner
/// types at the prompt as always; a statement of the task's kind is applied only when it does
/// the task (small variations welcome), else the tour says why and waits.
extension Session {
    /// The session statements run in: the tour's room while a tour runs, else this one.
    var active: Session {
        let home = host ?? self
        return home.tourRoom?.session ?? home
    }

    func startTour(_ command: TourCommand) throws {
        let home = host ?? self
        if command.off {
            guard home.tourRoom != nil else {
                teach("tour: no tour is running; `tour` starts one")
                return
            }
            home.leaveTour()
            teach("tour: off. " + home.welcomeBack)
            return
        }
        // A tour started within a tour starts afresh; the user's record stays aside.
        let aside = recorder.setAside()
        let userRecord = home.tourRoom?.userRecord ?? aside
        let room = Session(context: context)
        room.host = home
        let userHadSomething = home.hasSomething
        home.tourRoom = TourRoom(session: room, userRecord: userRecord)

        let step = command.step - 1
        teach("tour: the four steps of the workflow on iris — preprocessing, exploration, architecture, tuning.")
        if userHadSomething {
            teach("It runs in a session of its own: yours is put aside, and comes back as it was with `tour off` or at the end of the tour.")
        }
        teach("Type what each task asks (other numbers are welcome); `tour off` leaves the tour.")
        for line in Tour.setup(before: step) {
            var outcome = RunOutcome.ok
            let shown = recorder.withholding {
                outcome = room.run(line, fileName: "<tour>", firstLine: 1, execute: true)
            }
            guard outcome == .ok else {
                // Not expected of the tour's own steps, but Ctrl-C can stop a `train`: show what it said.
                output.write(shown, to: .output)
                home.leaveTour()
                teach("tour: `\(line)` did not finish, so the tour stops here. " + home.welcomeBack)
                return
            }
            teach("done for you: \(line)", hanging: 4)
        }
        room.tour = Tour(step: step)
        room.askTourTask()
    }

    /// Before a statement runs in the tour's room: true when it is not applied, after saying why.
    func tourDeclines(_ spec: StatementSpec, _ command: any Command, text: String) -> Bool {
        guard let position = tour, spec.name != "tour",
              let reason = position.refusal(of: spec.name, command) else { return false }
        recorder.markFailed()
        teach("tour: `\(text)` is not applied: \(reason). The task is still `\(position.current.suggestion)`; `tour off` leaves the tour.")
        return true
    }

    /// After a statement ran in the tour's room: was it the one the tour asked for?
    func followTour(_ spec: StatementSpec, _ command: any Command) {
        guard let position = tour, spec.name != "tour" else { return }
        let task = position.current
        guard spec.name == task.statement else {
            teach("tour: still waiting for `\(task.suggestion)` (or `tour off`)")
            return
        }
        // What the statement just did, with this session's numbers, unless explain already said it.
        if !explaining { explainStatement(command) }
        guard let next = position.advanced() else {
            let home = host ?? self
            home.leaveTour()
            teach("tour complete: preprocessing, exploration, architecture and tuning, all four steps.")
            teach(home.welcomeBack)
            return
        }
        tour = next
        askTourTask()
    }

    private func askTourTask() {
        guard let position = tour else { return }
        let step = Tour.steps[position.step]
        print("")
        teach("tour step \(position.step + 1) of \(Tour.steps.count), \(step.title) (task \(position.task + 1) of \(step.tasks.count))")
        teach(position.current.why, prefix: "  ")
        print("  type: \(position.current.suggestion)")
    }

    /// Ends the tour: its room is dropped and the user's record is the record again.
    private func leaveTour() {
        guard let room = tourRoom else { return }
        room.session.tour = nil
        tourRoom = nil
        recorder.bringBack(room.userRecord)
    }

    /// Whether there is anything in this session the user would miss.
    private var hasSomething: Bool { data != nil || !layers.isEmpty || built != nil }

    /// What the user gets back when the tour ends, in a sentence.
    private var welcomeBack: String {
        guard hasSomething else { return "You are back in your own session, empty as you left it: `load iris` starts your own." }
        var parts: [String] = []
        if let data { parts.append(data.sourcePath.map { String($0.split(separator: "/").last ?? "") } ?? "generated data") }
        if !layers.isEmpty { parts.append("\(layers.count) layer\(layers.count == 1 ? "" : "s"): " + layers.map(\.text).joined(separator: ", ")) }
        if epochsTrained > 0 { parts.append("\(epochsTrained) epoch\(epochsTrained == 1 ? "" : "s") trained") }
        return "Your session is back as you left it (\(parts.joined(separator: "; ")))."
    }

    /// A line of teaching text: the medium wraps it (a terminal at its width, with a hanging indent).
    func teach(_ text: String, prefix: String = "", hanging: Int = 2) {
        recorder.write(paragraph: Paragraph(text, prefix: prefix, hanging: hanging))
    }
}
