// Sigmoid and tanh eight lanes at a time for the recurrent cells' gate passes, which evaluate
// about five of them per unit and step: the C library's scalar expf and tanhf cost more than
// the products around them (an LSTM 64 over 100 steps calls them 2 million times a batch).

typealias Lanes = SIMD8<Float>

/// e^x for each lane (Cephes's expf: range reduction by ln 2, a degree-6 polynomial; relative
/// error about 1e-7). Inputs are clamped to ±87, where e^x still fits a normal Float.
@inline(__always)
func laneExp(_ x: Lanes) -> Lanes {
    // Clamped by masks: `clamped(lowerBound:upperBound:)` goes through generic pointwiseMin/Max calls.
    var x = x
    x.replace(with: -87, where: x .< -87)
    x.replace(with: 87, where: x .> 87)
    // n = round(x / ln 2), found by adding and removing 1.5 * 2^23, which rounds to an integer.
    let shifter = Lanes(repeating: 12_582_912)
    let shifted = x * 1.442_695_04 + shifter
    let n = shifted - shifter
    let r = x - n * 0.693_359_375 + n * 2.121_944_4e-4
    var p = Lanes(repeating: 1.987_569_15e-4)
    p = p * r + 1.398_199_950_7e-3
    p = p * r + 8.333_451_907_3e-3
    p = p * r + 4.166_579_589_4e-2
    p = p * r + 1.666_666_545_9e-1
    p = p * r + 5.000_000_120_1e-1
    let poly = p * r * r + r + 1
    // 2^n: n sits in the low mantissa bits of `shifted`; move it into the exponent field.
    let bits = unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- unsafeBitCast(shifter, to: SIMD8<Int32>.self)
    let scale = unsafeBitCast((bits &+ 127) &<< 23, to: Lanes.self)
    return poly * scale
}

/// 1 / (1 + e^-x) for each lane.
@inline(__always)
func laneSigmoid(_ x: Lanes) -> Lanes { 1 / (1 + laneExp(-x)) }

/// tanh x = 1 - 2 / (e^2x + 1) for each lane; its absolute error stays near 1e-7 (near 0 its
/// relative error is larger, which no gate or gradient notices).
@inline(__always)
func laneTanh(_ x: Lanes) -> Lanes { 1 - 2 / (laneExp(x + x) + 1) }

@inline(__always)
func loadLanes(_ p: UnsafePointer<Float>) -> Lanes { UnsafeRawPointer(p).loadUnaligned(as: Lanes.self) }

@inline(__always)
func storeLanes(_ v: Lanes, _ p: UnsafeMutablePointer<Float>) { UnsafeMutableRawPointer(p).storeBytes(of: v, as: Lanes.self) }

/// Scalar forms with the same formulas, for the units left over after the last whole vector.
@inline(__always)
func gateSigmoid(_ x: Float) -> Float { laneSigmoid(Lanes(repeating: x))[0] }
@inline(__always)
func gateTanh(_ x: Float) -> Float { laneTanh(Lanes(repeating: x))[0] }

/// `row[j] = f(row[j] + bias[j])` over `count` floats for f = sigmoid (or tanh when `tanh`).
@inline(__always)
func activateGate(_ row: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, count: Int, tanh: Bool) {
    var j = 0
    while j + 8 <= count {
        let z = loadLanes(row + j) + loadLanes(bias + j)
        storeLanes(tanh ? laneTanh(z) : laneSigmoid(z), row + j)
        j += 8
    }
    while j < count {
        row[j] = tanh ? gateTanh(row[j] + bias[j]) : gateSigmoid(row[j] + bias[j])
        j += 1
    }
}
