import CInferKitABI
import InferKit

// The ik_posterior_*, ik_laplace* and ik_logprob_* families: argument checks and conversions
// only; posteriors, priors, transforms and Laplace's method are in InferKit/Inference.

// MARK: - Log-probabilities

/// The most parameters a callback log-probability or log-likelihood may declare (their default
/// names are made at creation).
let maximumParameters = 1 << 20

/// A log-probability owned by a C handle (ik_logprob_t*): any `LogDensity` (a formula, a
/// caller's callbacks, a posterior in its own or in the unconstrained space). The samplers' C
/// layer takes `density` from it (`logProbHandle(h).density`).
final class LogProbHandle {
    /// The density the handle evaluates.
    let density: any LogDensity
    /// The same density when it is a posterior in the unconstrained space (for constrain and
    /// unconstrain), nil otherwise.
    let transformed: TransformedLogDensity?

    init(_ density: any LogDensity) {
        self.density = density
        transformed = density as? TransformedLogDensity
    }
}

/// The live log-probability behind the C handle `h` (argument `name`), or
/// IK_ERR_INVALID_ARGUMENT naming it.
func logProbHandle(_ h: OpaquePointer?, name: String = "logprob") throws -> LogProbHandle {
    try HandleTable.shared.object(h, as: LogProbHandle.self, name: name, cType: "ik_logprob_t")
}

/// n_points points of n_dim values at `p` (argument `name`), checked: n_dim equal to the
/// density's, n_points >= 1, every value finite.
private func points(_ p: UnsafePointer<Double>?, _ nPoints: Int, _ nDim: Int, dimension: Int,
                    name: String) throws -> UnsafeBufferPointer<Double> {
    let dim = try length(nDim, "n_dim")
    guard dim == dimension else {
        throw ArgumentError(status: .dimension, message: "n_dim is \(dim) but the log-probability has \(dimension) parameters")
    }
    let count = try length(nPoints, "n_points")
    guard count > 0 else { throw ArgumentError(status: .dimension, message: "n_points is 0: at least one point is needed") }
    let all = UnsafeBufferPointer(start: try requireNonNull(p, name), count: try product(count, dim, name))
    if !isAllFinite(all) {
        for (k, v) in all.enumerated() where !v.isFinite {
            throw ArgumentError(status: .nonFinite,
                                message: count == 1 ? "\(name)[\(k)] is \(v)" : "\(name)[\(k / dim),\(k % dim)] is \(v)")
        }
    }
    return all
}

/// The caller's ik_logprob_fn (and optional ik_logprob_grad_fn) as a `ClosureLogDensity` of n
/// parameters; a non-zero return becomes `callbackFailed` naming `what`.
private func callbackDensity(_ n: Int, _ fn: ik_logprob_fn, _ grad: ik_logprob_grad_fn?, _ context: CallbackContext,
                             what: String = "log-probability") -> ClosureLogDensity {
    let gradient: ((UnsafeBufferPointer<Double>, UnsafeMutableBufferPointer<Double>) throws -> Double)? = grad.map { g in
        { point, gradient in
            var value = Double.nan
            let status = g(point.baseAddress, n, &value, gradient.baseAddress, context.pointer)
            if status != 0 { throw InferKitError.callbackFailed("the \(what) gradient callback returned \(status)") }
            return value
        }
    }
    return ClosureLogDensity(dimension: n, values: { points, count, values in
        let status = fn(points.baseAddress, count, n, values.baseAddress, context.pointer)
        if status != 0 { throw InferKitError.callbackFailed("the \(what) callback returned \(status)") }
    }, gradient: gradient)
}

