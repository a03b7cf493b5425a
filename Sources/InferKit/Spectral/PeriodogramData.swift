/// The data of one periodogram computation, laid out for the kernels: times shifted to the
/// middle of the baseline, normalised weights and weighted, centred values, four points to a
/// SIMD vector (padding lanes have weight 0 and so contribute nothing).
///
/// Several series may share the times; they share one weight set (dy shared or absent) or have
/// one each (dy per series). Inputs were validated by the caller.
final class PeriodogramData {
    /// Number of points.
    let points: Int
    /// Number of SIMD groups, ceil(points / 4).
    let groups: Int
    /// tau = t - tReference, groups vectors.
    let tau: UnsafeMutablePointer<SIMD4<Double>>
    /// The time origin of the kernels, (min t + max t) / 2: every power is independent of it,
    /// and centring keeps the phases small.
    let tReference: Double
    /// max |tau|.
    let tauMaximum: Double
    /// The same values as plain doubles (4 * groups per set or series, padding 0), for the
    /// fast method.
    let tauValues: UnsafeMutablePointer<Double>
    /// Weights as plain doubles, weightSetCount x (4 groups).
    let weightValues: UnsafeMutablePointer<Double>
    /// Weighted centred values as plain doubles, seriesCount x (4 groups).
    let weightedYValues: UnsafeMutablePointer<Double>
    /// Number of weight sets: 1, or one per series.
    let weightSetCount: Int
    /// Weights w_i = dy_i^-2 / sum dy^-2 (sum 1), weightSetCount x groups vectors.
    let weights: UnsafeMutablePointer<SIMD4<Double>>
    /// sum w_i of each set as computed (1 up to rounding): the constant term of the Gram matrix.
    let weightSum: [Double]
    /// sum dy_i^-2 of each set (n without dy): the scale of the psd normalisation.
    let weightTotal: [Double]
    /// Number of series.
    let seriesCount: Int
    /// w_i (y_i - mean), seriesCount x groups vectors.
    let weightedY: UnsafeMutablePointer<SIMD4<Double>>
    /// The weighted mean subtracted from each series (0 when the data are not centred).
    let mean: [Double]
    /// sum w (y - mean) of each series (0 up to rounding when centred).
    let weightedSum: [Double]
    /// chi2_ref / sum dy^-2 = sum w (y - mean)^2 of each series.
    let reference: [Double]

    /// Prepares `seriesCount` series of `points` values y(s, i) at times t(i), with
    /// uncertainties dy(a, i) of weight set a (nil: all 1), centred when `centers`.
    init(points n: Int, t: (Int) -> Double, seriesCount: Int, y: (Int, Int) -> Double,
         weightSetCount: Int, dy: ((Int, Int) -> Double)?, centers: Bool) {
        points = n
        groups = (n + 3) / 4
        let padded = 4 * groups
        self.seriesCount = seriesCount
        self.weightSetCount = weightSetCount
        tauValues = .allocate(capacity: padded)
        weightValues = .allocate(capacity: padded * weightSetCount)
        weightedYValues = .allocate(capacity: padded * seriesCount)
        var lo = t(0), hi = t(0)
        for i in 0..<n { lo = min(lo, t(i)); hi = max(hi, t(i)) }
        tReference = lo + 0.5 * (hi - lo)
        var tauMax = 0.0
        for i in 0..<padded {
            let v = i < n ? t(i) - tReference : 0
            tauValues[i] = v
            tauMax = max(tauMax, abs(v))
        }
        tauMaximum = tauMax

        var sums = [Double](repeating: 0, count: weightSetCount)
        var totals = [Double](repeating: 0, count: weightSetCount)
        for a in 0..<weightSetCount {
            let w = weightValues + a * padded
            if let dy {
                // Scale by the smallest dy first so that tiny or huge dy neither under- nor
                // overflow: w_i = (dymin/dy_i)^2 / sum (dymin/dy_j)^2.
                var smallest = dy(a, 0)
                for i in 0..<n { smallest = min(smallest, dy(a, i)) }
                var total = 0.0
                for i in 0..<n { let r = smallest / dy(a, i); w[i] = r * r; total += r * r }
                for i in 0..<n { w[i] /= total }
                totals[a] = total / (smallest * smallest)
            } else {
                for i in 0..<n { w[i] = 1 / Double(n) }
                totals[a] = Double(n)
            }
            for i in n..<padded { w[i] = 0 }
            var s = 0.0
            for i in 0..<n { s += w[i] }
            sums[a] = s
        }
        weightSum = sums
        weightTotal = totals

        var means = [Double](repeating: 0, count: seriesCount)
        var firstMoments = [Double](repeating: 0, count: seriesCount)
        var references = [Double](repeating: 0, count: seriesCount)
        for s in 0..<seriesCount {
            let w = weightValues + (weightSetCount == 1 ? 0 : s) * padded
            let yc = weightedYValues + s * padded
            var mean = 0.0
            if centers {
                var lowest = y(s, 0), highest = y(s, 0)
                for i in 0..<n { mean += w[i] * y(s, i); lowest = min(lowest, y(s, i)); highest = max(highest, y(s, i)) }
                // A constant series is centred exactly (its mean by summation may be off by an ulp).
                mean = lowest == highest ? lowest : mean / sums[weightSetCount == 1 ? 0 : s]
            }
            var first = 0.0, second = 0.0
            for i in 0..<padded {
                let v = i < n ? y(s, i) - mean : 0
                yc[i] = w[i] * v
                first += w[i] * v
                second += w[i] * v * v
            }
            means[s] = mean
            firstMoments[s] = first
            references[s] = second
        }
        mean = means
        weightedSum = firstMoments
        reference = references

        tau = PeriodogramData.vectors(tauValues, groups)
        weights = PeriodogramData.vectors(weightValues, groups * weightSetCount)
        weightedY = PeriodogramData.vectors(weightedYValues, groups * seriesCount)
    }

    /// A new SIMD copy of 4 * count doubles.
    private static func vectors(_ v: UnsafeMutablePointer<Double>, _ count: Int) -> UnsafeMutablePointer<SIMD4<Double>> {
        let out = UnsafeMutablePointer<SIMD4<Double>>.allocate(capacity: count)
        for g in 0..<count { out[g] = SIMD4(v[4 * g], v[4 * g + 1], v[4 * g + 2], v[4 * g + 3]) }
        return out
    }

    deinit {
        tauValues.deallocate()
        weightValues.deallocate()
        weightedYValues.deallocate()
        tau.deallocate()
        weights.deallocate()
        weightedY.deallocate()
    }

    /// The weight set of series s.
    @inline(__always)
    func weightSet(of s: Int) -> Int { weightSetCount == 1 ? 0 : s }

    /// The weight sets used by a contiguous range of series.
    func weightSets(of series: Range<Int>) -> Range<Int> { weightSetCount == 1 ? 0..<1 : series }
}
