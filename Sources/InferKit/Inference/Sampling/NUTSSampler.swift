#if canImport(Glibc)
import Glibc
#endif

// The No-U-Turn sampler's entry point: several independent chains of Stan's NUTS
// (NUTSTree.swift) with Stan's warm-up (StepSizeAdaptation.swift, MetricAdaptation.swift), run
// in parallel threads. Chain c draws every random number from stream c of the seed, so the
// draws are bit-identical for any thread count; the state can be saved and restored so that a
// resumed run continues exactly where an uninterrupted one would have.

/// Hamiltonian Monte Carlo with the No-U-Turn criterion (Hoffman & Gelman 2014) as Stan runs
/// it: multinomial sampling along the trajectory, the generalised U-turn criterion, dual-
/// averaging step size and windowed diagonal or dense metric adaptation during warm-up.
///
/// A `Posterior` whose parameters have bounded supports, and any `TransformedLogDensity`, is
/// sampled in the unconstrained space of its transforms; initial positions are given and draws
/// come back in the parameters' own (constrained) space. The density must allow concurrent
/// evaluation from several threads when `options.threads` is not 1.
///
/// Without an exact gradient (`hasExactGradient` false) the sampler runs on the density's
/// finite-difference gradient (2n + 1 evaluations per leapfrog step, with errors of about
/// 10⁻¹⁰ relative); `NUTSResult.exactGradient` then says so.
///
/// One sampler is not to be used from several threads at once.
public final class NUTSSampler {
    /// The density as given.
    public let density: any LogDensity
    /// The density the chains move in (the unconstrained one for transformed densities).
    let space: any LogDensity
    /// θ_j = T_j(u_j) from the sampling space to the parameters' own, or nil for the identity.
    let transforms: [ParameterTransform]?
    /// Number of chains.
    public let chainCount: Int
    /// The seed: chain c uses `RandomStream(seed: seed, stream: c)`.
    public let seed: UInt64
    /// The options.
    public let options: NUTSOptions
    let chains: [NUTSChain]
    /// True once the chains have positions (after a run or a restore).
    public internal(set) var hasPositions = false
    /// True once a warm-up ran to its end, so that runs without warm-up draw from a frozen,
    /// adapted sampler.
    public internal(set) var adaptationFinished = false
    /// Sampling iterations made so far over all runs (the thinning phase).
    var samplingIterations = 0

    /// A sampler of `density` with `chains` chains. Throws `invalidArgument` for no chains, a
    /// density without parameters or an option out of range (naming it).
    public init(density: any LogDensity, chains: Int, seed: UInt64, options: NUTSOptions = NUTSOptions()) throws {
        try options.validate()
        guard chains >= 1 else { throw InferKitError.invalidArgument("the number of chains is \(chains): it must be >= 1") }
        guard density.dimension >= 1 else {
            throw InferKitError.invalidArgument("the log-probability has no parameters: NUTS needs at least one")
        }
        // Each chain keeps its trajectory's vectors (per depth level) and a metric: refuse sizes
        // that cannot fit rather than trap in an allocation.
        let n = density.dimension
        let (square, o1) = n.multipliedReportingOverflow(by: n)
        let (vectors, o2) = n.multipliedReportingOverflow(by: 13 + 9 * (options.maxTreeDepth + 7))
        let (perChain, o3) = vectors.addingReportingOverflow(4 * square)
        let (total, o4) = perChain.multipliedReportingOverflow(by: chains)
        guard chains <= 1 << 20, !(o1 || o2 || o3 || o4), total <= 1 << 31 else {
            throw InferKitError.outOfMemory(
                "\(chains) chains of \(n) parameters need more memory than a sampler allows (at most 2^20 chains and 2^31 values of workspace)")
        }
        self.density = density
        if let posterior = density as? Posterior, posterior.transforms.contains(where: { $0 != .identity }) {
            let transformed = try posterior.unconstrained()
            space = transformed
            transforms = transformed.transforms
        } else if let transformed = density as? TransformedLogDensity {
            space = transformed
            transforms = transformed.transforms
        } else {
            space = density
            transforms = nil
        }
        chainCount = chains
        self.seed = seed
        self.options = options
        let space = self.space
        self.chains = (0..<chains).map { NUTSChain(index: $0, density: space, seed: seed, options: options) }
    }

    /// Number of parameters.
    public var dimension: Int { density.dimension }
    /// Parameter names.
    public var parameterNames: [String] { density.parameterNames }

