#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Set by the SIGINT handler, polled by the interpreter during training and by the
/// REPL after `readline` returns. Atomic, so the handler may touch it safely.
let interruptFlag = Atomic<Bool>(false)

/// What Ctrl-C means for this process.
enum InterruptMode {
    /// At the prompt: every Ctrl-C only sets the flag; the REPL clears the line.
    case interactive
    /// Running scripts: the first Ctrl-C asks training to stop after the current
    /// batch; a second one, while the first has not been honoured, ends the process.
    case batch
}

/// Installs the SIGINT handler. No SA_RESTART, so a blocking `read` at the prompt
/// returns with EINTR instead of waiting for the next key.
func installInterruptHandler(_ mode: InterruptMode) {
    // Touch the global before a signal can arrive: its lazy initialisation is not
    // something to run inside a handler.
    interruptFlag.store(false, ordering: .sequentiallyConsistent)
    var action = sigaction()
    sigemptyset(&action.sa_mask)
    action.sa_flags = 0
    switch mode {
    case .interactive: action.__sigaction_handler.sa_handler = interactiveHandler
    case .batch: action.__sigaction_handler.sa_handler = batchHandler
    }
    sigaction(SIGINT, &action, nil)
}

/// Reads and clears the flag in one step; true when Ctrl-C was pressed.
func takeInterrupt() -> Bool {
    interruptFlag.exchange(false, ordering: .sequentiallyConsistent)
}

private func interactiveHandler(_ signal: Int32) {
    interruptFlag.store(true, ordering: .sequentiallyConsistent)
}

private func batchHandler(_ signal: Int32) {
    if interruptFlag.exchange(true, ordering: .sequentiallyConsistent) {
        // Second Ctrl-C before the first was honoured: die of SIGINT as usual.
        Glibc.signal(SIGINT, SIG_DFL)
        raise(SIGINT)
    }
}
