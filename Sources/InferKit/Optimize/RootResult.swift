/// Why a root finder stopped. Raw values are fixed for the C interface and never reused.
public enum RootStatus: Int32, Sendable, CaseIterable {
    /// The residual's infinity norm fell to `residualTolerance` (or is exactly 0).
    case residualTolerance = 0
    /// The Newton step (or the bracket) shrank to `absoluteStepTolerance + stepTolerance · |x|`.
    case stepTolerance = 1
    /// `maxIterations` iterations were taken.
    case maxIterations = 2
    /// The next evaluation would have exceeded `maxEvaluations`.
    case maxEvaluations = 3
    /// The progress callback returned false.
    case stoppedByCallback = 4
    /// The iteration reached a point where ½‖F‖² is stationary but F is not zero (a zero
    /// derivative in one dimension): a local minimum of the residual, not a root.
    case localMinimumOfResidual = 5
    /// No step along the Newton or damped (Levenberg-Marquardt) direction lowered ‖F‖.
    case lineSearchFailed = 6
    /// F is NaN or infinite inside the bracket, or wherever the iteration could step.
    case nonFiniteValue = 7

    /// True when a tolerance test stopped the run.
    public var isSuccess: Bool { self == .residualTolerance || self == .stepTolerance }

    /// One sentence saying why the run stopped.
    public var message: String {
        switch self {
        case .residualTolerance: return "The root was found: the residual is at most residualTolerance."
        case .stepTolerance: return "The root was found: the step is within the step tolerance."
        case .maxIterations: return "The maximum number of iterations was reached before convergence."
        case .maxEvaluations: return "The maximum number of function evaluations was reached before convergence."
        case .stoppedByCallback: return "The progress callback asked to stop."
        case .localMinimumOfResidual: return "The iteration stopped at a local minimum of the residual that is not a root (the derivative or J^T F vanishes)."
        case .lineSearchFailed: return "No step along the Newton or damped direction lowered the residual."
        case .nonFiniteValue: return "The function is NaN or infinite inside the bracket or wherever the iteration could step."
        }
    }
}

/// What the progress callback of `findRoot` sees after each iteration.
public struct RootProgress: Sendable {
    /// Iterations completed (1 after the first).
    public let iteration: Int
    /// The current point (one value for a scalar root).
    public let x: [Double]
    /// ‖F(x)‖∞ (|f(x)| for a scalar root).
    public let residualNorm: Double
}

/// The outcome of the scalar `findRoot`.
public struct ScalarRootResult: Sendable {
    /// The root estimate.
    public let root: Double
    /// f(root).
    public let value: Double
    /// f'(root).
    public let derivative: Double
    /// The final bracket [lower, upper] around the root with a sign change of f; nil when no
    /// sign change was ever seen (Newton without a bracket).
    public let bracket: (lower: Double, upper: Double)?
    /// Iterations taken (Newton or bisection steps).
    public let iterations: Int
    /// Evaluations of f (each gives f and f').
    public let evaluations: Int
    /// Why the run stopped.
    public let status: RootStatus

    /// True when a tolerance test stopped the run.
    public var success: Bool { status.isSuccess }
    /// One sentence saying why the run stopped.
    public var message: String { status.message }
}

/// The outcome of the n-dimensional `findRoot`.
public struct RootResult: Sendable {
    /// The root estimate.
    public let x: [Double]
    /// F(x).
    public let values: [Double]
    /// ‖F(x)‖∞.
    public let residualNorm: Double
    /// Iterations taken (accepted steps).
    public let iterations: Int
    /// Evaluations of F (with or without the Jacobian).
    public let functionEvaluations: Int
    /// Evaluations of the Jacobian.
    public let jacobianEvaluations: Int
    /// Why the run stopped.
    public let status: RootStatus

    /// True when a tolerance test stopped the run.
    public var success: Bool { status.isSuccess }
    /// One sentence saying why the run stopped.
    public var message: String { status.message }
}
