import CLapack
#if canImport(Glibc)
import Glibc
#endif

// Random-walk Metropolis-Hastings (Metropolis et al. 1953, Hastings 1970) with a Gaussian
// jumping distribution that adapts during warm-up (ProposalAdaptation.swift) and then freezes.
// Several independent chains run together: chain c uses stream c of the seed for all of its
// randomness, so the chains are bit-identical for any thread count. The chains are cut into
// min(chains, threads) contiguous groups that run concurrently; within a group each iteration
// evaluates log p of all the group's proposals in one batch (a formula runs vectorised).

/// Options of random-walk Metropolis-Hastings.
public struct MetropolisOptions {
    /// Warm-up iterations per chain (adaptation; not kept). Default 1000.
    public var warmup = 1000
    /// Keep every `thin`-th sampling iteration: `draws` kept draws take draws × thin iterations.
    public var thin = 1
    /// Adapt the jumping covariance during warm-up (Haario et al. 2001), from iteration
    /// max(100, 10 d) on.
    public var adaptCovariance = true
    /// Adapt the jumping scale during warm-up by Robbins-Monro toward `targetAcceptance`.
    public var adaptScale = true
    /// The acceptance rate the scale adaptation aims at (0.234, Roberts, Gelman & Gilks 1997).
    public var targetAcceptance = 0.234
    /// ε: the adapted covariance is (2.38²/d)(Σ̂ + ε (tr Σ̂/d) I), so it stays positive definite.
    public var regularization = 1e-6
    /// The initial jumping covariance, d × d row-major, symmetric positive definite; nil uses
    /// proposalScale² I.
    public var proposalCovariance: [Double]? = nil
    /// The initial jumping standard deviation of every parameter when proposalCovariance is nil.
    public var proposalScale = 0.1
    /// Threads, 0 = all cores (each runs a group of chains).
    public var threads = 0
    /// Called between blocks of iterations (per chain: warm-up and sampling together);
    /// returning false stops the run cleanly.
    public var progress: SamplingProgressHandler?
    /// Called with every kept draw of all chains (chains × dimension positions).
    public var draws: MCMCDrawHandler?

    /// The defaults.
    public init() {}
}

/// The draws of a Metropolis run and its frozen jumping distributions.
public struct MetropolisResult {
    /// The kept draws, draw-major (draws × chains × dimension); `acceptedCount` counts
    /// acceptances at kept draws.
    public var draws: MCMCDraws
    /// Each chain's frozen jumping covariance, chains × d × d row-major.
    public var proposalCovariance: [Double]
    /// Acceptance fraction of each chain over the whole sampling phase (all iterations, thinned
    /// ones too).
    public var acceptanceFraction: [Double]
    /// Acceptance fraction of each chain during warm-up.
    public var warmupAcceptanceFraction: [Double]
    /// The chains' state at the end of the run (positions, log-probabilities, frozen jumping
    /// distributions, random streams), for `Metropolis.resume`.
    public var state: [UInt64]
}

/// Random-walk Metropolis-Hastings over several independent chains.
public enum Metropolis {
    /// Iterations between progress reports and draw streaming.
    static let block = 50

