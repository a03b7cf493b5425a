import Foundation
@testable import InferKit

/// The lecture's Gaussian peak: 41 points, x = -1, -0.95, ..., 1, sigma = 0.1 (the data of
/// bindings/c/examples/fit_peak.c and demo/demo.py).
enum GaussianPeak {
    static let y: [Double] = [
        0.5189, 0.4477, 0.4587, 0.2559, 0.6800, 0.6144, 0.4675, 0.5774, 0.5281, 0.4446, 0.5978,
        0.4689, 0.4671, 0.4208, 0.5455, 0.4901, 0.5545, 0.4394, 0.5134, 0.4151, 0.6064, 0.6067,
        0.8037, 1.1904, 1.6120, 2.3433, 2.7057, 2.1011, 1.5401, 0.9988, 0.8548, 0.6007, 0.6301,
        0.5766, 0.5217, 0.5285, 0.4830, 0.5868, 0.3870, 0.4578, 0.5243]
    static let x: [Double] = (0..<41).map { -1.0 + 0.05 * Double($0) }
    static let sigma = [Double](repeating: 0.1, count: 41)
    static let start: [Double] = [0.2, 0.2, 1.0, 0.0]
    static let names = ["mu", "sig", "A", "B"]
    static let formula = "A*exp(-0.5*((x-mu)/sig)^2) + B"
    static func model() throws -> Model { try Model(formula, params: names) }

    /// The posterior with known σ and flat priors; the width is kept positive (the model is
    /// even in sig, so the flat prior on ℝ has two mirror-image modes).
    static func posterior(model: (any ParametricModel)? = nil, priors: [String: Prior] = [:]) throws -> Posterior {
        var all = priors
        if all["sig"] == nil { all["sig"] = .flat(lower: 0, upper: .infinity) }
        return try Posterior(model: try model ?? self.model(), x: x, y: y, sigma: sigma, priors: all)
    }

    /// The model as a callback without a Jacobian (finite differences everywhere).
    static func callbackModel(jacobian: Bool = false) throws -> CallbackModel {
        let m = try model()
        let exact: CallbackModel.Jacobian? = jacobian ? { points, p, out in
            try m.jacobian(points, p, values: nil, valuesKnown: false, out)
        } : nil
        return CallbackModel(inputCount: 1, parameterNames: names, evaluate: { points, p, out in
            for i in 0..<points.count {
                let z = (points.rowMajor[i] - p[0]) / p[1]
                out[i] = p[2] * Foundation.exp(-0.5 * z * z) + p[3]
            }
        }, jacobian: exact, finiteDifferences: FiniteDifferences(scheme: .central))
    }

    /// The least-squares fit with absolute sigma and the full-Hessian covariance, from `from`
    /// (the usual start by default).
    static func leastSquares(from: [Double] = start) throws -> LeastSquaresFit {
        let model = try model()
        let storage = x.withUnsafeBufferPointer { DataPointStorage(rowMajor: $0, count: 41, inputCount: 1) }
        let weights = sigma.map { 1 / $0 }
        return try storage.withPoints { points in
            try y.withUnsafeBufferPointer { yb in
                try weights.withUnsafeBufferPointer { wb in
                    let problem = LeastSquaresProblem(model: model, points: points, observations: yb, weights: wb)
                    let solution = try NonlinearLeastSquares.solve(problem, start: from)
                    return try LeastSquaresFit(solution: solution, problem: problem, absoluteSigma: true, laplace: true)
                }
            }
        }
    }

    /// scipy 1.17 curve_fit(absolute_sigma=True, ftol=xtol=gtol=1e-15) on these data.
    static let scipyParameters = [0.29365010534898073, 0.09361853178346805, 2.0378897930996, 0.5122145384471911]
    /// The inverse of the full Hessian of χ²/2 at `scipyParameters`, with the model's second
    /// derivatives by sympy (row-major).
    static let sympyLaplaceCovariance: [Double] = [
        1.2724748214610676e-05, 3.3654127635512978e-07, -2.9553998894066195e-06, -5.0029100872103996e-07,
        3.3654127635512983e-07, 1.7284595630915232e-05, -1.5178789058400044e-04, -2.5694702469989999e-05,
        -2.9553998894066195e-06, -1.5178789058400044e-04, 4.9282180581605196e-03, -1.8591300711048538e-04,
        -5.0029100872103986e-07, -2.5694702469989995e-05, -1.8591300711048538e-04, 3.2921079380357726e-04]
}

/// Central-difference gradient of a log density (step h max(1, |θ_j|)).
func numericGradient(_ d: any LogDensity, _ theta: [Double], step h: Double = 1e-6) throws -> [Double] {
    try theta.indices.map { j in
        var up = theta, down = theta
        let s = h * Swift.max(1, Swift.abs(theta[j]))
        up[j] += s
        down[j] -= s
        return (try d.value(up) - d.value(down)) / (2 * s)
    }
}

/// Central differences of the exact gradient (row-major Hessian).
func numericHessian(_ d: any LogDensity, _ theta: [Double], step h: Double = 1e-5) throws -> [Double] {
    let p = theta.count
    var out = [Double](repeating: 0, count: p * p)
    for k in 0..<p {
        var up = theta, down = theta
        let s = h * Swift.max(1, Swift.abs(theta[k]))
        up[k] += s
        down[k] -= s
        let gu = try d.valueAndGradient(up).gradient, gd = try d.valueAndGradient(down).gradient
        for j in 0..<p { out[j * p + k] = (gu[j] - gd[j]) / (2 * s) }
    }
    return out
}

/// max_i |a_i − b_i| / max(scale, max_i |b_i|).
func maxRelativeError(_ a: [Double], _ b: [Double], scale: Double = 0) -> Double {
    let norm = Swift.max(scale, b.map { Swift.abs($0) }.max() ?? 0)
    return zip(a, b).map { Swift.abs($0 - $1) }.max()! / norm
}

/// The message of the InferKitError `body` throws, or nil.
func errorMessage(_ body: () throws -> Void) -> String? {
    do { try body() } catch let e as InferKitError { return e.message } catch { return "\(error)" }
    return nil
}

/// The InferKitError `body` throws, or nil.
func inferKitError(_ body: () throws -> Void) -> InferKitError? {
    do { try body() } catch let e as InferKitError { return e } catch { return nil }
    return nil
}
