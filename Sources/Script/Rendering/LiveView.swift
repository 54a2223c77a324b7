import Engine
import Plot
#if canImport(Glibc)
import Glibc
#endif

/// How fast `train … live` runs on a terminal (`pace=` of `train`).
enum LivePace: Equatable {
    /// The default: the run is spread over about `LivePace.span` seconds, so a class sees the
    /// picture change, however fast the network trains.
    case spread
    /// At most this many epochs a second (`pace=N`).
    case epochsPerSecond(Double)
    /// No waiting (`pace=fast`): pictures a few times a second while training runs flat out.
    case fast

    /// Seconds the default spreads a run over.
    static let span = 5.0

    /// Epochs a second for a run of `epochs`; nil when nothing waits.
    func rate(epochs: Int) -> Double? {
        switch self {
        case .spread: return Double(max(epochs, 1)) / Self.span
        case .epochsPerSecond(let rate): return rate
        case .fast: return nil
        }
    }
}

/// `train … live`: pictures of the training that redraw in place on a terminal, 5 times a
/// second (no faster than it takes to draw them), and end on the final picture, which stays;
/// in a pipe, and for a medium that shows pictures itself, only the final picture is given.
///
/// On a terminal the run keeps a human pace: after each epoch it waits until that epoch's
/// time at `rate` epochs a second has come. It waits between epochs rather than drawing
/// afterwards from kept weights because the decision regions are drawn from the network
/// as it is now (keeping weights for every frame would cost memory), the compute is not
/// slowed, and Ctrl-C stops training at the picture the class is looking at.
final class LiveView {
    private let output: OutputSink
    /// Read again for every picture, so a resized terminal gets pictures of its new width.
    private let style: () -> TerminalStyle
    private let charts: ([HistoryRow], TerminalStyle) -> [Chart]
    private let offset: Int
    /// Epochs a second on a terminal; nil: no waiting.
    private let rate: Double?
    /// Polled while waiting, so Ctrl-C is not held up by the pace.
    private let shouldStop: () -> Bool
    private var rows: [HistoryRow] = []
    private var lastDraw: UInt64 = 0
    /// When the first epoch started: the epochs' times at `rate` count from here.
    private var start: UInt64?
    /// Lines of the picture on the screen now, which the next drawing moves up over.
    private var drawnLines = 0
    /// The terminal's size when the picture on the screen was drawn.
    private var drawnSize: (width: Int, height: Int)?
    /// False while the picture does not fit on the screen: then none is drawn (until the
    /// final one), and nothing waits, as there is nothing to watch.
    private var fits = true
    /// Nanoseconds spent waiting for the pace.
    private(set) var waited: UInt64 = 0
    /// 5 pictures a second: fast enough to watch the regions move, slow enough to read.
    private let interval: UInt64 = 200_000_000

    /// `offset`: the epochs trained before this `train`, so epochs number on.
    init(output: OutputSink, style: @escaping () -> TerminalStyle, offset: Int, rate: Double?,
         shouldStop: @escaping () -> Bool, charts: @escaping ([HistoryRow], TerminalStyle) -> [Chart]) {
        self.output = output
        self.style = style
        self.offset = offset
        self.rate = rate
        self.shouldStop = shouldStop
        self.charts = charts
    }

    /// Redrawing (and so pacing) happens only on a terminal that shows text pictures.
    private var redraws: Bool { output.isTerminal && !output.takesPictures }

    func handle(_ event: TrainingEvent) {
        if start == nil { start = monotonicNanoseconds() }
        guard case .epochFinished(let record) = event else { return }
        rows.append(HistoryRow(record, offset: offset))
        guard redraws else { return }
        if rows.count >= 2, monotonicNanoseconds() - lastDraw >= interval {
            draw(final: false)
            lastDraw = monotonicNanoseconds() // after drawing: a slow picture spaces itself out
        }
        if let rate, fits, let start { wait(until: start + UInt64(Double(rows.count) / rate * 1e9)) }
    }

    /// The final picture, left on the screen; returns its charts for the report (and for a
    /// medium that shows pictures itself, which gets no text drawing).
    func finish() -> [Chart] {
        guard rows.count >= 2 else { return [] }
        if output.takesPictures { return charts(rows, style()) }
        return draw(final: true)
    }

    /// Sleeps in short steps until `deadline`, or until Ctrl-C.
    private func wait(until deadline: UInt64) {
        let began = monotonicNanoseconds()
        var now = began
        while now < deadline, !shouldStop() {
            var pause = timespec(tv_sec: 0, tv_nsec: Int(min(deadline - now, 20_000_000)))
            nanosleep(&pause, nil)
            now = monotonicNanoseconds()
        }
        waited += now - began
    }

    @discardableResult
    private func draw(final: Bool) -> [Chart] {
        let style = self.style()
        let height = output.height
        let shown = charts(rows, style)
        let picture = Chart.terminal(sideBySide: shown, style)
        let lines = picture.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        fits = lines.count < height - 1
        if !final, !fits { return shown }
        var text = ""
        if let size = drawnSize, drawnLines > 0, size != (style.width, height), output.isTerminal {
            // Resized: the terminal has cut or rewrapped the old picture's lines, so moving up
            // by its line count would miss some. Clear the screen and draw at the top instead.
            text += "\u{1B}[2J\u{1B}[H"
        } else if drawnLines > 0, drawnLines < height {
            // Up over the last picture, when it fits on the screen; otherwise draw below it.
            text += "\u{1B}[\(drawnLines)A\r"
        }
        for line in lines { text += (output.isTerminal ? "\u{1B}[2K" : "") + line + "\n" }
        output.write(text, to: .output)
        drawnLines = lines.count
        drawnSize = (style.width, height)
        return shown
    }
}
