// A posterior built from a model of data: log p(θ, η | y) = Σ_i ℓ(f(x_i; θ), y_i, σ_i; η)
// + Σ_j log π_j(θ_j) + (a caller's joint log-prior), up to the evidence. It is a `LogDensity`
// (the samplers take it), with the exact gradient for models with exact Jacobians and the
// exact Hessian for formulas (Laplace's method, PosteriorDerivatives.swift).
import CLapack

/// The posterior density of a model's parameters given data.
///
/// Parameters: the model's (in its order) followed by the likelihood's own (a free noise
/// scale, a free ν, a likelihood formula's extra names). Each may have a `Prior`; one without
/// gets the flat improper prior on its natural support (ℝ, or (0, ∞) for a scale or ν), which
/// makes the posterior an unnormalised density whose evidence is undefined (the Laplace result
/// says so). Outside the support the log density is −∞.
///
/// The log density is normalised in y: it includes every constant of the likelihood
/// (−½ log 2π − log σ_i for Gaussians, −log y_i! for counts) and of the priors, so that Laplace's
/// evidence is the marginal likelihood.
///
/// Thread safety: evaluation only reads, so one posterior may be evaluated from several
/// threads at once when its model and the caller's closures (if any) allow it.
public struct Posterior: LogDensity, @unchecked Sendable {
    /// The model of the data.
    public let model: any ParametricModel
    /// The likelihood as given.
    public let likelihood: Likelihood
    /// All parameter names: the model's, then the likelihood's own.
    public let parameterNames: [String]
    /// The prior of each parameter (`Prior.improper`, or flat on (0, ∞) for a scale or ν,
    /// where none was given).
    public let priors: [Prior]
    /// Where each parameter may lie: its prior's support within its natural one.
    public let supports: [ParameterSupport]
    /// Number of the model's parameters (the first ones).
    public let modelParameterCount: Int
    /// True for each parameter that was given a prior (per parameter; the custom log-prior is
    /// not counted).
    public let hasPrior: [Bool]
    let data: PosteriorData
    let terms: any PointLikelihood
    let customPrior: CompiledLogPrior?
    /// log π_j inside the support for uniform and flat priors (nil for the others): the value
    /// `priors[j].logDensity` returns there, computed once instead of at every evaluation.
    let constantLogPriors: [Double?]

    /// A posterior of `model` at the data points `x` (row-major n × k, k = model.inputCount;
    /// empty for a model without inputs), observations `y` (n values) and optional σ (n
    /// values > 0: absolute errors, or relative ones under a free noise scale; the σ_i `s` of a
    /// caller's likelihood, 1 when absent).
    ///
    /// `priors` maps parameter names to priors; `logPrior` adds a caller's joint log-prior.
    ///
    /// Throws `dimensionMismatch` when y is empty or x or sigma have the wrong length;
    /// `nonFinite` naming the element for NaN or infinite x, y or sigma ("y[17] is NaN");
    /// `invalidArgument` for sigma[i] <= 0, for sigma missing under a known-σ Gaussian or
    /// Student-t or given with the Poisson likelihood, for Poisson counts that are negative or
    /// not whole, for ν <= 0, for a prior naming an unknown parameter or with bad arguments
    /// (naming both), for a prior whose support misses a scale's (0, ∞), or for clashing
    /// names; and the model language's errors for formulas.
    public init(model: any ParametricModel, x: [Double], y: [Double], sigma: [Double]? = nil,
                likelihood: Likelihood = .gaussian(), priors: [String: Prior] = [:],
                logPrior: CustomLogPrior? = nil) throws {
        let n = y.count, k = model.inputCount
        guard n > 0 else { throw InferKitError.dimensionMismatch("y is empty: a posterior needs at least one data point") }
        guard x.count == n * k else {
            throw InferKitError.dimensionMismatch(
                "x has \(x.count) values but \(n) points of \(k) input\(k == 1 ? "" : "s") need \(n * k)")
        }
        for (index, v) in x.enumerated() where !v.isFinite {
            throw InferKitError.nonFinite(k == 1 ? "x[\(index)] is \(describe(v))" : "x[\(index / k), \(index % k)] is \(describe(v))")
        }
        for (i, v) in y.enumerated() where !v.isFinite { throw InferKitError.nonFinite("y[\(i)] is \(describe(v))") }
        if let sigma {
            guard sigma.count == n else {
                throw InferKitError.dimensionMismatch("sigma has \(sigma.count) values but y has \(n)")
            }
            for (i, v) in sigma.enumerated() {
                if !v.isFinite { throw InferKitError.nonFinite("sigma[\(i)] is \(describe(v))") }
                if !(v > 0) { throw InferKitError.invalidArgument("sigma[\(i)] is \(describe(v)): every sigma must be > 0") }
            }
        }
        let compiled = try likelihood.compile(y: y, sigma: sigma, modelParameters: model.parameterNames)
        let names = model.parameterNames + compiled.extraNames
        let natural = [ParameterSupport](repeating: .real, count: model.parameterCount) + compiled.extraSupports
        for name in priors.keys.sorted() where !names.contains(name) {
            throw InferKitError.invalidArgument(
                "priors name '\(name)', which is not a parameter of the posterior (its parameters are \(names.joined(separator: ", ")))")
        }
        var chosen: [Prior] = []
        var supports: [ParameterSupport] = []
        for (j, name) in names.enumerated() {
            let prior = priors[name] ?? Prior.flat(lower: natural[j].lower, upper: natural[j].upper)
            try prior.validate(parameter: name)
            let support = prior.support.intersection(natural[j])
            guard support.lower < support.upper else {
                throw InferKitError.invalidArgument(
                    "the prior \(prior.description) of parameter '\(name)' leaves no value inside its natural support \(natural[j].description)")
            }
            chosen.append(prior)
            supports.append(support)
        }
        self.model = model
        self.likelihood = likelihood
        parameterNames = names
        self.priors = chosen
        self.supports = supports
        modelParameterCount = model.parameterCount
        hasPrior = names.map { priors[$0] != nil }
        constantLogPriors = zip(chosen, supports).map { prior, support in
            switch prior {
            case .uniform, .flat: return prior.logDensity(support.lower).value
            default: return nil
            }
        }
        data = x.withUnsafeBufferPointer { PosteriorData(x: $0, inputCount: k, y: y, sigma: sigma) }
        terms = compiled
        customPrior = try logPrior.map { try CompiledLogPrior($0, names: names) }
    }

