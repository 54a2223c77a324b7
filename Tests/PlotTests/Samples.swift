import Plot
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Small, fixed charts shared by the tests: deterministic data, no randomness.
enum Samples {
    static let loss = LineChart(
        title: "Loss per epoch", xLabel: "epoch", yLabel: "loss",
        series: [
            Series(name: "train", x: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
                   y: [1.2, 0.8, 0.6, 0.5, 0.42, 0.37, 0.33, 0.3, 0.28, 0.26]),
            Series(name: "validation", x: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
                   y: [1.25, 0.9, 0.72, 0.65, 0.6, 0.58, 0.57, 0.57, 0.58, 0.6]),
        ])

    /// Three clusters of iris-like petal measurements, a deterministic spread.
    static let scatter: ScatterChart = {
        var x: [Double] = [], y: [Double] = [], g: [Int] = []
        let centres: [(Double, Double)] = [(1.5, 0.25), (4.3, 1.3), (5.5, 2.0)]
        for (k, c) in centres.enumerated() {
            for i in 0..<20 {
                let a = Double(i) * 2.399963, r = 0.05 * Double(i).squareRoot()
                x.append(c.0 + r * 2 * cos(a)); y.append(c.1 + r * sin(a)); g.append(k)
            }
        }
        return ScatterChart(title: "petal_length vs petal_width", xLabel: "petal_length", yLabel: "petal_width",
                            x: x, y: y, groups: g, groupNames: ["setosa", "versicolor", "virginica"])
    }()

    static let box = BoxPlot(title: "Iris columns", boxes: [
        BoxStats(name: "sepal_length", q1: 5.1, median: 5.8, q3: 6.4, lowerWhisker: 4.3, upperWhisker: 7.9, outliers: []),
        BoxStats(name: "sepal_width", q1: 2.8, median: 3.0, q3: 3.3, lowerWhisker: 2.2, upperWhisker: 4.0, outliers: [4.1, 4.2, 4.4, 2.0]),
        BoxStats(name: "petal_length", q1: 1.6, median: 4.35, q3: 5.1, lowerWhisker: 1.0, upperWhisker: 6.9, outliers: []),
    ])

    static let heatmap = Heatmap(
        title: "Correlation <matrix> & more", rowLabels: ["sepal_length", "sepal_width", "petal_length", "constant"],
        columnLabels: ["sepal_length", "sepal_width", "petal_length", "constant"],
        values: [[1, -0.12, 0.87, nil], [-0.12, 1, -0.43, nil], [0.87, -0.43, 1, nil], [nil, nil, nil, nil]],
        range: -1...1)

    static let histogramValues: [Double] = (0..<150).map { i in
        let u = Double((i * 37) % 150) / 150
        return 5.8 + 1.6 * (u - 0.5) * (1 + 0.5 * sin(Double(i)))
    }

    static let histogram = Histogram(title: "sepal_length", xLabel: "sepal_length", values: histogramValues + [.nan])

    /// Two classes split by a diagonal; a 40×40 grid and a few points.
    static let regions: DecisionRegions = {
        let n = 40
        let grid = (0..<n).map { r in (0..<n).map { c in c + r > n ? 0 : (c > r ? 1 : 2) } }
        return DecisionRegions(title: "Decision regions", xLabel: "x1", yLabel: "x2",
                               xRange: -1...1, yRange: -1...1, grid: grid,
                               classNames: ["setosa", "versicolor", "virginica"],
                               x: [-0.5, 0.5, 0.6, -0.6, 0.1], y: [0.5, -0.5, 0.4, -0.7, 0.9], groups: [2, 0, 0, 1, 2])
    }()
}
