// `features`: each cross is a few float nodes on its columns ([N, 1] each): Mul for a product
// and the powers, Sin, Cos, Abs, and Log(x + 1) for log1p (ONNX has no Log1p).

extension ONNXExport {
    static func addCrosses(_ graph: inout ONNXGraph, _ crosses: [FeatureCross],
                           to columns: inout [String: (tensor: String, isText: Bool)]) {
        for cross in crosses {
            let inputs = cross.columns.compactMap { columns[$0]?.tensor }
            guard inputs.count == cross.columns.count, let x = inputs.first else { continue }
            let stem = "feature_" + cross.columns.joined(separator: "_") + "_\(cross.operation.rawValue)"
            let result: String
            switch cross.operation {
            case .product: result = inputs.dropFirst().reduce(x) { graph.apply("Mul", [$0, $1], stem: stem) }
            case .square: result = graph.apply("Mul", [x, x], stem: stem)
            case .cube: result = graph.apply("Mul", [graph.apply("Mul", [x, x], stem: stem), x], stem: stem)
            case .sin: result = graph.apply("Sin", [x], stem: stem)
            case .cos: result = graph.apply("Cos", [x], stem: stem)
            case .abs: result = graph.apply("Abs", [x], stem: stem)
            case .log1p:
                let one = graph.constant(.floats([1]), dims: [], stem: "\(stem)_one")
                result = graph.apply("Log", [graph.apply("Add", [x, one], stem: stem)], stem: stem)
            }
            columns[cross.name] = (result, false)
        }
    }
}
