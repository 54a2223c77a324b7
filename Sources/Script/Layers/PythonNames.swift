import Engine

/// How the exported Keras script spells an activation and dl's initialisation.
enum KerasNames {
    static func activation(_ activation: Activation) -> String {
        activation == .leakyRelu ? "lambda x: tf.nn.leaky_relu(x, alpha=\(Activation.leakySlope))" : "\"\(activation.rawValue)\""
    }

    /// He normal before (leaky) relu, Glorot uniform otherwise, as dl initialises.
    static func initializer(_ activation: Activation, fanIn: Int) -> String {
        activation == .relu || activation == .leakyRelu
            ? "keras.initializers.RandomNormal(stddev=math.sqrt(2 / \(fanIn)))" : "\"glorot_uniform\""
    }
}

/// How the exported PyTorch script appends an activation after a layer; layers before
/// (leaky) relu go in RELU_LAYERS, which `init_like_dl` initialises He normal, as dl does.
enum TorchNames {
    static func activation(_ activation: Activation) -> [String] {
        let marked = activation == .relu || activation == .leakyRelu ? ["    RELU_LAYERS.add(layers[-1])"] : []
        return marked + module(activation)!.map { "    layers.append(\($0))" }
    }

    /// The module of an activation; none for linear.
    static func module(_ activation: Activation) -> [String]? {
        switch activation {
        case .linear: return []
        case .relu: return ["nn.ReLU()"]
        case .leakyRelu: return ["nn.LeakyReLU(\(Activation.leakySlope))"]
        case .sigmoid: return ["nn.Sigmoid()"]
        case .tanh: return ["nn.Tanh()"]
        case .softmax: return ["nn.Softmax(dim=1)"]
        }
    }
}