    /// Number of parameters.
    public var dimension: Int { parameterNames.count }
    /// Number of data points n.
    public var pointCount: Int { data.count }
    /// True when the gradient is exact: the model's Jacobian, the likelihood's derivatives and
    /// the custom log-prior's gradient all are.
    public var hasExactGradient: Bool {
        model.hasExactJacobian && terms.isExact && (customPrior?.hasExactGradient ?? true)
    }
    /// True when `hessian(at:)` is exact: a formula model with a built-in or formula
    /// likelihood and no custom log-prior function.
    public var hasExactHessian: Bool {
        model is Model && terms.isExact && (customPrior?.hasExactHessian ?? true)
    }
    /// The transforms from ℝ onto each parameter's support (`ParameterSupport.transform`).
    public var transforms: [ParameterTransform] { supports.map(\.transform) }

    /// This posterior in the unconstrained space of `transforms` (for HMC/NUTS).
    public func unconstrained() throws -> TransformedLogDensity {
        try TransformedLogDensity(self, transforms: transforms)
    }

    // MARK: - Evaluation

    /// Σ_j log π_j(θ_j) plus the custom log-prior; −∞ outside the support.
    func logPrior(_ theta: UnsafeBufferPointer<Double>) throws -> Double {
        var total = 0.0
        for j in 0..<dimension {
            let t = theta[j]
            // Outside the support (or NaN) first: no prior is evaluated there.
            if !(t >= supports[j].lower && t <= supports[j].upper) { return -.infinity }
            // Inside its support a uniform or flat prior is its constant, computed once.
            total += constantLogPriors[j] ?? priors[j].logDensity(t).value
        }
        guard total > -.infinity else { return total }
        if let customPrior { total += try customPrior.value(theta) }
        return total
    }

    /// The log-likelihood at θ, the model's values written into `f` (n values).
    func logLikelihood(_ theta: UnsafeBufferPointer<Double>, points: DataPoints,
                       f: UnsafeMutableBufferPointer<Double>) throws -> Double {
        let m = modelParameterCount
        try model.evaluate(points, UnsafeBufferPointer(rebasing: theta[0..<m]), f)
        return try terms.sum(UnsafeBufferPointer(f), data.likelihoodData, UnsafeBufferPointer(rebasing: theta[m...]))
    }

    /// log p(θ) of one parameter vector.
    func logPosterior(_ theta: UnsafeBufferPointer<Double>, points: DataPoints,
                      f: UnsafeMutableBufferPointer<Double>) throws -> Double {
        let prior = try logPrior(theta)
        guard prior > -.infinity else { return prior }
        return prior + (try logLikelihood(theta, points: points, f: f))
    }

