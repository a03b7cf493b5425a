import Foundation
import Testing
@testable import InferKit

/// Deterministic test data: normal deviates (Box-Muller) and Poisson counts (inversion).
struct SimulatedData {
    var random = TestRandom(state: 20261202)
    mutating func normal() -> Double {
        let u = Swift.max(random.next(), 1e-300), v = random.next()
        return (-2 * Foundation.log(u)).squareRoot() * Foundation.cos(2 * Double.pi * v)
    }
    mutating func poisson(_ rate: Double) -> Double {
        var k = 0.0, p = Foundation.exp(-rate), cumulative = p
        let u = random.next()
        while u > cumulative && k < 1000 { k += 1; p *= rate / k; cumulative += p }
        return k
    }
}

@Suite("Posteriors")
struct PosteriorTests {
    static let x: [Double] = (0..<20).map { 0.25 * Double($0) }
    static var decay: (y: [Double], sigma: [Double]) {
        var data = SimulatedData()
        let sigma = x.map { 0.05 + 0.02 * $0 }
        return (zip(x, sigma).map { 2 * Foundation.exp(-0.7 * $0) + 0.3 + $1 * data.normal() }, sigma)
    }

    /// Every likelihood with every prior: values at many points equal values at each, the
    /// gradient matches central differences of the values, and the Hessian matches central
    /// differences of the gradient.
    @Test func gradientsAndHessiansOfEveryLikelihood() throws {
        let model = try Model("a*exp(-b*x) + c", params: ["a", "b", "c"])
        let (y, sigma) = Self.decay
        let counts = Self.x.map { (2 + 3 * Foundation.exp(-0.4 * $0)).rounded() }
        let priors: [String: Prior] = ["a": .normal(mean: 2, sigma: 1), "b": .logNormal(mu: -0.3, sigma: 0.5),
                                       "c": .halfNormal(sigma: 1)]
        let cases: [(String, Posterior, [Double], Double)] = [
            ("Gaussian", try Posterior(model: model, x: Self.x, y: y, sigma: sigma, priors: priors), [1.8, 0.6, 0.35], 1e-6),
            ("Gaussian, free scale", try Posterior(model: model, x: Self.x, y: y, sigma: sigma,
                                                   likelihood: .gaussian(sigma: .free("scale")),
                                                   priors: priors.merging(["scale": .logUniform(lower: 0.01, upper: 10)]) { $1 }),
             [1.8, 0.6, 0.35, 1.3], 1e-6),
            ("Student-t, fixed nu", try Posterior(model: model, x: Self.x, y: y, sigma: sigma,
                                                  likelihood: .studentT(nu: .fixed(4)), priors: priors), [1.8, 0.6, 0.35], 1e-6),
            ("Student-t, free nu and scale", try Posterior(model: model, x: Self.x, y: y, sigma: sigma,
                                                           likelihood: .studentT(nu: .free("nu"), sigma: .free("s")),
                                                           priors: ["nu": .logNormal(mu: 1, sigma: 1), "s": .halfNormal(sigma: 2)]),
             [1.8, 0.6, 0.35, 2.5, 0.8], 1e-6),
            ("Poisson", try Posterior(model: try Model("a*exp(-b*x) + c", params: ["a", "b", "c"]), x: Self.x, y: counts,
                                      likelihood: .poisson, priors: priors), [3.2, 0.45, 1.9], 1e-6),
            ("formula (Laplace noise)", try Posterior(model: model, x: Self.x, y: y, sigma: sigma,
                                                      likelihood: .formula("-abs(f - y)/(w*s) - log(2*w*s)"),
                                                      priors: ["w": .uniform(lower: 0.1, upper: 10)]),
             [1.8, 0.6, 0.35, 1.7], 1e-6),
        ]
        for (name, posterior, theta, tolerance) in cases {
            #expect(posterior.hasExactGradient && posterior.hasExactHessian, "\(name)")
            let (value, gradient) = try posterior.valueAndGradient(theta)
            #expect(try value.isFinite && Swift.abs(value - (try posterior.value(theta))) <= 1e-12 * Swift.abs(value), "\(name)")
            #expect(try Swift.abs(value - (posterior.logLikelihood(theta) + posterior.logPrior(theta))) <= 1e-12 * Swift.abs(value))
            let numeric = try numericGradient(posterior, theta)
            let gradientError = maxRelativeError(gradient, numeric, scale: 1)
            #expect(gradientError < tolerance, "\(name) gradient: \(gradientError)")
            let hessian = try posterior.hessian(at: theta)
            let numericH = try numericHessian(posterior, theta)
            let hessianError = maxRelativeError(hessian, numericH, scale: 1)
            #expect(hessianError < tolerance, "\(name) Hessian: \(hessianError)")
            // Batch values: three points at once.
            let points = theta + theta.map { $0 * 1.01 } + theta.map { $0 * 0.98 }
            var out = [Double](repeating: 0, count: 3)
            try points.withUnsafeBufferPointer { p in try out.withUnsafeMutableBufferPointer { try posterior.values(p, count: 3, into: $0) } }
            for i in 0..<3 {
                #expect(try out[i] == (posterior.value(Array(points[(i * theta.count)..<((i + 1) * theta.count)]))), "\(name) batch")
            }
        }
    }

