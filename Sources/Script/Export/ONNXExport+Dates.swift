import Tabular

// A date column reaches the ONNX graph as numbers, not text: ONNX has no operator that reads
// a date from a string (opset 13 has no substring either), while the calendar is arithmetic.
// So the graph takes a date as a double [N, 1]: seconds since 1970-01-01 00:00, the time as
// written read as UTC (numpy: `np.array(dates, dtype="datetime64[s]").astype(np.float64)`),
// NaN when missing. Double, because a float32 of about 1.5e9 seconds is only exact to 2
// minutes. The parts follow from Howard Hinnant's civil_from_days with Floor and Div, in
// double, then cast to float like every other feature.

extension ONNXExport {
    /// The raw text columns that `encode date` reads: the graph takes them as seconds.
    static func dateInputs(_ fitted: FittedPipeline) -> Set<String> {
        let text = Set(fitted.rawColumns.filter(\.isText).map(\.name))
        return Set(fitted.steps.compactMap { step -> String? in
            if case .encodeDate(let encoding) = step, text.contains(encoding.column) { return encoding.column }
            return nil
        })
    }

    /// A text fill of a date column, as the seconds the graph fills in (nil when it is not a date).
    static func dateFill(_ value: FillValue) -> Double? {
        guard case .text(let text) = value else { return nil }
        return ISODate.parse(text)?.secondsSinceEpoch
    }

    /// The parts of `encoding` from `seconds` (double [N, 1]), each a float [N, 1], in the encoding's order.
    static func dateParts(_ graph: inout ONNXGraph, seconds: String, encoding: DateEncoding) -> [String] {
        let stem = encoding.column
        var g = DoubleArithmetic(graph: graph, stem: stem)
        let days = g.floorDiv(seconds, 86_400)
        let hour = g.floorDiv(g.sub(seconds, g.mul(days, 86_400)), 3600)
        let z = g.add(days, 719_468)
        let era = g.floorDiv(z, 146_097)
        let dayOfEra = g.sub(z, g.mul(era, 146_097))
        let yearOfEra = g.floorDiv(g.sub(g.add(g.sub(dayOfEra, g.floorDiv(dayOfEra, 1460)), g.floorDiv(dayOfEra, 36_524)),
                                         g.floorDiv(dayOfEra, 146_096)), 365)
        let dayOfYearFromMarch = g.sub(dayOfEra, g.sub(g.add(g.mul(yearOfEra, 365), g.floorDiv(yearOfEra, 4)), g.floorDiv(yearOfEra, 100)))
        let monthFromMarch = g.floorDiv(g.add(g.mul(dayOfYearFromMarch, 5), 2), 153)
        let day = g.add(g.sub(dayOfYearFromMarch, g.floorDiv(g.add(g.mul(monthFromMarch, 153), 2), 5)), 1)
        let month = g.sub(g.add(monthFromMarch, 3), g.mul(g.floorDiv(monthFromMarch, 10), 12))
        let year = g.add(g.add(yearOfEra, g.mul(era, 400)), g.floorDiv(g.sub(g.constant(12), month), 10))
        let shifted = g.add(days, 3)
        let weekday = g.sub(shifted, g.mul(g.floorDiv(shifted, 7), 7))
        // Day of year: days since January 1st of `year` (days_from_civil of year-01-01), plus 1.
        let previous = g.sub(year, g.constant(1))
        let era1 = g.floorDiv(previous, 400)
        let yearOfEra1 = g.sub(previous, g.mul(era1, 400))
        let dayOfEra1 = g.add(g.sub(g.add(g.mul(yearOfEra1, 365), g.floorDiv(yearOfEra1, 4)), g.floorDiv(yearOfEra1, 100)), 306)
        let january1 = g.sub(g.add(g.mul(era1, 146_097), dayOfEra1), g.constant(719_468))
        let dayOfYear = g.add(g.sub(days, january1), 1)
        graph = g.graph

        func float(_ x: String, _ part: DateEncoding.Part) -> String {
            graph.apply("Cast", [x], [("to", .int(ONNXGraph.ElementType.float.rawValue))], stem: "\(stem)_\(part.rawValue)")
        }
        func cyclic(_ x: String, period: Float, offset: Float, _ op: String, _ part: DateEncoding.Part) -> String {
            let value = graph.apply("Cast", [x], [("to", .int(ONNXGraph.ElementType.float.rawValue))], stem: "\(stem)_\(part.rawValue)_value")
            let shift = graph.constant(.floats([offset]), dims: [], stem: "\(stem)_offset")
            let factor = graph.constant(.floats([2 * Float.pi / period]), dims: [], stem: "\(stem)_angle_factor")
            let angle = graph.apply("Mul", [graph.apply("Sub", [value, shift], stem: "\(stem)_shifted"), factor], stem: "\(stem)_angle")
            return graph.apply(op, [angle], stem: "\(stem)_\(part.rawValue)")
        }
        return encoding.parts.map { part in
            switch part {
            case .year: return float(year, part)
            case .month: return float(month, part)
            case .day: return float(day, part)
            case .weekday: return float(weekday, part)
            case .dayofyear: return float(dayOfYear, part)
            case .hour: return float(hour, part)
            case .monthSin: return cyclic(month, period: 12, offset: 1, "Sin", part)
            case .monthCos: return cyclic(month, period: 12, offset: 1, "Cos", part)
            case .weekdaySin: return cyclic(weekday, period: 7, offset: 0, "Sin", part)
            case .weekdayCos: return cyclic(weekday, period: 7, offset: 0, "Cos", part)
            }
        }
    }
}

/// Double arithmetic on [N, 1] tensors and scalar constants, as ONNX nodes.
private struct DoubleArithmetic {
    var graph: ONNXGraph
    let stem: String

    mutating func constant(_ value: Double) -> String {
        graph.constant(.doubles([value]), dims: [], stem: "\(stem)_c")
    }

    mutating func add(_ a: String, _ b: String) -> String { graph.apply("Add", [a, b], stem: "\(stem)_t") }
    mutating func sub(_ a: String, _ b: String) -> String { graph.apply("Sub", [a, b], stem: "\(stem)_t") }
    mutating func add(_ a: String, _ k: Double) -> String { add(a, constant(k)) }
    mutating func mul(_ a: String, _ k: Double) -> String { graph.apply("Mul", [a, constant(k)], stem: "\(stem)_t") }

    /// floor(a / k): exact here, as every value is a whole number far below 2^53.
    mutating func floorDiv(_ a: String, _ k: Double) -> String {
        graph.apply("Floor", [graph.apply("Div", [a, constant(k)], stem: "\(stem)_t")], stem: "\(stem)_t")
    }
}