@_cdecl("ik_logprob_create_formula")
public func ik_logprob_create_formula(_ expression: UnsafePointer<CChar>?,
                                      _ params: UnsafePointer<UnsafePointer<CChar>?>?, _ nParams: Int,
                                      _ logprob: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    guarded {
        let out = try requireNonNull(logprob, "logprob")
        out.pointee = nil
        let text = String(cString: try requireNonNull(expression, "expression"))
        let order: [String]? = (params == nil && nParams == 0) ? nil : try names(params, nParams, "params", "n_params")
        let density = try FormulaLogDensity(text, params: order)
        guard density.dimension > 0 else {
            throw ArgumentError(status: .invalidArgument,
                                message: "expression '\(text)' has no parameters: a log-probability needs at least one")
        }
        HandleTable.shared.publish(LogProbHandle(density), into: out)
    }
}

@_cdecl("ik_logprob_create_callback")
public func ik_logprob_create_callback(_ nDim: Int, _ fn: ik_logprob_fn?, _ grad: ik_logprob_grad_fn?,
                                       _ userData: UnsafeMutableRawPointer?,
                                       _ logprob: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    guarded {
        let out = try requireNonNull(logprob, "logprob")
        out.pointee = nil
        let n = try length(nDim, "n_dim")
        guard n > 0 else { throw ArgumentError(status: .dimension, message: "n_dim is 0: a log-probability needs at least one parameter") }
        guard n <= maximumParameters else {
            throw ArgumentError(status: .dimension, message: "n_dim is \(n): at most \(maximumParameters) parameters are supported")
        }
        let function = try requireNonNull(fn, "fn")
        HandleTable.shared.publish(LogProbHandle(callbackDensity(n, function, grad, CallbackContext(userData))), into: out)
    }
}

@_cdecl("ik_logprob_create_posterior")
public func ik_logprob_create_posterior(_ posterior: OpaquePointer?, _ space: Int32,
                                        _ logprob: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    guarded {
        let out = try requireNonNull(logprob, "logprob")
        out.pointee = nil
        let post = try posteriorBox(posterior).posterior
        let density: any LogDensity
        switch space {
        case 0: density = post
        case 1: density = try post.unconstrained()
        default:
            throw ArgumentError(status: .invalidArgument,
                                message: "space is \(space): use IK_SPACE_CONSTRAINED (0) or IK_SPACE_UNCONSTRAINED (1)")
        }
        HandleTable.shared.publish(LogProbHandle(density), into: out)
    }
}

@_cdecl("ik_logprob_n_dim")
public func ik_logprob_n_dim(_ logprob: OpaquePointer?, _ nDim: UnsafeMutablePointer<Int>?) -> Int32 {
    guarded {
        let d = try logProbHandle(logprob).density
        try requireNonNull(nDim, "n_dim").pointee = d.dimension
    }
}

@_cdecl("ik_logprob_has_exact_gradient")
public func ik_logprob_has_exact_gradient(_ logprob: OpaquePointer?, _ exact: UnsafeMutablePointer<Int32>?) -> Int32 {
    guarded {
        let d = try logProbHandle(logprob).density
        try requireNonNull(exact, "exact").pointee = d.hasExactGradient ? 1 : 0
    }
}

@_cdecl("ik_logprob_param_name")
public func ik_logprob_param_name(_ logprob: OpaquePointer?, _ index: Int, _ out: UnsafeMutablePointer<CChar>?,
                                  _ len: Int) -> Int32 {
    guarded {
        try copyParameterName(try logProbHandle(logprob).density.parameterNames, index, out, len, owner: "the log-probability")
    }
}

@_cdecl("ik_logprob_eval")
public func ik_logprob_eval(_ logprob: OpaquePointer?, _ p: UnsafePointer<Double>?, _ nPoints: Int, _ nDim: Int,
                            _ values: UnsafeMutablePointer<Double>?) -> Int32 {
    guarded {
        let d = try logProbHandle(logprob).density
        let all = try points(p, nPoints, nDim, dimension: d.dimension, name: "points")
        let out = try requireNonNull(values, "values")
        try d.values(all, count: nPoints, into: UnsafeMutableBufferPointer(start: out, count: nPoints))
    }
}

