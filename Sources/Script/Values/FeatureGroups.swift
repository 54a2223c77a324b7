import Tabular

/// The network's input features that came from one raw column: a numeric column is one
/// feature, `encode onehot` makes one per category, `encode date` one per date part.
/// Importance permutes a group together and attribution adds up its features, so both speak
/// of the columns the user loaded, not of the encoded ones.
struct FeatureGroup: Equatable {
    enum Origin: Equatable {
        case plain
        case oneHot(categories: [String])
        case date(parts: [DateEncoding.Part])
    }
    /// The raw column's name.
    let name: String
    /// Indices into the data set's features, in order.
    var indices: [Int]
    var origin: Origin

    /// The raw value of one row, read back from its features (unscaled): the number, the
    /// category whose indicator is set, or the date from its year, month and day parts.
    func rawValue(of features: (Int) -> Float) -> String {
        switch origin {
        case .plain:
            return Format.general(Double(features(indices[0])))
        case .oneHot(let categories):
            for (k, index) in indices.enumerated() where features(index) >= 0.5 { return categories[k] }
            return "(none of the \(categories.count) categories)"
        case .date(let parts):
            let at = { (part: DateEncoding.Part) in parts.firstIndex(of: part).map { indices[$0] } }
            if let year = at(.year), let month = at(.month), let day = at(.day) {
                func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
                return "\(Int(features(year).rounded()))-\(two(Int(features(month).rounded())))-\(two(Int(features(day).rounded())))"
            }
            return zip(parts, indices).map { "\($0.rawValue) \(Format.general(Double(features($1))))" }.joined(separator: " ")
        }
    }
}

extension DataPipeline {
    /// The data set's features grouped by the raw column each came from, in feature order.
    /// A feature no step explains (a generated column, or one a later kind of step made) is a
    /// group of its own.
    var featureGroups: [FeatureGroup] {
        guard let names = dataset?.featureNames ?? restored?.featureNames else { return [] }
        var origin: [String: (column: String, origin: FeatureGroup.Origin)] = [:]
        for step in steps {
            switch step {
            case .encode(let encoding):
                for name in encoding.newColumnNames {
                    origin[name] = (encoding.column, .oneHot(categories: encoding.categories))
                }
            case .encodeDate(let encoding):
                for name in encoding.newColumnNames { origin[name] = (encoding.column, .date(parts: encoding.parts)) }
            default: continue
            }
        }
        var groups: [FeatureGroup] = []
        for (index, name) in names.enumerated() {
            let (column, kind) = origin[name] ?? (name, .plain)
            if let last = groups.indices.last, groups[last].name == column, kind != .plain {
                groups[last].indices.append(index)
            } else {
                groups.append(FeatureGroup(name: column, indices: [index], origin: kind))
            }
        }
        return groups
    }
}
