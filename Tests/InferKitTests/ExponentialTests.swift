import Foundation
import Testing
@testable import InferKit

@Suite("Vectorised exp")
struct ExponentialTests {
    /// Units in the last place between a and b.
    private func ulps(_ a: Double, _ b: Double) -> Double {
        if a == b { return 0 }
        return Swift.abs(a - b) / b.ulp
    }

    /// Against glibc over the whole range, the subnormal results, the edges and specials.
    @Test func agreesWithGlibc() {
        var random = TestRandom(state: 12345)
        var worst = 0.0
        for _ in 0..<200_000 {
            let x = -745.2 + 1455.0 * random.next()
            worst = Swift.max(worst, ulps(Exponential.value(x), Foundation.exp(x)))
        }
        for _ in 0..<100_000 {
            let x = -2 + 4 * random.next()
            worst = Swift.max(worst, ulps(Exponential.value(x), Foundation.exp(x)))
        }
        #expect(worst <= 1.0, "worst error \(worst) ulp")
        for x in [0.0, -0.0, 1.0, -1.0, 1e-300, -1e-300, 709.78, 709.782712893383, -708.39, -744.4, -745.13, 0.5 * Double.ulpOfOne] {
            #expect(ulps(Exponential.value(x), Foundation.exp(x)) <= 1, "exp(\(x))")
        }
        #expect(Exponential.value(0) == 1)
        #expect(Exponential.value(710) == .infinity)
        #expect(Exponential.value(.infinity) == .infinity)
        #expect(Exponential.value(-.infinity) == 0)
        #expect(Exponential.value(-746) == 0)
        #expect(Exponential.value(.nan).isNaN)
        #expect(Exponential.value(-745.1) > 0)  // the smallest subnormal range
    }

    /// The array kernel gives the same bits as `value` point by point, in both builds: the
    /// baseline one and, where the processor has it, the x86-64-v3 one (`CPUFeatures`), over
    /// the whole range, the out-of-range arguments mended afterwards and lengths that leave
    /// every remainder of the vector loops.
    @Test func arrayKernelMatchesScalarInBothBuilds() {
        var random = TestRandom(state: 777)
        var x = (0..<4099).map { _ in -760 + 1480 * random.next() }
        x += [.nan, .infinity, -.infinity, 0, -0.0, 709, -708, 709.5, -745.2, Double.leastNormalMagnitude / 8]
        for count in [0, 1, 3, 7, 8, 13, 256, x.count] {
            var fast = [Double](repeating: 0, count: count), baseline = fast
            x.withUnsafeBufferPointer { a in
                fast.withUnsafeMutableBufferPointer { Exponential.evaluate(a.baseAddress!, $0.baseAddress!, count) }
                baseline.withUnsafeMutableBufferPointer { Exponential.evaluate(a.baseAddress!, $0.baseAddress!, count, wide: false) }
            }
            let scalar = x.prefix(count).map { Exponential.value($0) }
            #expect(fast.map(\.bitPattern) == scalar.map(\.bitPattern), "count \(count)")
            #expect(baseline.map(\.bitPattern) == scalar.map(\.bitPattern), "count \(count)")
        }
        // On this project's machines (x86-64 with AVX2) the fast build must be the one in use.
        #if arch(x86_64)
        if let flags = CPUFeatures.cpuFlags(), flags.contains("avx2"), getenv("INFERKIT_BASELINE_ONLY") == nil {
            #expect(CPUFeatures.x86_64_v3)
        }
        #endif
    }
}
