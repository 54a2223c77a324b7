// The chart descriptions other modules build. They hold data only; drawing
// lives in one file per kind (LineChart+Draw.swift, ...). Nothing here prints.

/// How the terminal picture may use colour. `.none` means plain ASCII: no
/// escape codes and no byte above 0x7F, so transcripts compare byte for byte.
public enum ColorMode: Sendable { case none, ansi256, truecolor }

/// Where a terminal picture goes: its width in columns and its colour support.
public struct TerminalStyle: Sendable {
    /// Total columns available (e.g. 80). No line of the picture is wider.
    public var width: Int
    public var color: ColorMode
    public init(width: Int, color: ColorMode) {
        self.width = width
        self.color = color
    }
}

/// One named line of a line chart.
public struct Series: Sendable {
    public var name: String
    public var x: [Double]
    public var y: [Double]
    /// The palette colour (and ASCII mark) to draw it in; nil: its place among the series.
    /// Lines of one class share one (`plot series`).
    public var colorIndex: Int?
    public init(name: String, x: [Double], y: [Double]) {
        self.name = name
        self.x = x
        self.y = y
    }
}

/// Lines over a shared x axis, e.g. training and validation loss per epoch.
/// Points with a non-finite coordinate are left out (and break a terminal line), as are
/// points at or below 0 on a logarithmic axis.
public struct LineChart: Sendable {
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [Series]
    /// Logarithmic axes, ticked at decades.
    public var logX: Bool
    public var logY: Bool
    public init(title: String, xLabel: String, yLabel: String, series: [Series], logX: Bool = false, logY: Bool = false) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.logX = logX
        self.logY = logY
    }
}

/// A guide line drawn under a scatter's points.
public enum ReferenceLine: Sendable, Equatable {
    /// y = x: where predicted equals actual.
    case identity
    /// y = value across the chart: residual 0.
    case horizontal(Double)
}

/// Points coloured by group: `groups[i]` indexes `groupNames`.
/// An empty `groups` puts every point in group 0.
public struct ScatterChart: Sendable {
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var x: [Double]
    public var y: [Double]
    public var groups: [Int]
    public var groupNames: [String]
    /// Drawn under the points; with `.identity` both axes share one range, so y = x is the diagonal.
    public var referenceLines: [ReferenceLine]
    public init(title: String, xLabel: String, yLabel: String,
                x: [Double], y: [Double], groups: [Int], groupNames: [String], referenceLines: [ReferenceLine] = []) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.x = x
        self.y = y
        self.groups = groups
        self.groupNames = groupNames
        self.referenceLines = referenceLines
    }
}

/// Counts of one column's values in equal-width bins.
public struct Histogram: Sendable {
    public var title: String
    public var xLabel: String
    /// NaN and infinite values are ignored.
    public var values: [Double]
    /// nil ⇒ numpy's "auto" rule (see `HistogramBins.autoCount`).
    public var bins: Int?
    public init(title: String, xLabel: String, values: [Double], bins: Int? = nil) {
        self.title = title
        self.xLabel = xLabel
        self.values = values
        self.bins = bins
    }
}

/// The five numbers and outliers of one box.
public struct BoxStats: Sendable {
    public var name: String
    public var q1: Double
    public var median: Double
    public var q3: Double
    /// The most extreme data points within the fences.
    public var lowerWhisker: Double
    public var upperWhisker: Double
    public var outliers: [Double]
    public init(name: String, q1: Double, median: Double, q3: Double,
                lowerWhisker: Double, upperWhisker: Double, outliers: [Double]) {
        self.name = name
        self.q1 = q1
        self.median = median
        self.q3 = q3
        self.lowerWhisker = lowerWhisker
        self.upperWhisker = upperWhisker
        self.outliers = outliers
    }
}

/// One horizontal box per column on a shared x axis.
public struct BoxPlot: Sendable {
    public var title: String
    public var boxes: [BoxStats]
    public init(title: String, boxes: [BoxStats]) {
        self.title = title
        self.boxes = boxes
    }
}

/// How a heatmap colours its values over its range.
public enum HeatmapScale: Sendable {
    /// Blue at the lower end, white in the middle, red at the upper end (correlations).
    case diverging
    /// White at the lower end to dark blue at the upper end (counts, shares).
    case sequential
}

/// A matrix of values on a colour scale, e.g. correlations or a confusion matrix.
public struct Heatmap: Sendable {
    public var title: String
    public var rowLabels: [String]
    public var columnLabels: [String]
    /// nil = undefined (e.g. a constant column): drawn as "n/a" with a footnote.
    public var values: [[Double?]]
    /// The values at the two ends of the colour scale.
    public var range: ClosedRange<Double>
    public var scale: HeatmapScale
    /// Decimals of the values written in the cells: 2 for correlations, 0 for counts.
    public var decimals: Int
    /// When set, the cells take their colour from these (within `range`) while they show
    /// `values`: a confusion matrix shows counts coloured by their share of the row.
    public var colorValues: [[Double?]]?
    /// What the colours stand for in the key when `colorValues` are given.
    public var colorMeaning: String?
    public init(title: String, rowLabels: [String], columnLabels: [String],
                values: [[Double?]], range: ClosedRange<Double>, scale: HeatmapScale = .diverging, decimals: Int = 2,
                colorValues: [[Double?]]? = nil, colorMeaning: String? = nil) {
        self.title = title
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.values = values
        self.range = range
        self.scale = scale
        self.decimals = decimals
        self.colorValues = colorValues
        self.colorMeaning = colorMeaning
    }
}