    /// Runs `initial.count / dimension` chains from the rows of `initial` (chains × d
    /// row-major): `options.warmup` adapting iterations, then `draws` kept draws.
    ///
    /// Throws `invalidArgument` for draws < 1, warm-up < 0, thin < 1, threads < 0, a target
    /// acceptance outside (0, 1), a negative or non-finite ε or scale, a chain that starts outside
    /// the support (log p = −∞, naming it); `dimensionMismatch` when `initial` is empty or not
    /// whole rows, or the covariance is not d × d; `nonFinite` naming chain and parameter of a
    /// NaN/inf start, and the chain and iteration where log p is NaN or +∞; `invalidArgument`
    /// for a covariance that is not symmetric positive definite; the density's own errors.
    public static func sample(_ density: any LogDensity, initial: [Double], draws drawCount: Int, seed: UInt64,
                              options: MetropolisOptions = MetropolisOptions()) throws -> MetropolisResult {
        let d = density.dimension
        let names = density.parameterNames
        guard d >= 1 else { throw InferKitError.invalidArgument("the log-probability has no parameters") }
        guard drawCount >= 1 else { throw InferKitError.invalidArgument("draws is \(drawCount): take at least one draw") }
        guard options.warmup >= 0 else { throw InferKitError.invalidArgument("warmup is \(options.warmup): it must be >= 0") }
        guard options.thin >= 1 else { throw InferKitError.invalidArgument("thin is \(options.thin): it must be >= 1") }
        guard options.threads >= 0 else { throw InferKitError.invalidArgument("threads is \(options.threads): it must be >= 0 (0 for all cores)") }
        guard options.targetAcceptance > 0, options.targetAcceptance < 1 else {
            throw InferKitError.invalidArgument("targetAcceptance is \(describe(options.targetAcceptance)): it must be in (0, 1)")
        }
        guard options.regularization.isFinite, options.regularization >= 0 else {
            throw InferKitError.invalidArgument("regularization is \(describe(options.regularization)): it must be finite and >= 0")
        }
        guard !initial.isEmpty, initial.count % d == 0 else {
            throw InferKitError.dimensionMismatch(
                "the initial positions have \(initial.count) values, which is not a whole number (>= 1) of chains of \(d) parameters")
        }
        let (total, overflow) = drawCount.multipliedReportingOverflow(by: options.thin)
        guard !overflow, total <= Int.max - options.warmup else {
            throw InferKitError.outOfMemory("draws x thin + warmup overflows")
        }
        let chains = initial.count / d
        try requireStorable(drawCount, chains, d, "the draws")
        try requireStorable(chains, d, d, "the chains' jumping covariances", limit: maximumWorkspaceValues)
        for (index, v) in initial.enumerated() where !v.isFinite {
            throw InferKitError.nonFinite("the initial position of chain \(index / d), parameter '\(names[index % d])' is \(describe(v))")
        }
        let initialFactor = try choleskyFactor(of: options, dimension: d)
        let storage = MetropolisStorage(chains: chains, dimension: d, draws: drawCount, seed: seed, initialFactor: initialFactor)
        let threads = Parallel.threads(requested: options.threads)
        // Starting log-probabilities.
        for i in 0..<(chains * d) { storage.positions[i] = initial[i] }
        try evaluateBatch(density, points: UnsafeBufferPointer(storage.positions), count: chains, dimension: d,
                          into: storage.logProbabilities, threads: threads)
        for c in 0..<chains {
            let point = UnsafeBufferPointer(rebasing: storage.positions[(c * d)..<(c * d + d)])
            let lp = storage.logProbabilities[c]
            try checkLogProbability(lp, at: point, names: names, what: "the initial position of chain \(c)")
            if lp == -.infinity {
                throw InferKitError.invalidArgument(
                    "chain \(c) starts outside the support: its log-probability is -inf at its initial position; start every chain where the density is positive")
            }
        }
        return try run(density, storage: storage, warmup: options.warmup, draws: drawCount, options: options)
    }

