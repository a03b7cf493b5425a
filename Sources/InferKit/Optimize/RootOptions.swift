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
