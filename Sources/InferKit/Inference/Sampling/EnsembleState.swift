// The ensemble sampler's complete state as one flat array of 64-bit words, so that a run can
// be saved (to a file, across processes) and resumed exactly: positions and log-probabilities
// as their IEEE bit patterns, the random streams as their counters.

extension EnsembleSampler {
    /// Marks a saved ensemble state ("IKENSMB" and format version 1).
    static let stateTag: UInt64 = 0x494B_454E_534D_4201

    /// Length of `saveState()`: 5 + walkers × (dimension + 1) + 5 × (walkers + 1).
    public var stateSize: Int { 5 + walkerCount * (dimension + 1) + 5 * (walkerCount + 1) }

    /// The whole state: [tag, walkers, dimension, step count, has-state flag, positions
    /// (walkers × dimension bit patterns), log-probabilities (walkers bit patterns), the
    /// walkerCount + 1 random streams (5 words each)]. The stored steps are not part of it.
    public func saveState() -> [UInt64] {
        var out: [UInt64] = [Self.stateTag, UInt64(walkerCount), UInt64(dimension), UInt64(stepCount), hasState ? 1 : 0]
        out.reserveCapacity(stateSize)
        for v in positions { out.append(v.bitPattern) }
        for v in logProbabilities { out.append(v.bitPattern) }
        for s in streams { out.append(contentsOf: s.state) }
        return out
    }

    /// Restores a state from `saveState()` of a sampler with the same walkers and dimension:
    /// the next `run(initial: nil, ...)` continues exactly as the saved sampler would have. The
    /// stored steps are cleared (the history is not part of the state). Throws
    /// `dimensionMismatch` for a wrong length, walker count or dimension, and `invalidArgument`
    /// for a state that is not a saved ensemble state or is corrupt (NaN or +inf log-probability,
    /// a non-finite position, a bad stream).
    public func restoreState(_ state: [UInt64]) throws {
        let n = walkerCount, d = dimension
        guard state.count >= 5, state[0] == Self.stateTag else {
            throw InferKitError.invalidArgument("the state is not a saved ensemble-sampler state (its first word is not the ensemble tag)")
        }
        guard state[1] == UInt64(n), state[2] == UInt64(d) else {
            throw InferKitError.dimensionMismatch(
                "the state is of \(state[1]) walkers of \(state[2]) parameters but this sampler has \(n) walkers of \(d)")
        }
        guard state.count == stateSize else {
            throw InferKitError.dimensionMismatch("the state has \(state.count) words but \(n) walkers of \(d) parameters need \(stateSize)")
        }
        guard state[3] <= UInt64(Int.max), state[4] <= 1 else {
            throw InferKitError.invalidArgument("the state is corrupt: step count \(state[3]), state flag \(state[4])")
        }
        var restored: [RandomStream] = []
        var offset = 5 + n * (d + 1)
        for k in 0...n {
            guard let s = RandomStream(state: Array(state[offset..<(offset + 5)])) else {
                throw InferKitError.invalidArgument("the state is corrupt: random stream \(k) is invalid")
            }
            restored.append(s)
            offset += 5
        }
        let has = state[4] == 1
        if has {
            for i in 0..<(n * d) where !Double(bitPattern: state[5 + i]).isFinite {
                throw InferKitError.invalidArgument("the state is corrupt: the position of walker \(i / d) is not finite")
            }
            for w in 0..<n {
                let lp = Double(bitPattern: state[5 + n * d + w])
                guard !lp.isNaN, lp != .infinity else {
                    throw InferKitError.invalidArgument("the state is corrupt: the log-probability of walker \(w) is \(lp)")
                }
            }
        }
        for i in 0..<(n * d) { positions[i] = Double(bitPattern: state[5 + i]) }
        for w in 0..<n { logProbabilities[w] = Double(bitPattern: state[5 + n * d + w]) }
        for k in 0...n { streams[k] = restored[k] }
        stepCount = Int(state[3])
        hasState = has
        draws = MCMCDraws(parameterNames: density.parameterNames, chainCount: n)
    }
}