    /// The closed-form derivatives of the built-in likelihoods against the same densities
    /// written as likelihood formulas (automatic differentiation): equal to rounding.
    @Test func builtInLikelihoodsEqualTheirFormulas() throws {
        let model = try Model("a*exp(-b*x) + c", params: ["a", "b", "c"])
        let (y, sigma) = Self.decay
        let pairs: [(Likelihood, String, [Double])] = [
            (.gaussian(), "-0.5*((y - f)/s)^2 - log(s) - 0.5*log(2*pi)", [1.8, 0.6, 0.35]),
            (.gaussian(sigma: .free("w")), "-0.5*((y - f)/(w*s))^2 - log(w*s) - 0.5*log(2*pi)", [1.8, 0.6, 0.35, 1.4]),
            (.studentT(nu: .fixed(3.5)), "q = (y - f)/s; lgamma(2.25) - lgamma(1.75) - 0.5*log(3.5*pi) - log(s) - 2.25*log(1 + q^2/3.5)",
             [1.8, 0.6, 0.35]),
            (.studentT(nu: .free("w"), sigma: .free("v")),
             "q = (y - f)/(v*s); lgamma((w + 1)/2) - lgamma(w/2) - 0.5*log(w*pi) - log(v*s) - (w + 1)/2*log(1 + q^2/w)",
             [1.8, 0.6, 0.35, 0.6, 2.7]),
        ]
        for (builtIn, formula, theta) in pairs {
            let a = try Posterior(model: model, x: Self.x, y: y, sigma: sigma, likelihood: builtIn)
            let b = try Posterior(model: model, x: Self.x, y: y, sigma: sigma, likelihood: .formula(formula))
            #expect(a.parameterNames == b.parameterNames)  // the scale before ν, as in the formula
            let va = try a.valueAndGradient(theta), vb = try b.valueAndGradient(theta)
            #expect(Swift.abs(va.value - vb.value) < 1e-12 * Swift.abs(va.value), "\(builtIn.name) value")
            #expect(maxRelativeError(va.gradient, vb.gradient, scale: 1) < 1e-12, "\(builtIn.name) gradient")
            let ha = try a.hessian(at: theta), hb = try b.hessian(at: theta)
            let error = maxRelativeError(ha, hb, scale: 1)
            #expect(error < 1e-11, "\(builtIn.name) Hessian: \(error)")
        }
        // A caller's function: the Gaussian again, by differences.
        let function: PointLogLikelihoodFunction = { f, y, s, eta, out in
            for i in 0..<f.count {
                let r = (y[i] - f[i]) / (eta[0] * s[i])
                out[i] = -0.5 * r * r - Foundation.log(eta[0] * s[i]) - halfLogTwoPi
            }
        }
        let byFunction = try Posterior(model: model, x: Self.x, y: y, sigma: sigma, likelihood: .function(function, parameters: ["w"]))
        let builtIn = try Posterior(model: model, x: Self.x, y: y, sigma: sigma, likelihood: .gaussian(sigma: .free("w")))
        #expect(!byFunction.hasExactGradient && !byFunction.hasExactHessian)
        let theta = [1.8, 0.6, 0.35, 1.4]
        let (v1, g1) = try byFunction.valueAndGradient(theta), (v2, g2) = try builtIn.valueAndGradient(theta)
        #expect(Swift.abs(v1 - v2) < 1e-12 * Swift.abs(v2))
        let gradientError = maxRelativeError(g1, g2, scale: 1), hessianError = maxRelativeError(try byFunction.hessian(at: theta), try builtIn.hessian(at: theta), scale: 1)
        #expect(gradientError < 1e-8, "function gradient: \(gradientError)")
        #expect(hessianError < 1e-5, "function Hessian: \(hessianError)")
    }

