// Second derivatives of the log posterior (Laplace's method, Newton's MAP) and the diagnosis of
// points where it is not finite.
//
// With f_i = f(x_i; θ), J_ij = ∂f_i/∂θ_j and the per-point likelihood derivatives,
//   ∂² log L/∂θ_j∂θ_k = Σ_i ∂²ℓ_i/∂f_i² J_ij J_ik + Σ_i ∂ℓ_i/∂f_i ∂²f_i/∂θ_j∂θ_k
//   ∂² log L/∂θ_j∂η_k = Σ_i ∂²ℓ_i/∂f_i∂η_k J_ij,   ∂² log L/∂η_k∂η_l = Σ_i ∂²ℓ_i/∂η_k∂η_l.
// The model's curvature term is the least-squares Laplace covariance's: exact for formulas
// (Tape.weightedHessian), by differences of the Jacobian or of the values for callbacks.
// The Fisher reading replaces the per-point second derivatives by their expectations under the
// likelihood (minus the Fisher information) and drops the curvature term, whose weights ∂ℓ_i/∂f_i
// have expectation 0: for a Gaussian with known σ it is −JᵀWJ, the Gauss-Newton matrix.
import CLapack

extension Posterior {
    /// log L at θ (all parameters, in `parameterNames` order).
    public func logLikelihood(_ theta: [Double]) throws -> Double {
        try checkCount(theta, "theta")
        let f = UnsafeMutableBufferPointer<Double>.allocate(capacity: pointCount)
        defer { f.deallocate() }
        return try theta.withUnsafeBufferPointer { t in
            try data.storage.withPoints { try logLikelihood(t, points: $0, f: f) }
        }
    }

    /// The log prior at θ: Σ_j log π_j(θ_j) plus the custom log-prior; −∞ outside the support.
    public func logPrior(_ theta: [Double]) throws -> Double {
        try checkCount(theta, "theta")
        return try theta.withUnsafeBufferPointer { try logPrior($0) }
    }

    /// The p × p Hessian of log p at θ (row-major, symmetric): exact when `hasExactHessian`,
    /// otherwise with the model's or the caller's second derivatives by differences. Throws
    /// as `checkSupport` when log p is not finite at θ.
    public func hessian(at theta: [Double]) throws -> [Double] {
        try checkSupport(theta, name: "theta")
        return try uncheckedHessian(theta)
    }

    /// True when the likelihood's expected (Fisher) information is known in closed form
    /// (Gaussian, Poisson, Student-t), so that `fisherHessian(at:)` exists.
    public var hasFisherInformation: Bool { terms.hasExpectedInformation }

    /// The expected-information reading of the Hessian of log p at θ (row-major, symmetric):
    /// ∇² log π(θ) − I(θ), the priors' (and the custom log-prior's) observed Hessian minus the
    /// likelihood's Fisher information I = E_y[−∇² log L] at θ, in the order of
    /// `parameterNames`. With the model's Jacobian J (exact for formulas, the callback's or by
    /// differences otherwise) the model block of I is Jᵀ diag(w) J with w_i = 1/σ_i² (Gaussian,
    /// σ_i = s dy_i under a free scale s), 1/f_i (Poisson), (ν+1)/((ν+3)σ_i²) (Student-t); a free
    /// Gaussian scale adds I_ss = 2n/s², a Student-t one 2nν/((ν+3)s²), a free ν Lange, Little &
    /// Taylor's (1989) I_νν and I_sν; model and likelihood parameters are uncorrelated. For a
    /// Gaussian with known σ, −I = −JᵀWJ is the Gauss-Newton matrix of χ²/2 (scipy's curve_fit
    /// covariance with absolute σ is its inverse). Throws `invalidArgument` for formula and
    /// callback likelihoods (no closed form), and as `checkSupport` when log p is not finite.
    public func fisherHessian(at theta: [Double]) throws -> [Double] {
        guard hasFisherInformation else {
            throw InferKitError.invalidArgument("\(Likelihood.noFisherMessage), not for the \(likelihood.name) likelihood: use the observed Hessian")
        }
        try checkSupport(theta, name: "theta")
        return try uncheckedHessian(theta, expected: true)
    }

