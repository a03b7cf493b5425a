import Foundation
import Testing
@testable import InferKit

@Suite("Laplace's method")
struct LaplaceTests {
    /// The issue's key check: with a Gaussian likelihood of known σ and flat priors, −log p is
    /// χ²/2 plus a constant, so the Laplace covariance is the least-squares fit's full-Hessian
    /// covariance with absolute σ (to rounding at the same point), and the MAP is the fit.
    @Test func gaussianPeakEqualsLeastSquaresLaplaceCovariance() throws {
        let fit = try GaussianPeak.leastSquares()
        let lsq = try #require(fit.laplaceCovariance)
        let posterior = try GaussianPeak.posterior()
        #expect(posterior.parameterNames == GaussianPeak.names && posterior.hasExactHessian)
        // At the same point: the Hessians agree to rounding.
        let h = try posterior.hessian(at: fit.parameters).map { -$0 }
        var inverse = h
        #expect(try LAPACK.potrf(4, &inverse))
        try LAPACK.potri(4, &inverse)
        let atFit = maxRelativeError(inverse, lsq.elements)
        #expect(atFit < 1e-12, "Laplace covariance at the fit's optimum vs LeastSquaresFit(laplace: true): \(atFit)")
        // The whole method (Newton on −log p, then the Hessian at its own MAP).
        let result = try laplace(posterior, start: GaussianPeak.start)
        #expect(result.converged && result.covarianceIssue == nil)
        // Levenberg-Marquardt stops with a gradient of about 4e-5 (Newton's is 6e-12), so the
        // optima differ by ~3e-9 relative.
        let mapError = maxRelativeError(result.map, fit.parameters)
        #expect(mapError < 1e-8, "MAP vs least squares: \(mapError)")
        let covariance = try #require(result.covariance)
        let full = maxRelativeError(covariance.elements, lsq.elements)
        #expect(full < 1e-8, "laplace() vs LeastSquaresFit Laplace covariance: \(full)")
        // And an independent reference: sympy's second derivatives at scipy's optimum.
        let sympy = maxRelativeError(covariance.elements, GaussianPeak.sympyLaplaceCovariance)
        #expect(sympy < 1e-7, "vs sympy: \(sympy)")
        #expect(maxRelativeError(result.map, GaussianPeak.scipyParameters) < 1e-8)
        for j in 0..<4 {
            #expect(Swift.abs(result.standardErrors[j] - covariance[j, j].squareRoot()) == 0)
            #expect(Swift.abs(result.correlation![j, j] - 1) < 1e-15)
        }
        // Flat priors: the evidence is flagged.
        #expect(!result.evidenceIsProper && result.improperPriorParameters == GaussianPeak.names)
        #expect(posterior.supports[1] == ParameterSupport(lower: 0, upper: .infinity))
        #expect(result.issues.contains { $0.contains("flat") })
        #expect(try Swift.abs(result.logPosteriorAtMap - (posterior.value(result.map))) < 1e-12)
    }