    /// log p at `count` parameter vectors (row-major count × dimension), one sweep over the
    /// data points each.
    public func values(_ points: UnsafeBufferPointer<Double>, count: Int, into values: UnsafeMutableBufferPointer<Double>) throws {
        let p = dimension
        try requireBatch(points, count: count, values: values, dimension: p)
        let f = UnsafeMutableBufferPointer<Double>.allocate(capacity: data.count)
        defer { f.deallocate() }
        try data.storage.withPoints { x in
            for i in 0..<count {
                values[i] = try logPosterior(UnsafeBufferPointer(rebasing: points[(i * p)..<(i * p + p)]), points: x, f: f)
            }
        }
    }

    /// log p and its gradient at one parameter vector: the priors' analytic gradients plus
    /// ∂ log L/∂θ_j = Σ_i ∂ℓ_i/∂f_i ∂f_i/∂θ_j (the model's Jacobian over the points) and
    /// ∂ log L/∂η_k = Σ_i ∂ℓ_i/∂η_k. Outside the support (value −∞) the gradient is 0.
    public func valueAndGradient(_ point: UnsafeBufferPointer<Double>, gradient: UnsafeMutableBufferPointer<Double>) throws -> Double {
        let p = dimension, m = modelParameterCount, n = data.count
        guard point.count == p, gradient.count >= p else {
            throw InferKitError.dimensionMismatch("the point has \(point.count) values but the posterior has \(p) parameters")
        }
        var total = 0.0
        for j in 0..<p {
            let d = priors[j].logDensity(point[j])
            total += d.value
            gradient[j] = d.first
            if !(point[j] >= supports[j].lower && point[j] <= supports[j].upper) { total = -.infinity }
        }
        if total > -.infinity, let customPrior { total += try customPrior.addGradient(point, into: gradient) }
        guard total > -.infinity else {
            for j in 0..<p { gradient[j] = 0 }
            return total
        }
        var f = [Double](repeating: 0, count: n)
        var jacobian = [Double](repeating: 0, count: n * m)
        var t = PointTerms(points: n, extras: p - m, secondOrder: false)
        let theta = UnsafeBufferPointer(rebasing: point[0..<m]), eta = UnsafeBufferPointer(rebasing: point[m...])
        let logL = try data.storage.withPoints { x in
            try f.withUnsafeMutableBufferPointer { fb in
                try jacobian.withUnsafeMutableBufferPointer {
                    try model.jacobian(x, theta, values: fb, valuesKnown: false, $0)
                }
                return try terms.terms(UnsafeBufferPointer(fb), data.likelihoodData, eta, secondOrder: false, into: &t)
            }
        }
        guard logL.isFinite else {
            for j in 0..<p { gradient[j] = 0 }
            return logL
        }
        if m > 0 {
            // gradient[0..<m] += Jᵀ ∂ℓ/∂f
            jacobian.withUnsafeBufferPointer { jb in
                t.df.withUnsafeBufferPointer { d in
                    cblas_dgemv(CblasColMajor, CblasTrans, Int32(n), Int32(m), 1, jb.baseAddress, Int32(n),
                                d.baseAddress, 1, 1, gradient.baseAddress, 1)
                }
            }
        }
        for e in 0..<(p - m) { gradient[m + e] += t.de[e] }
        return total + logL
    }
}

/// The posterior's own copy of the data, at stable addresses for the likelihood's loops.
final class PosteriorData: @unchecked Sendable {
    let storage: DataPointStorage
    let y: UnsafeMutableBufferPointer<Double>
    /// σ_i, or ones when none were given.
    let s: UnsafeMutableBufferPointer<Double>
    /// 1/σ_i.
    let w: UnsafeMutableBufferPointer<Double>

    init(x: UnsafeBufferPointer<Double>, inputCount: Int, y: [Double], sigma: [Double]?) {
        let n = y.count
        storage = DataPointStorage(rowMajor: x, count: n, inputCount: inputCount)
        self.y = .allocate(capacity: n)
        _ = self.y.initialize(from: y)
        s = .allocate(capacity: n)
        if let sigma { _ = s.initialize(from: sigma) } else { s.initialize(repeating: 1) }
        w = .allocate(capacity: n)
        for i in 0..<n { w[i] = 1 / s[i] }
    }

    deinit {
        y.deallocate()
        s.deallocate()
        w.deallocate()
    }

    var count: Int { y.count }
    var likelihoodData: LikelihoodData { LikelihoodData(y: UnsafeBufferPointer(y), s: UnsafeBufferPointer(s), w: UnsafeBufferPointer(w)) }
}
