import Foundation
import Testing
@testable import InferKit

@Suite struct SplineTests {
    static func evaluate(_ s: BSpline, _ x: [Double], nu: Int = 0, extrapolate: Bool = true) throws -> [Double] {
        var out = [Double](repeating: 0, count: x.count)
        try x.withUnsafeBufferPointer { xb in
            try out.withUnsafeMutableBufferPointer { try s.evaluate(xb, derivative: nu, extrapolate: extrapolate, into: $0.baseAddress!) }
        }
        return out
    }

    @Test func linearSplineIsPiecewiseLinearInItsCoefficients() throws {
        // k = 1 with knots [0, 0, 1, 3, 3]: hat functions, s(x) interpolates c at 0, 1, 3.
        let s = try BSpline(knots: [0, 0, 1, 3, 3], coefficients: [2, 4, 0], degree: 1)
        let v = try Self.evaluate(s, [0, 0.5, 1, 2, 3])
        for (a, b) in zip(v, [2.0, 3, 4, 2, 0]) { #expect(abs(a - b) < 1e-15) }
        let d = try Self.evaluate(s, [0.5, 2], nu: 1)
        #expect(abs(d[0] - 2) < 1e-15 && abs(d[1] + 2) < 1e-15)
        #expect(abs(try s.integrate(from: 0, to: 3, extrapolate: false) - 7) < 1e-14)
        let outside = try Self.evaluate(s, [-1, 4], extrapolate: false)
        #expect(outside[0].isNaN && outside[1].isNaN)
    }

    @Test func leastSquaresReproducesACubic() throws {
        let x = (0..<200).map { Double($0) / 199 * 10 }
        let y = x.map { 1 - 2 * $0 + 0.3 * $0 * $0 - 0.01 * $0 * $0 * $0 }
        let t = [0.0, 0, 0, 0, 2.5, 5, 7.5, 10, 10, 10, 10]
        let fit = try x.withUnsafeBufferPointer { xb in
            try y.withUnsafeBufferPointer { yb in
                try SplineFit.leastSquares(x: xb, y: yb, weights: nil, knots: t, degree: 3)
            }
        }
        let v = try Self.evaluate(fit.spline, [0.3, 4.4, 9.9])
        for (a, xv) in zip(v, [0.3, 4.4, 9.9]) {
            #expect(abs(a - (1 - 2 * xv + 0.3 * xv * xv - 0.01 * xv * xv * xv)) < 1e-12)
        }
        #expect(fit.chiSquared < 1e-20)
    }

    @Test func schoenbergWhitneyViolationIsSingular() {
        let x = [0.0, 0.1, 0.2, 9.8, 9.9, 10.0]
        let y = [1.0, 2, 3, 4, 5, 6]
        let t = [0.0, 0, 0, 0, 4, 5, 6, 10, 10, 10, 10]
        #expect(throws: (any Error).self) {
            try x.withUnsafeBufferPointer { xb in
                try y.withUnsafeBufferPointer { yb in
                    try SplineFit.leastSquares(x: xb, y: yb, weights: nil, knots: t, degree: 3)
                }
            }
        }
    }

    @Test func interpolationPassesThroughTheDataAndMeetsItsEndConditions() throws {
        let x = [0.0, 0.7, 1.5, 2.0, 3.1, 4.0, 5.2]
        let y = x.map { sin($0) }
        for end in [SplineFit.EndCondition.notAKnot, .natural, .clamped] {
            let s = try x.withUnsafeBufferPointer { xb in
                try y.withUnsafeBufferPointer { try SplineFit.interpolating(x: xb, y: $0, degree: 3, end: end) }
            }
            let v = try Self.evaluate(s, x)
            for (a, b) in zip(v, y) { #expect(abs(a - b) < 1e-13) }
            if end != .notAKnot {
                let d = try Self.evaluate(s, [0, 5.2], nu: end == .natural ? 2 : 1)
                #expect(abs(d[0]) < 1e-12 && abs(d[1]) < 1e-12)
            }
        }
    }

    @Test func knotValidation() {
        #expect(throws: (any Error).self) { try BSpline(knots: [0, 1, 0.5, 2], coefficients: [1, 2], degree: 1) }
        #expect(throws: (any Error).self) { try BSpline(knots: [0, 0, 1, 1, 1, 2, 2], coefficients: [1, 2, 3, 4, 5], degree: 1) }
        #expect(throws: (any Error).self) { try BSpline(knots: [0, 0, 1, 1], coefficients: [1], degree: 1) }
    }

    @Test func tableInterpolation() throws {
        let xp = [0.0, 1, 3], fp = [0.0, 2, 4]
        var out = [Double](repeating: 0, count: 5)
        let x = [-1.0, 0.5, 2, 3, 9]
        try xp.withUnsafeBufferPointer { a in
            try fp.withUnsafeBufferPointer { b in
                try x.withUnsafeBufferPointer { c in
                    try out.withUnsafeMutableBufferPointer { try TableInterpolation.linear(xp: a, fp: b, x: c, into: $0.baseAddress!) }
                }
            }
        }
        #expect(out == [0, 1, 3, 4, 4])
    }
}
