import InferKit

// The ik_mcmc_* family: argument checks and conversions only; the math is in
// InferKit/Inference/Diagnostics.

/// The emcee-layout view of `chain` (n_steps x n_walkers x n_dim), checked for NULL, zero
/// lengths and an overflowing size.
private func chainView(_ chain: UnsafePointer<Double>?, _ nSteps: Int, _ nWalkers: Int, _ nDim: Int) throws -> ChainView {
    let steps = try length(nSteps, "n_steps"), walkers = try length(nWalkers, "n_walkers"), dims = try length(nDim, "n_dim")
    for (n, name) in [(steps, "n_steps"), (walkers, "n_walkers"), (dims, "n_dim")] where n == 0 {
        throw ArgumentError(status: .dimension, message: "\(name) is 0: chain needs at least one value along every axis")
    }
    _ = try product(try product(steps, walkers, "chain"), dims, "chain")
    let base = try requireNonNull(chain, "chain")
    return ChainView(steps: steps, walkers: walkers, parameters: dims, base: base, name: "chain")
}

/// The ArviZ-layout view of `draws` (n_chains x n_draws x n_dim), checked likewise.
private func drawsView(_ draws: UnsafePointer<Double>?, _ nChains: Int, _ nDraws: Int, _ nDim: Int) throws -> ChainView {
    let chains = try length(nChains, "n_chains"), count = try length(nDraws, "n_draws"), dims = try length(nDim, "n_dim")
    for (n, name) in [(chains, "n_chains"), (count, "n_draws"), (dims, "n_dim")] where n == 0 {
        throw ArgumentError(status: .dimension, message: "\(name) is 0: draws needs at least one value along every axis")
    }
    _ = try product(try product(chains, count, "draws"), dims, "draws")
    let base = try requireNonNull(draws, "draws")
    return ChainView(chains: chains, draws: count, parameters: dims, base: base, name: "draws")
}

/// Writes `values` into the caller's buffer `out` (already checked non-NULL).
private func store(_ values: [Double], _ out: UnsafeMutablePointer<Double>) {
    for (i, v) in values.enumerated() { out[i] = v }
}

@_cdecl("ik_mcmc_autocorr_function")
public func ik_mcmc_autocorr_function(_ x: UnsafePointer<Double>?, _ n: Int, _ out: UnsafeMutablePointer<Double>?) -> Int32 {
    guarded {
        let series = try vector(x, n, "x", "n")
        let result = try requireNonNull(out, "out")
        store(try Autocorrelation.function(series, name: "x"), result)
    }
}

@_cdecl("ik_mcmc_autocorr_time")
public func ik_mcmc_autocorr_time(_ chain: UnsafePointer<Double>?, _ nSteps: Int, _ nWalkers: Int, _ nDim: Int,
                                  _ c: Double, _ tol: Double, _ tauOut: UnsafeMutablePointer<Double>?,
                                  _ tooShortOut: UnsafeMutablePointer<Int32>?) -> Int32 {
    guarded {
        let view = try chainView(chain, nSteps, nWalkers, nDim)
        let tau = try requireNonNull(tauOut, "tau_out")
        let result = try AutocorrelationTime(chain: view, c: c, tol: tol)
        store(result.tau, tau)
        if let tooShortOut {
            for (i, flag) in result.tooShort.enumerated() { tooShortOut[i] = flag ? 1 : 0 }
        }
    }
}

@_cdecl("ik_mcmc_ess")
public func ik_mcmc_ess(_ draws: UnsafePointer<Double>?, _ nChains: Int, _ nDraws: Int, _ nDim: Int,
                        _ method: Int32, _ out: UnsafeMutablePointer<Double>?) -> Int32 {
    guarded {
        let view = try drawsView(draws, nChains, nDraws, nDim)
        let result = try requireNonNull(out, "out")
        guard let kind = EffectiveSampleSizeMethod(rawValue: method) else {
            throw ArgumentError(status: .invalidArgument,
                                message: "method is \(method): use IK_ESS_BULK (0), IK_ESS_TAIL (1) or IK_ESS_MEAN (2)")
        }
        store(try EffectiveSampleSize.estimate(draws: view, method: kind), result)
    }
}

@_cdecl("ik_mcmc_rhat")
public func ik_mcmc_rhat(_ draws: UnsafePointer<Double>?, _ nChains: Int, _ nDraws: Int, _ nDim: Int,
                         _ out: UnsafeMutablePointer<Double>?) -> Int32 {
    guarded {
        let view = try drawsView(draws, nChains, nDraws, nDim)
        let result = try requireNonNull(out, "out")
        store(try PotentialScaleReduction.rankNormalizedSplit(draws: view), result)
    }
}

