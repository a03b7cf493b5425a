import Foundation
import Testing
@testable import InferKit

/// Composite Simpson's rule of `f` on [a, b] with `intervals` (even) pieces.
func simpson(_ a: Double, _ b: Double, intervals: Int = 20_000, _ f: (Double) -> Double) -> Double {
    let h = (b - a) / Double(intervals)
    var total = f(a) + f(b)
    for i in 1..<intervals { total += (i % 2 == 1 ? 4 : 2) * f(a + Double(i) * h) }
    return total * h / 3
}

@Suite("Priors and transforms")
struct PriorTransformTests {
    static let sqrt2pi = (2 * Double.pi).squareRoot()

    /// Each prior's log density against its closed form, its derivatives against central
    /// differences of that closed form, and its normalisation by numeric integration.
    @Test func priorsAgainstClosedForms() throws {
        let cases: [(Prior, (Double) -> Double, [Double], (Double, Double))] = [
            (.uniform(lower: -1, upper: 3), { _ in 0.25 }, [-0.5, 0, 2.9], (-1, 3)),
            (.normal(mean: 1.5, sigma: 0.7), { x in Foundation.exp(-0.5 * pow((x - 1.5) / 0.7, 2)) / (0.7 * Self.sqrt2pi) },
             [-1, 0.3, 1.5, 4], (1.5 - 12 * 0.7, 1.5 + 12 * 0.7)),
            (.logNormal(mu: 0.2, sigma: 0.5), { x in
                Foundation.exp(-0.5 * pow((Foundation.log(x) - 0.2) / 0.5, 2)) / (x * 0.5 * Self.sqrt2pi)
            }, [0.3, 1, 2.5], (0, 40)),
            (.halfNormal(sigma: 2), { x in 2 * Foundation.exp(-0.5 * x * x / 4) / (2 * Self.sqrt2pi) }, [0.1, 1, 5], (0, 24)),
            (.logUniform(lower: 0.01, upper: 100), { x in 1 / (x * Foundation.log(1e4)) }, [0.02, 1, 50], (0.01, 100)),
        ]
        for (prior, density, points, range) in cases {
            #expect(prior.isProper)
            try prior.validate(parameter: "p")
            for x in points {
                let (v, d1, d2) = prior.logDensity(x)
                let exact = Foundation.log(density(x))
                #expect(Swift.abs(v - exact) < 1e-13 * Swift.max(1, Swift.abs(exact)), "\(prior.description) at \(x)")
                let h = 1e-4 * Swift.max(1e-2, Swift.abs(x))
                let up = Foundation.log(density(x + h)), down = Foundation.log(density(x - h))
                let first = (up - down) / (2 * h), second = (up - 2 * exact + down) / (h * h)
                #expect(Swift.abs(d1 - first) < 1e-6 * Swift.max(1, Swift.abs(first)), "\(prior.description)' at \(x): \(d1) vs \(first)")
                #expect(Swift.abs(d2 - second) < 1e-4 * Swift.max(1, Swift.abs(second)), "\(prior.description)'' at \(x): \(d2) vs \(second)")
            }
            // Normalised: ∫ p = 1 (log-uniform and log-normal integrated in log θ).
            let logScale: Bool
            switch prior { case .logNormal, .logUniform: logScale = true; default: logScale = false }
            let mass = logScale
                ? simpson(Foundation.log(Swift.max(range.0, 1e-12)), Foundation.log(range.1)) { u in
                    // exp(log b) may round past b: clamp into the range.
                    let x = Swift.min(Swift.max(Foundation.exp(u), range.0), range.1)
                    return Foundation.exp(u + prior.logDensity(x).value) }
                : simpson(range.0, range.1) { Foundation.exp(prior.logDensity($0).value) }
            #expect(Swift.abs(mass - 1) < 1e-9, "\(prior.description) integrates to \(mass)")
        }
        // Outside the supports.
        #expect(Prior.uniform(lower: 0, upper: 1).logDensity(1.5).value == -.infinity)
        #expect(Prior.logNormal(mu: 0, sigma: 1).logDensity(0).value == -.infinity)
        #expect(Prior.halfNormal(sigma: 1).logDensity(-1e-300).value == -.infinity)
        #expect(Prior.logUniform(lower: 1, upper: 2).logDensity(0.5).value == -.infinity)
        #expect(Prior.flat(lower: 0, upper: .infinity).logDensity(3) == (0, 0, 0))
        #expect(!Prior.improper.isProper && Prior.improper.support == .real)
        #expect(Prior.halfNormal(sigma: 1).support.transform == .lowerBounded(0))
        #expect(Prior.uniform(lower: -1, upper: 2).support.transform == .interval(lower: -1, upper: 2))
    }

    @Test func badPriorArguments() {
        let cases: [(Prior, String)] = [
            (.uniform(lower: 2, upper: 2), "lower must be below upper"),
            (.uniform(lower: 3, upper: 1), "lower must be below upper"),
            (.uniform(lower: 0, upper: .infinity), "both bounds must be finite"),
            (.normal(mean: 0, sigma: 0), "sigma must be > 0"),
            (.normal(mean: 0, sigma: -1), "sigma must be > 0"),
            (.normal(mean: .infinity, sigma: 1), "location must be finite"),
            (.logNormal(mu: 0, sigma: 0), "sigma must be > 0"),
            (.halfNormal(sigma: -2), "sigma must be > 0"),
            (.logUniform(lower: 0, upper: 1), "lower must be > 0"),
            (.logUniform(lower: 2, upper: 1), "lower must be below upper"),
            (.logUniform(lower: 1, upper: .infinity), "upper must be finite"),
            (.flat(lower: 1, upper: 0), "lower must be below upper"),
        ]
        for (prior, reason) in cases {
            let e = inferKitError { try prior.validate(parameter: "amp") }
            guard case .invalidArgument(let message)? = e else { Issue.record("\(prior.description): \(String(describing: e))"); continue }
            #expect(message.contains("parameter 'amp'") && message.contains(reason) && message.contains(prior.description), "\(message)")
        }
        let nan = inferKitError { try Prior.normal(mean: .nan, sigma: 1).validate(parameter: "mu") }
        #expect(nan == .nonFinite("the prior normal(mean: NaN, sigma: 1.0) of parameter 'mu' has a NaN argument"))
    }

