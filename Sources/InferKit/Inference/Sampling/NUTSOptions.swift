// The settings of a No-U-Turn sampler and what one of its runs returns.

/// Options of `NUTSSampler` (Stan's defaults).
public struct NUTSOptions: Sendable, Equatable {
    /// The mean acceptance statistic that warm-up's dual averaging aims for, in (0, 1).
    public var targetAcceptance = 0.8
    /// The maximum tree depth: at most 2^maxTreeDepth − 1 leapfrog steps per draw (1...30).
    public var maxTreeDepth = 10
    /// The form of the adapted inverse metric (diagonal by default; unit is never adapted).
    public var metric: MetricKind = .diagonal
    /// How warm-up regularises each window's (co)variance estimate. The default, `.scaleFree`,
    /// differs from Stan's: Stan shrinks towards 10⁻³ I, which swamps parameters whose posterior
    /// variances are far below 10⁻³ (on the 1000-point peak posterior it cut the ESS per gradient
    /// eightfold); `.stan` reproduces Stan.
    public var metricRegularization: MetricRegularization = .scaleFree
    /// The first step size; 0 chooses it by Stan's heuristic (one step accepted with
    /// probability about 0.8). Warm-up adapts it either way.
    public var initialStepSize = 0.0
    /// Keep every `thinning`-th sampling iteration (1 keeps all).
    public var thinning = 1
    /// Threads running chains (0: all cores). Results do not depend on it.
    public var threads = 0
    /// The energy error H − H₀ above which a trajectory counts as divergent.
    public var maxEnergyError = 1000.0

    /// Stan's defaults.
    public init() {}

    /// Throws `invalidArgument` naming the first option out of its range.
    public func validate() throws {
        guard targetAcceptance > 0 && targetAcceptance < 1 else {
            throw InferKitError.invalidArgument("the target acceptance is \(describe(targetAcceptance)): it must lie in (0, 1)")
        }
        guard (1...30).contains(maxTreeDepth) else {
            throw InferKitError.invalidArgument("the maximum tree depth is \(maxTreeDepth): it must lie in 1...30")
        }
        guard initialStepSize == 0 || (initialStepSize > 0 && initialStepSize.isFinite) else {
            throw InferKitError.invalidArgument("the initial step size is \(describe(initialStepSize)): it must be finite and > 0, or 0 for the heuristic")
        }
        guard thinning >= 1 else { throw InferKitError.invalidArgument("thinning is \(thinning): it must be >= 1") }
        guard threads >= 0 else { throw InferKitError.invalidArgument("threads is \(threads): it must be >= 0 (0: all cores)") }
        guard maxEnergyError > 0 else {
            throw InferKitError.invalidArgument("the maximum energy error is \(describe(maxEnergyError)): it must be > 0")
        }
    }
}

/// The draws of one `NUTSSampler.run` and what the sampler did per chain. Per-draw arrays are
/// draw-major like `MCMCDraws` (`[draw * chainCount + chain]`) and hold kept draws only.
public struct NUTSResult: Sendable {
    /// The kept draws and their log-probabilities, in the parameters' own (constrained) space;
    /// for a posterior sampled through transforms the log-probability is the posterior's
    /// log p(θ), without the Jacobian term.
    public var draws: MCMCDraws
    /// True where the transition that made the draw diverged.
    public var divergent: [Bool]
    /// Depth of the tree of each draw.
    public var treeDepth: [Int]
    /// Leapfrog steps of each draw (one gradient evaluation each).
    public var leapfrogSteps: [Int]
    /// Mean acceptance statistic of each draw's trajectory.
    public var acceptanceStatistic: [Double]
    /// The Hamiltonian H of each draw (for the energy diagnostic E-BFMI).
    public var energy: [Double]
    /// Divergent transitions of each chain among all its sampling iterations (thinned ones
    /// included).
    public var divergenceCount: [Int]
    /// Divergent transitions of each chain during warm-up.
    public var warmupDivergenceCount: [Int]
    /// Gradient evaluations of each chain in this run (warm-up, step-size searches and the
    /// initial point included).
    public var gradientEvaluations: [Int]
    /// Each chain's mean acceptance statistic over its sampling iterations.
    public var meanAcceptance: [Double]
    /// Each chain's step size at the end of the run.
    public var stepSize: [Double]
    /// Each chain's inverse metric at the end of the run (in the sampling space).
    public var inverseMetric: [InverseMetric]
    /// True when the gradient was exact; false when it came from finite differences.
    public var exactGradient: Bool

    /// Number of chains.
    public var chainCount: Int { draws.chainCount }
}
