import Engine

/// `train balance=auto` in the exported scripts: the script computes scikit-learn's balanced
/// weights over the rows it trains on (after its own validation split), as dl does over its
/// own, and passes them as Keras's `class_weight=` or PyTorch's loss `weight=`.
extension PythonExport {
    /// Whether the last `train` weighted the classes (a sweep's `use best` too).
    var balancesClasses: Bool { plan.balanceClasses && isClassification }

    /// The script's function for the weights; none when the classes are not weighted.
    var classWeightFunction: [String] {
        guard balancesClasses else { return [] }
        return [
            "def balanced_class_weights(y):",
            "    \"\"\"`train balance=auto`: scikit-learn's class_weight=\"balanced\", n / (k x count) per class over",
            "    the rows trained on (k: the classes among them); a class with no rows gets 1.\"\"\"",
            "    from sklearn.utils.class_weight import compute_class_weight",
            "    y = np.asarray(y).reshape(-1).astype(int)",
            "    present = np.unique(y)",
            "    weights = np.ones(len(CLASSES), dtype=np.float32)",
            "    weights[present] = compute_class_weight(\"balanced\", classes=present, y=y)",
            "    return weights",
            "",
            "",
        ]
    }

    /// The PyTorch loss of a training batch with the weights: each row's loss times its class's
    /// weight, summed and divided by the batch size, which is Keras's class_weight and dl's
    /// reduction (PyTorch's own "mean" would divide by the sum of the weights instead).
    var torchWeightedLoss: [String] {
        guard balancesClasses else { return [] }
        let oneSigmoid = model.network.layers.last!.outputShape == [1]
        let body = oneSigmoid
            ? "    return nn.functional.binary_cross_entropy_with_logits(logits, y, weight=weights[y.long()])"
            : "    return nn.functional.cross_entropy(logits, y, weight=weights, reduction=\"sum\") / len(y)"
        return [
            "def weighted_loss(logits, y, weights):",
            "    \"\"\"balance=auto: each row's loss times its class's weight, summed and divided by the batch size, as Keras's",
            "    class_weight does (PyTorch's reduction=\"mean\" would divide by the sum of the weights).\"\"\"",
            body,
            "",
            "",
        ]
    }
}