    /// A constant-rate Poisson model: the MAP under a flat prior is the mean count and the
    /// Laplace variance ȳ/n (the inverse of Σ y/λ²).
    @Test func poissonConstantRate() throws {
        var data = SimulatedData()
        let counts = (0..<40).map { _ in data.poisson(4.2) }
        let mean = counts.reduce(0, +) / 40
        let posterior = try Posterior(model: try Model("lam", inputs: ["x"]), x: [Double](repeating: 0, count: 40), y: counts,
                                      likelihood: .poisson, priors: ["lam": .flat(lower: 0, upper: .infinity)])
        let result = try laplace(posterior, start: [1])
        #expect(result.converged)
        #expect(Swift.abs(result.map[0] - mean) < 1e-12 * mean, "MAP \(result.map[0]) vs mean \(mean)")
        let variance = result.covariance![0, 0]
        #expect(Swift.abs(variance - mean / 40) < 1e-12 * mean / 40)
        // log p(λ̂) = Σ y log ȳ − n ȳ − Σ log y!
        let expected = counts.reduce(0) { $0 + $1 * Foundation.log(mean) - Foundation.lgamma($1 + 1) } - 40 * mean
        #expect(Swift.abs(result.logPosteriorAtMap - expected) < 1e-12 * Swift.abs(expected))
    }

    /// Poisson regression with a log link against an independent Newton solve (IRLS) of the
    /// score equations Σ (y_i − μ_i) x_i = 0, whose Fisher information Σ μ_i x_i x_iᵀ is the
    /// Hessian for this canonical link.
    @Test func poissonRegressionAgainstNewton() throws {
        var data = SimulatedData()
        let x = (0..<60).map { Double($0) / 20 }
        let counts = x.map { data.poisson(Foundation.exp(0.5 + 0.8 * $0)) }
        let posterior = try Posterior(model: try Model("exp(a + b*x)", params: ["a", "b"]), x: x, y: counts, likelihood: .poisson)
        let result = try laplace(posterior, start: [0, 0])
        var beta = [0.0, 0.0]
        var information = [0.0, 0.0, 0.0, 0.0]
        for _ in 0..<50 {
            var score = [0.0, 0.0]
            information = [0, 0, 0, 0]
            for (xi, yi) in zip(x, counts) {
                let mu = Foundation.exp(beta[0] + beta[1] * xi)
                score[0] += yi - mu; score[1] += (yi - mu) * xi
                information[0] += mu; information[1] += mu * xi; information[3] += mu * xi * xi
            }
            information[2] = information[1]
            let det = information[0] * information[3] - information[1] * information[2]
            beta[0] += (information[3] * score[0] - information[1] * score[1]) / det
            beta[1] += (-information[2] * score[0] + information[0] * score[1]) / det
        }
        let det = information[0] * information[3] - information[1] * information[2]
        let covariance = [information[3] / det, -information[1] / det, -information[2] / det, information[0] / det]
        #expect(maxRelativeError(result.map, beta) < 1e-12, "\(result.map) vs \(beta)")
        #expect(maxRelativeError(result.covariance!.elements, covariance) < 1e-10)
        #expect(Swift.abs(result.map[1] - 0.8) < 4 * result.standardErrors[1])
    }