    /// The Hessian of log p at a point where it is finite; with `expected`, the Fisher reading
    /// (`fisherHessian(at:)`).
    func uncheckedHessian(_ theta: [Double], expected: Bool = false) throws -> [Double] {
        let p = dimension, m = modelParameterCount, n = pointCount, k = p - m
        var h = [Double](repeating: 0, count: p * p)
        for j in 0..<p { h[j * p + j] = priors[j].logDensity(theta[j]).second }
        if let customPrior { try theta.withUnsafeBufferPointer { try customPrior.addHessian($0, into: &h, dimension: p) } }
        var f = [Double](repeating: 0, count: n)
        var jacobian = [Double](repeating: 0, count: n * m)
        var t = PointTerms(points: n, extras: k, secondOrder: true)
        let modelTheta = Array(theta[0..<m]), eta = Array(theta[m...])
        let curvature: [Double] = try data.storage.withPoints { x in
            try modelTheta.withUnsafeBufferPointer { tb in
                try f.withUnsafeMutableBufferPointer { fb in
                    try jacobian.withUnsafeMutableBufferPointer { try model.jacobian(x, tb, values: fb, valuesKnown: false, $0) }
                    try eta.withUnsafeBufferPointer {
                        if expected {
                            try terms.expectedTerms(UnsafeBufferPointer(fb), data.likelihoodData, $0, into: &t)
                        } else {
                            _ = try terms.terms(UnsafeBufferPointer(fb), data.likelihoodData, $0, secondOrder: true, into: &t)
                        }
                    }
                }
            }
            if expected { return [Double](repeating: 0, count: m * m) }
            let problem = LeastSquaresProblem(model: model, points: x, observations: nil, weights: nil)
            return m > 0 ? try LaplaceCovariance.modelCurvature(problem, modelTheta, weights: t.df) : []
        }
        if m > 0 {
            // Jᵀ diag(∂²ℓ/∂f²) J, an m × m product (column-major, symmetric); E[∂²ℓ/∂f²] for Fisher.
            var scaled = jacobian
            for j in 0..<m { for i in 0..<n { scaled[i + j * n] *= t.dfdf[i] } }
            var gram = [Double](repeating: 0, count: m * m)
            cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, Int32(m), Int32(m), Int32(n), 1, jacobian, Int32(n),
                        scaled, Int32(n), 0, &gram, Int32(m))
            for a in 0..<m { for b in 0..<m { h[a * p + b] += 0.5 * (gram[a + b * m] + gram[b + a * m]) + curvature[a * m + b] } }
        }
        for e in 0..<k {
            for a in 0..<m {
                var s = 0.0
                for i in 0..<n { s += t.dfde[e * n + i] * jacobian[i + a * n] }
                h[a * p + m + e] += s
                h[(m + e) * p + a] += s
            }
            for l in 0..<k { h[(m + e) * p + m + l] += t.dede[e * k + l] }
        }
        return h
    }

    private func checkCount(_ theta: [Double], _ name: String) throws {
        guard theta.count == dimension else {
            throw InferKitError.dimensionMismatch(
                "\(name) has \(theta.count) values but the posterior has \(dimension) parameters (\(parameterNames.joined(separator: ", ")))")
        }
    }

    /// Throws unless log p is finite at θ, naming the cause: `dimensionMismatch` for a wrong
    /// length, `nonFinite` for a NaN or infinite θ_j, and `invalidArgument` for θ_j outside its
    /// support ("start[1] (parameter 'sig') = -1.0 is outside the support [0.0, inf) of its
    /// prior halfNormal(sigma: 1.0)"), a custom log-prior that is −∞, a model that is not
    /// finite at a data point, a Poisson rate < 0 (or 0 where y > 0), or a log-likelihood that
    /// is −∞ or NaN. `name` names θ in the messages.
    public func checkSupport(_ theta: [Double], name: String) throws {
        try checkCount(theta, name)
        let m = modelParameterCount
        for (j, v) in theta.enumerated() where !v.isFinite {
            throw InferKitError.nonFinite("\(name)[\(j)] (parameter '\(parameterNames[j])') is \(describe(v))")
        }
        for (j, v) in theta.enumerated() {
            let naturalPositive = j >= m && terms.extraSupports[j - m].lower == 0
            let outside = !(v >= supports[j].lower && v <= supports[j].upper) || priors[j].logDensity(v).value == -.infinity
            if naturalPositive && !(v > 0) {
                throw InferKitError.invalidArgument(
                    "\(name)[\(j)] (parameter '\(parameterNames[j])') = \(describe(v)) is outside (0, inf): the likelihood's '\(parameterNames[j])' must be > 0")
            }
            if outside {
                throw InferKitError.invalidArgument(
                    "\(name)[\(j)] (parameter '\(parameterNames[j])') = \(describe(v)) is outside the support \(supports[j].description) of its prior \(priors[j].description)")
            }
        }
        if let customPrior {
            let v = try theta.withUnsafeBufferPointer { try customPrior.value($0) }
            if !(v > -.infinity) || v.isNaN {
                throw InferKitError.invalidArgument("the custom log-prior is \(describe(v)) at \(name)")
            }
        }
        var f = [Double](repeating: 0, count: pointCount)
        let logL = try f.withUnsafeMutableBufferPointer { fb in
            try theta.withUnsafeBufferPointer { t in try data.storage.withPoints { try logLikelihood(t, points: $0, f: fb) } }
        }
        if let i = f.firstIndex(where: { !$0.isFinite }) {
            throw InferKitError.invalidArgument("the model is \(describe(f[i])) at data point \(i) at \(name)")
        }
        guard !logL.isFinite else { return }
        if case .poisson = likelihood,
           let i = f.indices.first(where: { f[$0] < 0 || (f[$0] == 0 && data.y[$0] > 0) }) {
            throw InferKitError.invalidArgument(
                "the Poisson rate at data point \(i) is \(describe(f[i])) at \(name) (y = \(describe(data.y[i]))): a rate must be >= 0, and > 0 where y > 0")
        }
        throw InferKitError.invalidArgument("the log-likelihood is \(describe(logL)) at \(name)")
    }
}
