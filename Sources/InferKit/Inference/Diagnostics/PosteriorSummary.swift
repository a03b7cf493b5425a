#if canImport(Glibc)
import Glibc
#endif

/// Per-parameter summaries of MCMC draws in ArviZ's layout (chains, draws, parameters), the
/// columns of ArviZ's `summary` over all draws of all chains: mean, standard deviation
/// (ddof = 1), quantiles (numpy's default linear interpolation), the highest-density
/// interval, the Monte Carlo standard error of the mean (sd / sqrt(ESS of the mean)), bulk and
/// tail ESS and the rank-normalised split-R̂ (NaN when there is only one chain).
public struct PosteriorSummary: Sendable {
    /// Mean per parameter.
    public let mean: [Double]
    /// Standard deviation per parameter (ddof = 1).
    public let sd: [Double]
    /// quantiles[d][j]: the quantile at probability j of parameter d.
    public let quantiles: [[Double]]
    /// Highest-density interval per parameter.
    public let hdi: [(lower: Double, upper: Double)]
    /// Monte Carlo standard error of the mean per parameter (ArviZ's `mcse(method="mean")`).
    public let mcseMean: [Double]
    /// Bulk ESS per parameter.
    public let essBulk: [Double]
    /// Tail ESS per parameter.
    public let essTail: [Double]
    /// Rank-normalised split-R̂ per parameter (NaN for a single chain).
    public let rhat: [Double]

    /// Summarises `draws` (at least 1 chain of at least 4 draws, finite).
    ///
    /// - Parameters:
    ///   - quantileProbabilities: each in [0, 1] (may be empty).
    ///   - hdiProbability: in (0, 1) (ArviZ's default is 0.94).
    /// - Throws: `dimensionMismatch`, `nonFinite`, `invalidArgument` (a probability out of range).
    public init(draws: ChainView, quantileProbabilities: [Double], hdiProbability: Double = 0.94) throws {
        try EffectiveSampleSize.requireDraws(draws)
        for (j, p) in quantileProbabilities.enumerated() where !(p >= 0 && p <= 1) {
            throw InferKitError.invalidArgument("quantile_probs[\(j)] is \(p): it must be in [0, 1]")
        }
        try HighestDensityInterval.requireProbability(hdiProbability, "hdi_prob")
        var mean = [Double](), sd = [Double](), quantiles = [[Double]](), hdi = [(lower: Double, upper: Double)]()
        var mcse = [Double](), bulk = [Double](), tail = [Double](), rhat = [Double]()
        for d in 0..<draws.parameterCount {
            let x = ChainMatrix(values: draws.gather(parameter: d), rows: draws.sequenceCount, columns: draws.sequenceLength)
            let n = Double(x.values.count)
            var s = 0.0
            for v in x.values { s += v }
            let m = s / n
            var q = 0.0
            for v in x.values { let e = v - m; q += e * e }
            let deviation = sqrt(q / (n - 1))
            mean.append(m)
            sd.append(deviation)
            let sorted = x.values.sorted()
            sorted.withUnsafeBufferPointer { b in
                quantiles.append(quantileProbabilities.map { SampleQuantile.linear(sorted: b, $0) })
                hdi.append(HighestDensityInterval.interval(sorted: b, prob: hdiProbability))
            }
            mcse.append(deviation / sqrt(EffectiveSampleSize.of(x, method: .mean)))
            bulk.append(EffectiveSampleSize.of(x, method: .bulk))
            tail.append(EffectiveSampleSize.of(x, method: .tail))
            rhat.append(x.rows >= 2 ? PotentialScaleReduction.of(x) : .nan)
        }
        self.mean = mean
        self.sd = sd
        self.quantiles = quantiles
        self.hdi = hdi
        self.mcseMean = mcse
        self.essBulk = bulk
        self.essTail = tail
        self.rhat = rhat
    }
}