    /// Against the Gauss-Newton (curve_fit) covariance: H_Laplace − JᵀWJ is exactly the
    /// residual-weighted curvature R = Σ_i r_i/σ_i ∂²f_i (computed here by differences of the
    /// exact Jacobian), and the covariances differ by at most the Neumann bound of that term,
    /// ‖C R C‖ / (1 − ‖C R‖) with C the Gauss-Newton covariance.
    @Test func gaussianPeakAgainstGaussNewtonCovariance() throws {
        let fit = try GaussianPeak.leastSquares()
        let gn = try #require(fit.covariance)
        let posterior = try GaussianPeak.posterior()
        let result = try laplace(posterior, start: GaussianPeak.start)
        let laplaceCovariance = try #require(result.covariance)
        let theta = result.map, model = try GaussianPeak.model()
        // R by central differences of the exact Jacobian.
        let values = try model.evaluate(inputs: [GaussianPeak.x], params: theta)
        let r = (0..<41).map { (values[$0] - GaussianPeak.y[$0]) / 0.1 }
        var curvature = [Double](repeating: 0, count: 16)
        for k in 0..<4 {
            var up = theta, down = theta
            let h = 1e-5 * Swift.max(1, Swift.abs(theta[k]))
            up[k] += h
            down[k] -= h
            let ju = try model.jacobian(inputs: [GaussianPeak.x], params: up).jacobian
            let jd = try model.jacobian(inputs: [GaussianPeak.x], params: down).jacobian
            for j in 0..<4 {
                for i in 0..<41 { curvature[j * 4 + k] += r[i] / 0.1 * (ju[i + j * 41] - jd[i + j * 41]) / (2 * h) }
            }
        }
        var gnInverse = gn.elements
        #expect(try LAPACK.potrf(4, &gnInverse))
        try LAPACK.potri(4, &gnInverse)
        let difference = zip(result.hessian.elements, gnInverse).map { $0 - $1 }
        let hessianGap = maxRelativeError(difference, curvature)
        #expect(hessianGap < 1e-6, "H_Laplace − H_GN vs the residual curvature: \(hessianGap)")
        // Covariances, in the metric of C = C_GN (C^½ symmetric): C_L = C^½ (I + M)⁻¹ C^½ with
        // M = C^½ R C^½, so W = C^-½ C_L C^-½ − I = −M (I + M)⁻¹, ‖W‖ <= ‖M‖/(1 − ‖M‖), and
        // W + M = M² (I + M)⁻¹, of second order: ‖W + M‖ <= ‖M‖²/(1 − ‖M‖) (spectral norms).
        func product(_ a: [Double], _ b: [Double]) -> [Double] {
            var out = [Double](repeating: 0, count: 16)
            for i in 0..<4 { for j in 0..<4 { for l in 0..<4 { out[i * 4 + j] += a[i * 4 + l] * b[l * 4 + j] } } }
            return out
        }
        func spectralNorm(_ a: [Double]) throws -> Double {
            var v = a, e = [Double](repeating: 0, count: 4)
            try LAPACK.syevd(4, &v, &e)
            return e.map { Swift.abs($0) }.max()!
        }
        func power(_ a: [Double], _ exponent: Double) throws -> [Double] {
            var v = a, e = [Double](repeating: 0, count: 4)
            try LAPACK.syevd(4, &v, &e)  // columns of v (column-major) are the eigenvectors
            var out = [Double](repeating: 0, count: 16)
            for i in 0..<4 { for j in 0..<4 { for l in 0..<4 { out[i * 4 + j] += v[i + l * 4] * Foundation.pow(e[l], exponent) * v[j + l * 4] } } }
            return out
        }
        let c = gn.elements
        let half = try power(c, 0.5), inverseHalf = try power(c, -0.5)
        let m = product(product(half, curvature), half)
        var w = product(product(inverseHalf, laplaceCovariance.elements), inverseHalf)
        for i in 0..<4 { w[i * 5] -= 1 }
        let normM = try spectralNorm(m), normW = try spectralNorm(w)
        let remainder = try spectralNorm(zip(w, m).map { $0 + $1 })
        #expect(normM < 1 && normW <= normM / (1 - normM), "‖W‖ = \(normW), ‖M‖ = \(normM)")
        #expect(remainder <= normM * normM / (1 - normM), "‖W + M‖ = \(remainder), ‖M‖² = \(normM * normM)")
        let gap = maxRelativeError(laplaceCovariance.elements, c)
        // The residual term is not negligible on this fit (σ of sig differs by about 10%).
        #expect(gap > 1e-3 && normM > 0.05, "relative gap \(gap), ‖M‖ = \(normM)")
    }

