import DLCore

/// Random changes made to each training image of each batch, as Keras's preprocessing layers
/// make them (RandomFlip, RandomRotation, RandomTranslation, RandomZoom, RandomBrightness,
/// RandomContrast, in that order). Only training batches are changed: validation, evaluation
/// and prediction see the images as they are, as Keras's layers do outside training.
public struct ImageAugmentation: Equatable, Sendable, Codable {
    public enum Flip: String, CaseIterable, Sendable, Codable {
        case horizontal, vertical, both
    }

    /// Mirror left-right, top-bottom or each independently, each with probability 1/2; nil: never.
    public var flip: Flip?
    /// Largest rotation in degrees: each image turns by a uniform angle in [-rotate, rotate].
    public var rotate: Double = 0
    /// Largest shift as a share of the height (vertically) and the width (horizontally), each drawn uniformly in [-shift, shift].
    public var shift: Double = 0
    /// The sampled area is scaled by 1 + u, u uniform in [-zoom, zoom] (above 1 zooms out), the same for both axes.
    public var zoom: Double = 0
    /// A uniform offset in [-brightness, brightness] times the value range is added to every pixel.
    public var brightness: Double = 0
    /// Each channel moves away from (or toward) its mean by a factor uniform in [1 - contrast, 1 + contrast].
    public var contrast: Double = 0

    public init(flip: Flip? = nil, rotate: Double = 0, shift: Double = 0, zoom: Double = 0,
                brightness: Double = 0, contrast: Double = 0) {
        self.flip = flip
        self.rotate = rotate
        self.shift = shift
        self.zoom = zoom
        self.brightness = brightness
        self.contrast = contrast
    }

    /// Whether it changes anything.
    public var isIdentity: Bool {
        flip == nil && rotate == 0 && shift == 0 && zoom == 0 && brightness == 0 && contrast == 0
    }

    /// The largest value each setting takes (`augment` checks them; a saved model is read only when they hold).
    public static let limits = (rotate: 180.0, shift: 1.0, zoom: 0.9, brightness: 1.0, contrast: 1.0)

    /// Whether every setting lies within `limits` (and none is negative or NaN).
    public var isValid: Bool {
        let l = Self.limits
        return (0...l.rotate).contains(rotate) && (0...l.shift).contains(shift) && (0...l.zoom).contains(zoom)
            && (0...l.brightness).contains(brightness) && (0...l.contrast).contains(contrast)
    }

    /// Whether pixels move (and so are resampled).
    var movesPixels: Bool { flip != nil || rotate != 0 || shift != 0 || zoom != 0 }
}

/// Applies an `ImageAugmentation` to NHWC images in place. The draws are made one image after
/// another from the generator (so the numbers depend on the seed only), then the images of a
/// batch are changed in parallel, each into its own slice of a scratch buffer made once for the
/// batch size, so a batch is changed without allocating. Geometry (flip, rotation, shift, zoom)
/// is one inverse mapping per output pixel, sampled bilinearly with Keras's default fill,
/// `reflect` (d c b a | a b c d | d c b a), so a chain of Keras layers and this single
/// resampling differ only by the interpolation between them. Brightness and contrast clip to
/// `valueRange`, as Keras clips to its `value_range`.
public final class ImageAugmenter {
    public let augmentation: ImageAugmentation
    public let height: Int, width: Int, channels: Int
    /// The smallest and largest pixel value the network is given (0...1 after min-max scaling).
    public let valueRange: ClosedRange<Float>
    private var scratch: [Float]
    private var draws: [Draw] = []

    /// shape: [height, width, channels].
    public init(_ augmentation: ImageAugmentation, shape: [Int], valueRange: ClosedRange<Float>) {
        precondition(shape.count == 3, "augmentation needs images (height, width, channels), got shape \(shape)")
        self.augmentation = augmentation
        (height, width, channels) = (shape[0], shape[1], shape[2])
        self.valueRange = valueRange
        scratch = [Float](repeating: 0, count: shape[0] * shape[1] * shape[2])
    }

    /// The random draws for one image, in a fixed order so the same generator gives the same images.
    struct Draw {  // internal for the tests, which set draws directly
        var flipX = false, flipY = false
        var angle = 0.0, shiftX = 0.0, shiftY = 0.0, zoom = 1.0
        var brightness: Float = 0, contrast: Float = 1
    }

    func draw(_ rng: inout SeededRandom) -> Draw {
        let a = augmentation
        var d = Draw()
        if let flip = a.flip {
            if flip != .vertical { d.flipX = rng.uniform() < 0.5 }
            if flip != .horizontal { d.flipY = rng.uniform() < 0.5 }
        }
        if a.rotate > 0 { d.angle = rng.uniform(-a.rotate, a.rotate) * Double.pi / 180 }
        if a.shift > 0 {
            d.shiftY = rng.uniform(-a.shift, a.shift) * Double(height)
            d.shiftX = rng.uniform(-a.shift, a.shift) * Double(width)
        }
        if a.zoom > 0 { d.zoom = 1 + rng.uniform(-a.zoom, a.zoom) }
        if a.brightness > 0 {
            d.brightness = Float(rng.uniform(-a.brightness, a.brightness)) * (valueRange.upperBound - valueRange.lowerBound)
        }
        if a.contrast > 0 { d.contrast = Float(rng.uniform(1 - a.contrast, 1 + a.contrast)) }
        return d
    }