@_cdecl("ik_logprob_grad")
public func ik_logprob_grad(_ logprob: OpaquePointer?, _ p: UnsafePointer<Double>?, _ nDim: Int,
                            _ value: UnsafeMutablePointer<Double>?, _ gradient: UnsafeMutablePointer<Double>?) -> Int32 {
    guarded {
        let d = try logProbHandle(logprob).density
        let point = try points(p, 1, nDim, dimension: d.dimension, name: "p")
        let g = try requireNonNull(gradient, "gradient")
        let v = try d.valueAndGradient(point, gradient: UnsafeMutableBufferPointer(start: g, count: nDim))
        value?.pointee = v
    }
}

@_cdecl("ik_logprob_constrain")
public func ik_logprob_constrain(_ logprob: OpaquePointer?, _ u: UnsafePointer<Double>?, _ nPoints: Int, _ nDim: Int,
                                 _ theta: UnsafeMutablePointer<Double>?) -> Int32 {
    guarded {
        let h = try logProbHandle(logprob)
        let all = try points(u, nPoints, nDim, dimension: h.density.dimension, name: "u")
        let out = try requireNonNull(theta, "theta")
        let transforms = h.transformed?.transforms
        for k in 0..<all.count {
            out[k] = transforms.map { $0[k % nDim].constrain(all[k]).value } ?? all[k]
        }
    }
}

@_cdecl("ik_logprob_unconstrain")
public func ik_logprob_unconstrain(_ logprob: OpaquePointer?, _ theta: UnsafePointer<Double>?, _ nPoints: Int,
                                   _ nDim: Int, _ u: UnsafeMutablePointer<Double>?) -> Int32 {
    guarded {
        let h = try logProbHandle(logprob)
        let all = try points(theta, nPoints, nDim, dimension: h.density.dimension, name: "theta")
        let out = try requireNonNull(u, "u")
        guard let transforms = h.transformed?.transforms else {
            for k in 0..<all.count { out[k] = all[k] }
            return
        }
        var converted = [Double](repeating: 0, count: all.count)
        for k in 0..<all.count {
            let j = k % nDim, t = transforms[j]
            let v = t.unconstrain(all[k])
            guard v.isFinite else {
                let at = nPoints == 1 ? "theta[\(j)]" : "theta[\(k / nDim),\(j)]"
                throw ArgumentError(status: .invalidArgument,
                                    message: "\(at) (parameter '\(h.density.parameterNames[j])') = \(all[k]) is not inside the open interval (\(t.support.lower), \(t.support.upper)) of its transform")
            }
            converted[k] = v
        }
        for k in 0..<all.count { out[k] = converted[k] }
    }
}

@_cdecl("ik_logprob_free")
public func ik_logprob_free(_ logprob: OpaquePointer?) {
    HandleTable.shared.release(logprob.map { UnsafeRawPointer($0) }, as: LogProbHandle.self)
}

// MARK: - Posteriors

/// A posterior owned by a C handle (ik_posterior_t*), with what it was built from, so that
/// setting a prior builds it anew (the core's posterior is immutable).
final class PosteriorBox {
    let model: any ParametricModel
    let x: [Double]
    let y: [Double]
    let sigma: [Double]?
    let likelihood: Likelihood
    private(set) var priors: [String: Prior] = [:]
    private(set) var logPrior: CustomLogPrior? = nil
    private(set) var posterior: Posterior

    init(model: any ParametricModel, x: [Double], y: [Double], sigma: [Double]?, likelihood: Likelihood) throws {
        self.model = model
        self.x = x
        self.y = y
        self.sigma = sigma
        self.likelihood = likelihood
        posterior = try Posterior(model: model, x: x, y: y, sigma: sigma, likelihood: likelihood)
    }

    /// Rebuilds the posterior with new priors or log-prior; unchanged when that throws.
    func update(priors: [String: Prior]? = nil, logPrior: CustomLogPrior?? = nil) throws {
        let p = priors ?? self.priors
        let l = logPrior ?? self.logPrior
        posterior = try Posterior(model: model, x: x, y: y, sigma: sigma, likelihood: likelihood, priors: p, logPrior: l)
        self.priors = p
        self.logPrior = l
    }
}

