// Window extraction for 1-D convolution over NWC series ([steps, channels], channels fastest).
// With dilation 1 a window inside the series is one contiguous run of kernel * channels floats,
// so it is copied as one run; dilated windows copy one run of `channels` floats per tap.

/// Where a kernel of `kernel` taps, `dilation` steps apart, visits a series with a given stride
/// and padding (TensorFlow's `same`: the smaller half of the padding at the start).
struct SeriesWindow: Equatable {
    var steps = 0, channels = 0
    var kernel = 0, stride = 1, dilation = 1
    /// Zero steps before the series (the rest of the padding is after it).
    var padStart = 0
    var outSteps = 0

    /// The output length and the leading padding, or nil when the window does not fit.
    init?(input shape: [Int], kernel: Int, stride: Int, dilation: Int, padding: Padding) {
        precondition(shape.count == 2 && kernel > 0 && stride > 0 && dilation > 0)
        (steps, channels) = (shape[0], shape[1])
        (self.kernel, self.stride, self.dilation) = (kernel, stride, dilation)
        let span = (kernel - 1) * dilation + 1
        switch padding {
        case .valid:
            guard span <= steps else { return nil }
            outSteps = (steps - span) / stride + 1
        case .same:
            outSteps = (steps + stride - 1) / stride
            padStart = SeriesWindow.padding(steps: steps, span: span, stride: stride).start
        }
    }

    init() {}

    /// TensorFlow's `same` padding of a series: total = max((out - 1) * stride + span - steps, 0),
    /// the smaller half at the start. The exports hand these to ONNX and PyTorch.
    static func padding(steps: Int, span: Int, stride: Int) -> (start: Int, end: Int) {
        let total = max(((steps + stride - 1) / stride - 1) * stride + span - steps, 0)
        return (total / 2, total - total / 2)
    }

    /// Scalars in one window: kernel * inC (a row of the column matrix).
    var patchSize: Int { kernel * channels }
    /// Scalars in one input series.
    var inputSize: Int { steps * channels }
}

extension Padding {
    /// Zero steps before and after a series of `steps` for a kernel spanning `span` steps
    /// ((kernel - 1) * dilation + 1); none for `valid`.
    public func seriesPads(steps: Int, span: Int, stride: Int) -> (start: Int, end: Int) {
        self == .same ? SeriesWindow.padding(steps: steps, span: span, stride: stride) : (0, 0)
    }
}

/// x: [batch, steps, inC] -> col: [batch * outSteps, kernel * inC], each row one window laid out
/// [tap, c] (the order of Keras's kernel [kernel, inC, filters] viewed as a matrix); taps
/// outside the series read as zero.
func seriesToColumns(_ x: UnsafePointer<Float>, batch: Int, _ g: SeriesWindow, into col: UnsafeMutablePointer<Float>) {
    let c = g.channels, patch = g.patchSize, d = g.dilation
    var row = col
    for n in 0..<batch {
        let series = x + n * g.inputSize
        for o in 0..<g.outSteps {
            let first = o * g.stride - g.padStart
            if d == 1 && first >= 0 && first + g.kernel <= g.steps {
                copyRun(from: series + first * c, to: row, count: patch)
            } else {
                for tap in 0..<g.kernel {
                    let i = first + tap * d
                    if i >= 0 && i < g.steps {
                        copyRun(from: series + i * c, to: row + tap * c, count: c)
                    } else {
                        (row + tap * c).update(repeating: 0, count: c)
                    }
                }
            }
            row += patch
        }
    }
}

/// dCol: [batch * outSteps, kernel * inC] -> dx: [batch, steps, inC], the adjoint of
/// `seriesToColumns`: every window's gradient is added back onto the steps it was read from
/// (overlapping windows accumulate); padding taps are dropped.
func columnsToSeries(_ col: UnsafePointer<Float>, batch: Int, _ g: SeriesWindow, into x: UnsafeMutablePointer<Float>) {
    let c = g.channels, patch = g.patchSize, d = g.dilation
    x.update(repeating: 0, count: batch * g.inputSize)
    var row = col
    for n in 0..<batch {
        let series = x + n * g.inputSize
        for o in 0..<g.outSteps {
            let first = o * g.stride - g.padStart
            if d == 1 && first >= 0 && first + g.kernel <= g.steps {
                // The taps of an inner window are one contiguous run of the series.
                addRun(from: row, to: series + first * c, count: patch)
                row += patch
                continue
            }
            for tap in 0..<g.kernel {
                let i = first + tap * d
                guard i >= 0 && i < g.steps else { continue }
                addRun(from: row + tap * c, to: series + i * c, count: c)
            }
            row += patch
        }
    }
}