    /// Continues the chains of a state saved by `MetropolisResult.state` with its frozen jumping
    /// distributions for `draws` more kept draws (no warm-up: `options.warmup` and the adaptation
    /// and proposal options are ignored; thin, threads and the handlers apply). The draws equal
    /// those an uninterrupted run would have made next, bit for bit.
    ///
    /// Throws `invalidArgument` for draws < 1, thin < 1 or threads < 0 and for a state that is not
    /// a saved Metropolis state or is corrupt; `dimensionMismatch` when its dimension is not the
    /// density's or its length is wrong; and the errors of `sample` during the run.
    public static func resume(_ density: any LogDensity, state: [UInt64], draws drawCount: Int,
                              options: MetropolisOptions = MetropolisOptions()) throws -> MetropolisResult {
        let d = density.dimension
        guard drawCount >= 1 else { throw InferKitError.invalidArgument("draws is \(drawCount): take at least one draw") }
        guard options.thin >= 1 else { throw InferKitError.invalidArgument("thin is \(options.thin): it must be >= 1") }
        guard options.threads >= 0 else { throw InferKitError.invalidArgument("threads is \(options.threads): it must be >= 0 (0 for all cores)") }
        guard state.count >= 3, state[0] == MetropolisStorage.stateTag else {
            throw InferKitError.invalidArgument("the state is not a saved Metropolis state (its first word is not the Metropolis tag)")
        }
        guard state[2] == UInt64(d) else {
            throw InferKitError.dimensionMismatch("the state is of \(state[2]) parameters but the log-probability has \(d)")
        }
        guard state[1] >= 1, state[1] <= UInt64(maximumWorkspaceValues) else {
            throw InferKitError.invalidArgument("the state is corrupt: it has \(state[1]) chains")
        }
        let chains = Int(state[1])
        guard state.count == MetropolisStorage.stateSize(chains: chains, dimension: d) else {
            throw InferKitError.dimensionMismatch(
                "the state has \(state.count) words but \(chains) chains of \(d) parameters need \(MetropolisStorage.stateSize(chains: chains, dimension: d))")
        }
        guard !drawCount.multipliedReportingOverflow(by: options.thin).overflow else {
            throw InferKitError.outOfMemory("draws x thin overflows")
        }
        try requireStorable(drawCount, chains, d, "the draws")
        try requireStorable(chains, d, d, "the chains' jumping covariances", limit: maximumWorkspaceValues)
        let storage = MetropolisStorage(chains: chains, dimension: d, draws: drawCount, seed: 0,
                                        initialFactor: [Double](repeating: 0, count: d * d))
        try storage.restore(state)
        return try run(density, storage: storage, warmup: 0, draws: drawCount, options: options)
    }

    /// The iterations of a run from the storage's state: `warmup` adapting ones, then
    /// draws × thin sampling ones.
    static func run(_ density: any LogDensity, storage: MetropolisStorage, warmup: Int, draws drawCount: Int,
                    options: MetropolisOptions) throws -> MetropolisResult {
        let d = storage.dimension, chains = storage.chains
        let names = density.parameterNames
        let threads = Parallel.threads(requested: options.threads)
        let total = drawCount * options.thin
        let rule = ProposalAdaptation(covariance: options.adaptCovariance, scale: options.adaptScale,
                                      targetAcceptance: options.targetAcceptance, regularization: options.regularization,
                                      start: Swift.max(100, 10 * d))
        let run = MetropolisRun(density: density, storage: storage, rule: rule, warmup: warmup, thin: options.thin,
                                names: names)
        let iterations = warmup + total
        let groups = Parallel.workers(chunks: chains, threads: threads)
        var done = 0, stopped = false, kept = 0
        try BLASThreads.singleThreaded {
            while done < iterations {
                // Blocks never straddle the end of warm-up, so the freeze happens between blocks.
                let limit = done < warmup ? warmup : iterations
                let end = Swift.min(limit, done + block)
                var failures = [(iteration: Int, chain: Int, error: Error)?](repeating: nil, count: groups)
                failures.withUnsafeMutableBufferPointer { f in
                    Parallel.forEach(chunks: groups, threads: threads) { group, _ in
                        let lo = group * chains / groups, hi = (group + 1) * chains / groups
                        f[group] = run.iterate(chains: lo..<hi, from: done, to: end)
                    }
                }
                if let first = failures.compactMap({ $0 }).min(by: { ($0.iteration, $0.chain) < ($1.iteration, $1.chain) }) {
                    throw first.error
                }
                if end == warmup && options.adaptCovariance && warmup >= rule.start {
                    for c in 0..<chains { storage.adaptiveState(c).refactor(regularization: options.regularization) }
                }
                // Kept draws made in this block, streamed in draw order.
                let nowKept = Swift.max(0, end - warmup) / options.thin
                if let handler = options.draws {
                    for k in kept..<nowKept {
                        try handler(k, UnsafeBufferPointer(rebasing: storage.drawValues[(k * chains * d)..<((k + 1) * chains * d)]),
                                    UnsafeBufferPointer(rebasing: storage.drawLogProbabilities[(k * chains)..<((k + 1) * chains)]))
                    }
                }
                kept = nowKept
                done = end
                if let progress = options.progress,
                   !progress(SamplingProgress(phase: done <= warmup ? .warmup : .sampling, completed: done, total: iterations)) {
                    stopped = done < iterations
                    break
                }
            }
        }
        var result = MCMCDraws(parameterNames: names, chainCount: chains)
        result.values = Array(storage.drawValues.prefix(kept * chains * d))
        result.logProbability = Array(storage.drawLogProbabilities.prefix(kept * chains))
        result.drawCount = kept
        result.acceptedCount = Array(storage.keptAccepted)
        result.stoppedEarly = stopped
        var covariance = [Double](repeating: 0, count: chains * d * d)
        covariance.withUnsafeMutableBufferPointer { out in
            for c in 0..<chains { storage.adaptiveState(c).proposalCovariance(into: out.baseAddress! + c * d * d) }
        }
        let sampling = Swift.max(0, done - warmup), warm = Swift.min(done, warmup)
        return MetropolisResult(
            draws: result, proposalCovariance: covariance,
            acceptanceFraction: storage.samplingAccepted.map { sampling > 0 ? Double($0) / Double(sampling) : 0 },
            warmupAcceptanceFraction: storage.warmupAccepted.map { warm > 0 ? Double($0) / Double(warm) : 0 },
            state: storage.state())
    }

