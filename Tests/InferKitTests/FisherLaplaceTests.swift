import Foundation
import Testing
@testable import InferKit

/// Laplace's method with the expected-information (Fisher) Hessian, `LaplaceHessian.fisher`.
@Suite("Laplace's method, Fisher Hessian")
struct FisherLaplaceTests {
    /// The inverse of a symmetric positive definite p × p matrix (row- or column-major alike).
    static func inverse(_ a: [Double], _ p: Int) throws -> [Double] {
        var f = a
        guard try LAPACK.potrf(p, &f) else { throw InferKitError.invalidArgument("not positive definite") }
        try LAPACK.potri(p, &f)
        return f
    }

    /// log det of a symmetric positive definite matrix.
    static func logDeterminant(_ a: [Double], _ p: Int) throws -> Double {
        var f = a
        guard try LAPACK.potrf(p, &f) else { throw InferKitError.invalidArgument("not positive definite") }
        return (0..<p).reduce(0) { $0 + 2 * Foundation.log(f[$1 * p + $1]) }
    }

    /// max_ij |a_ij − b_ij| / √(b_ii b_jj): the difference in units of the standard errors.
    static func covarianceGap(_ a: [Double], _ b: [Double], _ p: Int) -> Double {
        var worst = 0.0
        for i in 0..<p { for j in 0..<p { worst = Swift.max(worst, Swift.abs(a[i * p + j] - b[i * p + j]) / (b[i * p + i] * b[j * p + j]).squareRoot()) } }
        return worst
    }

    /// Jᵀ diag(w) J of a column-major n × m Jacobian (row-major m × m).
    static func weightedGram(_ jacobian: [Double], _ w: [Double], n: Int, m: Int) -> [Double] {
        var g = [Double](repeating: 0, count: m * m)
        for a in 0..<m { for b in 0..<m { for i in 0..<n { g[a * m + b] += jacobian[i + a * n] * w[i] * jacobian[i + b * n] } } }
        return g
    }

