#if canImport(Glibc)
import Glibc
#endif

// One chain of the No-U-Turn sampler: its random stream, trajectory storage, step size and
// metric, and the warm-up that adapts them (Stan's adapt_diag_e_nuts / adapt_dense_e_nuts:
// dual averaging after every warm-up transition; at the end of each metric window the new
// metric, a fresh step-size search and dual averaging restarted from it).

/// A chain's sampler state and scratch. Each chain is run by one thread at a time.
final class NUTSChain {
    let index: Int
    let system: HamiltonianSystem
    let trajectory: NUTSTrajectory
    var random: RandomStream
    var stepSize: Double
    /// True once a step size has been chosen (given, searched or adapted).
    var hasStepSize: Bool
    var stepAdaptation: StepSizeAdaptation
    var windows = AdaptationWindows(warmup: 0)
    var estimator: WelfordEstimator
    /// True when warm-up adapts the metric (a diagonal or dense metric was asked for).
    let adaptsMetric: Bool
    /// How window estimates are regularised.
    let regularization: MetricRegularization
    /// Scratch for the step-size search.
    private let probe: PhasePoint
    /// The first error this chain met in the current block.
    var error: Error?

    init(index: Int, density: any LogDensity, seed: UInt64, options: NUTSOptions) {
        self.index = index
        let n = density.dimension
        system = HamiltonianSystem(density: density, metric: .unit(n))
        trajectory = NUTSTrajectory(system: system, maxDepth: options.maxTreeDepth, maxEnergyError: options.maxEnergyError)
        random = RandomStream(seed: seed, stream: UInt64(index))
        stepSize = options.initialStepSize > 0 ? options.initialStepSize : 1
        hasStepSize = options.initialStepSize > 0
        stepAdaptation = StepSizeAdaptation(target: options.targetAcceptance)
        estimator = WelfordEstimator(dimension: n, dense: options.metric == .dense)
        adaptsMetric = options.metric != .unit
        regularization = options.metricRegularization
        probe = PhasePoint(dimension: n)
    }

    var n: Int { system.n }
    var position: UnsafeMutablePointer<Double> { trajectory.current.q }

    /// Puts the chain at q (n values in the sampling space) and evaluates log π and its gradient
    /// there; returns log π.
    func place(at q: UnsafeBufferPointer<Double>) throws -> Double {
        for j in 0..<n { trajectory.current.q[j] = q[j] }
        try system.evaluate(trajectory.current)
        return trajectory.current.logDensity
    }

    /// Stan's initial step-size heuristic (base_hmc::init_stepsize): starting from ε, double
    /// (or halve) it until the acceptance probability of one leapfrog step from the current
    /// position with fresh momentum crosses 0.8.
    func searchStepSize(from start: Double) throws -> Double {
        let current = trajectory.current
        let threshold = log(0.8)
        func energyChange(_ epsilon: Double) throws -> Double {
            probe.copy(from: current)
            system.metric.drawMomentum(&random, into: probe.p)
            let h0 = system.energy(probe)
            try system.leapfrog(probe, epsilon)
            return h0 - system.energy(probe)
        }
        var epsilon = start
        let direction = try energyChange(epsilon) > threshold ? 1 : -1
        while true {
            let change = try energyChange(epsilon)
            if direction == 1 && !(change > threshold) { break }
            if direction == -1 && !(change < threshold) { break }
            epsilon = direction == 1 ? 2 * epsilon : 0.5 * epsilon
            if epsilon > 1e7 {
                throw InferKitError.notConverged(
                    "the step-size search of chain \(index) passed 1e7 with every step accepted: the posterior looks improper (flat in some direction)")
            }
            if epsilon == 0 {
                throw InferKitError.notConverged(
                    "the step-size search of chain \(index) found no step size small enough to be accepted: the log-probability or its gradient is not smooth at the current position")
            }
        }
        return epsilon
    }

    /// Prepares a warm-up of `warmup` iterations: a step-size search (unless the caller gave
    /// one and none was adapted yet), dual averaging from it and fresh metric windows.
    func beginWarmup(_ warmup: Int, searchStepSize search: Bool) throws {
        if search { stepSize = try searchStepSize(from: stepSize) }
        hasStepSize = true
        stepAdaptation.restart(from: stepSize)
        windows = AdaptationWindows(warmup: warmup)
        estimator.restart()
    }

    /// One transition; during warm-up (iteration `warmupIteration` of `windows.warmup`) also
    /// one step of the step-size and metric adaptation.
    func iterate(warmupIteration: Int?) throws -> NUTSTransitionInfo {
        let info = try trajectory.transition(stepSize: stepSize, random: &random)
        guard let w = warmupIteration else { return info }
        stepSize = stepAdaptation.learn(acceptance: info.acceptance)
        if adaptsMetric {
            if windows.inWindow(w) { estimator.add(trajectory.current.q) }
            if windows.endsWindow(w) {
                windows.advance(after: w)
                let values = estimator.regularized(regularization)
                let metric = estimator.dense ? try? InverseMetric(dense: values) : try? InverseMetric(diagonal: values)
                if let metric { system.metric.set(metric) }
                estimator.restart()
                stepSize = try searchStepSize(from: stepSize)
                stepAdaptation.restart(from: stepSize)
            }
        }
        if w == windows.warmup - 1 { stepSize = stepAdaptation.finalStepSize }
        return info
    }
}
