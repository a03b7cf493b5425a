#if canImport(Glibc)
import Glibc
#endif

/// The distribution of periodogram peaks under the null hypothesis (Gaussian noise about a
/// constant), after Baluev (MNRAS 385, 1279, 2008, table 1), as astropy implements it.
///
/// For n points, the null model has dH = 1 parameter and the sinusoid dK = 3; with
/// N_H = n - 1 and N_K = n - 3, the single-frequency tail P_single(z) is
///     standard (1 - z)^(N_K/2),  model (1 + z)^(-N_K/2),  log exp(-N_K z / 2),  psd exp(-z),
/// and the expected number of upcrossings tau(z) of level z up to f_max is, with
/// W = f_max sqrt(4 pi var_w(t)) (var_w the 1/dy^2-weighted variance of t) and
/// gamma(N) = sqrt(2/N) Gamma(N/2) / Gamma((N-1)/2):
///     standard gamma(N_H) W (1 - z)^((N_K - 1)/2) sqrt(N_H z / 2)
///     model    gamma(N_K) W (1 + z)^(-N_K/2) sqrt(N_K z / 2)
///     log      gamma(N_K) W exp(-z (N_K - 1/2) / 2) sqrt(N_K sinh(z / 2))
///     psd      W exp(-z) sqrt(z).
struct PeakStatistics {
    /// Number of points n.
    let points: Int
    /// The highest frequency of the search, f_max.
    let maximumFrequency: Double
    /// max t - min t.
    let baseline: Double
    /// The 1/dy^2-weighted variance of t.
    let timeVariance: Double
    /// Normalisation of the powers.
    let normalization: PeriodogramNormalization

    /// P_single(z): the probability that the power at one frequency exceeds z.
    func single(_ z: Double) -> Double {
        let nk = Double(points - 3)
        switch normalization {
        case .psd: return exp(-z)
        case .standard: return pow(1 - z, 0.5 * nk)
        case .model: return pow(1 + z, -0.5 * nk)
        case .log: return exp(-0.5 * nk * z)
        }
    }

    /// The z with P_single(z) = p.
    func inverseSingle(_ p: Double) -> Double {
        let nk = Double(points - 3)
        switch normalization {
        case .psd: return -log(p)
        case .standard: return 1 - pow(p, 2 / nk)
        case .model: return -1 + pow(p, -2 / nk)
        case .log: return -2 / nk * log(p)
        }
    }

    /// gamma(N) = sqrt(2/N) Gamma(N/2) / Gamma((N-1)/2).
    static func gamma(_ n: Double) -> Double {
        var sign: Int32 = 0
        return (2 / n).squareRoot() * exp(lgamma_r(n / 2, &sign) - lgamma_r((n - 1) / 2, &sign))
    }

    /// Davies' tau(z), the expected number of upcrossings.
    func tau(_ z: Double) -> Double {
        let nh = Double(points - 1), nk = Double(points - 3)
        let w = maximumFrequency * (4 * Double.pi * timeVariance).squareRoot()
        switch normalization {
        case .psd: return w * exp(-z) * z.squareRoot()
        case .standard: return PeakStatistics.gamma(nh) * w * pow(1 - z, 0.5 * (nk - 1)) * (0.5 * nh * z).squareRoot()
        case .model: return PeakStatistics.gamma(nk) * w * pow(1 + z, -0.5 * nk) * (0.5 * nk * z).squareRoot()
        case .log: return PeakStatistics.gamma(nk) * w * exp(-0.5 * z * (nk - 0.5)) * (nk * sinh(0.5 * z)).squareRoot()
        }
    }

    /// Number of independent frequencies of the naive estimate, f_max (max t - min t).
    var effectiveFrequencies: Double { maximumFrequency * baseline }

    /// The false-alarm probability of a peak of height z by an analytic method.
    func probability(_ z: Double, _ method: FalseAlarmMethod) -> Double {
        let ps = single(z)
        switch method {
        case .single: return ps
        case .naive: return -expm1(effectiveFrequencies * log1p(-ps))
        case .davies: return ps + tau(z)
        case .baluev, .bootstrap:
            let t = tau(z)
            return -expm1(-t) + ps * exp(-t)
        }
    }

    /// The peak height whose false-alarm probability is p by an analytic method: closed form
    /// for single and naive; for Davies and Baluev the root nearest the naive level, bracketed
    /// from there and bisected to full precision.
    func level(_ p: Double, _ method: FalseAlarmMethod) -> Double {
        let naive = inverseSingle(-expm1(log1p(-p) / effectiveFrequencies))
        switch method {
        case .single: return inverseSingle(p)
        case .naive: return naive
        case .davies, .baluev, .bootstrap: break
        }
        let upper: Double? = normalization == .standard ? 1 : nil
        func excess(_ z: Double) -> Double { probability(z, method) - p }
        var start = naive.isFinite ? max(naive, 0) : 0
        if let upper { start = min(start, upper) }
        var lo = start, hi = start
        if excess(start) > 0 {
            // The root lies above: raise hi until the probability drops below p.
            var steps = 0
            repeat {
                lo = hi
                if let upper { hi = 0.5 * (hi + upper) } else { hi = max(2 * hi, 1e-8) }
                steps += 1
            } while excess(hi) > 0 && steps < 2100
        } else {
            var steps = 0
            repeat {
                hi = lo
                lo = 0.5 * lo
                steps += 1
            } while excess(lo) < 0 && lo > 0 && steps < 2100
            if excess(lo) < 0 { return lo }
        }
        for _ in 0..<200 {
            let mid = lo + 0.5 * (hi - lo)
            if mid <= lo || mid >= hi { break }
            if excess(mid) > 0 { lo = mid } else { hi = mid }
        }
        return lo + 0.5 * (hi - lo)
    }
}

