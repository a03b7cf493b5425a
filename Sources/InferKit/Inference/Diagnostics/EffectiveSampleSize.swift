#if canImport(Glibc)
import Glibc
#endif

/// Which effective sample size to compute (Vehtari et al. 2021; ArviZ's `ess(method=...)`).
public enum EffectiveSampleSizeMethod: Int32, Sendable, CaseIterable {
    /// Bulk ESS: of the rank-normalised split chains (ArviZ "bulk", the default).
    case bulk = 0
    /// Tail ESS: the smaller ESS of the indicators x <= q_0.05 and x <= q_0.95 on split chains
    /// (ArviZ "tail").
    case tail = 1
    /// ESS of the mean: of the split chains as they are (ArviZ "mean", Stan's classic n_eff).
    case mean = 2
}

/// Effective sample sizes of MCMC draws in ArviZ's layout (chains, draws, parameters),
/// computed exactly as ArviZ's `_ess` (Geyer's initial monotone sequence on the combined
/// autocorrelation of several chains, Vehtari et al. 2021, section 3.2, and the Stan manual).
public enum EffectiveSampleSize {
    /// The ESS of every parameter.
    ///
    /// - Parameters:
    ///   - draws: at least 1 chain of at least 4 draws, every value finite.
    ///   - method: bulk (default), tail or mean.
    /// - Throws: `dimensionMismatch` (an empty axis, fewer than 4 draws), `nonFinite`.
    public static func estimate(draws: ChainView, method: EffectiveSampleSizeMethod = .bulk) throws -> [Double] {
        try requireDraws(draws)
        return (0..<draws.parameterCount).map { d in
            of(ChainMatrix(values: draws.gather(parameter: d), rows: draws.sequenceCount, columns: draws.sequenceLength),
               method: method)
        }
    }

    /// Checks the shape (every axis non-empty, >= 4 draws) and finiteness of draws.
    static func requireDraws(_ draws: ChainView, minimumChains: Int = 1) throws {
        try draws.requireNonEmpty()
        guard draws.sequenceLength >= 4 else {
            throw InferKitError.dimensionMismatch(
                "n_draws is \(draws.sequenceLength): split chains need at least 4 draws per chain")
        }
        guard draws.sequenceCount >= minimumChains else {
            throw InferKitError.dimensionMismatch(
                "n_chains is \(draws.sequenceCount): R-hat needs at least \(minimumChains) chains")
        }
        try draws.requireFinite()
    }

    /// The ESS of one parameter's chains.
    static func of(_ x: ChainMatrix, method: EffectiveSampleSizeMethod) -> Double {
        switch method {
        case .bulk:
            return geyer(x.split().mapAll(RankNormalization.zScores))
        case .mean:
            return geyer(x.split())
        case .tail:
            let sorted = x.values.sorted()
            let (low, high) = sorted.withUnsafeBufferPointer {
                (SampleQuantile.type7(sorted: $0, 0.05), SampleQuantile.type7(sorted: $0, 0.95))
            }
            let essLow = geyer(x.mapAll { $0.map { $0 <= low ? 1 : 0 } }.split())
            let essHigh = geyer(x.mapAll { $0.map { $0 <= high ? 1 : 0 } }.split())
            return essHigh < essLow ? essHigh : essLow
        }
    }

    /// ArviZ's `_ess` of m chains of n draws: with the autocovariances γ_{c,t} (divided by n),
    /// W' = mean_c γ_{c,0} n/(n-1), var⁺ = W' (n-1)/n + var(chain means) (m > 1) and
    /// ρ_t = 1 - (W' - mean_c γ_{c,t}) / var⁺, sums of pairs ρ_{2k} + ρ_{2k+1} are taken while
    /// positive (Geyer's initial positive sequence) and made non-increasing (initial monotone
    /// sequence); τ = -1 + 2 sum ρ (+ the last even term), at least 1/log10(m n), ESS = m n / τ.
    /// Constant input (range below 1e-15) has ESS m n.
    static func geyer(_ x: ChainMatrix) -> Double {
        let m = x.rows, n = x.columns
        var lo = Double.infinity, hi = -Double.infinity
        for v in x.values { lo = min(lo, v); hi = max(hi, v) }
        if hi - lo < 1e-15 { return Double(m * n) }
        let sums = LaggedSums(length: n)
        // Mean over chains of the autocovariance at every lag.
        var acov = [Double](repeating: 0, count: n)
        x.values.withUnsafeBufferPointer { v in
            for c in 0..<m {
                let s = sums.compute(v.baseAddress! + c * n, stride: 1)
                for t in 0..<n { acov[t] += s[t] / Double(n) }
            }
        }
        for t in 0..<n { acov[t] /= Double(m) }
        let nd = Double(n)
        let meanVariance = acov[0] * nd / (nd - 1.0)
        var variancePlus = meanVariance * (nd - 1.0) / nd
        if m > 1 { variancePlus += sampleVariance(x.rowMeans()) }

        var rho = [Double](repeating: 0, count: n)
        var even = 1.0
        rho[0] = even
        var odd = 1.0 - (meanVariance - acov[1]) / variancePlus
        rho[1] = odd
        // Geyer's initial positive sequence.
        var t = 1
        while t < n - 3 && (even + odd) > 0 {
            even = 1.0 - (meanVariance - acov[t + 1]) / variancePlus
            odd = 1.0 - (meanVariance - acov[t + 2]) / variancePlus
            if (even + odd) >= 0 {
                rho[t + 1] = even
                rho[t + 2] = odd
            }
            t += 2
        }
        let maxT = t - 2
        if even > 0 { rho[maxT + 1] = even }
        // Geyer's initial monotone sequence.
        t = 1
        while t <= maxT - 2 {
            if (rho[t + 1] + rho[t + 2]) > (rho[t - 1] + rho[t]) {
                rho[t + 1] = (rho[t - 1] + rho[t]) / 2.0
                rho[t + 2] = rho[t + 1]
            }
            t += 2
        }
        let size = Double(m * n)
        var head = 0.0
        if maxT >= 0 { for k in 0...maxT { head += rho[k] } }
        var tau = -1.0 + 2.0 * head + rho[maxT + 1]
        tau = max(tau, 1 / log10(size))
        let ess = size / tau
        for v in rho where v.isNaN { return .nan }
        return ess
    }
}