    /// The upper Cholesky factor (column-major) of the initial jumping covariance.
    static func choleskyFactor(of options: MetropolisOptions, dimension d: Int) throws -> [Double] {
        var a = [Double](repeating: 0, count: d * d)
        if let c = options.proposalCovariance {
            guard c.count == d * d else {
                throw InferKitError.dimensionMismatch("proposalCovariance has \(c.count) values but \(d) parameters need \(d) x \(d) = \(d * d)")
            }
            for (i, v) in c.enumerated() where !v.isFinite {
                throw InferKitError.nonFinite("proposalCovariance[\(i / d), \(i % d)] is \(describe(v))")
            }
            for i in 0..<d {
                for j in 0..<i where Swift.abs(c[i * d + j] - c[j * d + i]) > 1e-12 * Swift.max(Swift.abs(c[i * d + j]), Swift.abs(c[j * d + i]), Double.leastNormalMagnitude) {
                    throw InferKitError.invalidArgument(
                        "proposalCovariance is not symmetric: element [\(i), \(j)] is \(c[i * d + j]) but [\(j), \(i)] is \(c[j * d + i])")
                }
            }
            a = c  // symmetric, so row-major equals column-major
        } else {
            let s = options.proposalScale
            guard s.isFinite, s > 0 else {
                throw InferKitError.invalidArgument("proposalScale is \(describe(s)): it must be finite and > 0")
            }
            for i in 0..<d { a[i * d + i] = s * s }
        }
        guard try LAPACK.potrf(d, &a) else {
            throw InferKitError.invalidArgument("proposalCovariance is not positive definite")
        }
        for j in 0..<d { for i in (j + 1)..<Swift.max(j + 1, d) { a[j * d + i] = 0 } }
        return a
    }
}

/// The chains' state and outputs at stable addresses (each group of chains writes only its own
/// slices).
final class MetropolisStorage: @unchecked Sendable {
    let chains: Int, dimension: Int
    let positions, logProbabilities, proposals, proposalLogProbabilities, normals: UnsafeMutableBufferPointer<Double>
    let means, m2, factors, candidates, logScales: UnsafeMutableBufferPointer<Double>
    let counts, keptAccepted, samplingAccepted, warmupAccepted: UnsafeMutableBufferPointer<Int>
    let streams: UnsafeMutableBufferPointer<RandomStream>
    let drawValues, drawLogProbabilities: UnsafeMutableBufferPointer<Double>

