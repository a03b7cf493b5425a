#if canImport(Glibc)
import Glibc
#endif

// The affine-invariant ensemble sampler (Goodman & Weare 2010, "Ensemble samplers with affine
// invariance"; Foreman-Mackey et al. 2013, emcee). Each step chooses one move from the weighted
// mixture, splits the walkers at random into two halves and updates each half against the
// other (the complementary ensemble): proposals for the whole half first, each from its
// walker's own random stream, then log p of the whole half in one batch (a formula runs
// vectorised over the walkers; several threads take deterministic chunks), then the
// Metropolis-Hastings accept/reject. Results are bit-identical for any thread count.

/// Options of the ensemble sampler.
public struct EnsembleOptions {
    /// The moves and their weights; each step uses one, chosen with probability weight / total
    /// (emcee's `moves=[(move, weight), ...]`). Default: the stretch move alone.
    public var moves: [(move: EnsembleMove, weight: Double)] = [(.stretch(), 1)]
    /// Threads evaluating each half-ensemble; 0 = all cores when it pays (measured on the first
    /// batches: a cheap formula stays on one thread). A log p called concurrently must allow it.
    public var threads = 1
    /// Keep every `thin`-th step: a run of n steps makes n × thin steps and stores n (emcee's
    /// `thin_by`).
    public var thin = 1
    /// Called after every stored step (phase `.sampling`, steps stored so far in this run, the
    /// run's steps); returning false stops the run cleanly.
    public var progress: SamplingProgressHandler?
    /// Called with every stored step (walkers × dimension positions, walkers log-probabilities).
    public var draws: MCMCDrawHandler?

    /// The defaults: the stretch move with a = 2, one thread, no thinning.
    public init() {}

    /// Throws `invalidArgument` for no moves, a weight that is negative, NaN or infinite, all
    /// weights zero, a move out of range, thin < 1 or threads < 0.
    func validate(complement: Int) throws {
        guard !moves.isEmpty else { throw InferKitError.invalidArgument("moves is empty: give at least one move") }
        var total = 0.0
        for (i, m) in moves.enumerated() {
            guard m.weight.isFinite, m.weight >= 0 else {
                throw InferKitError.invalidArgument("the weight of move \(i) (\(m.move.description)) is \(describe(m.weight)): weights must be finite and >= 0")
            }
            total += m.weight
            try m.move.validate(complement: complement)
        }
        guard total > 0 else { throw InferKitError.invalidArgument("every move has weight 0: at least one weight must be > 0") }
        guard thin >= 1 else { throw InferKitError.invalidArgument("thin is \(thin): it must be >= 1") }
        guard threads >= 0 else { throw InferKitError.invalidArgument("threads is \(threads): it must be >= 0 (0 for all cores)") }
    }
}

/// The affine-invariant ensemble MCMC sampler, emcee's `EnsembleSampler`.
///
/// `run(initial:steps:)` appends `steps` stored steps to `draws` (emcee's `run_mcmc`); with
/// `initial` nil it continues from the last state. `saveState()` / `restoreState(_:)` capture
/// the whole sampler state (positions, log-probabilities, random streams, step count) exactly,
/// so a restored sampler continues bit for bit as the original would.
///
/// Randomness: walker k uses stream k of `seed` for everything about its own proposal and
/// acceptance; stream `walkerCount` chooses the move and the split of each step.
///
/// Not thread-safe: one sampler must not be used from two threads at once.
public final class EnsembleSampler {
    /// The density sampled.
    public let density: any LogDensity
    /// Number of walkers.
    public let walkerCount: Int
    /// The seed of the random streams.
    public let seed: UInt64
    /// The options (moves, thinning, threads, handlers).
    public let options: EnsembleOptions
    /// The stored steps of every run since creation, `reset()` or `restoreState(_:)`.
    public internal(set) var draws: MCMCDraws
    /// Steps made in total (thinned ones included) since creation or `reset()`; restored by
    /// `restoreState(_:)`.
    public internal(set) var stepCount = 0
    /// True once the walkers have a position (after a run or a restore).
    public internal(set) var hasState = false
    /// The progress handler of the next runs (initially `options.progress`); may be replaced
    /// between runs.
    public var progress: SamplingProgressHandler?
    /// Steps per stored step of the next runs (initially `options.thin`; emcee's per-run
    /// `thin_by`); values below 1 are treated as 1.
    public var thin: Int

    let dimension: Int
    let positions: UnsafeMutableBufferPointer<Double>
    let logProbabilities: UnsafeMutableBufferPointer<Double>
    private let proposals: UnsafeMutableBufferPointer<Double>
    private let proposalLogProbabilities: UnsafeMutableBufferPointer<Double>
    private let factors: UnsafeMutableBufferPointer<Double>
    private let order: UnsafeMutableBufferPointer<Int>
    private let indexScratch: UnsafeMutableBufferPointer<Int>
    private let meanScratch: UnsafeMutableBufferPointer<Double>
    private let accepted: UnsafeMutableBufferPointer<Bool>
    /// walkerCount + 1 streams: one per walker, then the ensemble's own.
    let streams: UnsafeMutableBufferPointer<RandomStream>
    private let cumulativeWeights: [Double]