func posteriorBox(_ h: OpaquePointer?) throws -> PosteriorBox {
    try HandleTable.shared.object(h, as: PosteriorBox.self, name: "posterior", cType: "ik_posterior_t")
}

@_cdecl("ik_posterior_options_default")
public func ik_posterior_options_default(_ options: UnsafeMutablePointer<ik_posterior_options_t>?) -> Int32 {
    guarded {
        let o = try requireNonNull(options, "options")
        o.pointee = ik_posterior_options_t(
            struct_size: MemoryLayout<ik_posterior_options_t>.size, nu: 4, nu_free: 0, scale_name: nil, nu_name: nil,
            log_likelihood: nil, log_likelihood_fn: nil, log_likelihood_data: nil, log_likelihood_params: nil,
            n_log_likelihood_params: 0)
    }
}

/// The likelihood of `kind` (IK_LIKELIHOOD_*) with the C options (NULL: defaults).
private func likelihood(_ kind: Int32, _ p: UnsafePointer<ik_posterior_options_t>?) throws -> Likelihood {
    var c = ik_posterior_options_t()
    _ = ik_posterior_options_default(&c)
    if let p {
        let size = MemoryLayout<ik_posterior_options_t>.size
        guard p.pointee.struct_size == size else {
            throw ArgumentError(status: .invalidArgument,
                                message: "options->struct_size is \(p.pointee.struct_size) but this library expects \(size): fill the options with ik_posterior_options_default()")
        }
        c = p.pointee
    }
    let scaleName = c.scale_name.map { String(cString: $0) } ?? "sigma"
    let nuName = c.nu_name.map { String(cString: $0) } ?? "nu"
    let nuFree = try flag(c.nu_free, "options->nu_free")
    if !nuFree && !(c.nu > 0 && c.nu.isFinite) && (kind == 3 || kind == 4) {
        throw ArgumentError(status: .invalidArgument, message: "options->nu is \(c.nu): the Student-t degrees of freedom must be > 0 and finite")
    }
    let nu: DegreesOfFreedom = nuFree ? .free(nuName) : .fixed(c.nu)
    switch kind {
    case 0: return .gaussian(sigma: .known)
    case 1: return .gaussian(sigma: .free(scaleName))
    case 2: return .poisson
    case 3: return .studentT(nu: nu, sigma: .known)
    case 4: return .studentT(nu: nu, sigma: .free(scaleName))
    case 5:
        guard let text = c.log_likelihood else {
            throw ArgumentError(status: .invalidArgument,
                                message: "\(p == nil ? "options is NULL" : "options->log_likelihood is NULL"): IK_LIKELIHOOD_FORMULA needs a per-point formula of f, y and s")
        }
        return .formula(String(cString: text))
    case 6:
        guard let fn = c.log_likelihood_fn else {
            throw ArgumentError(status: .invalidArgument,
                                message: "\(p == nil ? "options is NULL" : "options->log_likelihood_fn is NULL"): IK_LIKELIHOOD_CALLBACK needs an ik_loglik_fn")
        }
        let k = try length(c.n_log_likelihood_params, "options->n_log_likelihood_params")
        guard k <= maximumParameters else {
            throw ArgumentError(status: .dimension,
                                message: "options->n_log_likelihood_params is \(k): at most \(maximumParameters) parameters are supported")
        }
        let parameterNames = c.log_likelihood_params == nil ? (0..<k).map { "eta\($0)" }
            : try names(c.log_likelihood_params, k, "options->log_likelihood_params", "options->n_log_likelihood_params")
        let context = CallbackContext(c.log_likelihood_data)
        return .function({ f, y, s, eta, out in
            let status = fn(f.baseAddress, y.baseAddress, s.baseAddress, f.count, eta.baseAddress, eta.count,
                            out.baseAddress, context.pointer)
            if status != 0 { throw InferKitError.callbackFailed("the log-likelihood callback returned \(status)") }
        }, parameters: parameterNames)
    default:
        throw ArgumentError(status: .invalidArgument,
                            message: "likelihood is \(kind): use IK_LIKELIHOOD_GAUSSIAN (0) .. IK_LIKELIHOOD_CALLBACK (6)")
    }
}