    /// Runs `warmup` warm-up iterations (adaptation; draws discarded) and then `samples`
    /// sampling iterations per chain, keeping every `options.thinning`-th.
    ///
    /// `initial` (chains × dimension, row-major, in the parameters' own space) starts the chains;
    /// nil continues from where the last run (or `restore`) left them, or, the first time,
    /// draws each chain's start uniformly from (−2, 2) in the sampling space (Stan's default),
    /// retrying up to 100 times until the log-probability is finite.
    ///
    /// A warm-up (re)starts the adaptation from the current step size and metric; a run without
    /// warm-up keeps them frozen. `progress` is called between blocks of iterations (about 100
    /// per run) and can stop the run: the result then holds the draws so far and
    /// `draws.stoppedEarly` is true. `draws` streams kept draws as they are made, on the calling
    /// thread in draw order: the draw's index among the sampler's kept draws since its creation
    /// (continuing across runs and restores), the positions of every chain (chains × dimension,
    /// row-major, in the parameters' own space) and their log-probabilities; throwing aborts the
    /// run with that error.
    ///
    /// Throws `invalidArgument` for samples 0; `dimensionMismatch` for an `initial` of the wrong
    /// length; `nonFinite` for a NaN or infinite initial value or a log-probability that is NaN
    /// or +∞ at an initial position (naming the chain and the parameters); `invalidArgument` for
    /// an initial position outside the support (log-probability −∞) or outside a transform's
    /// interval; `notConverged` when the step-size search fails (an improper posterior); and
    /// whatever the density or `draws` throws. After a failure the sampler is as before the call.
    /// Divergent transitions (including NaN or infinite energies inside a trajectory) are
    /// counted, not errors.
    public func run(initial: [Double]? = nil, warmup: Int, samples: Int,
                    progress: SamplingProgressHandler? = nil,
                    draws: ((_ draw: Int, _ positions: UnsafeBufferPointer<Double>,
                             _ logProbabilities: UnsafeBufferPointer<Double>) throws -> Void)? = nil) throws -> NUTSResult {
        guard samples >= 1 else {
            throw InferKitError.invalidArgument("samples is \(samples): a run needs at least one sampling iteration")
        }
        guard warmup >= 0 else { throw InferKitError.invalidArgument("warmup is \(warmup): it must be >= 0") }
        guard warmup <= Int.max / 2 - samples, samplingIterations <= Int.max / 2 - samples else {
            throw InferKitError.outOfMemory("warmup \(warmup) plus samples \(samples) iterations overflow the iteration counter")
        }
        let saved = state
        do {
            return try BLASThreads.singleThreaded {
                try runChains(initial: initial, warmup: warmup, samples: samples, progress: progress, draws: draws)
            }
        } catch {
            try? restore(saved)
            if !saved.hasPositions { hasPositions = false }
            throw error
        }
    }

    /// θ = T(u) of one sampling-space point into `out`, returning Σ log|T'(u)|.
    @inline(__always)
    func constrain(_ u: UnsafeMutablePointer<Double>, into out: UnsafeMutablePointer<Double>) -> Double {
        let n = dimension
        guard let transforms else {
            out.update(from: u, count: n)
            return 0
        }
        var logJacobian = 0.0
        for j in 0..<n {
            let t = transforms[j].constrain(u[j])
            out[j] = t.value
            logJacobian += t.logJacobian
        }
        return logJacobian
    }