    /// log|T'(u)| against differences of T, the inverse, and the change of variables: the
    /// density of u integrates to the mass of θ.
    @Test func transformsAndTheirJacobians() throws {
        let transforms: [ParameterTransform] = [.identity, .lowerBounded(-2), .upperBounded(3), .interval(lower: -1, upper: 4)]
        for t in transforms {
            for u in [-30.0, -3, -0.4, 0, 0.7, 2.5, 30] {
                let c = t.constrain(u)
                let h = 1e-6
                let slope = (t.constrain(u + h).value - t.constrain(u - h).value) / (2 * h)
                #expect(Swift.abs(c.derivative - slope) <= 1e-7 * Swift.max(Swift.abs(slope), 1e-300) || Swift.abs(u) == 30,
                        "\(t) at \(u): \(c.derivative) vs \(slope)")
                #expect(Swift.abs(c.logJacobian - Foundation.log(Swift.abs(c.derivative))) < 1e-12 * Swift.max(1, Swift.abs(c.logJacobian)))
                let jacobianSlope = (t.constrain(u + h).logJacobian - t.constrain(u - h).logJacobian) / (2 * h)
                #expect(Swift.abs(c.logJacobianDerivative - jacobianSlope) < 1e-7, "\(t) log-Jacobian slope at \(u)")
                if Swift.abs(u) < 20 {
                    #expect(Swift.abs(t.unconstrain(c.value) - u) < 1e-12 * Swift.max(1, Swift.abs(u)), "\(t) round trip at \(u)")
                }
                let s = t.support
                #expect(c.value >= s.lower && c.value <= s.upper)
            }
        }
        #expect(ParameterTransform.interval(lower: 0, upper: 1).unconstrain(1.5).isNaN)
        #expect(ParameterTransform.lowerBounded(0).unconstrain(-1).isNaN)
        // Change of variables: ∫ p(T(u)) |T'(u)| du = ∫ p(θ) dθ = 1 for normalised priors.
        let pairs: [(Prior, ParameterTransform)] = [
            (.logNormal(mu: 0.3, sigma: 0.8), .lowerBounded(0)),
            (.halfNormal(sigma: 1.5), .lowerBounded(0)),
            (.uniform(lower: -1, upper: 4), .interval(lower: -1, upper: 4)),
            (.logUniform(lower: 0.1, upper: 10), .interval(lower: 0.1, upper: 10)),
        ]
        for (prior, t) in pairs {
            #expect(prior.support.transform == t)
            let mass = simpson(-40, 40, intervals: 40_000) { u in
                let c = t.constrain(u)
                return Foundation.exp(prior.logDensity(c.value).value + c.logJacobian)
            }
            #expect(Swift.abs(mass - 1) < 1e-8, "\(prior.description) through \(t): mass \(mass)")
        }
        let bad = inferKitError { _ = try TransformedLogDensity(try FormulaLogDensity("-a^2"), transforms: [.interval(lower: 1, upper: 1)]) }
        #expect(bad == .invalidArgument("the transform of parameter 'a' maps onto (1.0, 1.0): the bounds must be finite with lower < upper"))
        let count = inferKitError { _ = try TransformedLogDensity(try FormulaLogDensity("-a^2"), transforms: []) }
        #expect(count == .dimensionMismatch("transforms has 0 entries but the density has 1 parameters"))
    }

    /// A transformed density: values (one and many points) and its gradient against
    /// differences.
    @Test func transformedLogDensity() throws {
        let base = try FormulaLogDensity("-0.5*((a - 1)/0.3)^2 - b + 2*log(b) + log(c) + log(1 - c)", params: ["a", "b", "c"])
        let t = try TransformedLogDensity(base, transforms: [.identity, .lowerBounded(0), .interval(lower: 0, upper: 1)])
        let us: [[Double]] = [[0.2, 0.1, -0.3], [1.5, -1.2, 2.0], [-0.7, 0.9, 0.4]]
        var flat = us.flatMap { $0 }
        var out = [Double](repeating: 0, count: 3)
        try flat.withUnsafeMutableBufferPointer { p in
            try out.withUnsafeMutableBufferPointer { try t.values(UnsafeBufferPointer(p), count: 3, into: $0) }
        }
        for (i, u) in us.enumerated() {
            let theta = t.constrained(u)
            let expected = try base.value(theta) + t.logJacobian(u)
            #expect(Swift.abs(out[i] - expected) < 1e-12 * Swift.max(1, Swift.abs(expected)))
            let (v, g) = try t.valueAndGradient(u)
            #expect(Swift.abs(v - expected) < 1e-12 * Swift.max(1, Swift.abs(expected)))
            let numeric = try numericGradient(t, u)
            #expect(maxRelativeError(g, numeric, scale: 1) < 1e-8, "\(g) vs \(numeric)")
            #expect(maxRelativeError(try t.unconstrained(theta), u, scale: 1) < 1e-12)
        }
        flat = []
        let outside = errorMessage { _ = try t.unconstrained([0, -1, 0.5]) }
        #expect(outside == "theta[1] (parameter 'b') = -1.0 is not inside the open interval (0.0, inf) of its transform")
    }
}