    /// A straight line with three gross outliers: Student-t (ν = 3, known σ) recovers the
    /// line, the Gaussian does not; the log-likelihood equals a hand-written one and the MAP
    /// zeroes its numeric gradient.
    @Test func studentTWithOutliers() throws {
        var data = SimulatedData()
        let x = (0..<30).map { Double($0) / 10 }
        var y = x.map { 1 + 2 * $0 + 0.1 * data.normal() }
        let clean = y
        for i in [4, 15, 22] { y[i] += 3 }
        let sigma = [Double](repeating: 0.1, count: 30)
        let line = try Model("a + b*x", params: ["a", "b"])
        let robust = try Posterior(model: line, x: x, y: y, sigma: sigma, likelihood: .studentT(nu: .fixed(3)))
        let t = try laplace(robust, start: [0, 1])
        let g = try laplace(try Posterior(model: line, x: x, y: y, sigma: sigma), start: [0, 1])
        let reference = try laplace(try Posterior(model: line, x: x, y: clean, sigma: sigma), start: [0, 1])
        #expect(t.converged && g.converged)
        for j in 0..<2 {
            // Student-t on the spoilt data lands within one standard error of the Gaussian fit
            // of the clean data; the Gaussian fit of the spoilt data is many away.
            #expect(Swift.abs(t.map[j] - reference.map[j]) < reference.standardErrors[j], "Student-t MAP \(t.map) vs \(reference.map)")
        }
        #expect(Swift.abs(g.map[0] - reference.map[0]) > 5 * reference.standardErrors[0], "Gaussian MAP \(g.map)")
        func handWritten(_ a: Double, _ b: Double) -> Double {
            var total = 0.0
            for i in 0..<30 {
                let r = (y[i] - a - b * x[i]) / 0.1
                total += Foundation.lgamma(2) - Foundation.lgamma(1.5) - 0.5 * Foundation.log(3 * Double.pi)
                    - Foundation.log(0.1) - 2 * Foundation.log(1 + r * r / 3)
            }
            return total
        }
        for theta in [[0.9, 2.1], t.map, [1.5, 1.0]] {
            let expected = handWritten(theta[0], theta[1])
            #expect(try Swift.abs(robust.logLikelihood(theta) - expected) < 1e-12 * Swift.abs(expected))
        }
        let h = 1e-6
        let da = (handWritten(t.map[0] + h, t.map[1]) - handWritten(t.map[0] - h, t.map[1])) / (2 * h)
        let db = (handWritten(t.map[0], t.map[1] + h) - handWritten(t.map[0], t.map[1] - h)) / (2 * h)
        #expect(Swift.abs(da) < 1e-5 && Swift.abs(db) < 1e-5, "gradient at the MAP: \(da), \(db)")
    }

    /// σ as a free parameter with a flat prior: the MAP is the least-squares line and
    /// σ̂² = Σ (r_i/s_i)²/n (the relative σ scaled by the free factor).
    @Test func gaussianWithFreeSigma() throws {
        let (y, sigma) = Self.decay
        let line = try Model("a + b*x", params: ["a", "b"])
        for relative in [nil, sigma] {
            let posterior = try Posterior(model: line, x: Self.x, y: y, sigma: relative,
                                          likelihood: .gaussian(sigma: .free("sigma")))
            #expect(posterior.parameterNames == ["a", "b", "sigma"])
            #expect(posterior.supports[2] == ParameterSupport(lower: 0, upper: .infinity))
            #expect(posterior.transforms == [.identity, .identity, .lowerBounded(0)])
            let result = try laplace(posterior, start: [0, 0, 1])
            #expect(result.converged, "\(result.message)")
            // Weighted least squares in closed form.
            let w = (relative ?? [Double](repeating: 1, count: 20)).map { 1 / ($0 * $0) }
            let sw = w.reduce(0, +), sx = zip(w, Self.x).reduce(0) { $0 + $1.0 * $1.1 }
            let sxx = zip(w, Self.x).reduce(0) { $0 + $1.0 * $1.1 * $1.1 }
            let sy = zip(w, y).reduce(0) { $0 + $1.0 * $1.1 }
            let sxy = (0..<20).reduce(0.0) { $0 + w[$1] * Self.x[$1] * y[$1] }
            let b = (sw * sxy - sx * sy) / (sw * sxx - sx * sx), a = (sy - b * sx) / sw
            let rss = (0..<20).reduce(0.0) { $0 + w[$1] * pow(y[$1] - a - b * Self.x[$1], 2) }
            let expected = [a, b, (rss / 20).squareRoot()]
            #expect(maxRelativeError(result.map, expected) < 1e-9, "\(result.map) vs \(expected)")
        }
    }