@_cdecl("ik_mcmc_hdi")
public func ik_mcmc_hdi(_ samples: UnsafePointer<Double>?, _ nSamples: Int, _ nDim: Int, _ prob: Double,
                        _ out: UnsafeMutablePointer<Double>?) -> Int32 {
    guarded {
        let n = try length(nSamples, "n_samples"), dims = try length(nDim, "n_dim")
        guard n > 0 else { throw ArgumentError(status: .dimension, message: "n_samples is 0: samples needs at least one value") }
        guard dims > 0 else { throw ArgumentError(status: .dimension, message: "n_dim is 0: samples needs at least one parameter") }
        let total = try product(n, dims, "samples")
        _ = try product(dims, 2, "out")
        let base = try requireNonNull(samples, "samples")
        let result = try requireNonNull(out, "out")
        let intervals = try HighestDensityInterval.intervals(samples: UnsafeBufferPointer(start: base, count: total),
                                                            count: n, parameters: dims, prob: prob)
        for (d, interval) in intervals.enumerated() {
            result[2 * d] = interval.lower
            result[2 * d + 1] = interval.upper
        }
    }
}

@_cdecl("ik_mcmc_summary")
public func ik_mcmc_summary(_ draws: UnsafePointer<Double>?, _ nChains: Int, _ nDraws: Int, _ nDim: Int,
                            _ quantileProbs: UnsafePointer<Double>?, _ nQ: Int, _ hdiProb: Double,
                            _ mean: UnsafeMutablePointer<Double>?, _ sd: UnsafeMutablePointer<Double>?,
                            _ quantiles: UnsafeMutablePointer<Double>?, _ hdi: UnsafeMutablePointer<Double>?,
                            _ mcseMean: UnsafeMutablePointer<Double>?, _ essBulk: UnsafeMutablePointer<Double>?,
                            _ essTail: UnsafeMutablePointer<Double>?, _ rhat: UnsafeMutablePointer<Double>?) -> Int32 {
    guarded {
        let view = try drawsView(draws, nChains, nDraws, nDim)
        let q = try length(nQ, "n_q")
        _ = try product(nDim, q, "quantiles")
        var probabilities = [Double]()
        if q > 0 {
            let p = try requireNonNull(quantileProbs, "quantile_probs")
            probabilities = Array(UnsafeBufferPointer(start: p, count: q))
        }
        let summary = try PosteriorSummary(draws: view, quantileProbabilities: probabilities, hdiProbability: hdiProb)
        if let mean { store(summary.mean, mean) }
        if let sd { store(summary.sd, sd) }
        if let quantiles { store(summary.quantiles.flatMap { $0 }, quantiles) }
        if let hdi { store(summary.hdi.flatMap { [$0.lower, $0.upper] }, hdi) }
        if let mcseMean { store(summary.mcseMean, mcseMean) }
        if let essBulk { store(summary.essBulk, essBulk) }
        if let essTail { store(summary.essTail, essTail) }
        if let rhat { store(summary.rhat, rhat) }
    }
}

@_cdecl("ik_mcmc_acceptance_fraction")
public func ik_mcmc_acceptance_fraction(_ chain: UnsafePointer<Double>?, _ nSteps: Int, _ nWalkers: Int, _ nDim: Int,
                                        _ out: UnsafeMutablePointer<Double>?) -> Int32 {
    guarded {
        let view = try chainView(chain, nSteps, nWalkers, nDim)
        let result = try requireNonNull(out, "out")
        store(try AcceptanceFraction.estimate(chain: view), result)
    }
}

@_cdecl("ik_mcmc_discard_thin")
public func ik_mcmc_discard_thin(_ chain: UnsafePointer<Double>?, _ nSteps: Int, _ nWalkers: Int, _ nDim: Int,
                                 _ discard: Int, _ thin: Int, _ out: UnsafeMutablePointer<Double>?, _ outLen: Int,
                                 _ nKept: UnsafeMutablePointer<Int>?) -> Int32 {
    guarded {
        let view = try chainView(chain, nSteps, nWalkers, nDim)
        let kept = try requireNonNull(nKept, "n_kept")
        guard thin != 0 else { throw ArgumentError(status: .invalidArgument, message: "thin is 0: it must be >= 1") }
        // size_t values beyond Int.max arrive negative: they discard everything / thin past the end.
        let discardSteps = discard < 0 ? Int.max : discard
        let thinSteps = thin < 0 ? Int.max : thin
        let count = try ChainThinning.keptSteps(steps: view.sequenceLength, discard: discardSteps, thin: thinSteps)
        guard count > 0 else {
            throw ArgumentError(status: .dimension,
                                message: "discard is \(UInt(bitPattern: discard)) and thin is \(UInt(bitPattern: thin)) but chain has \(view.sequenceLength) steps: no step is left (emcee keeps steps discard + thin - 1, discard + 2 thin - 1, ...)")
        }
        kept.pointee = count
        guard let out else { return }
        let needed = count * view.sequenceCount * view.parameterCount
        try requireLength(try length(outLen, "out_len"), needed, "out", "the kept chain (n_kept x n_walkers x n_dim)")
        try ChainThinning.copyKept(chain: view, discard: discardSteps, thin: thinSteps, into: out)
    }
}
