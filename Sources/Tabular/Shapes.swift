import DLCore

/// A generated image data set of outlined shapes, so convolutional networks can be taught
/// without downloads: `load shapes [n=2000] [size=28] [classes=4] [noise=0.1] [seed=…]`.
///
/// Each image holds one shape — circle, square, triangle (apex up) or cross (the two
/// diagonals of a square, "×") — drawn as an outline of grey value 1.0 on a 0 background,
/// anti-aliased, then Gaussian pixel noise with std `noise`, clamped to [0, 1].
///
/// Designed so that shape, not ink or place, tells the classes apart:
/// - Position is uniform over the whole image, so a model must recognise a shape wherever
///   it is (what convolution and pooling are for; a dense layer must learn every place).
/// - The outline length is drawn from the same range for every class, and each shape's
///   extent is set from it (a square's side is a quarter of it, a circle's diameter 1/π, …),
///   so total ink has nearly the same distribution in every class. Extents come out
///   between about 30% and 75% of the image side and overlap across classes.
/// - Strokes are 1 to 3 pixels wide at size 28, scaled with the size.
public enum Shapes {
    /// Class names in order; `classes` = k takes the first k.
    public static let classNames: [String] = ["circle", "square", "triangle", "cross"]

    /// Outline length per unit of extent (box side L): circle πL, square 4L, triangle
    /// with base and height L: L + 2·√(L² + L²/4) = (1 + √5)L, cross: two diagonals 2√2·L.
    private static let perimeterPerExtent: [Double] = [Double.pi, 4, 1 + 5.0.squareRoot(), 2 * 2.0.squareRoot()]

    /// Outline length range as a multiple of the image side: from a square of 30% of the
    /// side (1.2) to a cross of 75% (2.12); every class then fits with its stroke.
    private static let perimeterRange = (low: 1.2, high: 0.75 * 2 * 2.0.squareRoot())

    /// Generates `n` images of `size` x `size` pixels with `classes` shapes (2…4), balanced
    /// (n / classes each, the remainder to the first classes) and shuffled; the same `rng`
    /// state gives the same data. Pixels are Float in [0, 1], features px0, px1, … row by
    /// row, imageShape [size, size, 1], target "shape". Throws `TabularError` for size
    /// outside 8…128, classes outside 2…4, n below 2 per class or too large, negative noise.
    public static func make(n: Int, size: Int, classes: Int, noise: Double,
                            rng: inout SeededRandom) throws -> Dataset {
        try validate(n: n, size: size, classes: classes, noise: noise)
        if let error = TabularError.unaffordable("drawing \(n) images of \(size)x\(size)", needs: n * (4 * size * size + 16),
                                                 hint: "ask for fewer or smaller images", problem: .imagesTooLarge) {
            throw error
        }
        let side = Double(size)
        let pixelCount = size * size
        var images = [Float](repeating: 0, count: n * pixelCount)
        var labels: [Int] = []
        labels.reserveCapacity(n)
        for k in 0..<classes { labels.append(contentsOf: repeatElement(k, count: n / classes + (k < n % classes ? 1 : 0))) }

        for (row, k) in labels.enumerated() {
            let perimeter = rng.uniform(perimeterRange.low, perimeterRange.high) * side
            let extent = perimeter / perimeterPerExtent[k]
            let thickness = rng.uniform(1, 3) * side / 28
            // The stroke is centred on the outline, so half of it lies outside the box.
            let low = thickness / 2, high = side - extent - thickness / 2
            let x0 = rng.uniform(low, high), y0 = rng.uniform(low, high)
            let shape = Outline(kind: k, x0: x0, y0: y0, extent: extent)
            images.withUnsafeMutableBufferPointer { buffer in
                shape.draw(into: buffer, offset: row * pixelCount, size: size, thickness: thickness)
            }
        }
        if noise > 0 {
            for i in images.indices {
                images[i] = min(1, max(0, images[i] + Float(rng.normal(mean: 0, std: noise))))
            }
        }

        let order = rng.permutation(n)
        var features: [Float] = []
        features.reserveCapacity(images.count)
        for r in order { features.append(contentsOf: images[(r * pixelCount)..<((r + 1) * pixelCount)]) }
        return Dataset(features: features, rowCount: n, featureNames: (0..<pixelCount).map { "px\($0)" },
                       targetName: "shape",
                       target: .classes(labels: order.map { labels[$0] }, names: Array(classNames[..<classes])),
                       imageShape: [size, size, 1],
                       source: "shapes(n: \(n), size: \(size), classes: \(classes), noise: \(noise))")
    }