/// The classes a 2-feature classifier predicts over a grid, with the
/// training points on top (TensorFlow Playground style).
public struct DecisionRegions: Sendable {
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var xRange: ClosedRange<Double>
    public var yRange: ClosedRange<Double>
    /// grid[row][col] = predicted class; row 0 is the top (max y), col 0 the left (min x).
    public var grid: [[Int]]
    public var classNames: [String]
    public var x: [Double]
    public var y: [Double]
    public var groups: [Int]
    public init(title: String, xLabel: String, yLabel: String,
                xRange: ClosedRange<Double>, yRange: ClosedRange<Double>,
                grid: [[Int]], classNames: [String],
                x: [Double], y: [Double], groups: [Int]) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.xRange = xRange
        self.yRange = yRange
        self.grid = grid
        self.classNames = classNames
        self.x = x
        self.y = y
        self.groups = groups
    }
}

/// Any chart, drawn for the terminal or as SVG.
public enum Chart: Sendable {
    case line(LineChart), scatter(ScatterChart), histogram(Histogram)
    case box(BoxPlot), heatmap(Heatmap), regions(DecisionRegions), images(ImageGrid)
    case bars(SignedBars), overlay(ImageOverlay)
    case panels(PanelGrid)
    case seriesOverlay(SeriesOverlay)

    public var title: String {
        switch self {
        case .line(let c): return c.title
        case .scatter(let c): return c.title
        case .histogram(let c): return c.title
        case .box(let c): return c.title
        case .heatmap(let c): return c.title
        case .regions(let c): return c.title
        case .images(let c): return c.title
        case .bars(let c): return c.title
        case .overlay(let c): return c.title
        case .panels(let c): return c.title
        case .seriesOverlay(let c): return c.title
        }
    }

    /// Terminal picture, ending with "\n". No line is wider than `style.width`.
    public func terminal(_ style: TerminalStyle) -> String {
        encodeTerminal(terminalLines(style), style)
    }

    /// Charts next to each other, sharing the width (two columns of space between them), as
    /// one terminal picture: `train … live` shows the regions and the loss curve this way.
    public static func terminal(sideBySide charts: [Chart], _ style: TerminalStyle) -> String {
        guard charts.count > 1 else { return charts.first?.terminal(style) ?? "" }
        let gap = 2
        var part = style
        part.width = (style.width - gap * (charts.count - 1)) / charts.count
        let columns = charts.map { $0.terminalLines(part) }
        let height = columns.map(\.count).max() ?? 0
        let lines: [TermLine] = (0..<height).map { row in
            columns.enumerated().flatMap { index, lines -> TermLine in
                let line = row < lines.count ? lines[row] : []
                let padding = index == columns.count - 1 ? 0 : part.width + gap - line.count
                return line + Array(repeating: Cell(ch: " "), count: max(0, padding))
            }
        }
        return encodeTerminal(lines, style)
    }

    func terminalLines(_ style: TerminalStyle) -> [TermLine] {
        let lines: [TermLine]
        switch self {
        case .line(let c): lines = c.terminalLines(style)
        case .scatter(let c): lines = c.terminalLines(style)
        case .histogram(let c): lines = c.terminalLines(style)
        case .box(let c): lines = c.terminalLines(style)
        case .heatmap(let c): lines = c.terminalLines(style)
        case .regions(let c): lines = c.terminalLines(style)
        case .images(let c): lines = c.terminalLines(style)
        case .bars(let c): lines = c.terminalLines(style)
        case .overlay(let c): lines = c.terminalLines(style)
        case .panels(let c): lines = c.terminalLines(style)
        case .seriesOverlay(let c): lines = c.terminalLines(style)
        }
        return lines
    }

    /// A standalone SVG document: no scripts, no external assets, escaped text.
    public func svg() -> String {
        switch self {
        case .line(let c): return c.svgDocument()
        case .scatter(let c): return c.svgDocument()
        case .histogram(let c): return c.svgDocument()
        case .box(let c): return c.svgDocument()
        case .heatmap(let c): return c.svgDocument()
        case .regions(let c): return c.svgDocument()
        case .images(let c): return c.svgDocument()
        case .bars(let c): return c.svgDocument()
        case .overlay(let c): return c.svgDocument()
        case .panels(let c): return c.svgDocument()
        case .seriesOverlay(let c): return c.svgDocument()
        }
    }
}
