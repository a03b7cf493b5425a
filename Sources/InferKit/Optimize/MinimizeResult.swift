/// Why a minimisation stopped. Raw values are fixed for the C interface and never reused.
public enum MinimizeStatus: Int32, Sendable, CaseIterable {
    /// The (projected) gradient's infinity norm fell to `gtol`.
    case gradientTolerance = 0
    /// The relative reduction of f in one iteration fell to `ftol`.
    case functionTolerance = 1
    /// The relative step fell to `xtol`.
    case stepTolerance = 2
    /// The Nelder-Mead simplex shrank within `simplexXTolerance` and `simplexFTolerance`.
    case simplexTolerance = 3
    /// `maxIterations` iterations were taken.
    case maxIterations = 4
    /// The next evaluation would have exceeded `maxEvaluations`.
    case maxEvaluations = 5
    /// The progress callback returned false.
    case stoppedByCallback = 6
    /// No step along the search direction satisfied the line-search conditions, even after
    /// restarting from the steepest-descent direction (rounding errors near a minimum, an
    /// inaccurate gradient, or a non-smooth objective).
    case lineSearchFailed = 7
    /// The trust region shrank below rounding level without an acceptable step.
    case trustRegionCollapsed = 8
    /// The objective (or its gradient or Hessian) is NaN or infinite wherever the method could
    /// step, or the Hessian at the current point is not finite.
    case nonFiniteValue = 9

    /// True for the tolerance tests (a converged run).
    public var isSuccess: Bool {
        switch self {
        case .gradientTolerance, .functionTolerance, .stepTolerance, .simplexTolerance: return true
        default: return false
        }
    }

    /// One sentence saying why the run stopped.
    public var message: String {
        switch self {
        case .gradientTolerance: return "Optimization terminated successfully: the norm of the (projected) gradient is at most gtol."
        case .functionTolerance: return "Optimization terminated successfully: the relative reduction of the objective is at most ftol."
        case .stepTolerance: return "Optimization terminated successfully: the relative step is at most xtol."
        case .simplexTolerance: return "Optimization terminated successfully: the simplex is within simplexXTolerance and simplexFTolerance."
        case .maxIterations: return "The maximum number of iterations was reached before convergence."
        case .maxEvaluations: return "The maximum number of function evaluations was reached before convergence."
        case .stoppedByCallback: return "The progress callback asked to stop."
        case .lineSearchFailed: return "The line search could not find a point that lowers the objective enough (rounding errors, an inaccurate gradient or a non-smooth objective)."
        case .trustRegionCollapsed: return "The trust region shrank to rounding level without a step that lowers the objective."
        case .nonFiniteValue: return "The objective, its gradient or its Hessian is NaN or infinite wherever the method could step."
        }
    }
}

/// The outcome of `minimize`: the best point the method accepted and how it got there.
public struct MinimizeResult: Sendable {
    /// The solution (the last accepted iterate; the best vertex for Nelder-Mead).
    public let x: [Double]
    /// f(x).
    public let value: Double
    /// ∇f(x); nil for Nelder-Mead.
    public let gradient: [Double]?
    /// The infinity norm of the projected gradient x - P(x - ∇f(x)) (of ∇f(x) without bounds);
    /// nil for Nelder-Mead.
    public let gradientNorm: Double?
    /// Iterations taken (accepted steps; Nelder-Mead: simplex transformations).
    public let iterations: Int
    /// Calls that computed f (with or without derivatives).
    public let functionEvaluations: Int
    /// Calls that computed ∇f.
    public let gradientEvaluations: Int
    /// Calls that computed the Hessian.
    public let hessianEvaluations: Int
    /// Why the run stopped.
    public let status: MinimizeStatus
    /// The estimate of the inverse Hessian at x, n x n: the BFGS approximation for bfgs, the
    /// inverse of the exact Hessian at x for newton and newtonTrustRegion (newton evaluates
    /// it once more at x, counted, within the evaluation budget; nil when that Hessian is not
    /// positive definite); nil for the other methods (the limited-memory ones keep no dense
    /// matrix).
    public let inverseHessian: DenseMatrix?

    /// True when a tolerance test stopped the run.
    public var success: Bool { status.isSuccess }
    /// One sentence saying why the run stopped.
    public var message: String { status.message }
}
