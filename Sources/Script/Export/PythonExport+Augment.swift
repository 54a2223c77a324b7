import Engine

/// `augment` in the exported scripts: Keras's preprocessing layers at the start of the model
/// (active in `fit` only, as in dl), and in PyTorch the same changes as tensor ops on each
/// training batch (`affine_grid`/`grid_sample` with reflection at the edges for the geometry).
extension PythonExport {
    /// The augmentation and the image shape it works on, when the session has one.
    var augmentationInForce: (ImageAugmentation, [Int])? {
        guard let augmentation = fitted.augmentation, !augmentation.isIdentity, let shape = fitted.imageShape else { return nil }
        return (augmentation, shape)
    }

    private var valueRange: (low: String, high: String) {
        let range = pipeline.pixelRange
        return (pyFloat(Double(range.lowerBound)), pyFloat(Double(range.upperBound)))
    }

    /// Lines for `build_model()` after the input: the layers in dl's order. A model that takes
    /// flat rows gets them as images for the augmentation and flat again after it.
    var kerasAugmentLines: [String] {
        guard let (a, shape) = augmentationInForce else { return [] }
        let flat = model.inputShape.count != 3
        let range = valueRange
        var lines = ["    # dl: augment \(a.description); Keras applies these layers in fit() only"]
        if flat { lines.append("    model.add(keras.layers.Reshape((\(shape.map(String.init).joined(separator: ", ")))))") }
        if let flip = a.flip {
            lines.append("    model.add(keras.layers.RandomFlip(\"\(flip == .both ? "horizontal_and_vertical" : flip.rawValue)\"))")
        }
        if a.rotate > 0 { lines.append("    model.add(keras.layers.RandomRotation(\(pyFloat(a.rotate)) / 360))  # a share of a full turn") }
        if a.shift > 0 { lines.append("    model.add(keras.layers.RandomTranslation(\(pyFloat(a.shift)), \(pyFloat(a.shift))))") }
        if a.zoom > 0 { lines.append("    model.add(keras.layers.RandomZoom(\(pyFloat(a.zoom))))") }
        if a.brightness > 0 {
            lines.append("    model.add(keras.layers.RandomBrightness(\(pyFloat(a.brightness)), value_range=(\(range.low), \(range.high))))")
        }
        if a.contrast > 0 {
            lines.append("    model.add(keras.layers.RandomContrast(\(pyFloat(a.contrast)), value_range=(\(range.low), \(range.high))))")
        }
        if flat { lines.append("    model.add(keras.layers.Flatten())") }
        return lines
    }

    /// The `augment(x)` function of the PyTorch script (none without `augment`).
    var torchAugmentFunction: [String] {
        guard let (a, shape) = augmentationInForce else { return [] }
        let range = valueRange
        var lines: [String] = [
            "AUGMENT_SHAPE = (\(shape.map(String.init).joined(separator: ", ")))  # height, width, channels",
            "VALUE_RANGE = (\(range.low), \(range.high))  # the scaled pixels' range: brightness and contrast clip to it",
            "",
            "",
            "def augment(x):",
            "    \"\"\"dl's `augment` (\(a.description)) on a training batch, each image drawn anew, with Keras's",
            "    preprocessing layers' meanings: flip, rotation, shift, zoom (reflected at the edges), brightness, contrast.\"\"\"",
            "    flat = x.dim() == 2",
            "    h, w, c = AUGMENT_SHAPE",
            "    if flat:",
            "        x = x.reshape(-1, h, w, c).permute(0, 3, 1, 2)",
            "    n = x.shape[0]",
            "    def coin():",
            "        return (torch.rand(n) < 0.5).view(n, 1, 1, 1)",
            "    def uniform(limit):",
            "        return (torch.rand(n) * 2 - 1) * limit",
        ]
        if let flip = a.flip, flip != .vertical { lines.append("    x = torch.where(coin(), x.flip(3), x)  # left-right") }
        if let flip = a.flip, flip != .horizontal { lines.append("    x = torch.where(coin(), x.flip(2), x)  # top-bottom") }
        if a.rotate > 0 || a.shift > 0 || a.zoom > 0 { lines += [
            "    # Each output pixel samples the input at R(-angle) (zoom * p - shift), p from the centre (affine_grid's units).",
            "    angle = uniform(\(pyFloat(a.rotate)) * math.pi / 180)",
            "    zoom = 1 + uniform(\(pyFloat(a.zoom)))",
            "    ty, tx = uniform(\(pyFloat(a.shift))) * h, uniform(\(pyFloat(a.shift))) * w",
            "    cos, sin = torch.cos(angle), torch.sin(angle)",
            "    theta = torch.stack([",
            "        torch.stack([cos * zoom, sin * zoom * h / w, -(cos * tx + sin * ty) * 2 / w], 1),",
            "        torch.stack([-sin * zoom * w / h, cos * zoom, (sin * tx - cos * ty) * 2 / h], 1)], 1)",
            "    grid = nn.functional.affine_grid(theta.to(x.dtype), list(x.shape), align_corners=False)",
            "    x = nn.functional.grid_sample(x, grid, mode=\"bilinear\", padding_mode=\"reflection\", align_corners=False)",
        ] }
        if a.brightness > 0 { lines += [
            "    x = (x + uniform(\(pyFloat(a.brightness)) * (VALUE_RANGE[1] - VALUE_RANGE[0])).view(n, 1, 1, 1)).clamp(*VALUE_RANGE)",
        ] }
        if a.contrast > 0 { lines += [
            "    mean = x.mean(dim=(2, 3), keepdim=True)",
            "    x = ((x - mean) * (1 + uniform(\(pyFloat(a.contrast)))).view(n, 1, 1, 1) + mean).clamp(*VALUE_RANGE)",
        ] }
        return lines + [
            "    return x.permute(0, 2, 3, 1).flatten(1) if flat else x",
            "",
            "",
        ]
    }
}
