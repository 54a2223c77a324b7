import Engine
import Plot

/// `train … live`: pictures of the training that redraw in place on a terminal, a few times a
/// second (no faster than it takes to draw them), and end on the final picture; in a pipe only
/// the final picture is printed. What is drawn comes from `charts`, given the epochs so far.
final class LiveView {
    private let output: OutputSink
    private let style: TerminalStyle
    private let charts: ([HistoryRow]) -> [Chart]
    private let offset: Int
    private var rows: [HistoryRow] = []
    private var lastDraw: UInt64 = 0
    /// Lines of the picture on the screen now, which the next drawing moves up over.
    private var drawnLines = 0
    /// Set when the picture does not fit on the screen: then only the final one is drawn.
    private var tooTall = false
    /// 5 pictures a second: fast enough to watch the regions move, slow enough to read.
    private let interval: UInt64 = 200_000_000

    /// `offset`: the epochs trained before this `train`, so epochs number on.
    init(output: OutputSink, style: TerminalStyle, offset: Int, charts: @escaping ([HistoryRow]) -> [Chart]) {
        self.output = output
        self.style = style
        self.offset = offset
        self.charts = charts
    }

    func handle(_ event: TrainingEvent) {
        guard case .epochFinished(let record) = event else { return }
        rows.append(HistoryRow(record, offset: offset))
        guard output.isTerminal, !tooTall, rows.count >= 2, monotonicNanoseconds() - lastDraw >= interval else { return }
        draw(final: false)
        lastDraw = monotonicNanoseconds() // after drawing: a slow picture spaces itself out
    }

    /// The final picture, left on the screen; returns its charts for the report (and for a
    /// medium that shows pictures itself, which gets no text drawing).
    func finish() -> [Chart] {
        guard rows.count >= 2 else { return [] }
        if output.takesPictures { return charts(rows) }
        return draw(final: true)
    }

    @discardableResult
    private func draw(final: Bool) -> [Chart] {
        let shown = charts(rows)
        let picture = Chart.terminal(sideBySide: shown, style)
        let lines = picture.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        if !final, lines.count >= output.height - 1 {
            tooTall = true
            return shown
        }
        var text = ""
        // Up over the last picture, when it fits on the screen; otherwise draw below it.
        if drawnLines > 0, drawnLines < output.height { text += "\u{1B}[\(drawnLines)A\r" }
        for line in lines { text += (output.isTerminal ? "\u{1B}[2K" : "") + line + "\n" }
        output.write(text, to: .output)
        drawnLines = lines.count
        return shown
    }
}