@_cdecl("ik_posterior_create")
public func ik_posterior_create(_ model: OpaquePointer?, _ x: UnsafePointer<Double>?, _ nPoints: Int, _ nInputs: Int,
                                _ y: UnsafePointer<Double>?, _ sigma: UnsafePointer<Double>?, _ likelihoodKind: Int32,
                                _ options: UnsafePointer<ik_posterior_options_t>?,
                                _ posterior: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    guarded {
        let out = try requireNonNull(posterior, "posterior")
        out.pointee = nil
        let m = try modelBox(model).parametric
        let k = try length(nInputs, "n_inputs")
        guard k == m.inputCount else {
            throw ArgumentError(status: .dimension,
                                message: "n_inputs is \(k) but the model has \(m.inputCount) input\(m.inputCount == 1 ? "" : "s")")
        }
        _ = try dataPoints(m, x, nPoints)  // checks n_points, x NULL and finite, naming the element
        let n = nPoints
        let xs = k == 0 ? [] : Array(UnsafeBufferPointer(start: try requireNonNull(x, "x"), count: try product(n, k, "x")))
        let ys = try finiteValues(y, n, "y", optional: false) ?? []
        let sigmas = try finiteValues(sigma, n, "sigma", optional: true)
        let l = try likelihood(likelihoodKind, options)
        let box = try PosteriorBox(model: m, x: xs, y: ys, sigma: sigmas, likelihood: l)
        guard box.posterior.dimension > 0 else {
            throw ArgumentError(status: .dimension,
                                message: "the posterior has no parameters: the model has none and the likelihood adds none")
        }
        HandleTable.shared.publish(box, into: out)
    }
}

/// The prior of `kind` (IK_PRIOR_*) with arguments a and b.
private func prior(_ kind: Int32, _ a: Double, _ b: Double) throws -> Prior {
    switch kind {
    case 0: return .uniform(lower: a, upper: b)
    case 1: return .normal(mean: a, sigma: b)
    case 2: return .logNormal(mu: a, sigma: b)
    case 3: return .halfNormal(sigma: a)
    case 4: return .logUniform(lower: a, upper: b)
    case 5: return .flat(lower: a, upper: b)
    default:
        throw ArgumentError(status: .invalidArgument, message: "kind is \(kind): use IK_PRIOR_UNIFORM (0) .. IK_PRIOR_FLAT (5)")
    }
}

@_cdecl("ik_posterior_set_prior")
public func ik_posterior_set_prior(_ posterior: OpaquePointer?, _ paramName: UnsafePointer<CChar>?, _ kind: Int32,
                                   _ a: Double, _ b: Double) -> Int32 {
    guarded {
        let box = try posteriorBox(posterior)
        let name = String(cString: try requireNonNull(paramName, "param_name"))
        let all = box.posterior.parameterNames
        guard all.contains(name) else {
            throw ArgumentError(status: .invalidArgument,
                                message: "param_name '\(name)' is not a parameter of the posterior (its parameters are \(all.joined(separator: ", ")))")
        }
        var priors = box.priors
        priors[name] = try prior(kind, a, b)
        try box.update(priors: priors)
    }
}

@_cdecl("ik_posterior_set_log_prior_formula")
public func ik_posterior_set_log_prior_formula(_ posterior: OpaquePointer?, _ expression: UnsafePointer<CChar>?) -> Int32 {
    guarded {
        let box = try posteriorBox(posterior)
        let text = String(cString: try requireNonNull(expression, "expression"))
        try box.update(logPrior: .some(.formula(text)))
    }
}

