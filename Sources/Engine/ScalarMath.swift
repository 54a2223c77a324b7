#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Float math from the C library under engine-local names, so no other engine file
// needs to import Glibc (or Foundation) just for exp and log.
@inline(__always) func expFloat(_ x: Float) -> Float { expf(x) }
@inline(__always) func logFloat(_ x: Float) -> Float { logf(x) }
@inline(__always) func tanhFloat(_ x: Float) -> Float { tanhf(x) }
@inline(__always) func sqrtFloat(_ x: Float) -> Float { sqrtf(x) }
@inline(__always) func powDouble(_ x: Double, _ y: Double) -> Double { pow(x, y) }
@inline(__always) func cosDouble(_ x: Double) -> Double { cos(x) }
@inline(__always) func sinDouble(_ x: Double) -> Double { sin(x) }