    /// A caller's joint log-prior, as a formula and as a function, adds to the per-parameter
    /// priors with its exact or difference derivatives.
    @Test func customLogPrior() throws {
        let line = try Model("a + b*x", params: ["a", "b"])
        let (y, sigma) = Self.decay
        let formula = try Posterior(model: line, x: Self.x, y: y, sigma: sigma, priors: ["a": .normal(mean: 0, sigma: 3)],
                                    logPrior: .formula("-0.5*((a - 2*b)/0.1)^2"))
        let function = try Posterior(model: line, x: Self.x, y: y, sigma: sigma, priors: ["a": .normal(mean: 0, sigma: 3)],
                                     logPrior: .function({ t in -0.5 * pow((t[0] - 2 * t[1]) / 0.1, 2) }, gradient: nil))
        let withGradient = try Posterior(model: line, x: Self.x, y: y, sigma: sigma, priors: ["a": .normal(mean: 0, sigma: 3)],
                                         logPrior: .function({ t in -0.5 * pow((t[0] - 2 * t[1]) / 0.1, 2) }, gradient: { t in
                                             let z = (t[0] - 2 * t[1]) / 0.1
                                             return (-0.5 * z * z, [-z / 0.1, 2 * z / 0.1])
                                         }))
        #expect(formula.hasExactHessian && !function.hasExactGradient && withGradient.hasExactGradient && !withGradient.hasExactHessian)
        let theta = [0.7, 0.3]
        let expected = -0.5 * pow((0.7 - 0.6) / 0.1, 2) + Prior.normal(mean: 0, sigma: 3).logDensity(0.7).value
        for p in [formula, function, withGradient] {
            #expect(try Swift.abs(p.logPrior(theta) - expected) < 1e-13)
            #expect(try maxRelativeError(p.valueAndGradient(theta).gradient, formula.valueAndGradient(theta).gradient, scale: 1) < 1e-7)
            #expect(try maxRelativeError(p.hessian(at: theta), formula.hessian(at: theta), scale: 1) < 1e-6)
        }
        let result = try laplace(formula, start: [0, 0])
        #expect(result.issues.contains("the evidence takes the custom log-prior to be a normalised density") && !result.evidenceIsProper)
        let unknown = errorMessage { _ = try Posterior(model: line, x: Self.x, y: y, sigma: sigma, logPrior: .formula("-c^2")) }
        #expect(unknown == "the log-prior '-c^2' uses 'c', which is not a parameter of the posterior (its parameters are a, b)")
    }

    /// A callback model: the same values as the formula, gradients by its differences.
    @Test func callbackModelPosterior() throws {
        let exact = try GaussianPeak.posterior()
        let callback = try GaussianPeak.posterior(model: try GaussianPeak.callbackModel())
        let theta = [0.28, 0.11, 1.9, 0.45]
        #expect(try Swift.abs(callback.value(theta) - exact.value(theta)) < 1e-12 * Swift.abs(exact.value(theta)))
        let error = maxRelativeError(try callback.valueAndGradient(theta).gradient, try exact.valueAndGradient(theta).gradient)
        #expect(error < 1e-7, "difference gradient: \(error)")
    }

