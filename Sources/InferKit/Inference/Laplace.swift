// Laplace's method (the lecture's "Bayesian Inference – Laplace's Method"; MacKay, Information
// Theory, Inference and Learning Algorithms (2003), ch. 27): the MAP θ* by the optimisers, the
// Hessian H of −log p there (observed, or the expected-information reading), the Gaussian
// approximation N(θ*, H⁻¹) and the evidence log Z ≈ log p(θ*) + (n/2) log 2π − ½ log det H.
import Glibc

/// Which Hessian of −log p at the MAP Laplace's method inverts.
public enum LaplaceHessian: Int32, Sendable, CaseIterable {
    /// The full (observed) Hessian −∇² log p(θ*), the likelihood's and the priors' (exact for
    /// formula models, as the lecture's `jax.hessian`). For a Gaussian likelihood with known σ
    /// it is χ²/2's full Hessian JᵀWJ + Σ_i r_i/σ_i ∂²f_i: the least-squares Laplace covariance.
    case observed = 0
    /// The expected-information reading: the likelihood's Fisher information I(θ*) = E_y[−∇² log L]
    /// (`Posterior.fisherHessian(at:)`: Jᵀ diag(w) J for the model's parameters, closed forms for
    /// a free scale or ν) plus the observed Hessian of −log prior. For a Gaussian with known σ it
    /// is the Gauss-Newton matrix JᵀWJ, so with flat priors the covariance is scipy's curve_fit
    /// covariance with absolute σ. Only for Gaussian, Poisson and Student-t likelihoods.
    case fisher = 1

    /// The name used in messages and by the C and Python layers ("observed", "fisher").
    public var name: String { self == .observed ? "observed" : "fisher" }
}

/// Settings of `laplace`.
public struct LaplaceOptions {
    /// The optimiser. nil: `newton` (exact Hessian, modified Cholesky, line search) when the
    /// posterior's Hessian is exact, `lbfgsb` within the supports otherwise; a Newton run that
    /// does not converge or ends within 1e-6 (relative) of a support's edge is finished by
    /// `lbfgsb` in the supports. Methods that take bounds are given the supports; the others see
    /// −log p = +∞ outside them and back off.
    public var method: MinimizeMethod?
    /// The optimiser's settings (tolerances on −log p and its gradient, budgets, progress).
    public var minimize = MinimizeOptions()
    /// The Hessian at the MAP that gives the covariance and the evidence: `.observed` (the
    /// default) or `.fisher`. The MAP itself does not depend on it.
    public var hessian: LaplaceHessian = .observed

    /// The defaults.
    public init() {}
}

/// The outcome of `laplace`: the MAP and the Gaussian approximation of the posterior there.
public struct LaplaceResult {
    /// Parameter names, in the order of every vector and matrix here.
    public let parameterNames: [String]
    /// The maximum a posteriori point θ* (the optimiser's last accepted point).
    public let map: [Double]
    /// log p(θ*), normalised as the posterior's log density is.
    public let logPosteriorAtMap: Double
    /// The Hessian H of −log p at θ*, p × p, in the reading `hessianKind` names.
    public let hessian: DenseMatrix
    /// Which Hessian H is (`LaplaceOptions.hessian`).
    public let hessianKind: LaplaceHessian
    /// H⁻¹, the covariance of the Gaussian approximation; nil when H is not positive definite
    /// (`covarianceIssue` says why).
    public let covariance: DenseMatrix?
    /// √diag(H⁻¹), NaN without a covariance.
    public let standardErrors: [Double]
    /// The correlation matrix H⁻¹_ij / (σ_i σ_j), nil without a covariance.
    public let correlation: DenseMatrix?
    /// The Laplace evidence log Z ≈ log p(θ*) + (p/2) log 2π − ½ log det H; nil without a
    /// covariance. It is a marginal likelihood only when `evidenceIsProper`.
    public let logEvidence: Double?
    /// True when every parameter has a proper (normalised) prior and there is no caller's
    /// log-prior whose normalisation is unknown.
    public let evidenceIsProper: Bool
    /// The parameters whose prior is flat (improper or unnormalised).
    public let improperPriorParameters: [String]
    /// Why the covariance is missing (H not positive definite or not finite, the MAP at the
    /// edge of a support), naming the parameter; nil when it was computed.
    public let covarianceIssue: String?
    /// The index of the parameter `covarianceIssue` names, if any.
    public let covarianceIssueParameter: Int?
    /// Everything a careful reader should know: the optimiser not converging, a MAP at the edge
    /// of a support, improper priors for the evidence, the covariance issue.
    public let issues: [String]
    /// The optimiser's result.
    public let optimization: MinimizeResult

    /// Why the optimiser stopped.
    public var status: MinimizeStatus { optimization.status }
    /// One sentence saying why the optimiser stopped.
    public var message: String { optimization.message }
    /// True when the optimiser converged.
    public var converged: Bool { optimization.success }
}