    /// A sampler of `density` with `walkerCount` walkers. Throws `invalidArgument` for fewer
    /// than 2 × dimension walkers (emcee's rule for the red-blue moves; at least 2), a density
    /// without parameters, or bad options.
    public init(density: any LogDensity, walkerCount: Int, seed: UInt64, options: EnsembleOptions = EnsembleOptions()) throws {
        let d = density.dimension
        guard d >= 1 else { throw InferKitError.invalidArgument("the log-probability has no parameters: the ensemble needs at least one") }
        guard walkerCount >= 2 * d, walkerCount >= 2 else {
            throw InferKitError.invalidArgument(
                "walkers is \(walkerCount) but the ensemble sampler needs at least 2 x \(d) = \(Swift.max(2, 2 * d)) walkers (twice the number of parameters)")
        }
        try options.validate(complement: walkerCount / 2)
        try requireStorable(walkerCount, d + 1, 1, "the walkers", limit: maximumWorkspaceValues)
        self.density = density
        self.walkerCount = walkerCount
        self.seed = seed
        self.options = options
        dimension = d
        draws = MCMCDraws(parameterNames: density.parameterNames, chainCount: walkerCount)
        let n = walkerCount
        positions = .allocate(capacity: n * d); positions.initialize(repeating: 0)
        logProbabilities = .allocate(capacity: n); logProbabilities.initialize(repeating: 0)
        proposals = .allocate(capacity: n * d); proposals.initialize(repeating: 0)
        proposalLogProbabilities = .allocate(capacity: n); proposalLogProbabilities.initialize(repeating: 0)
        factors = .allocate(capacity: n); factors.initialize(repeating: 0)
        order = .allocate(capacity: n); for i in 0..<n { order.initializeElement(at: i, to: i) }
        indexScratch = .allocate(capacity: n); indexScratch.initialize(repeating: 0)
        meanScratch = .allocate(capacity: d); meanScratch.initialize(repeating: 0)
        accepted = .allocate(capacity: n); accepted.initialize(repeating: false)
        streams = .allocate(capacity: n + 1)
        for k in 0...n { streams.initializeElement(at: k, to: RandomStream(seed: seed, stream: UInt64(k))) }
        progress = options.progress
        thin = options.thin
        var total = 0.0
        cumulativeWeights = options.moves.map { total += $0.weight; return total }
    }

    deinit {
        positions.deallocate(); logProbabilities.deallocate(); proposals.deallocate()
        proposalLogProbabilities.deallocate(); factors.deallocate(); order.deallocate()
        indexScratch.deallocate(); meanScratch.deallocate(); accepted.deallocate(); streams.deallocate()
    }

    /// Number of stored steps (emcee's `iteration`).
    public var iteration: Int { draws.drawCount }

    /// Fraction of accepted proposals of each walker over the stored steps (emcee's
    /// `acceptance_fraction`: acceptances at stored steps over stored steps).
    public var acceptanceFraction: [Double] { draws.acceptanceFraction }

    /// The current positions, walkers × dimension (zeros before the first run).
    public var currentPositions: [Double] { Array(positions) }
    /// The current log-probabilities, one per walker.
    public var currentLogProbabilities: [Double] { Array(logProbabilities) }

    /// Forgets the stored steps, the acceptance counts and the step count; the walkers keep
    /// their positions and streams, so `run(initial: nil, ...)` still continues (emcee's
    /// `reset`).
    public func reset() {
        draws = MCMCDraws(parameterNames: density.parameterNames, chainCount: walkerCount)
        stepCount = 0
    }

