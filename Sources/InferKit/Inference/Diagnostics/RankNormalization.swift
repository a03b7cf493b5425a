/// Rank normalisation of MCMC draws (Vehtari et al. 2021, section 4.1; ArviZ's `_z_scale`):
/// every value is replaced by Φ⁻¹((r - 3/8) / (S + 1/4)), where r is its rank among all S
/// values (1-based, ties given the average of their ranks, as `scipy.stats.rankdata(...,
/// method="average")`) and Φ⁻¹ the standard normal quantile (Blom's offset 3/8).
enum RankNormalization {
    /// The average ranks (1 ..< S + 1, half-integers for ties) of `values`, in their order.
    static func averageRanks(_ values: [Double]) -> [Double] {
        let count = values.count
        var order = Array(0..<count)
        values.withUnsafeBufferPointer { v in
            order.sort { v[$0] < v[$1] }
        }
        var ranks = [Double](repeating: 0, count: count)
        var i = 0
        while i < count {
            var j = i + 1
            while j < count && values[order[j]] == values[order[i]] { j += 1 }
            // Positions i ..< j (0-based) share the ranks i + 1 ... j; their average.
            let rank = 0.5 * Double(i + 1 + j)
            for k in i..<j { ranks[order[k]] = rank }
            i = j
        }
        return ranks
    }

    /// The rank-normalised z-scores of `values` (same order and count).
    static func zScores(_ values: [Double]) -> [Double] {
        let ranks = averageRanks(values)
        let denominator = Double(values.count) - 2 * 0.375 + 1
        return ranks.map { NormalQuantile.value(($0 - 0.375) / denominator) }
    }

    /// |x - median(x)| of every value (the "folded" draws, Vehtari et al. 2021, section 4.2).
    static func folded(_ values: [Double]) -> [Double] {
        let m = SampleQuantile.median(values)
        return values.map { abs($0 - m) }
    }
}