    /// Puts every chain at its starting point and checks the log-probability there.
    private func placeChains(initial: [Double]?) throws {
        let n = dimension, names = parameterNames
        var theta = [Double](repeating: 0, count: n)
        if let initial {
            guard initial.count == chainCount * n else {
                throw InferKitError.dimensionMismatch(
                    "initial has \(initial.count) values but \(chainCount) chains of \(n) parameters need \(chainCount * n)")
            }
            for (i, v) in initial.enumerated() where !v.isFinite {
                throw InferKitError.nonFinite("initial[\(i / n), \(i % n)] (chain \(i / n), parameter '\(names[i % n])') is \(describe(v))")
            }
        }
        for chain in chains {
            let c = chain.index
            var u: [Double]
            if let initial {
                let given = Array(initial[(c * n)..<(c * n + n)])
                if let transformed = space as? TransformedLogDensity {
                    do { u = try transformed.unconstrained(given) } catch let e as InferKitError {
                        throw InferKitError.invalidArgument("the initial position of chain \(c) is outside the support: \(e.message)")
                    }
                } else {
                    u = given
                }
            } else if hasPositions {
                u = Array(UnsafeBufferPointer(start: chain.position, count: n))
            } else {
                u = [Double](repeating: 0, count: n)
                var found = false
                for _ in 0..<100 {
                    for j in 0..<n { u[j] = -2 + 4 * chain.random.uniform() }
                    let value = try u.withUnsafeBufferPointer { try chain.place(at: $0) }
                    if value.isFinite { found = true; break }
                }
                if !found {
                    throw InferKitError.invalidArgument(
                        "no initial position of chain \(c) with a finite log-probability was found in 100 uniform draws from (-2, 2): give initial positions")
                }
            }
            let value = try u.withUnsafeBufferPointer { try chain.place(at: $0) }
            _ = theta.withUnsafeMutableBufferPointer { constrain(chain.position, into: $0.baseAddress!) }
            try theta.withUnsafeBufferPointer {
                try checkLogProbability(value, at: $0, names: names, what: "the initial position of chain \(c)")
            }
            if value == -.infinity {
                let shown = zip(names, theta).prefix(8).map { "\($0) = \($1)" }.joined(separator: ", ")
                throw InferKitError.invalidArgument(
                    "the initial position of chain \(c) (\(shown)) is outside the support: the log-probability is -inf there")
            }
            for j in 0..<n where !chain.trajectory.current.g[j].isFinite {
                throw InferKitError.nonFinite(
                    "the gradient of the log-probability with respect to '\(names[j])' is \(describe(chain.trajectory.current.g[j])) at the initial position of chain \(c)")
            }
        }
        hasPositions = true
    }