    init(chains: Int, dimension d: Int, draws: Int, seed: UInt64, initialFactor: [Double]) {
        self.chains = chains
        dimension = d
        func doubles(_ n: Int) -> UnsafeMutableBufferPointer<Double> {
            let b = UnsafeMutableBufferPointer<Double>.allocate(capacity: n); b.initialize(repeating: 0); return b
        }
        func integers(_ n: Int) -> UnsafeMutableBufferPointer<Int> {
            let b = UnsafeMutableBufferPointer<Int>.allocate(capacity: n); b.initialize(repeating: 0); return b
        }
        positions = doubles(chains * d); logProbabilities = doubles(chains); proposals = doubles(chains * d)
        proposalLogProbabilities = doubles(chains); normals = doubles(chains * d)
        means = doubles(chains * d); m2 = doubles(chains * d * d); factors = doubles(chains * d * d)
        candidates = doubles(chains * d * d); logScales = doubles(chains)
        counts = integers(chains); keptAccepted = integers(chains); samplingAccepted = integers(chains)
        warmupAccepted = integers(chains)
        streams = .allocate(capacity: chains)
        for c in 0..<chains {
            streams.initializeElement(at: c, to: RandomStream(seed: seed, stream: UInt64(c)))
            for i in 0..<(d * d) { factors[c * d * d + i] = initialFactor[i] }
        }
        drawValues = doubles(draws * chains * d)
        drawLogProbabilities = doubles(draws * chains)
    }

    deinit {
        for b in [positions, logProbabilities, proposals, proposalLogProbabilities, normals, means, m2, factors,
                  candidates, logScales, drawValues, drawLogProbabilities] { b.deallocate() }
        for b in [counts, keptAccepted, samplingAccepted, warmupAccepted] { b.deallocate() }
        streams.deallocate()
    }

    /// Marks a saved Metropolis state ("IKMETRO" and format version 1).
    static let stateTag: UInt64 = 0x494B_4D45_5452_4F01

    /// Words of a saved state: 3 + chains (d + 1 + d² + 1 + 5).
    static func stateSize(chains: Int, dimension d: Int) -> Int { 3 + chains * (d + 1 + d * d + 1 + 5) }

    /// [tag, chains, d, positions, log-probabilities, jumping factors (chains × d × d), log
    /// scales (bit patterns), random streams (5 words each)].
    func state() -> [UInt64] {
        var out: [UInt64] = [Self.stateTag, UInt64(chains), UInt64(dimension)]
        out.reserveCapacity(Self.stateSize(chains: chains, dimension: dimension))
        for v in positions { out.append(v.bitPattern) }
        for v in logProbabilities { out.append(v.bitPattern) }
        for v in factors { out.append(v.bitPattern) }
        for v in logScales { out.append(v.bitPattern) }
        for s in streams { out.append(contentsOf: s.state) }
        return out
    }

    /// Loads a checked-size state from `state()`; `invalidArgument` when it is corrupt.
    func restore(_ state: [UInt64]) throws {
        let d = dimension
        var offset = 3
        func doubles(_ into: UnsafeMutableBufferPointer<Double>) {
            for i in 0..<into.count { into[i] = Double(bitPattern: state[offset + i]) }
            offset += into.count
        }
        doubles(positions); doubles(logProbabilities); doubles(factors); doubles(logScales)
        for c in 0..<chains {
            guard let s = RandomStream(state: Array(state[offset..<(offset + 5)])) else {
                throw InferKitError.invalidArgument("the state is corrupt: the random stream of chain \(c) is invalid")
            }
            streams[c] = s
            offset += 5
        }
        for i in 0..<(chains * d) where !positions[i].isFinite {
            throw InferKitError.invalidArgument("the state is corrupt: the position of chain \(i / d) is not finite")
        }
        for c in 0..<chains where logProbabilities[c].isNaN || logProbabilities[c] == .infinity || !logScales[c].isFinite {
            throw InferKitError.invalidArgument("the state is corrupt: chain \(c) has log-probability \(logProbabilities[c])")
        }
        for i in 0..<factors.count where !factors[i].isFinite {
            throw InferKitError.invalidArgument("the state is corrupt: a jumping factor of chain \(i / (d * d)) is not finite")
        }
    }

