// The complete state of a NUTS sampler between runs, so that a run after `restore` draws
// exactly what the uninterrupted sampler would have: positions (in the sampling space), step
// sizes, inverse metrics, random-stream states, whether warm-up finished and the thinning phase.
// It serialises to a flat array of 64-bit words (doubles by their bits) for the C layer.

/// A snapshot of a `NUTSSampler` (see `NUTSSampler.state` and `restore`).
public struct NUTSState: Sendable, Equatable {
    /// Number of parameters.
    public var dimension: Int
    /// Number of chains.
    public var chainCount: Int
    /// True when the chains have positions.
    public var hasPositions: Bool
    /// True when a warm-up ran to its end.
    public var adaptationFinished: Bool
    /// Sampling iterations made so far (thinning keeps those divisible by the thinning).
    public var samplingIterations: Int
    /// Positions in the sampling (unconstrained) space, chains × dimension.
    public var positions: [Double]
    /// Step size of each chain.
    public var stepSizes: [Double]
    /// True for chains whose step size was chosen (given, searched or adapted).
    public var hasStepSizes: [Bool]
    /// Inverse metric of each chain.
    public var inverseMetrics: [InverseMetric]
    /// `RandomStream.state` of each chain.
    public var randomStates: [[UInt64]]

    private static let magic: UInt64 = 0x494B_4E55_5453_0001  // "IKNUTS" v1

    /// The state as 64-bit words: a header, then per chain its stream, step size, position and
    /// metric.
    public var words: [UInt64] {
        var w: [UInt64] = [Self.magic, UInt64(dimension), UInt64(chainCount), hasPositions ? 1 : 0,
                           adaptationFinished ? 1 : 0, UInt64(samplingIterations)]
        for c in 0..<chainCount {
            w += randomStates[c]
            w.append(stepSizes[c].bitPattern)
            w.append(hasStepSizes[c] ? 1 : 0)
            w += positions[(c * dimension)..<((c + 1) * dimension)].map(\.bitPattern)
            w.append(UInt64(inverseMetrics[c].kind.rawValue))
            w.append(UInt64(inverseMetrics[c].values.count))
            w += inverseMetrics[c].values.map(\.bitPattern)
        }
        return w
    }

    /// Reads a state written by `words`. Throws `invalidArgument` when the words are not such a
    /// state (wrong header, truncated, bad values).
    public init(words: [UInt64]) throws {
        func bad(_ why: String) -> InferKitError { .invalidArgument("the NUTS state is not valid: \(why)") }
        var at = 0
        func next() throws -> UInt64 {
            guard at < words.count else { throw bad("it ends after \(words.count) words") }
            at += 1
            return words[at - 1]
        }
        guard try next() == Self.magic else { throw bad("it does not start with the NUTS state header") }
        let n = try next(), chains = try next()
        guard n >= 1, n < 1 << 24, chains >= 1, chains < 1 << 24 else { throw bad("it has \(n) parameters and \(chains) chains") }
        dimension = Int(n)
        chainCount = Int(chains)
        let flags = (try next(), try next())
        guard flags.0 <= 1, flags.1 <= 1 else { throw bad("its flags are not 0 or 1") }
        hasPositions = flags.0 == 1
        adaptationFinished = flags.1 == 1
        let iterations = try next()
        guard iterations < 1 << 62 else { throw bad("its iteration count is \(iterations)") }
        samplingIterations = Int(iterations)
        positions = []
        stepSizes = []
        hasStepSizes = []
        inverseMetrics = []
        randomStates = []
        for c in 0..<chainCount {
            let stream = try (0..<5).map { _ in try next() }
            guard RandomStream(state: stream) != nil else { throw bad("the random stream of chain \(c) is malformed") }
            randomStates.append(stream)
            let step = Double(bitPattern: try next())
            guard step > 0 && step.isFinite else { throw bad("the step size of chain \(c) is \(describe(step))") }
            stepSizes.append(step)
            let has = try next()
            guard has <= 1 else { throw bad("a flag of chain \(c) is not 0 or 1") }
            hasStepSizes.append(has == 1)
            for j in 0..<dimension {
                let v = Double(bitPattern: try next())
                guard v.isFinite else { throw bad("position [\(c), \(j)] is \(describe(v))") }
                positions.append(v)
            }
            let kindWord = try next(), count = try next()
            guard kindWord <= 2, let kind = MetricKind(rawValue: Int32(kindWord)) else { throw bad("the metric kind of chain \(c) is \(kindWord)") }
            let expected = kind == .dense ? dimension * dimension : dimension
            guard count == UInt64(expected) else { throw bad("the metric of chain \(c) has \(count) values, not \(expected)") }
            let values = try (0..<expected).map { _ in Double(bitPattern: try next()) }
            do { inverseMetrics.append(try InverseMetric(kind: kind, values: values)) } catch let e as InferKitError {
                throw bad("chain \(c): \(e.message)")
            }
        }
        guard at == words.count else { throw bad("it has \(words.count - at) words too many") }
    }

    init(dimension: Int, chainCount: Int, hasPositions: Bool, adaptationFinished: Bool, samplingIterations: Int,
         positions: [Double], stepSizes: [Double], hasStepSizes: [Bool], inverseMetrics: [InverseMetric], randomStates: [[UInt64]]) {
        self.dimension = dimension
        self.chainCount = chainCount
        self.hasPositions = hasPositions
        self.adaptationFinished = adaptationFinished
        self.samplingIterations = samplingIterations
        self.positions = positions
        self.stepSizes = stepSizes
        self.hasStepSizes = hasStepSizes
        self.inverseMetrics = inverseMetrics
        self.randomStates = randomStates
    }
}

extension NUTSSampler {
    /// The sampler's state now (see `NUTSState`).
    public var state: NUTSState {
        let n = dimension
        return NUTSState(dimension: n, chainCount: chainCount, hasPositions: hasPositions,
                         adaptationFinished: adaptationFinished, samplingIterations: samplingIterations,
                         positions: chains.flatMap { Array(UnsafeBufferPointer(start: $0.position, count: n)) },
                         stepSizes: chains.map(\.stepSize), hasStepSizes: chains.map(\.hasStepSize),
                         inverseMetrics: chains.map { $0.system.metric.metric },
                         randomStates: chains.map(\.random.state))
    }

    /// Puts the sampler in a saved state. Throws `dimensionMismatch` when the state is of another
    /// number of parameters or chains.
    public func restore(_ state: NUTSState) throws {
        guard state.dimension == dimension, state.chainCount == chainCount else {
            throw InferKitError.dimensionMismatch(
                "the state has \(state.chainCount) chains of \(state.dimension) parameters but the sampler has \(chainCount) of \(dimension)")
        }
        for chain in chains {
            let c = chain.index
            guard let random = RandomStream(state: state.randomStates[c]) else {
                throw InferKitError.invalidArgument("the NUTS state is not valid: the random stream of chain \(c) is malformed")
            }
            chain.random = random
            chain.stepSize = state.stepSizes[c]
            chain.hasStepSize = state.hasStepSizes[c]
            chain.system.metric.set(state.inverseMetrics[c])
            for j in 0..<dimension { chain.position[j] = state.positions[c * dimension + j] }
        }
        hasPositions = state.hasPositions
        adaptationFinished = state.adaptationFinished
        samplingIterations = state.samplingIterations
    }
}