    /// The unconstrained posterior: exact gradient through the transforms, and points map back.
    @Test func unconstrainedPosterior() throws {
        let (y, sigma) = Self.decay
        let posterior = try Posterior(model: try Model("a*exp(-b*x) + c", params: ["a", "b", "c"]), x: Self.x, y: y, sigma: sigma,
                                      likelihood: .gaussian(sigma: .free("scale")),
                                      priors: ["a": .uniform(lower: 0, upper: 5), "b": .logNormal(mu: 0, sigma: 1),
                                               "c": .normal(mean: 0, sigma: 1)])
        #expect(posterior.transforms == [.interval(lower: 0, upper: 5), .lowerBounded(0), .identity, .lowerBounded(0)])
        let u = try posterior.unconstrained()
        let theta = [1.8, 0.6, 0.35, 1.2]
        let point = try u.unconstrained(theta)
        #expect(maxRelativeError(u.constrained(point), theta) < 1e-15)
        let (value, gradient) = try u.valueAndGradient(point)
        #expect(try Swift.abs(value - (posterior.value(theta) + u.logJacobian(point))) < 1e-12 * Swift.abs(value))
        #expect(try maxRelativeError(gradient, numericGradient(u, point), scale: 1) < 1e-7)
        #expect(u.hasExactGradient)
        // Far out in u the density stays finite or −∞, never NaN.
        for far in [[-40.0, 30, 0, -30], [40.0, -30, 0, 30]] {
            let v = try u.value(far)
            #expect(!v.isNaN, "\(far): \(v)")
        }
    }