@_cdecl("ik_posterior_set_log_prior_callback")
public func ik_posterior_set_log_prior_callback(_ posterior: OpaquePointer?, _ fn: ik_logprob_fn?,
                                                _ grad: ik_logprob_grad_fn?, _ userData: UnsafeMutableRawPointer?) -> Int32 {
    guarded {
        let box = try posteriorBox(posterior)
        let function = try requireNonNull(fn, "fn")
        let n = box.posterior.dimension
        let density = callbackDensity(n, function, grad, CallbackContext(userData), what: "log-prior")
        let value: ([Double]) throws -> Double = { try density.value($0) }
        let gradient: (([Double]) throws -> (Double, [Double]))? = grad == nil ? nil : { try density.valueAndGradient($0) }
        try box.update(logPrior: .some(.function(value, gradient: gradient)))
    }
}

@_cdecl("ik_posterior_n_params")
public func ik_posterior_n_params(_ posterior: OpaquePointer?, _ nParams: UnsafeMutablePointer<Int>?) -> Int32 {
    guarded {
        let d = try posteriorBox(posterior).posterior.dimension
        try requireNonNull(nParams, "n_params").pointee = d
    }
}

@_cdecl("ik_posterior_param_name")
public func ik_posterior_param_name(_ posterior: OpaquePointer?, _ index: Int, _ out: UnsafeMutablePointer<CChar>?,
                                    _ len: Int) -> Int32 {
    guarded {
        try copyParameterName(try posteriorBox(posterior).posterior.parameterNames, index, out, len, owner: "the posterior")
    }
}

/// The n parameters at `p` (argument `name`, length argument `lengthName`), checked against the
/// posterior's count before they are read, every value finite.
private func posteriorPoint(_ post: Posterior, _ p: UnsafePointer<Double>?, _ n: Int, _ name: String,
                            _ lengthName: String) throws -> [Double] {
    let count = try length(n, lengthName)
    guard count == post.dimension else {
        throw ArgumentError(status: .dimension,
                            message: "\(lengthName) is \(count) but the posterior has \(post.dimension) parameters (\(post.parameterNames.joined(separator: ", ")))")
    }
    let values = Array(UnsafeBufferPointer(start: try requireNonNull(p, name), count: count))
    for (j, v) in values.enumerated() where !v.isFinite {
        throw ArgumentError(status: .nonFinite, message: "\(name)[\(j)] (parameter '\(post.parameterNames[j])') is \(v)")
    }
    return values
}

@_cdecl("ik_posterior_log_prob")
public func ik_posterior_log_prob(_ posterior: OpaquePointer?, _ p: UnsafePointer<Double>?, _ n: Int,
                                  _ value: UnsafeMutablePointer<Double>?, _ gradient: UnsafeMutablePointer<Double>?) -> Int32 {
    guarded {
        let post = try posteriorBox(posterior).posterior
        let theta = try posteriorPoint(post, p, n, "p", "n")
        let v = try requireNonNull(value, "value")
        if let gradient {
            v.pointee = try theta.withUnsafeBufferPointer {
                try post.valueAndGradient($0, gradient: UnsafeMutableBufferPointer(start: gradient, count: n))
            }
        } else {
            v.pointee = try post.value(theta)
        }
    }
}

@_cdecl("ik_posterior_free")
public func ik_posterior_free(_ posterior: OpaquePointer?) {
    HandleTable.shared.release(posterior.map { UnsafeRawPointer($0) }, as: PosteriorBox.self)
}

// MARK: - Laplace's method

/// A Laplace result owned by a C handle (ik_laplace_result_t*).
final class LaplaceResultBox {
    let result: LaplaceResult
    let message: OwnedCString
    let covarianceIssue: OwnedCString
    let issues: OwnedCString
    init(_ result: LaplaceResult) {
        self.result = result
        message = OwnedCString(result.message)
        covarianceIssue = OwnedCString(result.covarianceIssue ?? "")
        issues = OwnedCString(result.issues.joined(separator: "\n"))
    }
}

private func laplaceResult(_ h: OpaquePointer?) throws -> LaplaceResult {
    try HandleTable.shared.object(h, as: LaplaceResultBox.self, name: "result", cType: "ik_laplace_result_t").result
}

