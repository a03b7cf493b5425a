// What every MCMC sampler shares: how a run reports progress and is stopped, and the draws it
// returns. Samplers differ in how they move (random-walk Metropolis, the affine-invariant
// ensemble, NUTS); their results all land in `MCMCDraws`, so diagnostics, the C layer and the
// Python layer read one layout.

/// Where a run is, passed to the caller's progress handler.
public struct SamplingProgress: Sendable, Equatable {
    /// The phase of the run.
    public enum Phase: Int32, Sendable {
        /// Warm-up (adaptation): the draws are discarded and the jumping rule still changes.
        case warmup = 0
        /// Sampling: the jumping rule is frozen and every iteration is kept.
        case sampling = 1
    }
    /// The phase of the iteration just completed.
    public var phase: Phase
    /// Iterations completed so far in all phases together (per chain, or ensemble steps).
    public var completed: Int
    /// Iterations of the whole run (warm-up plus sampling).
    public var total: Int
}

/// Called between iterations, on the thread that called the sampler; returning false stops the
/// run cleanly: the result then holds the draws made so far and `stoppedEarly` is true.
public typealias SamplingProgressHandler = (SamplingProgress) -> Bool

/// MCMC draws of several chains (independent chains, or the walkers of an ensemble), stored
/// draw-major as emcee stores them: `values[(draw * chainCount + chain) * dimension + k]` and
/// `logProbability[draw * chainCount + chain]`. Only kept draws are stored (after warm-up and
/// thinning).
public struct MCMCDraws: Sendable {
    /// Parameter names, one per dimension.
    public var parameterNames: [String]
    /// Number of chains or walkers.
    public var chainCount: Int
    /// Number of kept draws per chain.
    public var drawCount: Int
    /// The draws, draws × chains × dimension, row-major.
    public var values: [Double]
    /// log p of every draw, draws × chains.
    public var logProbability: [Double]
    /// Accepted proposals of each chain over its kept draws (NUTS: draws that moved).
    public var acceptedCount: [Int]
    /// True when the progress handler stopped the run before its end.
    public var stoppedEarly = false

    /// Empty storage for `chains` chains of `dimension` parameters, room for `draws` draws.
    public init(parameterNames: [String], chainCount: Int, reservingDraws draws: Int = 0) {
        self.parameterNames = parameterNames
        self.chainCount = chainCount
        drawCount = 0
        values = []
        logProbability = []
        acceptedCount = [Int](repeating: 0, count: chainCount)
        values.reserveCapacity(draws * chainCount * parameterNames.count)
        logProbability.reserveCapacity(draws * chainCount)
    }

    /// Number of parameters.
    public var dimension: Int { parameterNames.count }

    /// Appends one draw of every chain: `positions` is chains × dimension, `logProbabilities`
    /// one value per chain.
    public mutating func append(positions: UnsafeBufferPointer<Double>, logProbabilities: UnsafeBufferPointer<Double>) {
        values.append(contentsOf: positions.prefix(chainCount * dimension))
        logProbability.append(contentsOf: logProbabilities.prefix(chainCount))
        drawCount += 1
    }

    /// Fraction of accepted proposals of each chain over its kept draws (0 when none kept).
    public var acceptanceFraction: [Double] {
        acceptedCount.map { drawCount > 0 ? Double($0) / Double(drawCount) : 0 }
    }

    /// The draws in chain-major order (chains × draws × dimension), ArviZ's layout.
    public var chainMajorValues: [Double] {
        let n = dimension
        var out = [Double](repeating: 0, count: values.count)
        for d in 0..<drawCount {
            for c in 0..<chainCount {
                let from = (d * chainCount + c) * n, to = (c * drawCount + d) * n
                for k in 0..<n { out[to + k] = values[from + k] }
            }
        }
        return out
    }
}

/// The checks every sampler makes of a log-probability value: −∞ rejects the point; NaN and +∞
/// are errors that name the parameters. `what` says where the value came from ("the initial
/// position of walker 3", "the proposal at step 120 of chain 1").
func checkLogProbability(_ value: Double, at point: UnsafeBufferPointer<Double>, names: [String], what: String) throws {
    if value.isNaN || value == .infinity {
        let shown = zip(names, point).prefix(8).map { "\($0) = \($1)" }.joined(separator: ", ")
        throw InferKitError.nonFinite("the log-probability is \(value) at \(what) (\(shown)\(names.count > 8 ? ", ..." : "")): it must be finite or -inf")
    }
}
