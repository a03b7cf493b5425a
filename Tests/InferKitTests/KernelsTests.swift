import Testing
import InferKitKernels
@testable import InferKit

@Suite("Elementwise kernels")
struct KernelsTests {
    /// The x86-64-v3 build of the tape's arithmetic and square gives the baseline build's bits
    /// (with and without invariant operands, every remainder of the vector loops), and the
    /// arithmetic is the plain IEEE operation except the division by an invariant, a product
    /// with its reciprocal.
    @Test func bothBuildsGiveTheSameBits() {
        var random = TestRandom(state: 4242)
        let n = 301
        let a = (0..<n).map { _ in -5 + 10 * random.next() }, b = (0..<n).map { _ in 0.1 + 3 * random.next() }
        for m in [1, 5, 31, 32, 33, 64, 257, n] {
            for op in 0..<4 {
                for (aInvariant, bInvariant) in [(false, false), (true, false), (false, true)] {
                    var base = [Double](repeating: 0, count: m), wide = base
                    a.withUnsafeBufferPointer { ap in
                        b.withUnsafeBufferPointer { bp in
                            base.withUnsafeMutableBufferPointer {
                                Elementwise.arithmetic(op, ap.baseAddress!, aInvariant, bp.baseAddress!, bInvariant, $0.baseAddress!, m)
                            }
                            if CPUFeatures.x86_64_v3 {
                                wide.withUnsafeMutableBufferPointer {
                                    arithmeticV3(op, ap.baseAddress!, aInvariant, bp.baseAddress!, bInvariant, $0.baseAddress!, m)
                                }
                            }
                        }
                    }
                    let plain = (0..<m).map { i -> Double in
                        let x = aInvariant ? a[0] : a[i], y = bInvariant ? b[0] : b[i]
                        switch op {
                        case 0: return x + y
                        case 1: return x - y
                        case 2: return x * y
                        default: return bInvariant ? x * (1 / y) : x / y
                        }
                    }
                    #expect(base.map(\.bitPattern) == plain.map(\.bitPattern), "op \(op), m \(m)")
                    if CPUFeatures.x86_64_v3 { #expect(wide.map(\.bitPattern) == base.map(\.bitPattern), "op \(op), m \(m)") }
                }
            }
            var base = [Double](repeating: 0, count: m), wide = base
            a.withUnsafeBufferPointer { ap in
                base.withUnsafeMutableBufferPointer { Elementwise.square(ap.baseAddress!, $0.baseAddress!, m) }
                if CPUFeatures.x86_64_v3 { wide.withUnsafeMutableBufferPointer { squareV3(ap.baseAddress!, $0.baseAddress!, m) } }
            }
            #expect(base == (0..<m).map { a[$0] * a[$0] })
            if CPUFeatures.x86_64_v3 { #expect(wide.map(\.bitPattern) == base.map(\.bitPattern)) }
        }
    }

    /// The Gaussian squares and slopes: the same bits in both builds, the four-lane order of
    /// their documentation, within 1e-15 of the quotient form Σ ((y − f)/(c s))².
    @Test func weightedSquaresInBothBuilds() {
        var random = TestRandom(state: 99)
        let n = 1003
        let f = (0..<n).map { _ in random.next() }, y = (0..<n).map { _ in random.next() }
        let s = (0..<n).map { _ in 0.05 + random.next() }, w = s.map { 1 / $0 }
        for m in [1, 3, 4, 5, 31, 32, 33, 1000, n] {
            for c in [1.0, 0.7] {
                var slopes = [Double](repeating: 0, count: m), wideSlopes = slopes
                let base = slopes.withUnsafeMutableBufferPointer {
                    Elementwise.weightedSquares(f, y, w, 1 / c, m, $0.baseAddress)
                }
                var lanes = [0.0, 0.0, 0.0, 0.0]
                for i in 0..<m {
                    let v = w[i] * (1 / c), r = (y[i] - f[i]) * v
                    if i < m & ~3 { lanes[i % 4] += r * r }
                    #expect(slopes[i] == r * v)
                }
                var ordered = (lanes[0] + lanes[1]) + (lanes[2] + lanes[3])
                for i in (m & ~3)..<m { let r = (y[i] - f[i]) * (w[i] * (1 / c)); ordered += r * r }
                #expect(base == ordered)
                let quotient = (0..<m).reduce(0.0) { sum, i in let r = (y[i] - f[i]) / (c * s[i]); return sum + r * r }
                #expect(Swift.abs(base - quotient) <= 1e-15 * quotient * Double(m).squareRoot())
                if CPUFeatures.x86_64_v3 {
                    let wide = wideSlopes.withUnsafeMutableBufferPointer { weightedSquaresV3(f, y, w, 1 / c, m, $0.baseAddress) }
                    #expect(wide.bitPattern == base.bitPattern)
                    #expect(wideSlopes.map(\.bitPattern) == slopes.map(\.bitPattern))
                }
            }
        }
    }
}