    /// Laplace is exact for a linear-Gaussian model: the evidence of y_i = a + b x_i + ε,
    /// ε ~ N(0, σ_i²), with normal priors on a and b equals the closed form
    /// log N(y; X m, Σ + X S Xᵀ).
    @Test func conjugateGaussianEvidence() throws {
        let x: [Double] = [0, 0.5, 1.1, 1.9, 2.4, 3.0, 3.8, 4.1]
        let y: [Double] = [0.9, 1.6, 2.0, 2.9, 3.1, 4.2, 4.8, 5.5]
        let sigma: [Double] = [0.3, 0.2, 0.25, 0.3, 0.4, 0.2, 0.3, 0.35]
        let prior: [String: Prior] = ["a": .normal(mean: 0.5, sigma: 2), "b": .normal(mean: 1, sigma: 0.5)]
        let posterior = try Posterior(model: try Model("a + b*x", params: ["a", "b"]), x: x, y: y, sigma: sigma,
                                      priors: prior)
        let result = try laplace(posterior, start: [0, 0])
        #expect(result.evidenceIsProper && result.improperPriorParameters.isEmpty)
        // Closed form: y ~ N(X m, Σ + X S Xᵀ).
        let n = x.count
        var cov = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for k in 0..<n {
                cov[i * n + k] = 4 + 0.25 * x[i] * x[k] + (i == k ? sigma[i] * sigma[i] : 0)
            }
        }
        var factor = cov
        #expect(try LAPACK.potrf(n, &factor))
        var logDet = 0.0
        for i in 0..<n { logDet += 2 * Foundation.log(factor[i + i * n]) }
        var residual = (0..<n).map { y[$0] - 0.5 - 1 * x[$0] }
        let copy = residual
        try LAPACK.potrs(n, 1, factor, &residual)
        let quadratic = zip(copy, residual).reduce(0) { $0 + $1.0 * $1.1 }
        let exact = -0.5 * quadratic - 0.5 * logDet - 0.5 * Double(n) * Foundation.log(2 * Double.pi)
        let evidence = try #require(result.logEvidence)
        #expect(Swift.abs(evidence - exact) < 1e-10, "Laplace \(evidence) vs closed form \(exact)")
        // The posterior covariance is the conjugate one: (XᵀΣ⁻¹X + S⁻¹)⁻¹.
        var precision = [1 / 4.0, 0, 0, 1 / 0.25]
        for i in 0..<n {
            let w = 1 / (sigma[i] * sigma[i])
            precision[0] += w; precision[1] += w * x[i]; precision[2] += w * x[i]; precision[3] += w * x[i] * x[i]
        }
        let det = precision[0] * precision[3] - precision[1] * precision[2]
        let expected = [precision[3] / det, -precision[1] / det, -precision[2] / det, precision[0] / det]
        #expect(maxRelativeError(result.covariance!.elements, expected) < 1e-12)
    }

    /// A parameter the data do not determine: no covariance, and the message names it.
    @Test func flatDirectionIsNamed() throws {
        let x: [Double] = [0, 1, 2, 3, 4]
        let y: [Double] = [0.1, 1.1, 1.9, 3.2, 3.9]
        // b and c enter only as their sum.
        let posterior = try Posterior(model: try Model("a + (b + c)*x", params: ["a", "b", "c"]), x: x, y: y,
                                      sigma: [Double](repeating: 0.1, count: 5))
        let result = try laplace(posterior, start: [0, 0.5, 0.5])
        #expect(result.covariance == nil && result.logEvidence == nil)
        let issue = try #require(result.covarianceIssue)
        #expect(issue.contains("not positive definite") && (issue.contains("'b'") || issue.contains("'c'")), "\(issue)")
        #expect(result.standardErrors.allSatisfy { $0.isNaN })
        // A parameter the model ignores entirely.
        let ignored = try Posterior(model: try Model("a + b*x + 0*c", params: ["a", "b", "c"]), x: x, y: y,
                                    sigma: [Double](repeating: 0.1, count: 5))
        let second = try laplace(ignored, start: [0, 1, 0])
        #expect(second.covarianceIssue?.contains("does not depend on parameter 'c'") == true)
        #expect(second.covarianceIssueParameter == 2)
    }

    /// A MAP at the edge of a uniform prior: no Gaussian approximation, said so.
    @Test func mapAtTheEdgeOfTheSupport() throws {
        let x: [Double] = [0, 1, 2, 3]
        let y: [Double] = [1.0, 3.1, 4.9, 7.2]
        let posterior = try Posterior(model: try Model("a + b*x", params: ["a", "b"]), x: x, y: y,
                                      sigma: [0.1, 0.1, 0.1, 0.1], priors: ["b": .uniform(lower: 0, upper: 1.5)])
        let result = try laplace(posterior, start: [0, 1])
        #expect(Swift.abs(result.map[1] - 1.5) < 1e-9)
        #expect(result.covariance == nil && result.covarianceIssueParameter == 1)
        #expect(result.covarianceIssue?.contains("edge of its support") == true)
        // An interior MAP half a standard error from the edge: computed, with a warning.
        let mean = try Posterior(model: try Model("mu", inputs: ["x"]), x: [0, 0, 0, 0], y: [0.9, -0.5, 0.6, 0.2],
                                 sigma: [1, 1, 1, 1], priors: ["mu": .uniform(lower: 0, upper: 10)])
        let near = try laplace(mean, start: [1])
        #expect(Swift.abs(near.map[0] - 0.3) < 1e-12 && Swift.abs(near.standardErrors[0] - 0.5) < 1e-12)
        #expect(near.covarianceIssue == nil)
        #expect(near.issues.contains { $0.contains("0.6 standard errors from the edge") }, "\(near.issues)")
    }

    /// Laplace on a callback model (differences) agrees with the formula's exact one.
    @Test func callbackModelByDifferences() throws {
        let exact = try laplace(GaussianPeak.posterior(), start: GaussianPeak.start)
        for withJacobian in [false, true] {
            let posterior = try GaussianPeak.posterior(model: try GaussianPeak.callbackModel(jacobian: withJacobian))
            #expect(!posterior.hasExactHessian && posterior.hasExactGradient == withJacobian)
            let result = try laplace(posterior, start: GaussianPeak.start)
            #expect(result.converged, "\(result.message)")
            let mapError = maxRelativeError(result.map, exact.map)
            let covarianceError = maxRelativeError(result.covariance!.elements, exact.covariance!.elements)
            #expect(mapError < 1e-6, "callback (Jacobian \(withJacobian)) MAP: \(mapError)")
            #expect(covarianceError < (withJacobian ? 1e-6 : 1e-4),
                    "callback (Jacobian \(withJacobian)) covariance: \(covarianceError)")
        }
    }

    @Test func badStarts() throws {
        let posterior = try Posterior(model: try GaussianPeak.model(), x: GaussianPeak.x, y: GaussianPeak.y,
                                      sigma: GaussianPeak.sigma, priors: ["sig": .halfNormal(sigma: 1)])
        let outside = errorMessage { _ = try laplace(posterior, start: [0.2, -0.1, 1, 0]) }
        #expect(outside?.contains("start[1] (parameter 'sig') = -0.1 is outside the support") == true, "\(outside ?? "")")
        let nan = inferKitError { _ = try laplace(posterior, start: [0.2, .nan, 1, 0]) }
        #expect(nan == .nonFinite("start[1] (parameter 'sig') is NaN"))
        let short = inferKitError { _ = try laplace(posterior, start: [0.2, 0.1]) }
        guard case .dimensionMismatch(let m)? = short else { Issue.record("\(String(describing: short))"); return }
        #expect(m.contains("start has 2 values"))
    }
}