    private static func validate(n: Int, size: Int, classes: Int, noise: Double) throws {
        guard (8...128).contains(size) else {
            throw TabularError("shapes needs an image size from 8 to 128 pixels; got size = \(size)",
                               hint: "try size 28 (as MNIST)")
        }
        guard (2...classNames.count).contains(classes) else {
            throw TabularError("shapes has 2 to \(classNames.count) classes (\(classNames.joined(separator: ", "))); got classes = \(classes)",
                               hint: "pick classes from 2 to \(classNames.count)")
        }
        // About 1 GB of pixels at most, so a slip of the keyboard cannot exhaust memory.
        let maxRows = min(10_000_000, 250_000_000 / (size * size))
        guard n >= 2 * classes, n <= maxRows else {
            throw TabularError("shapes with \(classes) classes of \(size)x\(size) needs between \(2 * classes) and \(maxRows) images (2 per class at least); got n = \(n)",
                               hint: "pick n from \(2 * classes) to \(maxRows)")
        }
        guard noise >= 0, noise.isFinite else {
            throw TabularError("noise must be a number of 0 or more (the std of pixel noise); got \(noise)",
                               hint: "try noise 0.1")
        }
    }
}

/// One shape's outline in pixel coordinates (pixel (x, y) has its centre at x + 0.5, y + 0.5).
private struct Outline {
    let kind: Int
    let x0: Double, y0: Double, extent: Double

    /// Straight segments of the outline; empty for the circle, which is drawn by radius.
    var segments: [(Double, Double, Double, Double)] {
        let x1 = x0 + extent, y1 = y0 + extent
        switch kind {
        case 1: return [(x0, y0, x1, y0), (x1, y0, x1, y1), (x1, y1, x0, y1), (x0, y1, x0, y0)]
        case 2:
            let apex = x0 + extent / 2
            return [(apex, y0, x1, y1), (x1, y1, x0, y1), (x0, y1, apex, y0)]
        case 3: return [(x0, y0, x1, y1), (x1, y0, x0, y1)]
        default: return []
        }
    }

    /// Writes the stroke's coverage: 1 within half the thickness of the outline, fading
    /// linearly to 0 over one pixel, so strokes of fractional width keep their ink amount.
    func draw(into pixels: UnsafeMutableBufferPointer<Float>, offset: Int, size: Int, thickness: Double) {
        let lines = segments
        let reach = thickness / 2 + 1
        let columns = max(0, Int((x0 - reach).rounded(.down)))...min(size - 1, Int((x0 + extent + reach).rounded(.up)))
        let rows = max(0, Int((y0 - reach).rounded(.down)))...min(size - 1, Int((y0 + extent + reach).rounded(.up)))
        let radius = extent / 2, cx = x0 + radius, cy = y0 + radius
        for y in rows {
            for x in columns {
                let px = Double(x) + 0.5, py = Double(y) + 0.5
                var distance: Double
                if lines.isEmpty {
                    let dx = px - cx, dy = py - cy
                    distance = abs((dx * dx + dy * dy).squareRoot() - radius)
                } else {
                    distance = .infinity
                    for line in lines { distance = min(distance, Outline.distance(px, py, line)) }
                }
                let coverage = min(1, max(0, thickness / 2 + 0.5 - distance))
                pixels[offset + y * size + x] = Float(coverage)
            }
        }
    }

    /// Distance from a point to a segment.
    static func distance(_ px: Double, _ py: Double, _ s: (Double, Double, Double, Double)) -> Double {
        let dx = s.2 - s.0, dy = s.3 - s.1
        let lengthSquared = dx * dx + dy * dy
        let t = lengthSquared > 0 ? min(1, max(0, ((px - s.0) * dx + (py - s.1) * dy) / lengthSquared)) : 0
        let ex = px - (s.0 + t * dx), ey = py - (s.1 + t * dy)
        return (ex * ex + ey * ey).squareRoot()
    }
}