    /// The issue's check: on the lecture's noisy peak (Gaussian, known σ, flat priors) the Fisher
    /// covariance is the least-squares fit's Gauss-Newton (JᵀWJ)⁻¹ with absolute σ, curve_fit's.
    @Test func gaussianPeakEqualsGaussNewtonCovariance() throws {
        let posterior = try GaussianPeak.posterior()
        #expect(posterior.hasFisherInformation)
        var options = LaplaceOptions()
        options.hessian = .fisher
        let result = try laplace(posterior, start: GaussianPeak.start, options: options)
        #expect(result.converged && result.covarianceIssue == nil && result.hessianKind == .fisher)
        let covariance = try #require(result.covariance).elements
        // The least-squares fit polished from the MAP (Levenberg-Marquardt from the usual start
        // stops ~3e-9 relative away, where JᵀWJ differs by about as much).
        let fit = try GaussianPeak.leastSquares(from: result.map)
        let gaussNewton = try #require(fit.covariance).elements
        #expect(maxRelativeError(fit.parameters, result.map) < 1e-12)
        let gap = Self.covarianceGap(covariance, gaussNewton, 4)
        #expect(gap < 1e-9, "Fisher Laplace vs LeastSquaresFit (JᵀWJ)⁻¹, absolute σ: \(gap)")
        // At the very same point the Hessians agree to rounding.
        let atFit = try Self.inverse(posterior.fisherHessian(at: fit.parameters).map { -$0 }, 4)
        let sameX = Self.covarianceGap(atFit, gaussNewton, 4)
        #expect(sameX < 1e-11, "at the fit's optimum: \(sameX)")
        // The fit from the usual start, for the record (the README's figure).
        let usual = try GaussianPeak.leastSquares()
        let usualGap = Self.covarianceGap(covariance, try #require(usual.covariance).elements, 4)
        #expect(usualGap < 1e-7, "vs the fit from the usual start: \(usualGap)")
        print("Fisher Laplace vs LeastSquaresFit (JᵀWJ)⁻¹: \(gap) (polished), \(usualGap) (usual start), \(sameX) (same point)")
        // The MAP does not depend on the Hessian; the observed one is unchanged and differs.
        let observed = try laplace(posterior, start: GaussianPeak.start)
        #expect(observed.map == result.map && observed.hessianKind == .observed)
        #expect(maxRelativeError(observed.covariance!.elements, GaussianPeak.sympyLaplaceCovariance) < 1e-7)
        var explicit = LaplaceOptions()
        explicit.hessian = .observed
        #expect(try laplace(posterior, start: GaussianPeak.start, options: explicit).covariance!.elements
                    == observed.covariance!.elements)
        #expect(Self.covarianceGap(observed.covariance!.elements, covariance, 4) > 1e-3)
        // The evidence uses the Fisher Hessian's determinant: log det H = −log det (JᵀWJ)⁻¹.
        let evidence = try #require(result.logEvidence)
        let expected = result.logPosteriorAtMap + 2 * Foundation.log(2 * Double.pi) + 0.5 * (try Self.logDeterminant(gaussNewton, 4))
        #expect(Swift.abs(evidence - expected) < 1e-9, "evidence \(evidence) vs \(expected)")
        #expect(result.logEvidence != observed.logEvidence)
        for j in 0..<4 { #expect(result.standardErrors[j] == covariance[j * 5].squareRoot()) }
    }

    /// A normal prior adds its curvature 1/τ² to the Fisher Hessian, and the covariance is
    /// (JᵀWJ + diag(1/τ²))⁻¹ at the MAP.
    @Test func priorsAddTheirObservedHessian() throws {
        let tau = 0.05
        let flat = try GaussianPeak.posterior()
        let posterior = try GaussianPeak.posterior(priors: ["A": .normal(mean: 2, sigma: tau), "B": .halfNormal(sigma: 1)])
        let theta = [0.29, 0.094, 2.03, 0.51]
        let difference = zip(try posterior.fisherHessian(at: theta), try flat.fisherHessian(at: theta)).map { $0 - $1 }
        var expected = [Double](repeating: 0, count: 16)
        expected[2 * 5] = -1 / (tau * tau)
        expected[3 * 5] = -1  // the half-normal's −1/σ²
        #expect(maxRelativeError(difference, expected) < 1e-12, "\(difference)")
        var options = LaplaceOptions()
        options.hessian = .fisher
        let result = try laplace(posterior, start: GaussianPeak.start, options: options)
        let gauss = try flat.fisherHessian(at: result.map).map { -$0 }
        var precision = gauss
        precision[2 * 5] += 1 / (tau * tau)
        precision[3 * 5] += 1
        let covariance = try #require(result.covariance).elements
        #expect(Self.covarianceGap(covariance, try Self.inverse(precision, 4), 4) < 1e-12)
        // The prior shrinks A's variance below the data's.
        let dataOnly = try Self.inverse(gauss, 4)
        #expect(covariance[2 * 5] < dataOnly[2 * 5] && covariance[2 * 5] < tau * tau)
        #expect(result.evidenceIsProper == false)  // mu and sig are still flat
    }

    /// Poisson: the Fisher covariance is (Jᵀ diag(1/f) J)⁻¹ at the MAP, and the MAP is what
    /// iteratively reweighted least squares (Fisher scoring) converges to.
    @Test func poissonEqualsIterativelyReweightedLeastSquares() throws {
        let model = try Model("a*exp(-x/tau) + c", params: ["a", "tau", "c"])
        let x = (0..<30).map { Double($0) * 0.5 }
        let counts: [Double] = [52, 44, 41, 36, 31, 27, 22, 25, 19, 17, 14, 16, 12, 11, 9, 12, 8, 9, 7, 8,
                                6, 9, 5, 7, 6, 4, 7, 5, 6, 5]
        let posterior = try Posterior(model: model, x: x, y: counts, likelihood: .poisson)
        var options = LaplaceOptions()
        options.hessian = .fisher
        let result = try laplace(posterior, start: [40, 3, 3], options: options)
        #expect(result.converged && result.covarianceIssue == nil, "\(result.issues)")
        // IRLS: θ ← θ + (JᵀWJ)⁻¹ Jᵀ W (y − f), W = diag(1/f).
        var theta = [40.0, 3.0, 3.0]
        var information = [Double](repeating: 0, count: 9)
        for _ in 0..<100 {
            let (f, jacobian) = try model.jacobian(inputs: [x], params: theta)
            let w = f.map { 1 / $0 }
            information = Self.weightedGram(jacobian, w, n: 30, m: 3)
            var step = [Double](repeating: 0, count: 3)
            for a in 0..<3 { for i in 0..<30 { step[a] += jacobian[i + a * 30] * w[i] * (counts[i] - f[i]) } }
            var factor = information
            #expect(try LAPACK.potrf(3, &factor))
            try LAPACK.potrs(3, 1, factor, &step)
            theta = zip(theta, step).map { $0 + $1 }
            if step.enumerated().allSatisfy({ Swift.abs($0.element) <= 1e-14 * Swift.max(1, Swift.abs(theta[$0.offset])) }) { break }
        }
        let (f, jacobian) = try model.jacobian(inputs: [x], params: theta)
        information = Self.weightedGram(jacobian, f.map { 1 / $0 }, n: 30, m: 3)
        let mapError = maxRelativeError(result.map, theta)
        #expect(mapError < 1e-9, "MAP vs IRLS: \(mapError)")
        let gap = Self.covarianceGap(try #require(result.covariance).elements, try Self.inverse(information, 3), 3)
        #expect(gap < 1e-8, "Fisher covariance vs IRLS (JᵀWJ)⁻¹: \(gap)")
        // At the same point exactly.
        let same = maxRelativeError(try posterior.fisherHessian(at: theta).map { -$0 }, information)
        #expect(same < 1e-13, "Fisher information vs Jᵀ diag(1/f) J: \(same)")
        // The observed Hessian differs by Σ (y/f − 1) ∂²f, small but not zero.
        let observed = try laplace(posterior, start: [40, 3, 3])
        #expect(Self.covarianceGap(observed.covariance!.elements, result.covariance!.elements, 3) > 1e-6)
    }

    /// A free Gaussian scale: the model block is Jᵀ diag(1/(s dy_i)²) J, the scale's 2n/s², no
    /// cross terms; with a flat prior on s the MAP has s² = χ²₀/n, so the model block of the
    /// covariance is curve_fit's relative-σ covariance times (n − p)/n.
    @Test func freeScaleGaussianBlocks() throws {
        let dy = (0..<41).map { 0.08 + 0.04 * Double($0 % 3) }
        let posterior = try Posterior(model: try GaussianPeak.model(), x: GaussianPeak.x, y: GaussianPeak.y, sigma: dy,
                                      likelihood: .gaussian(sigma: .free("s")), priors: ["sig": .flat(lower: 0, upper: .infinity)])
        #expect(posterior.parameterNames == GaussianPeak.names + ["s"])
        let theta = [0.29, 0.094, 2.03, 0.51, 1.3]
        let h = try posterior.fisherHessian(at: theta).map { -$0 }
        let (_, jacobian) = try GaussianPeak.model().jacobian(inputs: [GaussianPeak.x], params: Array(theta[0..<4]))
        let gram = Self.weightedGram(jacobian, dy.map { 1 / (1.3 * 1.3 * $0 * $0) }, n: 41, m: 4)
        for a in 0..<4 { for b in 0..<4 { #expect(Swift.abs(h[a * 5 + b] - gram[a * 4 + b]) <= 1e-12 * Swift.abs(gram[a * 4 + b])) } }
        for a in 0..<4 { #expect(h[a * 5 + 4] == 0 && h[4 * 5 + a] == 0) }
        #expect(Swift.abs(h[24] - 2 * 41 / (1.3 * 1.3)) < 1e-12 * h[24])
        // The whole method.
        var options = LaplaceOptions()
        options.hessian = .fisher
        let result = try laplace(posterior, start: GaussianPeak.start + [1], options: options)
        let c = try #require(result.covariance).elements
        let s = result.map[4]
        #expect(Swift.abs(c[24] - s * s / (2 * 41)) < 1e-12 * c[24])
        let model = try GaussianPeak.model()
        let storage = GaussianPeak.x.withUnsafeBufferPointer { DataPointStorage(rowMajor: $0, count: 41, inputCount: 1) }
        let weights = dy.map { 1 / $0 }
        let relative: LeastSquaresFit = try storage.withPoints { points in
            try GaussianPeak.y.withUnsafeBufferPointer { yb in
                try weights.withUnsafeBufferPointer { wb in
                    let problem = LeastSquaresProblem(model: model, points: points, observations: yb, weights: wb)
                    let solution = try NonlinearLeastSquares.solve(problem, start: Array(result.map[0..<4]))
                    return try LeastSquaresFit(solution: solution, problem: problem, absoluteSigma: false)
                }
            }
        }
        #expect(Swift.abs(s * s - relative.chiSquared / 41) < 1e-10 * s * s)
        let scaled = relative.covariance!.elements.map { $0 * 37 / 41 }
        let block = (0..<16).map { c[($0 / 4) * 5 + $0 % 4] }
        let gap = Self.covarianceGap(block, scaled, 4)
        #expect(gap < 1e-9, "model block vs curve_fit relative-σ covariance × (n − p)/n: \(gap)")
    }

    /// Student-t with ν fixed: the model block is (ν+1)/((ν+3)σ_i²) JᵀJ, computed here directly.
    @Test func studentTFixedNu() throws {
        let nu = 4.0
        let posterior = try Posterior(model: try GaussianPeak.model(), x: GaussianPeak.x, y: GaussianPeak.y,
                                      sigma: GaussianPeak.sigma, likelihood: .studentT(nu: .fixed(nu)),
                                      priors: ["sig": .flat(lower: 0, upper: .infinity)])
        var options = LaplaceOptions()
        options.hessian = .fisher
        let result = try laplace(posterior, start: GaussianPeak.start, options: options)
        #expect(result.converged && result.covarianceIssue == nil)
        let (_, jacobian) = try GaussianPeak.model().jacobian(inputs: [GaussianPeak.x], params: result.map)
        var direct = [Double](repeating: 0, count: 16)
        for a in 0..<4 {
            for b in 0..<4 {
                var sum = 0.0
                for i in 0..<41 { sum += jacobian[i + a * 41] * jacobian[i + b * 41] }
                direct[a * 4 + b] = (nu + 1) / ((nu + 3) * 0.1 * 0.1) * sum
            }
        }
        #expect(maxRelativeError(result.hessian.elements, direct) < 1e-13)
        let gap = Self.covarianceGap(result.covariance!.elements, try Self.inverse(direct, 4), 4)
        #expect(gap < 1e-10, "\(gap)")
    }

    /// The per-point closed forms against quadrature of the observed second derivatives over the
    /// likelihood's own density (Gaussian and Student-t with free scale and ν, Poisson): the
    /// Fisher information is E_y[−∂²ℓ], and E_y[∂ℓ] = 0.
    @Test func closedFormsMatchQuadrature() throws {
        typealias Family = AnalyticLikelihood.Family
        let cases: [(Family, NoiseScale, DegreesOfFreedom?, [Double], Double)] = [
            (.gaussian, .free("s"), nil, [1.7], 0.3),
            (.studentT, .free("s"), .free("nu"), [1.7, 4.5], 0.3),
            (.studentT, .known, .free("nu"), [2.5], -0.2),
            (.studentT, .free("s"), .fixed(3), [0.6], 1.1),
            (.poisson, .known, nil, [], 6.5),
        ]
        for (family, scale, nu, eta, f) in cases {
            let k = eta.count
            var mean = PointTerms(points: 1, extras: k, secondOrder: true)
            func accumulate(_ y: Double, weight: Double, density: (AnalyticLikelihood, Double) throws -> Double) throws {
                let single = AnalyticLikelihood(family: family, scale: scale, nu: nu, y: [y], sigma: family == .poisson ? nil : [0.8])
                var t = PointTerms(points: 1, extras: k, secondOrder: true)
                let yb = [y], sb = [family == .poisson ? 1.0 : 0.8], fb = [f], wb = sb.map { 1 / $0 }
                let p = try yb.withUnsafeBufferPointer { y in
                    try sb.withUnsafeBufferPointer { s in
                        try wb.withUnsafeBufferPointer { w in
                            try fb.withUnsafeBufferPointer { fp in
                                try eta.withUnsafeBufferPointer { e in
                                    let data = LikelihoodData(y: y, s: s, w: w)
                                    _ = try single.terms(fp, data, e, secondOrder: true, into: &t)
                                    return try density(single, Foundation.exp(single.sum(fp, data, e)))
                                }
                            }
                        }
                    }
                }
                let w = weight * p
                mean.df[0] += w * t.df[0]
                mean.dfdf[0] += w * t.dfdf[0]
                for j in 0..<k { mean.dfde[j] += w * t.dfde[j] }
                for j in 0..<(k * k) { mean.dede[j] += w * t.dede[j] }
            }
            if family == .poisson {
                for y in 0..<200 { try accumulate(Double(y), weight: 1) { _, p in p } }
            } else {
                // y = f + σ tan u over u ∈ (−π/2, π/2), midpoint rule.
                let c = scale == .known ? 1.0 : eta[0], sigma = c * 0.8, count = 40000
                for q in 0..<count {
                    let u = -Double.pi / 2 + (Double(q) + 0.5) * Double.pi / Double(count)
                    let jacobian = sigma / (Foundation.cos(u) * Foundation.cos(u)) * Double.pi / Double(count)
                    try accumulate(f + sigma * Foundation.tan(u), weight: jacobian) { _, p in p }
                }
            }
            let closed = AnalyticLikelihood(family: family, scale: scale, nu: nu, y: [0], sigma: family == .poisson ? nil : [0.8])
            var expected = PointTerms(points: 1, extras: k, secondOrder: true)
            try [0.0].withUnsafeBufferPointer { y in
                try [family == .poisson ? 1.0 : 0.8].withUnsafeBufferPointer { s in
                    try [1 / s[0]].withUnsafeBufferPointer { w in
                        try [f].withUnsafeBufferPointer { fp in
                            try eta.withUnsafeBufferPointer { e in
                                try closed.expectedTerms(fp, LikelihoodData(y: y, s: s, w: w), e, into: &expected)
                            }
                        }
                    }
                }
            }
            let label = "\(family) \(scale) \(String(describing: nu))"
            #expect(Swift.abs(mean.df[0]) < 1e-8, "\(label): E[dl/df] = \(mean.df[0])")
            #expect(Swift.abs(mean.dfdf[0] - expected.dfdf[0]) < 1e-8 * Swift.abs(expected.dfdf[0]), "\(label): f-f \(mean.dfdf[0]) vs \(expected.dfdf[0])")
            for j in 0..<k { #expect(Swift.abs(mean.dfde[j] - expected.dfde[j]) < 1e-8, "\(label): f-eta[\(j)] \(mean.dfde[j])") }
            for j in 0..<(k * k) {
                #expect(Swift.abs(mean.dede[j] - expected.dede[j]) < 1e-7 * Swift.max(1e-3, Swift.abs(expected.dede[j])),
                        "\(label): eta-eta[\(j)] quadrature \(mean.dede[j]) vs closed form \(expected.dede[j])")
            }
        }
    }

    /// A callback model: the Fisher Hessian needs only the Jacobian (the callback's, or by
    /// differences), and agrees with the formula's.
    @Test func callbackModel() throws {
        var options = LaplaceOptions()
        options.hessian = .fisher
        let exact = try laplace(GaussianPeak.posterior(), start: GaussianPeak.start, options: options)
        for withJacobian in [true, false] {
            let posterior = try GaussianPeak.posterior(model: try GaussianPeak.callbackModel(jacobian: withJacobian))
            #expect(posterior.hasFisherInformation)
            let result = try laplace(posterior, start: GaussianPeak.start, options: options)
            let gap = Self.covarianceGap(result.covariance!.elements, exact.covariance!.elements, 4)
            #expect(gap < (withJacobian ? 1e-8 : 1e-5), "callback (Jacobian \(withJacobian)): \(gap)")
        }
    }

    /// Formula and callback likelihoods have no closed-form information: an error saying which
    /// likelihoods have one, before any work.
    @Test func formulaAndCallbackLikelihoodsAreRejected() throws {
        let formula = try Posterior(model: try GaussianPeak.model(), x: GaussianPeak.x, y: GaussianPeak.y,
                                    likelihood: .formula("-abs(f - y)/b - log(2*b)"))
        let function = try Posterior(model: try GaussianPeak.model(), x: GaussianPeak.x, y: GaussianPeak.y,
                                     likelihood: .function({ f, y, s, eta, out in
                                         for i in 0..<f.count { out[i] = -Swift.abs(f[i] - y[i]) / eta[0] - Foundation.log(2 * eta[0]) }
                                     }, parameters: ["b"]))
        var options = LaplaceOptions()
        options.hessian = .fisher
        for posterior in [formula, function] {
            #expect(!posterior.hasFisherInformation && !posterior.likelihood.hasFisherInformation)
            let error = inferKitError { _ = try laplace(posterior, start: GaussianPeak.start + [0.1], options: options) }
            guard case .invalidArgument(let message)? = error else { Issue.record("\(String(describing: error))"); continue }
            #expect(message.contains("Gaussian, Poisson and Student-t") && message.contains(posterior.likelihood.name), "\(message)")
            let direct = errorMessage { _ = try posterior.fisherHessian(at: [0.29, 0.094, 2.03, 0.51, 0.1]) }
            #expect(direct?.contains("Gaussian, Poisson and Student-t") == true)
            // The observed Hessian still works.
            #expect(try laplace(posterior, start: [0.29, 0.094, 2.03, 0.51, 0.1]).map.count == 5)
        }
    }
}
