/// The numbers of one column, read as Doubles. They are stored as Floats when every one of
/// them is exactly a Float (pixel intensities, counts, small integers, 0.5), which halves
/// the memory of a large table without changing a single value; otherwise as Doubles.
/// Missing cells are `.nan` either way.
public struct NumericColumn: RandomAccessCollection, Equatable, Sendable, ExpressibleByArrayLiteral {
    /// The stored values; `.float` only ever holds values that were exact.
    public enum Storage: Sendable {
        case float([Float])
        case double([Double])
    }

    public let storage: Storage

    /// Doubles, stored as given.
    public init(_ values: [Double]) {
        storage = .double(values)
    }

    /// Floats (every Float is exactly a Double, so nothing is lost).
    public init(floats values: [Float]) {
        storage = .float(values)
    }

    /// Doubles, stored as Floats when that loses nothing.
    public static func compact(_ values: [Double]) -> NumericColumn {
        values.allSatisfy(isExactFloat) ? NumericColumn(floats: values.map { Float($0) }) : NumericColumn(values)
    }

    public init(arrayLiteral elements: Double...) {
        self.init(elements)
    }

    /// True when `Float(value)` reads back as `value` (NaN counts: it stays NaN).
    /// Written without branches, so loops over it stay vector code.
    @inline(__always)
    public static func isExactFloat(_ value: Double) -> Bool {
        (Double(Float(value)) != value) == (value != value)
    }

    public var startIndex: Int { 0 }

    public var endIndex: Int {
        switch storage {
        case .float(let values): return values.count
        case .double(let values): return values.count
        }
    }

    public subscript(index: Int) -> Double {
        switch storage {
        case .float(let values): return Double(values[index])
        case .double(let values): return values[index]
        }
    }

    /// The values as Doubles (a copy when they are stored as Floats).
    public var doubles: [Double] {
        switch storage {
        case .float(let values): return values.map { Double($0) }
        case .double(let values): return values
        }
    }

    /// The values as a Float matrix holds them: `Float(x)` of each (no copy when stored so).
    public var floats: [Float] {
        switch storage {
        case .float(let values): return values
        case .double(let values): return values.map { Float($0) }
        }
    }

    /// The values at `rows`, in that order, stored as these are.
    public func picking(_ rows: [Int]) -> NumericColumn {
        switch storage {
        case .float(let values): return NumericColumn(floats: rows.map { values[$0] })
        case .double(let values): return NumericColumn(rows.map { values[$0] })
        }
    }

    /// Each value transformed, stored as Floats again when the results allow it.
    public func mapValues(_ transform: (Double) -> Double) -> NumericColumn {
        .compact(map(transform))
    }

    public static func == (a: NumericColumn, b: NumericColumn) -> Bool {
        a.elementsEqual(b)
    }
}