    /// Bad inputs: each an InferKitError that names the culprit.
    @Test func badInputs() throws {
        let line = try Model("a + b*x", params: ["a", "b"])
        let x: [Double] = [0, 1, 2, 3], y: [Double] = [1, 2, 3, 4], s: [Double] = [0.1, 0.1, 0.1, 0.1]
        func error(_ body: () throws -> Void) -> InferKitError? { inferKitError(body) }
        #expect(error { _ = try Posterior(model: line, x: x, y: [1, .nan, 3, 4], sigma: s) } == .nonFinite("y[1] is NaN"))
        #expect(error { _ = try Posterior(model: line, x: [0, 1, .infinity, 3], y: y, sigma: s) } == .nonFinite("x[2] is inf"))
        #expect(error { _ = try Posterior(model: line, x: x, y: y, sigma: [0.1, .nan, 0.1, 0.1]) } == .nonFinite("sigma[1] is NaN"))
        #expect(error { _ = try Posterior(model: line, x: x, y: y, sigma: [0.1, 0.1, 0, 0.1]) }
                == .invalidArgument("sigma[2] is 0.0: every sigma must be > 0"))
        #expect(error { _ = try Posterior(model: line, x: x, y: y, sigma: [0.1, 0.1, 0.1, -1]) }
                == .invalidArgument("sigma[3] is -1.0: every sigma must be > 0"))
        #expect(error { _ = try Posterior(model: line, x: x, y: y, sigma: [0.1]) } == .dimensionMismatch("sigma has 1 values but y has 4"))
        #expect(error { _ = try Posterior(model: line, x: [0, 1], y: y, sigma: s) }
                == .dimensionMismatch("x has 2 values but 4 points of 1 input need 4"))
        #expect(error { _ = try Posterior(model: line, x: [], y: [], sigma: []) }
                == .dimensionMismatch("y is empty: a posterior needs at least one data point"))
        let plane = try Model("a + b*u + c*v", inputs: ["u", "v"], params: ["a", "b", "c"])
        #expect(error { _ = try Posterior(model: plane, x: [0, 1, .nan, 2], y: [1, 2], sigma: [1, 1]) } == .nonFinite("x[1, 0] is NaN"))
        #expect(error { _ = try Posterior(model: line, x: x, y: y) } == .invalidArgument(
            "the Gaussian likelihood with known sigma needs sigma (one per point); use sigma: .free(\"sigma\") to estimate a common scale"))
        // Poisson counts.
        let rate = try Model("exp(a + b*x)", params: ["a", "b"])
        #expect(error { _ = try Posterior(model: rate, x: x, y: [1, -1, 3, 4], likelihood: .poisson) }
                == .invalidArgument("y[1] = -1.0 is not a count: the Poisson likelihood needs whole numbers >= 0"))
        #expect(error { _ = try Posterior(model: rate, x: x, y: [1, 2, 2.5, 4], likelihood: .poisson) }
                == .invalidArgument("y[2] = 2.5 is not a count: the Poisson likelihood needs whole numbers >= 0"))
        #expect(error { _ = try Posterior(model: rate, x: x, y: y, sigma: s, likelihood: .poisson) }
                == .invalidArgument("sigma was given but the Poisson likelihood has no sigma: its variance is the rate f"))
        #expect(error { _ = try Posterior(model: line, x: x, y: y, sigma: s, likelihood: .studentT(nu: .fixed(0))) }
                == .invalidArgument("the Student-t degrees of freedom nu = 0.0 must be > 0 and finite"))
        // Priors.
        #expect(error { _ = try Posterior(model: line, x: x, y: y, sigma: s, priors: ["amp": .normal(mean: 0, sigma: 1)]) }
                == .invalidArgument("priors name 'amp', which is not a parameter of the posterior (its parameters are a, b)"))
        #expect(error { _ = try Posterior(model: line, x: x, y: y, sigma: s, priors: ["b": .uniform(lower: 1, upper: 1)]) }
                == .invalidArgument("the prior uniform(lower: 1.0, upper: 1.0) of parameter 'b' is invalid: lower must be below upper"))
        #expect(error { _ = try Posterior(model: line, x: x, y: y, sigma: s, priors: ["a": .normal(mean: 0, sigma: 0)]) }
                == .invalidArgument("the prior normal(mean: 0.0, sigma: 0.0) of parameter 'a' is invalid: sigma must be > 0 and finite"))
        #expect(error { _ = try Posterior(model: line, x: x, y: y, likelihood: .gaussian(sigma: .free("sigma")),
                                          priors: ["sigma": .uniform(lower: -2, upper: -1)]) }
                == .invalidArgument("the prior uniform(lower: -2.0, upper: -1.0) of parameter 'sigma' leaves no value inside its natural support [0.0, inf)"))
        #expect(error { _ = try Posterior(model: line, x: x, y: y, likelihood: .gaussian(sigma: .free("a"))) }
                == .invalidArgument("the likelihood's parameter 'a' has the name of a model parameter: names must be distinct"))
        guard case .parse? = error({ _ = try Posterior(model: line, x: x, y: y, likelihood: .formula("-(f - y")) }) else {
            Issue.record("a broken likelihood formula is a parse error"); return
        }
        // Starts outside the support, or where the likelihood is impossible.
        let counts = try Posterior(model: try Model("a + b*x", params: ["a", "b"]), x: x, y: [1, 2, 0, 4], likelihood: .poisson)
        #expect(error { _ = try laplace(counts, start: [1, -0.5]) } == .invalidArgument(
            "the Poisson rate at data point 3 is -0.5 at start (y = 4.0): a rate must be >= 0, and > 0 where y > 0"))
        let scaled = try Posterior(model: line, x: x, y: y, likelihood: .gaussian(sigma: .free("sigma")),
                                   priors: ["a": .uniform(lower: -1, upper: 1)])
        #expect(error { _ = try laplace(scaled, start: [0, 1, 0]) } == .invalidArgument(
            "start[2] (parameter 'sigma') = 0.0 is outside (0, inf): the likelihood's 'sigma' must be > 0"))
        #expect(error { _ = try laplace(scaled, start: [2, 1, 1]) } == .invalidArgument(
            "start[0] (parameter 'a') = 2.0 is outside the support [-1.0, 1.0] of its prior uniform(lower: -1.0, upper: 1.0)"))
        #expect(error { _ = try scaled.hessian(at: [0, .infinity, 1]) } == .nonFinite("theta[1] (parameter 'b') is inf"))
        // A model that is NaN at a point.
        let root = try Posterior(model: try Model("sqrt(x - a)", params: ["a"]), x: x, y: y, sigma: s)
        #expect(error { _ = try laplace(root, start: [0.5]) } == .invalidArgument("the model is NaN at data point 0 at start"))
        // A failing callback passes its error on.
        let failing = CallbackModel(inputCount: 1, parameterNames: ["a"], evaluate: { _, _, _ in
            throw InferKitError.callbackFailed("the model callback returned 7")
        })
        let broken = try Posterior(model: failing, x: x, y: y, sigma: s)
        #expect(error { _ = try broken.value([1]) } == .callbackFailed("the model callback returned 7"))
        #expect(error { _ = try laplace(broken, start: [1]) } == .callbackFailed("the model callback returned 7"))
    }
}
