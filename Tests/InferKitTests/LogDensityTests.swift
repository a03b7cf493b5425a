import Foundation
import Testing
@testable import InferKit

@Suite("Log densities")
struct LogDensityTests {
    /// A formula's values at many points (vectorised over the points) equal its value at each,
    /// and its gradient is the exact one.
    @Test func formulaValuesAndGradients() throws {
        let d = try FormulaLogDensity("-0.5*(a^2 + (b - a^2)^2/0.01) + log(c)", params: ["a", "b", "c"])
        #expect(d.dimension == 3 && d.parameterNames == ["a", "b", "c"])
        let points: [Double] = [0.1, 0.2, 1.5, -0.7, 0.4, 2.0, 1.2, 1.3, 0.5]
        var out = [Double](repeating: 0, count: 3)
        try points.withUnsafeBufferPointer { p in try out.withUnsafeMutableBufferPointer { try d.values(p, count: 3, into: $0) } }
        for i in 0..<3 {
            let a = points[3 * i], b = points[3 * i + 1], c = points[3 * i + 2]
            let expected = -0.5 * (a * a + (b - a * a) * (b - a * a) / 0.01) + Foundation.log(c)
            #expect(Swift.abs(out[i] - expected) <= 1e-13 * Swift.max(1, Swift.abs(expected)))
            let (v, g) = try d.valueAndGradient([a, b, c])
            #expect(Swift.abs(v - expected) <= 1e-13 * Swift.max(1, Swift.abs(expected)))
            #expect(Swift.abs(g[0] - (-a + 2 * a * (b - a * a) / 0.01)) <= 1e-12 * Swift.max(1, Swift.abs(g[0])))
            #expect(Swift.abs(g[1] - (-(b - a * a) / 0.01)) <= 1e-12 * Swift.max(1, Swift.abs(g[1])))
            #expect(Swift.abs(g[2] - 1 / c) <= 1e-14)
        }
    }

    @Test func closureGradientByDifferences() throws {
        let d = ClosureLogDensity(dimension: 2, values: { p, count, out in
            for i in 0..<count { out[i] = -(p[2 * i] * p[2 * i] + 3 * p[2 * i + 1] * p[2 * i + 1]) }
        })
        let (v, g) = try d.valueAndGradient([0.5, -1.0])
        #expect(v == -3.25)
        #expect(Swift.abs(g[0] + 1) < 1e-8 && Swift.abs(g[1] - 6) < 1e-8)
        #expect(!d.hasExactGradient && d.parameterNames == ["p0", "p1"])
    }
}
