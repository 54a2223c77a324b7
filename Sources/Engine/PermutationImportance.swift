import DLCore

/// What a permutation importance scores the network's outputs with.
public enum ImportanceScore: Sendable {
    /// Accuracy against these classes (argmax, or p >= 0.5 for one sigmoid unit).
    case accuracy(labels: [Int])
    /// R² of the first output against these targets (in the network's units: R² is the same
    /// after any affine rescaling of both).
    case r2(targets: [Float])

    /// The score of outputs [n, units] for the n rows.
    public func score(_ outputs: Tensor) -> Double {
        let width = outputs.columns
        switch self {
        case .accuracy(let labels):
            var correct = 0
            for (row, label) in labels.enumerated() {
                var best = 0
                if width == 1 {
                    best = outputs.data[row] >= 0.5 ? 1 : 0
                } else {
                    for j in 1..<width where outputs.data[row * width + j] > outputs.data[row * width + best] { best = j }
                }
                if best == label { correct += 1 }
            }
            return labels.isEmpty ? 0 : Double(correct) / Double(labels.count)
        case .r2(let targets):
            let mean = targets.reduce(0.0) { $0 + Double($1) } / Double(max(1, targets.count))
            var residual = 0.0, total = 0.0
            for (row, target) in targets.enumerated() {
                let t = Double(target)
                residual += (t - Double(outputs.data[row * width])) * (t - Double(outputs.data[row * width]))
                total += (t - mean) * (t - mean)
            }
            return total > 0 ? 1 - residual / total : 0
        }
    }
}

/// Permutation importance as scikit-learn's `permutation_importance` computes it: the score
/// on the rows as they are, then for each group of features and each repeat the score with
/// that group's columns shuffled (one permutation of the rows for the whole group, so a
/// one-hot group stays one-hot). Importance = baseline score - shuffled score.
public struct PermutationImportance {
    public let baseline: Double
    /// Per group, the importance of each repeat.
    public let drops: [[Double]]

    /// Mean drop per group.
    public var means: [Double] { drops.map { $0.reduce(0, +) / Double(max(1, $0.count)) } }
    /// Standard deviation of the drops per group, over the repeats (numpy's default, ddof 0, as scikit-learn reports it).
    public var deviations: [Double] {
        zip(drops, means).map { drops, mean in
            (drops.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(1, drops.count))).squareRoot()
        }
    }

    /// `x`: [n, features] (flat rows, as the network takes them); each group lists feature indices.
    /// Group g's repeats draw their permutations from stream g of `seed`.
    public init(network: Network, x: Tensor, groups: [[Int]], score: ImportanceScore, repeats: Int, seed: UInt64,
                cancel: Cancellation = .never) throws(Interrupted) {
        let n = x.rows, width = x.columns
        baseline = score.score(try network.predict(x, cancel: cancel))
        var shuffled = x
        var drops: [[Double]] = []
        for (g, group) in groups.enumerated() {
            var random = SeededRandom(seed: SeededRandom.seed(seed, stream: g + 1))
            var groupDrops: [Double] = []
            for _ in 0..<repeats {
                let order = random.permutation(n)
                for row in 0..<n {
                    for j in group { shuffled.data[row * width + j] = x.data[order[row] * width + j] }
                }
                groupDrops.append(baseline - score.score(try network.predict(shuffled, cancel: cancel)))
            }
            for row in 0..<n {
                for j in group { shuffled.data[row * width + j] = x.data[row * width + j] }
            }
            drops.append(groupDrops)
        }
        self.drops = drops
    }
}

/// Occlusion sensitivity for images: a square patch slides over the picture (stride about half
/// the patch), is replaced by the baseline's pixels, and the drop in each row's output `unit`
/// (the true class's probability) is averaged over the rows; each pixel gets the mean drop of
/// the patches that cover it.
public struct OcclusionMap {
    /// height*width mean drops, row-major.
    public let values: [Double]
    public let patch: Int
    public let stride: Int

    /// `x`: [n, inputShape...] holding images of `imageShape` (height, width, channels; NHWC);
    /// `units[r]`: the output unit read for row r, and
    /// `signs[r]` its direction (-1 reads 1 - p of one sigmoid unit for class 0);
    /// `baseline`: one image (height*width*channels) put in place of each patch.
    public init(network: Network, x: Tensor, imageShape: [Int], units: [Int], signs: [Double], baseline: [Float], patch: Int,
                cancel: Cancellation = .never) throws(Interrupted) {
        let (height, width, channels) = (imageShape[0], imageShape[1], imageShape[2])
        let stride = max(1, patch / 2)
        self.patch = patch
        self.stride = stride
        let n = x.rows, size = height * width * channels
        let reference = try network.predict(x, cancel: cancel)
        let outWidth = reference.columns
        var sums = [Double](repeating: 0, count: height * width)
        var covers = [Int](repeating: 0, count: height * width)
        var occluded = x
        func starts(_ extent: Int) -> [Int] {
            var list = Array(Swift.stride(from: 0, through: max(0, extent - patch), by: stride))
            if let last = list.last, last + patch < extent { list.append(extent - patch) }
            return list
        }
        for top in starts(height) {
            for left in starts(width) {
                let rows = top..<min(height, top + patch), columns = left..<min(width, left + patch)
                for row in 0..<n {
                    for r in rows { for c in columns { for k in 0..<channels {
                        occluded.data[row * size + (r * width + c) * channels + k] = baseline[(r * width + c) * channels + k]
                    } } }
                }
                let outputs = try network.predict(occluded, cancel: cancel)
                var drop = 0.0
                for row in 0..<n {
                    let unit = units[row]
                    drop += signs[row] * Double(reference.data[row * outWidth + unit] - outputs.data[row * outWidth + unit])
                }
                drop /= Double(max(1, n))
                for r in rows { for c in columns { sums[r * width + c] += drop; covers[r * width + c] += 1 } }
                for row in 0..<n {
                    for r in rows { for c in columns { for k in 0..<channels {
                        let i = row * size + (r * width + c) * channels + k
                        occluded.data[i] = x.data[i]
                    } } }
                }
            }
        }
        values = zip(sums, covers).map { $1 > 0 ? $0 / Double($1) : 0 }
    }
}
