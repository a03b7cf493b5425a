#if canImport(Glibc)
import Glibc
#endif

/// The rank-normalised split-R̂ of Vehtari et al. (2021), computed exactly as ArviZ's
/// `rhat(method="rank")`: the larger of the split-R̂ of the rank-normalised draws (bulk) and of
/// the rank-normalised folded draws |x - median x| (tails), where for m chains of n draws
///     B = n var(chain means), W = mean(chain variances) (both with ddof = 1),
///     R̂ = sqrt((B / W + n - 1) / n).
/// Values near 1 (below 1.01) indicate the chains agree.
public enum PotentialScaleReduction {
    /// R̂ of every parameter of draws in ArviZ's layout (chains, draws, parameters).
    ///
    /// - Parameters:
    ///   - draws: at least 2 chains of at least 4 draws, every value finite.
    /// - Returns: R̂ per parameter; NaN for a parameter whose draws are all equal (R̂ is
    ///   undefined), +inf when every chain is constant but the chains differ.
    /// - Throws: `dimensionMismatch` (an empty axis, fewer than 2 chains or 4 draws), `nonFinite`.
    public static func rankNormalizedSplit(draws: ChainView) throws -> [Double] {
        try EffectiveSampleSize.requireDraws(draws, minimumChains: 2)
        return (0..<draws.parameterCount).map { d in
            of(ChainMatrix(values: draws.gather(parameter: d), rows: draws.sequenceCount, columns: draws.sequenceLength))
        }
    }

    /// The rank-normalised split-R̂ of one parameter's chains (ArviZ's `_rhat_rank`).
    static func of(_ x: ChainMatrix) -> Double {
        let split = x.split()
        let bulk = classic(split.mapAll(RankNormalization.zScores))
        let tail = classic(split.mapAll { RankNormalization.zScores(RankNormalization.folded($0)) })
        return tail > bulk ? tail : bulk
    }

    /// Gelman and Rubin's R̂ of m chains of n draws, sqrt((B / W + n - 1) / n) (ArviZ's `_rhat`).
    static func classic(_ x: ChainMatrix) -> Double {
        let m = x.rows, n = x.columns
        let means = x.rowMeans()
        var withinSum = 0.0
        for c in 0..<m {
            withinSum += sampleVariance(Array(x.values[(c * n)..<(c * n + n)]))
        }
        let within = withinSum / Double(m)
        let between = Double(n) * sampleVariance(means)
        return sqrt((between / within + Double(n) - 1) / Double(n))
    }
}
