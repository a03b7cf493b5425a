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

/// Settings of `findRoot`, scalar and n-dimensional.
public struct RootOptions {
    /// Stop when ‖F(x)‖∞ <= this. Default 0: only an exact zero stops on the residual.
    public var residualTolerance = 0.0
    /// Relative part of the step tolerance: stop when a Newton step (a scalar root's step or
    /// bracket) is at most `absoluteStepTolerance + stepTolerance · ‖x‖∞`. Default 4 eps
    /// (scipy's brentq `rtol`).
    public var stepTolerance = 4 * Double.ulpOfOne
    /// Absolute part of the step tolerance. Default 2e-12 (scipy's brentq `xtol`).
    public var absoluteStepTolerance = 2e-12
    /// Maximum iterations, >= 0. Default 100.
    public var maxIterations = 100
    /// Maximum evaluations of F (with or without the Jacobian), >= 1. nil: unlimited.
    public var maxEvaluations: Int?
    /// Called after every iteration; returning false stops the run (`stoppedByCallback`); its
    /// errors propagate unchanged. Called on the caller's thread, never concurrently.
    public var progress: ((RootProgress) throws -> Bool)?

    /// The defaults.
    public init() {}

    /// Throws `invalidArgument` naming the first option out of range.
    func check() throws {
        func require(_ holds: Bool, _ message: @autoclosure () -> String) throws {
            if !holds { throw InferKitError.invalidArgument(message()) }
        }
        try require(residualTolerance >= 0, "options.residualTolerance = \(residualTolerance) must be >= 0")
        try require(stepTolerance >= 0, "options.stepTolerance = \(stepTolerance) must be >= 0")
        try require(absoluteStepTolerance >= 0, "options.absoluteStepTolerance = \(absoluteStepTolerance) must be >= 0")
        try require(maxIterations >= 0, "options.maxIterations = \(maxIterations) must be >= 0")
        if let m = maxEvaluations { try require(m >= 1, "options.maxEvaluations = \(m) must be >= 1") }
    }

    /// The step tolerance at a point of size `scale` (‖x‖∞).
    func stepTolerance(at scale: Double) -> Double { absoluteStepTolerance + stepTolerance * scale }

    /// Reports an iteration; true when the callback asks to stop.
    func reportStops(_ iteration: Int, _ x: [Double], _ residualNorm: Double) throws -> Bool {
        guard let progress else { return false }
        return try !progress(RootProgress(iteration: iteration, x: x, residualNorm: residualNorm))
    }
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