/// −log p as the optimisers' objective (+∞ outside the support).
struct NegativeLogPosterior: ScalarObjective {
    let posterior: Posterior
    var dimension: Int { posterior.dimension }
    var hasExactGradient: Bool { posterior.hasExactGradient }
    var hasExactHessian: Bool { posterior.hasExactHessian }

    func value(_ x: [Double]) throws -> Double { -(try posterior.value(x)) }

    func valueAndGradient(_ x: [Double]) throws -> (value: Double, gradient: [Double]) {
        let (v, g) = try posterior.valueAndGradient(x)
        return (-v, g.map { -$0 })
    }

    func valueGradientHessian(_ x: [Double]) throws -> (value: Double, gradient: [Double], hessian: [Double]) {
        let (v, g) = try valueAndGradient(x)
        guard v.isFinite else { return (v, g, [Double](repeating: .nan, count: dimension * dimension)) }
        return (v, g, try posterior.uncheckedHessian(x).map { -$0 })
    }
}

/// Laplace's method: maximises log p from `start`, then approximates the posterior by the
/// Gaussian N(θ*, H⁻¹). With `options.hessian = .observed` (the default) H = −∇² log p(θ*)
/// (exact for formula models: the model's second derivatives by automatic differentiation; by
/// differences for callbacks); with `.fisher` H = I(θ*) − ∇² log π(θ*), the likelihood's
/// expected (Fisher) information plus the priors' observed Hessian
/// (`Posterior.fisherHessian(at:)`). The evidence log Z ≈ log p(θ*) + (p/2) log 2π − ½ log det H
/// uses the chosen H's determinant.
///
/// For a Gaussian likelihood with known σ and flat priors −log p is χ²/2 plus a constant, so
/// the observed covariance equals the full-Hessian (Laplace) covariance of the least-squares fit
/// with absolute σ, and the Fisher covariance equals its Gauss-Newton (JᵀWJ)⁻¹, scipy's
/// `curve_fit(absolute_sigma=True)` covariance; they differ by the residual-weighted second
/// derivatives Σ_i r_i/σ_i ∂²f_i of the model.
///
/// Throws `invalidArgument` for `.fisher` with a formula or callback likelihood (before any
/// work), what `Posterior.checkSupport` throws for `start` (wrong length, NaN, outside a
/// support, log p not finite, each naming the culprit), `minimize`'s errors for bad options,
/// and the model's or the caller's callbacks' errors. A covariance that cannot be computed is
/// not an error: the result says why.
public func laplace(_ posterior: Posterior, start: [Double], options: LaplaceOptions = LaplaceOptions()) throws -> LaplaceResult {
    if options.hessian == .fisher && !posterior.hasFisherInformation {
        throw InferKitError.invalidArgument(
            "hessian fisher: \(Likelihood.noFisherMessage), not for the \(posterior.likelihood.name) likelihood: use the observed Hessian")
    }
    try posterior.checkSupport(start, name: "start")
    let p = posterior.dimension, names = posterior.parameterNames
    let method = options.method ?? (posterior.hasExactHessian ? .newton : .lbfgsb)
    let lower = posterior.supports.map(\.lower), upper = posterior.supports.map(\.upper)
    let box = try Bounds(lower: lower, upper: upper)
    let bounds = method.supportsBounds && box.isConstraining ? box : nil
    let objective = NegativeLogPosterior(posterior: posterior)
    var run = try minimize(objective, x0: start, method: method, bounds: bounds, options: options.minimize)
    // A method without bounds that stopped short, or close to the edge of a support (where
    // −log p = +∞ beyond makes its line search creep), is finished by L-BFGS-B in the box.
    let nearEdge = (0..<p).contains { j in
        [lower[j], upper[j]].contains { $0.isFinite && Swift.abs(run.x[j] - $0) <= 1e-6 * Swift.max(1, Swift.abs($0)) }
    }
    if options.method == nil && bounds == nil && box.isConstraining && (!run.success || nearEdge) {
        let polished = try minimize(objective, x0: box.project(run.x), method: .lbfgsb, bounds: box, options: options.minimize)
        if polished.value <= run.value { run = polished }
    }
    let theta = run.x
    var issues: [String] = []
    if !run.success {
        issues.append("the optimiser stopped before converging (\(run.message)): the point returned is not the MAP")
    }
    // At an edge: on the bound, or next to it with −log p still falling beyond it.
    let gradient = try run.gradient ?? objective.valueAndGradient(theta).gradient
    var edge: (parameter: Int, message: String)? = nil
    for j in 0..<p where edge == nil {
        func atBound(_ b: Double, outward: Double) -> Bool {
            b.isFinite && (theta[j] == b || (Swift.abs(theta[j] - b) <= 1e-10 * Swift.max(1, Swift.abs(b))
                                              && outward * gradient[j] > options.minimize.gtol))
        }
        if atBound(lower[j], outward: 1) || atBound(upper[j], outward: -1) {
            edge = (j, "parameter '\(names[j])' = \(describe(theta[j])) is at the edge of its support \(posterior.supports[j].description) at the MAP: the posterior is cut off there, so Laplace's Gaussian approximation (covariance and evidence) does not hold")
        }
    }
    let logPosterior = -run.value
    let logHessian = options.hessian == .fisher ? try posterior.fisherHessian(at: theta) : try posterior.hessian(at: theta)
    let negative = logHessian.map { -$0 }
    var hessian = DenseMatrix(rows: p, cols: p)
    hessian.elements = negative  // symmetric: row- and column-major agree
    let factor = try edge == nil ? LaplaceFactor(hessian: negative, names: names, kind: options.hessian) : nil
    let issue = edge?.message ?? factor?.issue
    let issueParameter = edge?.parameter ?? factor?.culprit
    if let issue { issues.append(issue) }
    let improper = (0..<p).filter { !posterior.priors[$0].isProper }.map { names[$0] }
    if !improper.isEmpty {
        issues.append("the prior of \(improper.map { "'\($0)'" }.joined(separator: ", ")) is flat (improper or unnormalised): the Laplace evidence depends on its arbitrary normalisation and is not a marginal likelihood")
    }
    if posterior.customPrior != nil {
        issues.append("the evidence takes the custom log-prior to be a normalised density")
    }
    var covariance: DenseMatrix? = nil, correlation: DenseMatrix? = nil, evidence: Double? = nil
    var standardErrors = [Double](repeating: .nan, count: p)
    if let factor, let inverse = factor.inverse {
        var c = DenseMatrix(rows: p, cols: p)
        c.elements = inverse
        standardErrors = (0..<p).map { c[$0, $0].squareRoot() }
        var r = c
        for i in 0..<p { for j in 0..<p { r[i, j] /= standardErrors[i] * standardErrors[j] } }
        covariance = c
        correlation = r
        for j in 0..<p {
            let distance = Swift.min(theta[j] - lower[j], upper[j] - theta[j])
            if distance < 2 * standardErrors[j] {
                issues.append("parameter '\(names[j])' is \(describe((100 * distance / standardErrors[j]).rounded() / 100)) standard errors from the edge of its support \(posterior.supports[j].description): the Gaussian approximation spills over it")
            }
        }
        evidence = logPosterior + 0.5 * Double(p) * Glibc.log(2 * Double.pi) - 0.5 * factor.logDeterminant
    }
    return LaplaceResult(parameterNames: names, map: theta, logPosteriorAtMap: logPosterior, hessian: hessian,
                         hessianKind: options.hessian,
                         covariance: covariance, standardErrors: standardErrors, correlation: correlation,
                         logEvidence: evidence, evidenceIsProper: improper.isEmpty && posterior.customPrior == nil,
                         improperPriorParameters: improper, covarianceIssue: issue,
                         covarianceIssueParameter: issueParameter, issues: issues, optimization: run)
}

