/// Burn-in removal and thinning of an emcee-layout chain (steps, walkers, parameters), as
/// emcee's `get_chain(discard=, thin=)`: the kept steps are discard + thin - 1, discard +
/// 2 thin - 1, ... < n_steps (emcee's slice `[discard + thin - 1::thin]`).
public enum ChainThinning {
    /// The number of steps kept from `steps` (0 when discard + thin - 1 >= steps).
    /// - Throws: `invalidArgument` for thin < 1 or discard < 0.
    public static func keptSteps(steps: Int, discard: Int, thin: Int) throws -> Int {
        guard thin >= 1 else { throw InferKitError.invalidArgument("thin is \(thin): it must be >= 1") }
        guard discard >= 0 else { throw InferKitError.invalidArgument("discard is \(discard): it must be >= 0") }
        let (first, overflow) = discard.addingReportingOverflow(thin - 1)
        if overflow || first >= steps { return 0 }
        return (steps - first - 1) / thin + 1
    }

    /// Copies the kept steps of `chain` into `out` (keptSteps x walkers x parameters values,
    /// row-major; the same memory is emcee's flat (keptSteps * walkers, parameters) array).
    public static func copyKept(chain: ChainView, discard: Int, thin: Int, into out: UnsafeMutablePointer<Double>) throws {
        let kept = try keptSteps(steps: chain.sequenceLength, discard: discard, thin: thin)
        let row = chain.sequenceCount * chain.parameterCount
        for j in 0..<kept {
            let step = discard + thin - 1 + j * thin
            (out + j * row).update(from: chain.base + step * row, count: row)
        }
    }
}

/// The acceptance fraction of every walker estimated from its chain alone: the fraction of
/// the n_steps - 1 transitions in which the walker's position changed (some coordinate
/// differs from the previous step). For a continuous target, where an accepted proposal
/// always moves, this is the sampler's acceptance fraction over those steps (emcee's
/// `acceptance_fraction` also counts the first step, from the initial state, which a stored
/// chain does not hold).
public enum AcceptanceFraction {
    /// Per walker, for an emcee-layout chain with at least 2 steps.
    /// - Throws: `dimensionMismatch` (an empty axis or fewer than 2 steps).
    public static func estimate(chain: ChainView) throws -> [Double] {
        try chain.requireNonEmpty()
        let n = chain.sequenceLength, dims = chain.parameterCount
        guard n >= 2 else {
            throw InferKitError.dimensionMismatch("n_steps is \(n): the acceptance fraction needs at least 2 steps")
        }
        return (0..<chain.sequenceCount).map { w in
            var moved = 0
            for t in 1..<n {
                for d in 0..<dims where chain[w, t, d] != chain[w, t - 1, d] {
                    moved += 1
                    break
                }
            }
            return Double(moved) / Double(n - 1)
        }
    }
}