@_cdecl("ik_laplace_options_default")
public func ik_laplace_options_default(_ options: UnsafeMutablePointer<ik_laplace_options_t>?) -> Int32 {
    guarded {
        let o = try requireNonNull(options, "options")
        o.pointee = ik_laplace_options_t(struct_size: MemoryLayout<ik_laplace_options_t>.size, method: -1, minimize: nil,
                                         hessian: LaplaceHessian.observed.rawValue)
    }
}

/// The C options (NULL: defaults) in Swift terms for n parameters.
private func laplaceOptions(_ p: UnsafePointer<ik_laplace_options_t>?, n: Int) throws -> LaplaceOptions {
    var o = LaplaceOptions()
    guard let p else { return o }
    let c = p.pointee
    let size = MemoryLayout<ik_laplace_options_t>.size
    guard c.struct_size == size else {
        throw ArgumentError(status: .invalidArgument,
                            message: "options->struct_size is \(c.struct_size) but this library expects \(size): fill the options with ik_laplace_options_default()")
    }
    if c.method != -1 {
        guard let method = MinimizeMethod(rawValue: c.method) else {
            throw ArgumentError(status: .invalidArgument,
                                message: "options->method is \(c.method): use -1 (automatic) or IK_MINIMIZE_NEWTON (0) .. IK_MINIMIZE_BFGS (7)")
        }
        o.method = method
    }
    guard let hessian = LaplaceHessian(rawValue: c.hessian) else {
        throw ArgumentError(status: .invalidArgument,
                            message: "options->hessian is \(c.hessian): use IK_LAPLACE_HESSIAN_OBSERVED (0) or IK_LAPLACE_HESSIAN_FISHER (1)")
    }
    o.hessian = hessian
    if let m = c.minimize {
        let (settings, hessian) = try minimizeOptions(m, n: n)
        if hessian != nil {
            throw ArgumentError(status: .invalidArgument,
                                message: "options->minimize->hessian is set, but ik_laplace uses the posterior's own Hessian: leave it NULL")
        }
        o.minimize = settings
    }
    return o
}

@_cdecl("ik_laplace")
public func ik_laplace(_ posterior: OpaquePointer?, _ p0: UnsafePointer<Double>?, _ n: Int,
                       _ options: UnsafePointer<ik_laplace_options_t>?, _ result: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    guarded {
        let out = try requireNonNull(result, "result")
        out.pointee = nil
        let post = try posteriorBox(posterior).posterior
        let start = try posteriorPoint(post, p0, n, "p0", "n")
        let settings = try laplaceOptions(options, n: n)
        try post.checkSupport(start, name: "p0")
        let r: LaplaceResult
        do {
            r = try withCNames(minimizeOptionNames) { try laplace(post, start: start, options: settings) }
        } catch let e as ArgumentError where e.message.contains("options->") {
            throw ArgumentError(status: e.status, message: e.message.replacing("options->", with: "options->minimize->"))
        }
        HandleTable.shared.publish(LaplaceResultBox(r), into: out)
    }
}

@_cdecl("ik_laplace_result_info")
public func ik_laplace_result_info(_ result: OpaquePointer?, _ info: UnsafeMutablePointer<ik_laplace_info_t>?) -> Int32 {
    guarded {
        let r = try laplaceResult(result)
        let info = try requireNonNull(info, "info")
        let size = MemoryLayout<ik_laplace_info_t>.size
        guard info.pointee.struct_size == size else {
            throw ArgumentError(status: .invalidArgument,
                                message: "info->struct_size is \(info.pointee.struct_size) but this library expects \(size): set it to sizeof(ik_laplace_info_t)")
        }
        info.pointee = ik_laplace_info_t(
            struct_size: size, n_params: r.map.count, status: r.status.rawValue, converged: r.converged ? 1 : 0,
            has_covariance: r.covariance == nil ? 0 : 1, evidence_is_proper: r.evidenceIsProper ? 1 : 0,
            issue_param: Int64(r.covarianceIssueParameter ?? -1), iterations: Int64(r.optimization.iterations),
            nfev: Int64(r.optimization.functionEvaluations), log_posterior: r.logPosteriorAtMap,
            log_evidence: r.logEvidence ?? .nan)
    }
}