/// The Cholesky factorisation of H (−∇² log p at the MAP, or its Fisher reading): its inverse
/// and log det, or which parameter makes it fail.
struct LaplaceFactor {
    /// H⁻¹ (p × p, symmetric), nil when H is not positive definite.
    let inverse: [Double]?
    /// log det H.
    let logDeterminant: Double
    /// Why there is no inverse.
    let issue: String?
    /// The parameter the issue names.
    let culprit: Int?

    init(hessian h: [Double], names: [String], kind: LaplaceHessian = .observed) throws {
        let p = names.count
        let what = kind == .fisher ? "the Fisher-information Hessian of -log p" : "the Hessian of -log p"
        if let j = (0..<(p * p)).first(where: { !h[$0].isFinite }) {
            let (a, b) = (j / p, j % p)
            inverse = nil; logDeterminant = .nan; culprit = a
            issue = "\(what) is \(describe(h[j])) at the MAP (entry of '\(names[a])' and '\(names[b])'): no covariance"
            return
        }
        if let j = (0..<p).first(where: { j in (0..<p).allSatisfy { h[j * p + $0] == 0 } }) {
            inverse = nil; logDeterminant = .nan; culprit = j
            issue = "the posterior does not depend on parameter '\(names[j])' near the MAP (its row of the Hessian is zero): its uncertainty is unbounded, no covariance"
            return
        }
        var factor = h
        if try LAPACK.potrf(p, &factor) {
            var logDet = 0.0
            for j in 0..<p { logDet += 2 * Glibc.log(factor[j + j * p]) }
            try LAPACK.potri(p, &factor)
            inverse = factor; logDeterminant = logDet; issue = nil; culprit = nil
            return
        }
        // Not positive definite: the direction of the smallest eigenvalue names the parameter.
        var vectors = h
        var values = [Double](repeating: 0, count: p)
        try LAPACK.syevd(p, &vectors, &values)
        var worst = 0
        for j in 0..<p where Swift.abs(vectors[j]) > Swift.abs(vectors[worst]) { worst = j }
        inverse = nil; logDeterminant = .nan; culprit = worst
        issue = "\(what) at the MAP is not positive definite (smallest eigenvalue \(describe(values[0])), along a direction dominated by parameter '\(names[worst])'): a saddle point, or the posterior is flat or not peaked along it; no covariance"
    }
}
