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
}
