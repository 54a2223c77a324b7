/// An ONNX graph as it is built, and its encoding as an ONNX ModelProto (the field numbers
/// are those of onnx.proto). Only what `export onnx` writes is here: float, double, int64 and
/// string tensors, nodes with int, float, string and list attributes, inputs and outputs of a given
/// type with a dynamic batch dimension.
struct ONNXGraph {
    enum ElementType: Int {
        case float = 1, int64 = 7, string = 8, bool = 9, double = 11
    }

    enum AttributeValue {
        case int(Int), float(Float), string(String), ints([Int]), floats([Float]), strings([String])
    }

    struct Node {
        var op: String
        var domain: String
        var inputs: [String]
        var outputs: [String]
        var attributes: [(String, AttributeValue)]
    }

    enum Constant {
        case floats([Float]), doubles([Double]), ints([Int]), strings([String])
    }

    struct Initializer {
        var name: String
        var dims: [Int]
        var values: Constant
    }

    /// A graph input or output: `shape` nil entries are the dynamic batch dimension "N".
    struct ValueInfo {
        var name: String
        var type: ElementType
        var shape: [Int?]
    }

    private(set) var nodes: [Node] = []
    private(set) var initializers: [Initializer] = []
    var inputs: [ValueInfo] = []
    var outputs: [ValueInfo] = []
    private var used: Set<String> = []

    /// A tensor name not used yet, from `stem`.
    mutating func fresh(_ stem: String) -> String {
        var name = stem
        var k = 1
        while used.contains(name) {
            name = "\(stem)_\(k)"
            k += 1
        }
        used.insert(name)
        return name
    }

    /// Marks a name as taken (graph inputs keep the column names).
    mutating func reserve(_ name: String) { used.insert(name) }

    mutating func constant(_ values: Constant, dims: [Int], stem: String) -> String {
        let name = fresh(stem)
        initializers.append(Initializer(name: name, dims: dims, values: values))
        return name
    }

    /// Adds a node and returns its outputs' names (`count` of them, from `stem`).
    @discardableResult
    mutating func node(_ op: String, _ inputs: [String], _ attributes: [(String, AttributeValue)] = [],
                       domain: String = "", outputs count: Int = 1, stem: String? = nil) -> [String] {
        let outputs = (0..<count).map { _ in fresh(stem ?? op.lowercased()) }
        nodes.append(Node(op: op, domain: domain, inputs: inputs, outputs: outputs, attributes: attributes))
        return outputs
    }

    /// One-output node.
    mutating func apply(_ op: String, _ inputs: [String], _ attributes: [(String, AttributeValue)] = [],
                        domain: String = "", stem: String? = nil) -> String {
        node(op, inputs, attributes, domain: domain, stem: stem)[0]
    }

    // MARK: - Encoding

    /// The ModelProto: IR version 8, opset 13 of the default domain and 2 of ai.onnx.ml.
    func encode(name: String, producerVersion: String, metadata: [(String, String)]) -> [UInt8] {
        var model = ProtobufWriter()
        model.integer(1, 8)                                      // ir_version
        model.string(2, "dl")                                    // producer_name
        model.string(3, producerVersion)                         // producer_version
        model.message(7) { graph in encodeGraph(&graph, name: name) }
        for (domain, version) in [("", 13), ("ai.onnx.ml", 2)] {
            model.message(8) { opset in                          // opset_import
                opset.string(1, domain)
                opset.integer(2, version)
            }
        }
        for (key, value) in metadata {
            model.message(14) { entry in                         // metadata_props
                entry.string(1, key)
                entry.string(2, value)
            }
        }
        return model.bytes
    }

    private func encodeGraph(_ graph: inout ProtobufWriter, name: String) {
        for node in nodes {
            graph.message(1) { n in
                for input in node.inputs { n.string(1, input) }
                for output in node.outputs { n.string(2, output) }
                n.string(3, node.outputs[0])
                n.string(4, node.op)
                for (name, value) in node.attributes { n.message(5) { Self.encodeAttribute(&$0, name, value) } }
                if !node.domain.isEmpty { n.string(7, node.domain) }
            }
        }
        graph.string(2, name)
        for initializer in initializers { graph.message(5) { Self.encodeTensor(&$0, initializer) } }
        for input in inputs { graph.message(11) { Self.encodeValueInfo(&$0, input) } }
        for output in outputs { graph.message(12) { Self.encodeValueInfo(&$0, output) } }
    }

    private static func encodeAttribute(_ a: inout ProtobufWriter, _ name: String, _ value: AttributeValue) {
        a.string(1, name)
        switch value {
        case .float(let f): a.float(2, f); a.integer(20, 1)
        case .int(let i): a.integer(3, i); a.integer(20, 2)
        case .string(let s): a.string(4, s); a.integer(20, 3)
        case .floats(let fs): a.floats(7, fs); a.integer(20, 6)
        case .ints(let ints): a.integers(8, ints); a.integer(20, 7)
        case .strings(let ss): for s in ss { a.string(9, s) }; a.integer(20, 8)
        }
    }

    private static func encodeTensor(_ t: inout ProtobufWriter, _ initializer: Initializer) {
        t.integers(1, initializer.dims)
        switch initializer.values {
        case .floats(let values): t.integer(2, ElementType.float.rawValue); t.floats(4, values)
        case .doubles(let values): t.integer(2, ElementType.double.rawValue); t.doubles(10, values)
        case .ints(let values): t.integer(2, ElementType.int64.rawValue); t.integers(7, values)
        case .strings(let values): t.integer(2, ElementType.string.rawValue); for s in values { t.string(6, s) }
        }
        t.string(8, initializer.name)
    }

    private static func encodeValueInfo(_ v: inout ProtobufWriter, _ info: ValueInfo) {
        v.string(1, info.name)
        v.message(2) { type in
            type.message(1) { tensor in
                tensor.integer(1, info.type.rawValue)
                tensor.message(2) { shape in
                    for dim in info.shape {
                        shape.message(1) { d in
                            if let size = dim { d.integer(1, size) } else { d.string(2, "N") }
                        }
                    }
                }
            }
        }
    }
}
