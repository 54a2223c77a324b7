/// `tour`: the built-in lesson runs inside the ordinary session. The learner types at the
/// prompt as always; after each statement that succeeds the tour checks whether it was the
/// one asked for (small variations welcome), explains its effect and asks for the next.
extension Session {
    func startTour(_ command: TourCommand) throws {
        if command.off {
            tour = nil
            print("tour: off")
            return
        }
        let step = command.step - 1
        print("tour: the four steps of the workflow on iris — preprocessing, exploration, architecture, tuning.")
        print("Type what each task asks (other numbers are welcome); `tour off` leaves the tour.")
        if step > 0 {
            let setup = Tour.setup(before: step)
            print("steps 1 to \(step) done for you: " + setup.joined(separator: "; "))
            for line in setup where run(line, fileName: "<tour>", firstLine: 1, execute: true) != .ok { return }
        }
        tour = Tour(step: step)
        askTourTask()
    }

    /// After a statement ran: was it the one the tour asked for?
    func followTour(_ spec: StatementSpec, _ command: any Command) {
        guard let position = tour, spec.name != "tour" else { return }
        let task = position.current
        guard spec.name == task.statement, task.accepts(command) else {
            print("tour: still waiting for `\(task.suggestion)` (or `tour off`)")
            return
        }
        // What the statement just did, with this session's numbers, unless explain already said it.
        if !explaining { explainStatement(command) }
        guard let next = position.advanced() else {
            tour = nil
            print("tour complete: preprocessing, exploration, architecture and tuning, all four steps.")
            print("`show state` prints this session as one line; `help` lists everything else.")
            return
        }
        tour = next
        askTourTask()
    }

    private func askTourTask() {
        guard let position = tour else { return }
        let step = Tour.steps[position.step]
        print("")
        print("tour step \(position.step + 1) of \(Tour.steps.count), \(step.title) (task \(position.task + 1) of \(step.tasks.count))")
        print("  \(position.current.why)")
        print("  type: \(position.current.suggestion)")
    }
}
