// Settings and stopping reasons of the nonlinear least-squares solvers.

/// The algorithm of a nonlinear least-squares fit.
public enum LeastSquaresMethod: Int, Sendable {
    /// Levenberg-Marquardt with Moré's trust region and scaling (MINPACK's lmder), optional
    /// geodesic acceleration, box bounds by projection and robust losses.
    case levenbergMarquardt = 0
    /// Plain Gauss-Newton steps with step halving (for teaching and comparison).
    case gaussNewton = 1
}

/// How the parameters are scaled for the trust region ‖D p‖ ≤ Δ.
public enum ParameterScaling: Sendable, Equatable {
    /// D = the largest column norms of the Jacobian seen so far (MINPACK's mode 1): invariant
    /// to the parameters' units.
    case jacobian
    /// D = 1 / scale: the caller's characteristic scale of each parameter (scipy's x_scale).
    case fixed([Double])
}

/// Why a least-squares solver stopped.
public enum LeastSquaresTermination: Int, Sendable {
    /// Both the actual and the predicted relative reduction of the cost are at most ftol.
    case costTolerance = 1
    /// The relative change of the scaled parameters is at most xtol.
    case stepTolerance = 2
    /// Both of the above.
    case costAndStepTolerance = 3
    /// The cosine of the angle between the residuals and every Jacobian column is at most gtol
    /// (the gradient vanishes), or every free parameter is pinned at a bound.
    case gradientTolerance = 4
    /// The number of model evaluations reached the maximum.
    case maximumEvaluations = 5
    /// No further reduction is possible in floating-point arithmetic (the tolerances are below
    /// machine precision): converged as far as double precision allows.
    case machinePrecision = 6
    /// The progress callback asked to stop.
    case stoppedByCallback = 7
    /// Every step tried from the best point made the model non-finite (NaN or ±inf).
    case nonFiniteModel = 8

    /// True for the reasons that mean convergence.
    public var converged: Bool {
        switch self {
        case .costTolerance, .stepTolerance, .costAndStepTolerance, .gradientTolerance, .machinePrecision: return true
        default: return false
        }
    }

    /// One sentence saying why the solver stopped.
    public var message: String {
        switch self {
        case .costTolerance:
            return "converged: the actual and predicted relative reductions of the cost are at most ftol"
        case .stepTolerance:
            return "converged: the relative change of the parameters is at most xtol"
        case .costAndStepTolerance:
            return "converged: the relative reductions of the cost are at most ftol and the relative change of the parameters is at most xtol"
        case .gradientTolerance:
            return "converged: the gradient is orthogonal to the residuals within gtol"
        case .maximumEvaluations:
            return "stopped: the number of model evaluations reached max_nfev"
        case .machinePrecision:
            return "converged: no further reduction of the cost is possible in double precision"
        case .stoppedByCallback:
            return "stopped: the progress callback asked to stop"
        case .nonFiniteModel:
            return "stopped: the model was NaN or infinite at every step tried from the best parameters"
        }
    }
}

/// Settings of a nonlinear least-squares fit. The default tolerances (1e-15, a few units of
/// rounding) stop only where double precision stops making progress: a parameter much smaller
/// than its own uncertainty (NIST's ENSO b8 = 0.21 ± 0.51) changes the cost by 1e-15 of itself
/// at its sixth digit. With them the fits reach the NIST StRD certified values (6 digits and
/// more) from both NIST starting points; scipy's 1.5e-8 stop several digits earlier.
public struct LeastSquaresOptions {
    /// The algorithm.
    public var method: LeastSquaresMethod = .levenbergMarquardt
    /// Relative reduction of the cost below which the fit has converged (MINPACK's ftol).
    public var ftol = 1e-15
    /// Relative change of the scaled parameters below which it has converged (MINPACK's xtol).
    public var xtol = 1e-15
    /// Largest cosine between the residual vector and a Jacobian column at convergence
    /// (MINPACK's gtol).
    public var gtol = 1e-15
    /// Most model evaluations (Jacobian evaluations by finite differences not included);
    /// 0 means 500 (n + 1).
    public var maxEvaluations = 0
    /// The robust loss ρ.
    public var loss: RobustLoss = .linear
    /// The soft threshold c of the loss (scipy's f_scale): residuals beyond c are down-weighted.
    public var lossScale = 1.0
    /// Initial trust radius as a multiple of ‖D p₀‖ (MINPACK's factor).
    public var initialStepBound = 10.0
    /// Parameter scaling of the trust region.
    public var scaling: ParameterScaling = .jacobian
    /// Geodesic acceleration (Transtrum and Sethna 2012): a second-order correction of each
    /// Levenberg-Marquardt step along the curvature of the model, kept when ‖a‖ ≤ α‖v‖/2.
    public var geodesicAcceleration = false
    /// α of the geodesic acceleration test.
    public var geodesicRatio = 0.75
    /// Threads for evaluating a formula model at 32,768 points or more (0: all cores); results
    /// are identical for every count. Batches fit each row on one thread.
    public var threads = 0
    /// Called after every accepted step with (iteration, parameters, cost); returning false
    /// stops the fit cleanly (the result keeps the best parameters so far).
    public var progress: ((Int, [Double], Double) -> Bool)? = nil

    /// The defaults.
    public init() {}

    /// The evaluation limit for n parameters.
    func evaluationLimit(_ n: Int) -> Int { maxEvaluations > 0 ? maxEvaluations : 500 * (n + 1) }

    /// Throws `invalidArgument` naming the first option out of range.
    public func validate(parameterCount n: Int) throws {
        for (name, value) in [("ftol", ftol), ("xtol", xtol), ("gtol", gtol)] where !(value >= 0 && value.isFinite) {
            throw InferKitError.invalidArgument("\(name) is \(describe(value)): it must be finite and >= 0")
        }
        guard threads >= 0 else {
            throw InferKitError.invalidArgument("n_threads is \(threads): it must be >= 0 (0 for all cores)")
        }
        guard maxEvaluations >= 0 else {
            throw InferKitError.invalidArgument("max_nfev is \(maxEvaluations): it must be >= 0 (0 for the default)")
        }
        guard lossScale > 0 && lossScale.isFinite else {
            throw InferKitError.invalidArgument("f_scale is \(describe(lossScale)): it must be finite and > 0")
        }
        guard initialStepBound > 0 && initialStepBound.isFinite else {
            throw InferKitError.invalidArgument("factor is \(describe(initialStepBound)): it must be finite and > 0")
        }
        guard geodesicRatio > 0 && geodesicRatio.isFinite else {
            throw InferKitError.invalidArgument("geodesic ratio is \(describe(geodesicRatio)): it must be finite and > 0")
        }
        if case .fixed(let scale) = scaling {
            guard scale.count == n else {
                throw InferKitError.dimensionMismatch("x_scale has \(scale.count) values but the model has \(n) parameters")
            }
            for (j, s) in scale.enumerated() where !(s > 0 && s.isFinite) {
                throw InferKitError.invalidArgument("x_scale[\(j)] is \(describe(s)): every scale must be finite and > 0")
            }
        }
        if geodesicAcceleration && method != .levenbergMarquardt {
            throw InferKitError.invalidArgument("geodesic acceleration needs the Levenberg-Marquardt method")
        }
    }
}
