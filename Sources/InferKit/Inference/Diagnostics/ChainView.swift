/// How the three axes of an MCMC output array are arranged (row-major, last index fastest).
public enum ChainLayout: Sendable {
    /// emcee's `get_chain()` layout (steps, walkers, parameters): the sequences are the walkers.
    case stepsWalkersParameters
    /// ArviZ's layout (chains, draws, parameters): the sequences are the chains.
    case chainsDrawsParameters
}

/// A zero-copy, read-only view of MCMC output: `sequenceCount` Markov sequences (walkers or
/// chains) of `sequenceLength` states (steps or draws) of `parameterCount` parameters, in
/// one of the two row-major layouts of `ChainLayout`.
///
/// The view does not own its storage: the caller keeps it alive and unchanged while a
/// computation that received it runs. `name` is used in error messages ("chain[12,3,0] is NaN").
public struct ChainView: @unchecked Sendable {
    /// First element.
    public let base: UnsafePointer<Double>
    /// The axis order.
    public let layout: ChainLayout
    /// Number of sequences: walkers (emcee layout) or chains (ArviZ layout).
    public let sequenceCount: Int
    /// States per sequence: steps (emcee layout) or draws (ArviZ layout).
    public let sequenceLength: Int
    /// Parameters per state.
    public let parameterCount: Int
    /// The argument's name, for messages.
    public let name: String

    /// A view of an emcee-layout array of shape (steps, walkers, parameters).
    public init(steps: Int, walkers: Int, parameters: Int, base: UnsafePointer<Double>, name: String = "chain") {
        self.base = base
        layout = .stepsWalkersParameters
        sequenceCount = walkers
        sequenceLength = steps
        parameterCount = parameters
        self.name = name
    }

    /// A view of an ArviZ-layout array of shape (chains, draws, parameters).
    public init(chains: Int, draws: Int, parameters: Int, base: UnsafePointer<Double>, name: String = "draws") {
        self.base = base
        layout = .chainsDrawsParameters
        sequenceCount = chains
        sequenceLength = draws
        parameterCount = parameters
        self.name = name
    }

    /// The total number of values, sequenceCount x sequenceLength x parameterCount.
    public var count: Int { sequenceCount * sequenceLength * parameterCount }

    /// The row-major offset of state `position` of sequence `sequence`, parameter `parameter`.
    @inline(__always)
    func offset(sequence: Int, position: Int, parameter: Int) -> Int {
        switch layout {
        case .stepsWalkersParameters:
            return (position &* sequenceCount &+ sequence) &* parameterCount &+ parameter
        case .chainsDrawsParameters:
            return (sequence &* sequenceLength &+ position) &* parameterCount &+ parameter
        }
    }

    /// The value of `parameter` at state `position` of sequence `sequence`.
    @inline(__always)
    public subscript(sequence: Int, position: Int, parameter: Int) -> Double {
        base[offset(sequence: sequence, position: position, parameter: parameter)]
    }

    /// "name[i,j,k]" in the array's own index order.
    public func elementName(sequence: Int, position: Int, parameter: Int) -> String {
        switch layout {
        case .stepsWalkersParameters: return "\(name)[\(position),\(sequence),\(parameter)]"
        case .chainsDrawsParameters: return "\(name)[\(sequence),\(position),\(parameter)]"
        }
    }

    /// Throws `nonFinite` naming the first element (in memory order) that is NaN or infinite.
    public func requireFinite() throws {
        let n = count
        for i in 0..<n where !base[i].isFinite {
            let parameter = i % parameterCount
            let rest = i / parameterCount
            let (sequence, position): (Int, Int)
            switch layout {
            case .stepsWalkersParameters: (position, sequence) = (rest / sequenceCount, rest % sequenceCount)
            case .chainsDrawsParameters: (sequence, position) = (rest / sequenceLength, rest % sequenceLength)
            }
            throw InferKitError.nonFinite(
                "\(elementName(sequence: sequence, position: position, parameter: parameter)) is \(base[i])")
        }
    }

    /// Throws `dimensionMismatch` unless every axis is non-empty.
    func requireNonEmpty() throws {
        let axes: [(Int, String)]
        switch layout {
        case .stepsWalkersParameters: axes = [(sequenceLength, "n_steps"), (sequenceCount, "n_walkers"), (parameterCount, "n_dim")]
        case .chainsDrawsParameters: axes = [(sequenceCount, "n_chains"), (sequenceLength, "n_draws"), (parameterCount, "n_dim")]
        }
        for (n, axis) in axes where n <= 0 {
            throw InferKitError.dimensionMismatch("\(axis) is \(n): \(name) needs at least one value along every axis")
        }
    }

    /// Parameter `parameter` of every sequence, gathered into a sequenceCount x sequenceLength
    /// row-major array (row s is sequence s).
    func gather(parameter: Int) -> [Double] {
        let m = sequenceCount, n = sequenceLength
        return [Double](unsafeUninitializedCapacity: m * n) { out, initialized in
            for s in 0..<m {
                for t in 0..<n { out[s &* n &+ t] = self[s, t, parameter] }
            }
            initialized = m * n
        }
    }
}