    /// Makes `steps` stored steps (steps × thin in all) and appends them to `draws`.
    ///
    /// `initial`: walkers × dimension row-major starting positions, or nil to continue from the
    /// last state. Throws `invalidArgument` for steps < 1 or nil without a previous state;
    /// `dimensionMismatch` for a wrong length; `nonFinite` naming the walker and parameter of a
    /// NaN/inf start; `singular` when the initial walkers are not linearly independent (emcee's
    /// condition-number test); `invalidArgument` naming the walker whose initial log p is −∞
    /// (outside the support); `nonFinite` naming the walker and step where log p is NaN or +∞;
    /// and the density's own errors (a failing callback). After a failure mid-run the stored
    /// steps so far stay and the walkers hold the state where it failed.
    public func run(initial: [Double]?, steps: Int) throws {
        guard steps >= 1 else { throw InferKitError.invalidArgument("steps is \(steps): run at least one step") }
        let n = walkerCount, d = dimension
        guard steps <= maximumStoredValues - draws.drawCount else {
            throw InferKitError.outOfMemory("steps is \(steps): the chain would be longer than the 2^31 steps a sampler stores")
        }
        try requireStorable(draws.drawCount + steps, n, d, "the chain")
        let names = density.parameterNames
        if let initial {
            guard initial.count == n * d else {
                throw InferKitError.dimensionMismatch(
                    "the initial state has \(initial.count) values but \(n) walkers of \(d) parameters need \(n * d)")
            }
            for (index, v) in initial.enumerated() where !v.isFinite {
                throw InferKitError.nonFinite(
                    "the initial position of walker \(index / d), parameter '\(names[index % d])' is \(describe(v))")
            }
            try initial.withUnsafeBufferPointer { try requireIndependentWalkers($0, walkers: n, names: names) }
            try initial.withUnsafeBufferPointer { start in
                try evaluateBatch(density, points: start, count: n, dimension: d, into: proposalLogProbabilities,
                                  threads: Parallel.threads(requested: options.threads))
                for w in 0..<n {
                    let point = UnsafeBufferPointer(rebasing: start[(w * d)..<(w * d + d)])
                    let lp = proposalLogProbabilities[w]
                    try checkLogProbability(lp, at: point, names: names, what: "the initial position of walker \(w)")
                    if lp == -.infinity {
                        let shown = zip(names, point).prefix(8).map { "\($0) = \($1)" }.joined(separator: ", ")
                        throw InferKitError.invalidArgument(
                            "walker \(w) starts outside the support: its log-probability is -inf at (\(shown)\(d > 8 ? ", ..." : "")); start every walker where the density is positive")
                    }
                }
            }
            for i in 0..<(n * d) { positions[i] = initial[i] }
            for w in 0..<n { logProbabilities[w] = proposalLogProbabilities[w] }
            hasState = true
        } else if !hasState {
            throw InferKitError.invalidArgument(
                "the initial state is missing and there is no previous run to continue: give the walkers' starting positions")
        }
        let evaluator = BatchEvaluator(density, requested: options.threads)
        draws.values.reserveCapacity((draws.drawCount + steps) * n * d)
        draws.logProbability.reserveCapacity((draws.drawCount + steps) * n)
        try BLASThreads.singleThreaded {
            for s in 0..<steps {
                let thin = Swift.max(1, self.thin)
                for t in 0..<thin {
                    try step(evaluator, names: names)
                    if t == thin - 1 {
                        for w in 0..<n where accepted[w] { draws.acceptedCount[w] += 1 }
                    }
                }
                draws.append(positions: UnsafeBufferPointer(positions), logProbabilities: UnsafeBufferPointer(logProbabilities))
                if let handler = options.draws {
                    try handler(draws.drawCount - 1, UnsafeBufferPointer(positions), UnsafeBufferPointer(logProbabilities))
                }
                if let progress,
                   !progress(SamplingProgress(phase: .sampling, completed: s + 1, total: steps)) {
                    draws.stoppedEarly = true
                    return
                }
            }
        }
    }

    /// One step of the whole ensemble: choose the move, split, update both halves.
    private func step(_ evaluator: BatchEvaluator, names: [String]) throws {
        let n = walkerCount, d = dimension
        let moveIndex: Int
        if cumulativeWeights.count == 1 {
            moveIndex = 0
        } else {
            let u = streams[n].uniform() * cumulativeWeights[cumulativeWeights.count - 1]
            moveIndex = cumulativeWeights.firstIndex { u < $0 } ?? cumulativeWeights.count - 1
        }
        let move = options.moves[moveIndex].move
        // emcee's randomize_split: a random permutation (of the identity, so the stream is the
        // only state); the first ceil(n/2) form half 0.
        for i in 0..<n { order[i] = i }
        for i in stride(from: n - 1, to: 0, by: -1) {
            order.swapAt(i, streams[n].integer(below: i + 1))
        }
        let first = (n + 1) / 2
        for w in 0..<n { accepted[w] = false }
        for half in 0..<2 {
            let active = half == 0 ? 0..<first : first..<n
            let others = half == 0 ? first..<n : 0..<first
            let context = ProposalContext(
                dimension: d, positions: positions,
                complement: UnsafeBufferPointer(rebasing: UnsafeBufferPointer(order)[others]),
                indexScratch: indexScratch, meanScratch: meanScratch)
            let count = active.count
            for i in 0..<count {
                let w = order[active.lowerBound + i]
                factors[i] = context.propose(move, x: positions.baseAddress! + w * d,
                                             y: proposals.baseAddress! + i * d, stream: &streams[w])
            }
            try evaluator.evaluate(UnsafeBufferPointer(proposals), count: count, into: proposalLogProbabilities)
            for i in 0..<count {
                let w = order[active.lowerBound + i]
                let lp = proposalLogProbabilities[i]
                if lp.isNaN || lp == .infinity {
                    try checkLogProbability(lp, at: UnsafeBufferPointer(rebasing: proposals[(i * d)..<(i * d + d)]), names: names,
                                            what: "the proposal of walker \(w) at step \(stepCount + 1)")
                }
                let difference = factors[i] + lp - logProbabilities[w]
                // emcee's test difference > log u; u < 1, so log u is needed only when difference < 0.
                let u = streams[w].openUniform()
                if difference >= 0 || difference > log(u) {
                    accepted[w] = true
                    logProbabilities[w] = lp
                    for k in 0..<d { positions[w * d + k] = proposals[i * d + k] }
                }
            }
        }
        stepCount += 1
    }
}