    /// Changes the first `count` images of `batch` ([rows, height, width, channels]) in place.
    public func apply(to batch: inout Tensor, count: Int, rng: inout SeededRandom) {
        let size = height * width * channels
        precondition(batch.count >= count * size, "the batch holds fewer than \(count) images of \(height)x\(width)x\(channels)")
        draws.removeAll(keepingCapacity: true)
        for _ in 0..<count { draws.append(draw(&rng)) }
        if scratch.count < count * size { scratch = [Float](repeating: 0, count: count * size) } // once per batch size
        let moves = augmentation.movesPixels
        batch.data.withUnsafeMutableBufferPointer { images in
            scratch.withUnsafeMutableBufferPointer { spare in
                draws.withUnsafeBufferPointer { draws in
                    let (images, spare) = (images.baseAddress!, spare.baseAddress!)
                    // Each image is its own: any cut of the batch gives the same bits.
                    forEachPart(of: count, work: count * size * (moves ? 16 : 4)) { part in
                        for i in part { transform(images + i * size, draws[i], scratch: spare + i * size) }
                    }
                }
            }
        }
    }

    /// One image, [height, width, channels], in place.
    public func apply(to image: inout [Float], rng: inout SeededRandom) {
        precondition(image.count == height * width * channels, "the image does not have \(height)x\(width)x\(channels) values")
        let d = draw(&rng)
        image.withUnsafeMutableBufferPointer { image in
            scratch.withUnsafeMutableBufferPointer { transform(image.baseAddress!, d, scratch: $0.baseAddress!) }
        }
    }

    /// One image in place; `scratch` holds at least one image.
    func transform(_ image: UnsafeMutablePointer<Float>, _ d: Draw, scratch: UnsafeMutablePointer<Float>) {
        if augmentation.movesPixels { resample(image, d, into: scratch) }
        let (low, high) = (valueRange.lowerBound, valueRange.upperBound)
        let pixels = height * width
        if d.brightness != 0 {
            for k in 0..<(pixels * channels) { image[k] = min(high, max(low, image[k] + d.brightness)) }
        }
        if d.contrast != 1 {
            for c in 0..<channels {
                var sum: Float = 0
                for p in 0..<pixels { sum += image[p * channels + c] }
                let mean = sum / Float(pixels)
                for p in 0..<pixels {
                    let k = p * channels + c
                    image[k] = min(high, max(low, (image[k] - mean) * d.contrast + mean))
                }
            }
        }
    }

    /// Index `k` of a row of `n` pixels extended by reflection about the edges (half-sample symmetric).
    @inline(__always)
    private static func reflect(_ k: Int, _ n: Int) -> Int {
        if k >= 0 && k < n { return k }
        let period = 2 * n
        var m = k % period
        if m < 0 { m += period }
        return m < n ? m : period - 1 - m
    }

    /// Each output pixel's centre mapped back to where it comes from: through the zoom, the
    /// shift, the rotation and the flips (Keras's layers applied one after another, inverted).
    /// The mapping is affine, so along a row the source moves by a fixed step.
    private func resample(_ image: UnsafeMutablePointer<Float>, _ d: Draw, into out: UnsafeMutablePointer<Float>) {
        let (h, w, ch) = (height, width, channels)
        let cx = Double(w) / 2, cy = Double(h) / 2
        let cosA = cosDouble(d.angle), sinA = sinDouble(d.angle)
        let fx: Double = d.flipX ? -1 : 1, fy: Double = d.flipY ? -1 : 1
        // Source (u, v) in pixel indices (pixel k's centre at k + 0.5, so index = position - 0.5).
        let du = fx * cosA * d.zoom, dv = fy * -sinA * d.zoom
        // Sources lie within a few image sizes of the image (zoom <= 1.9, shift <= 1): this keeps them positive.
        let offset = Double(8 * (h + w))
        for r in 0..<h {
            let zy = (Double(r) + 0.5 - cy) * d.zoom - d.shiftY
            let zx0 = (0.5 - cx) * d.zoom - d.shiftX
            let u0 = fx * (cosA * zx0 + sinA * zy) + cx - 0.5
            let v0 = fy * (-sinA * zx0 + cosA * zy) + cy - 0.5
            for c in 0..<w {
                let u = u0 + Double(c) * du, v = v0 + Double(c) * dv
                // floor without a libm call: shifted to be positive, truncation is the floor.
                let iu = Int(u + offset) - Int(offset), iv = Int(v + offset) - Int(offset)
                let fu = Float(u - Double(iu)), fv = Float(v - Double(iv))
                let x0 = Self.reflect(iu, w), x1 = Self.reflect(iu + 1, w)
                let y0 = Self.reflect(iv, h), y1 = Self.reflect(iv + 1, h)
                let target = out + (r * w + c) * ch
                let p00 = image + (y0 * w + x0) * ch, p01 = image + (y0 * w + x1) * ch
                let p10 = image + (y1 * w + x0) * ch, p11 = image + (y1 * w + x1) * ch
                if ch == 3 {
                    // Photos: the three channels written out, so the compiler keeps them in registers.
                    let t0 = p00[0] + (p01[0] - p00[0]) * fu, b0 = p10[0] + (p11[0] - p10[0]) * fu
                    let t1 = p00[1] + (p01[1] - p00[1]) * fu, b1 = p10[1] + (p11[1] - p10[1]) * fu
                    let t2 = p00[2] + (p01[2] - p00[2]) * fu, b2 = p10[2] + (p11[2] - p10[2]) * fu
                    target[0] = t0 + (b0 - t0) * fv
                    target[1] = t1 + (b1 - t1) * fv
                    target[2] = t2 + (b2 - t2) * fv
                    continue
                }
                for k in 0..<ch {
                    let top = p00[k] + (p01[k] - p00[k]) * fu
                    let bottom = p10[k] + (p11[k] - p10[k]) * fu
                    target[k] = top + (bottom - top) * fv
                }
            }
        }
        image.update(from: out, count: h * w * ch)
    }
}