@_cdecl("ik_laplace_result_map")
public func ik_laplace_result_map(_ result: OpaquePointer?, _ out: UnsafeMutablePointer<Double>?, _ len: Int) -> Int32 {
    guarded {
        let map = try laplaceResult(result).map
        try write(out, len, map.count, "map (n_params)") { map[$0] }
    }
}

@_cdecl("ik_laplace_result_hessian")
public func ik_laplace_result_hessian(_ result: OpaquePointer?, _ out: UnsafeMutablePointer<Double>?, _ len: Int) -> Int32 {
    guarded {
        let r = try laplaceResult(result)
        let n = r.map.count
        try write(out, len, try product(n, n, "hessian"), "hessian (n_params x n_params)") { r.hessian[$0 / n, $0 % n] }
    }
}

/// The covariance of a result, or IK_ERR_SINGULAR with its issue after filling `out` with NaN.
private func laplaceCovariance(_ r: LaplaceResult, _ out: UnsafeMutablePointer<Double>?, _ len: Int, count: Int,
                               what: String) throws -> DenseMatrix {
    try covarianceOrFail(r.covariance, issue: r.covarianceIssue, out, len, count: count, what: what)
}

@_cdecl("ik_laplace_result_covariance")
public func ik_laplace_result_covariance(_ result: OpaquePointer?, _ out: UnsafeMutablePointer<Double>?, _ len: Int) -> Int32 {
    guarded {
        let r = try laplaceResult(result)
        let n = r.map.count, what = "covariance (n_params x n_params)"
        let c = try laplaceCovariance(r, out, len, count: try product(n, n, "covariance"), what: what)
        try write(out, len, n * n, what) { c[$0 / n, $0 % n] }
    }
}

@_cdecl("ik_laplace_result_stderr")
public func ik_laplace_result_stderr(_ result: OpaquePointer?, _ out: UnsafeMutablePointer<Double>?, _ len: Int) -> Int32 {
    guarded {
        let r = try laplaceResult(result)
        let n = r.map.count, what = "stderr (n_params)"
        _ = try laplaceCovariance(r, out, len, count: n, what: what)
        try write(out, len, n, what) { r.standardErrors[$0] }
    }
}

@_cdecl("ik_laplace_result_correlation")
public func ik_laplace_result_correlation(_ result: OpaquePointer?, _ out: UnsafeMutablePointer<Double>?, _ len: Int) -> Int32 {
    guarded {
        let r = try laplaceResult(result)
        let n = r.map.count, what = "correlation (n_params x n_params)"
        _ = try laplaceCovariance(r, out, len, count: try product(n, n, "correlation"), what: what)
        guard let c = r.correlation else { return }
        try write(out, len, n * n, what) { c[$0 / n, $0 % n] }
    }
}

@_cdecl("ik_laplace_result_message")
public func ik_laplace_result_message(_ result: OpaquePointer?) -> UnsafePointer<CChar> {
    (try? HandleTable.shared.object(result, as: LaplaceResultBox.self, name: "result", cType: "ik_laplace_result_t").message.c)
        ?? emptyCString
}

@_cdecl("ik_laplace_result_covariance_issue")
public func ik_laplace_result_covariance_issue(_ result: OpaquePointer?) -> UnsafePointer<CChar> {
    (try? HandleTable.shared.object(result, as: LaplaceResultBox.self, name: "result", cType: "ik_laplace_result_t")
        .covarianceIssue.c) ?? emptyCString
}

@_cdecl("ik_laplace_result_issues")
public func ik_laplace_result_issues(_ result: OpaquePointer?) -> UnsafePointer<CChar> {
    (try? HandleTable.shared.object(result, as: LaplaceResultBox.self, name: "result", cType: "ik_laplace_result_t").issues.c)
        ?? emptyCString
}

@_cdecl("ik_laplace_result_free")
public func ik_laplace_result_free(_ result: OpaquePointer?) {
    HandleTable.shared.release(result.map { UnsafeRawPointer($0) }, as: LaplaceResultBox.self)
}