    private func runChains(initial: [Double]?, warmup: Int, samples: Int,
                           progress: SamplingProgressHandler?,
                           draws: ((Int, UnsafeBufferPointer<Double>, UnsafeBufferPointer<Double>) throws -> Void)?) throws -> NUTSResult {
        let n = dimension, chainCount = self.chainCount, thin = options.thinning
        let evaluationsBefore = chains.map { $0.system.gradientEvaluations }
        try placeChains(initial: initial)

        let s0 = samplingIterations
        func keptBefore(_ s: Int) -> Int { s / thin + (s % thin == 0 ? 0 : 1) }
        let keptTotal = keptBefore(s0 + samples) - keptBefore(s0)
        // The kept draws' storage, allocated with malloc so that a request too large for the
        // machine is an error instead of a trap.
        let (slots, o1) = keptTotal.multipliedReportingOverflow(by: chainCount)
        let (values, o2) = slots.multipliedReportingOverflow(by: n)
        let (bytes, o3) = values.multipliedReportingOverflow(by: MemoryLayout<Double>.stride)
        let (recordBytes, o4) = slots.multipliedReportingOverflow(by: MemoryLayout<NUTSTransitionInfo>.stride)
        func tooLarge() -> InferKitError {
            .outOfMemory("\(keptTotal) kept draws of \(chainCount) chains of \(n) parameters do not fit in memory")
        }
        guard !(o1 || o2 || o3 || o4) else { throw tooLarge() }
        guard let rawPositions = malloc(max(8, bytes)), let rawLogProbability = malloc(max(8, slots * 8)),
              let rawRecord = malloc(max(MemoryLayout<NUTSTransitionInfo>.stride, recordBytes)) else { throw tooLarge() }
        defer { free(rawPositions); free(rawLogProbability); free(rawRecord) }
        let positions = UnsafeMutableBufferPointer(start: rawPositions.bindMemory(to: Double.self, capacity: max(1, values)),
                                                   count: max(1, values))
        let logProbability = UnsafeMutableBufferPointer(start: rawLogProbability.bindMemory(to: Double.self, capacity: max(1, slots)),
                                                        count: max(1, slots))
        let record = UnsafeMutableBufferPointer(start: rawRecord.bindMemory(to: NUTSTransitionInfo.self, capacity: max(1, slots)),
                                                count: max(1, slots))
        var divergences = [Int](repeating: 0, count: chainCount)
        var warmupDivergences = [Int](repeating: 0, count: chainCount)
        var acceptanceSums = [Double](repeating: 0, count: chainCount)
        var moved = [Int](repeating: 0, count: chainCount)

        let total = warmup + samples
        let blockSize = progress == nil && draws == nil ? total : max(1, (total + 99) / 100)
        let threads = Parallel.threads(requested: options.threads)
        let search = options.initialStepSize == 0
        var done = 0, streamed = 0, stopped = false, kept = 0

        while done < total {
            let from = done, to = min(total, done + blockSize)
            // Per-chain tallies of this block, each chain writing its own slot.
            var blockTallies = [(divergent: Int, warmupDivergent: Int, acceptance: Double, moved: Int)](
                repeating: (0, 0, 0, 0), count: chainCount)
            blockTallies.withUnsafeMutableBufferPointer { tallies in
                Parallel.forEach(chunks: chainCount, threads: threads) { c, _ in
                    let chain = chains[c]
                    chain.error = nil
                    do {
                        for i in from..<to {
                            if i == 0 {
                                if warmup > 0 {
                                    try chain.beginWarmup(warmup, searchStepSize: search)
                                } else if !chain.hasStepSize {
                                    chain.stepSize = try chain.searchStepSize(from: chain.stepSize)
                                    chain.hasStepSize = true
                                }
                            }
                            let info = try chain.iterate(warmupIteration: i < warmup ? i : nil)
                            if i < warmup {
                                if info.divergent { tallies[c].warmupDivergent += 1 }
                                continue
                            }
                            if info.divergent { tallies[c].divergent += 1 }
                            tallies[c].acceptance += info.acceptance
                            let s = s0 + i - warmup
                            guard s % thin == 0 else { continue }
                            if info.moved { tallies[c].moved += 1 }
                            let slot = (keptBefore(s) - keptBefore(s0)) * chainCount + c
                            let logJacobian = constrain(chain.position, into: positions.baseAddress! + slot * n)
                            logProbability[slot] = chain.trajectory.current.logDensity - logJacobian
                            record[slot] = info
                        }
                    } catch {
                        chain.error = error
                    }
                }
            }
            if let failed = chains.first(where: { $0.error != nil }), let error = failed.error { throw error }
            for c in 0..<chainCount {
                divergences[c] += blockTallies[c].divergent
                warmupDivergences[c] += blockTallies[c].warmupDivergent
                acceptanceSums[c] += blockTallies[c].acceptance
                moved[c] += blockTallies[c].moved
            }
            done = to
            kept = keptBefore(s0 + max(0, done - warmup)) - keptBefore(s0)
            if let draws {
                while streamed < kept {
                    try draws(keptBefore(s0) + streamed, UnsafeBufferPointer(rebasing: positions[(streamed * chainCount * n)..<((streamed + 1) * chainCount * n)]),
                              UnsafeBufferPointer(rebasing: logProbability[(streamed * chainCount)..<((streamed + 1) * chainCount)]))
                    streamed += 1
                }
            }
            if let progress {
                let report = SamplingProgress(phase: done <= warmup ? .warmup : .sampling, completed: done, total: total)
                if !progress(report) && done < total { stopped = true; break }
            }
        }

        let sampled = max(0, done - warmup)
        samplingIterations = s0 + sampled
        if warmup > 0 {
            if done >= warmup {
                adaptationFinished = true
            } else {
                adaptationFinished = false
                for chain in chains where chain.stepAdaptation.counter > 0 { chain.stepSize = chain.stepAdaptation.finalStepSize }
            }
        }

        var result = MCMCDraws(parameterNames: parameterNames, chainCount: chainCount)
        result.values = Array(positions.prefix(kept * chainCount * n))
        result.logProbability = Array(logProbability.prefix(kept * chainCount))
        result.drawCount = kept
        result.acceptedCount = moved
        result.stoppedEarly = stopped
        let infos = Array(record.prefix(kept * chainCount))
        return NUTSResult(
            draws: result,
            divergent: infos.map(\.divergent),
            treeDepth: infos.map(\.depth),
            leapfrogSteps: infos.map(\.leapfrogSteps),
            acceptanceStatistic: infos.map(\.acceptance),
            energy: infos.map(\.energy),
            divergenceCount: divergences,
            warmupDivergenceCount: warmupDivergences,
            gradientEvaluations: chains.indices.map { chains[$0].system.gradientEvaluations - evaluationsBefore[$0] },
            meanAcceptance: acceptanceSums.map { sampled > 0 ? $0 / Double(sampled) : 0 },
            stepSize: chains.map(\.stepSize),
            inverseMetric: chains.map { $0.system.metric.metric },
            exactGradient: space.hasExactGradient)
    }
}