    /// Chain c's adaptive state.
    func adaptiveState(_ c: Int) -> ChainAdaptiveState {
        let d = dimension
        return ChainAdaptiveState(dimension: d, mean: means.baseAddress! + c * d, m2: m2.baseAddress! + c * d * d,
                                  factor: factors.baseAddress! + c * d * d, candidate: candidates.baseAddress! + c * d * d,
                                  count: counts.baseAddress! + c, logScale: logScales.baseAddress! + c)
    }
}

/// The iterations of one group of chains.
struct MetropolisRun: @unchecked Sendable {
    let density: any LogDensity
    let storage: MetropolisStorage
    let rule: ProposalAdaptation
    let warmup: Int
    let thin: Int
    let names: [String]

    /// Iterations `from..<to` of chains `range`; the first failure (iteration, chain, error),
    /// or nil.
    func iterate(chains range: Range<Int>, from: Int, to: Int) -> (iteration: Int, chain: Int, error: Error)? {
        let s = storage, d = s.dimension, chains = s.chains
        let count = range.count
        guard count > 0 else { return nil }
        let x = s.positions.baseAddress!, y = s.proposals.baseAddress!, z = s.normals.baseAddress!
        let points = UnsafeBufferPointer(rebasing: UnsafeBufferPointer(s.proposals)[(range.lowerBound * d)..<(range.upperBound * d)])
        let values = UnsafeMutableBufferPointer(rebasing: s.proposalLogProbabilities[range])
        for t in from..<to {
            for c in range {
                s.adaptiveState(c).propose(x: x + c * d, y: y + c * d, z: z + c * d, stream: &s.streams[c])
            }
            do {
                try density.values(points, count: count, into: values)
            } catch {
                return (t, range.lowerBound, error)
            }
            let warming = t < warmup
            let keptIndex = !warming && (t - warmup + 1) % thin == 0 ? (t - warmup + 1) / thin - 1 : -1
            for c in range {
                let lp = s.proposalLogProbabilities[c]
                if lp.isNaN || lp == .infinity {
                    do {
                        try checkLogProbability(lp, at: UnsafeBufferPointer(start: y + c * d, count: d), names: names,
                                                what: "the proposal of chain \(c) at iteration \(t + 1) (\(warming ? "warm-up" : "sampling"))")
                    } catch {
                        return (t, c, error)
                    }
                }
                let ratio = lp - s.logProbabilities[c]
                let accept = ratio > log(s.streams[c].openUniform())
                if accept {
                    s.logProbabilities[c] = lp
                    for k in 0..<d { x[c * d + k] = y[c * d + k] }
                }
                if warming {
                    if accept { s.warmupAccepted[c] += 1 }
                    let alpha = lp == -.infinity ? 0 : Swift.min(1, exp(ratio))
                    s.adaptiveState(c).adapt(rule, iteration: t, acceptance: alpha, state: x + c * d)
                } else {
                    if accept { s.samplingAccepted[c] += 1 }
                    if keptIndex >= 0 {
                        if accept { s.keptAccepted[c] += 1 }
                        for k in 0..<d { s.drawValues[(keptIndex * chains + c) * d + k] = x[c * d + k] }
                        s.drawLogProbabilities[keptIndex * chains + c] = s.logProbabilities[c]
                    }
                }
            }
        }
        return nil
    }
}