extension LombScargle {
    /// Checks that peak statistics apply: one series, nterms = 1, data centred.
    private func requirePeakModel() throws {
        guard seriesCount == 1 else {
            throw InferKitError.invalidArgument("false-alarm probabilities are defined for one series, not \(seriesCount)")
        }
        guard options.nterms == 1 else {
            throw InferKitError.invalidArgument(
                "options->nterms is \(options.nterms): false-alarm probabilities are implemented for nterms = 1 only")
        }
        guard options.centers else {
            throw InferKitError.invalidArgument(
                "options->fit_mean and options->center_data are both 0: false-alarm probabilities need centred data")
        }
    }

    /// The statistics of the null distribution: f_max is the last frequency of the automatic
    /// grid for `grid` (as astropy's `autofrequency(return_freq_limits=True)`).
    func peakStatistics(grid gridOptions: FrequencyGridOptions) throws -> (PeakStatistics, FrequencyGrid) {
        let grid = try autofrequency(gridOptions)
        var lo = t[0], hi = t[0]
        for v in t { lo = min(lo, v); hi = max(hi, v) }
        var sw = 0.0, swt = 0.0
        for i in 0..<points {
            let w = dy.map { 1 / ($0[i] * $0[i]) } ?? 1
            sw += w
            swt += w * t[i]
        }
        let mean = swt / sw
        var variance = 0.0
        for i in 0..<points {
            let w = dy.map { 1 / ($0[i] * $0[i]) } ?? 1
            variance += w * (t[i] - mean) * (t[i] - mean)
        }
        variance /= sw
        return (PeakStatistics(points: points, maximumFrequency: grid.last, baseline: hi - lo,
                               timeVariance: variance, normalization: options.normalization), grid)
    }

    /// The false-alarm probability of periodogram peaks of heights `power` into out: the
    /// probability that the highest peak up to f_max of a periodogram of pure noise (Gaussian,
    /// about a constant) with these t and dy is at least that high, by `fap.method`; f_max is
    /// the last frequency of the automatic grid for `grid` (as astropy).
    /// Errors: `invalidArgument` unless one series, nterms = 1 and centred data; `nonFinite` or
    /// `invalidArgument` naming a power that is NaN/Inf, < 0, or > 1 (standard normalisation);
    /// the errors of `autofrequency`.
    public func falseAlarmProbability(power: UnsafeBufferPointer<Double>, grid: FrequencyGridOptions,
                                      options fap: FalseAlarmOptions, into out: UnsafeMutablePointer<Double>) throws {
        try requirePeakModel()
        try fap.validate()
        for i in 0..<power.count where !power[i].isFinite {
            throw InferKitError.nonFinite("power[\(i)] is \(describe(power[i]))")
        }
        for i in 0..<power.count where power[i] < 0 || (options.normalization == .standard && power[i] > 1) {
            throw InferKitError.invalidArgument(
                "power[\(i)] is \(describe(power[i])): a \(options.normalization)-normalised power lies in \(options.normalization == .standard ? "[0, 1]" : "[0, inf)")")
        }
        let (statistics, autoGrid) = try peakStatistics(grid: grid)
        if fap.method == .bootstrap {
            let maxima = try bootstrapMaxima(grid: autoGrid, options: fap)
            for i in 0..<power.count {
                var below = 0
                while below < maxima.count && maxima[below] < power[i] { below += 1 }
                out[i] = 1 - Double(below) / Double(maxima.count)
            }
            return
        }
        for i in 0..<power.count { out[i] = statistics.probability(power[i], fap.method) }
    }

    /// The peak height whose false-alarm probability is `probability[i]`, into out[i]
    /// (astropy's `false_alarm_level`); bootstrap levels are quantiles of the sorted bootstrap
    /// maxima, element floor((1 - p) n_bootstraps) clipped to the range.
    /// Errors: as `falseAlarmProbability`, with `invalidArgument` (or `nonFinite`) naming a
    /// probability outside (0, 1).
    public func falseAlarmLevel(probability: UnsafeBufferPointer<Double>, grid: FrequencyGridOptions,
                                options fap: FalseAlarmOptions, into out: UnsafeMutablePointer<Double>) throws {
        try requirePeakModel()
        try fap.validate()
        for i in 0..<probability.count where !probability[i].isFinite {
            throw InferKitError.nonFinite("probability[\(i)] is \(describe(probability[i]))")
        }
        for i in 0..<probability.count where !(probability[i] > 0 && probability[i] < 1) {
            throw InferKitError.invalidArgument("probability[\(i)] is \(describe(probability[i])): it must lie in (0, 1)")
        }
        let (statistics, autoGrid) = try peakStatistics(grid: grid)
        if fap.method == .bootstrap {
            let maxima = try bootstrapMaxima(grid: autoGrid, options: fap)
            let count = maxima.count
            for i in 0..<probability.count {
                let position = ((1 - probability[i]) * Double(count)).rounded(.down)
                let index = position < 0 ? 0 : (position >= Double(count) ? count - 1 : Int(position))
                out[i] = maxima[index]
            }
            return
        }
        for i in 0..<probability.count { out[i] = statistics.level(probability[i], fap.method) }
    }
}
