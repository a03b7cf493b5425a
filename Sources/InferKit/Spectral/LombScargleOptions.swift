/// How a Lomb-Scargle power is normalised (astropy's `normalization`).
///
/// With chi2_ref = sum w (y - ybar)^2 (the data about their weighted mean; about 0 when neither
/// the mean is fitted nor the data centred) and chi2(f) the weighted residual sum of squares of
/// the best sinusoidal model at frequency f, weights w = 1/dy^2:
public enum PeriodogramNormalization: Int32, Sendable, CaseIterable {
    /// 1 - chi2(f) / chi2_ref, in [0, 1].
    case standard = 0
    /// chi2_ref / chi2(f) - 1, in [0, inf).
    case model = 1
    /// ln(chi2_ref / chi2(f)), in [0, inf).
    case log = 2
    /// (chi2_ref - chi2(f)) / 2: the classical periodogram in units of y^2 when dy is absent,
    /// a chi-square difference (dimensionless) with dy.
    case psd = 3
}

/// How the trigonometric sums behind a periodogram are evaluated.
public enum PeriodogramMethod: Int32, Sendable, CaseIterable {
    /// Exact sums: trigonometric recurrences along regular frequency grids, re-seeded with
    /// directly computed sines and cosines every 64 frequencies (the recurrence adds less than
    /// 1e-14 to the rounding of the phases themselves); any other frequency array is evaluated
    /// point by point; ill-conditioned frequencies are solved by QR. Powers agree with
    /// 40-digit references to about 1e-12 relative. O(n_points x n_frequencies).
    case exact = 0
    /// Approximate sums by a non-uniform FFT with Gaussian gridding (Greengard and Lee 2004)
    /// on a regular frequency grid, accurate to about 1e-14 of sum |weights| (plus the rounding
    /// of the grid's frequencies, ~eps f tau); frequencies where the per-frequency Gram matrix
    /// is ill-conditioned (relative pivot < 0.25: very few points, or far below 1 / baseline)
    /// are computed exactly instead. Standard-normalised powers are within ~1e-13 of the exact
    /// ones on typical data and within 2e-10 over 800 random stress configurations (down to 8
    /// points with 7 parameters and 20,000 frequencies); the tests require < 1e-9.
    /// O(n_points + n_frequencies log n_frequencies).
    case fast = 1
}

/// The estimate of the false-alarm probability of a periodogram peak (astropy's `method`).
public enum FalseAlarmMethod: Int32, Sendable, CaseIterable {
    /// Baluev (2008) eq. 6: the alias-free approximation, 1 - (1 - P_single) exp(-tau).
    case baluev = 0
    /// Davies' upper bound (Baluev 2008 eq. 5): P_single + tau.
    case davies = 1
    /// 1 - (1 - P_single)^N_eff with N_eff = f_max (max t - min t) independent frequencies.
    case naive = 2
    /// The distribution of the maximum power over bootstrap resamples of (y, dy) at fixed t.
    case bootstrap = 3
    /// The single-frequency probability P_single (not a false-alarm probability of a peak).
    case single = 4
}

/// Settings of a Lomb-Scargle periodogram (the fields of `ik_lomb_scargle_options_t` that
/// describe the model and its evaluation).
public struct LombScargleOptions: Sendable, Equatable {
    /// Fit a constant offset at every frequency (the generalised, "floating mean" periodogram
    /// of Zechmeister and Kuerster 2009). Default true.
    public var fitMean = true
    /// Subtract the weighted mean of y before fitting. Default true. (With `fitMean` the data
    /// are centred in any case, as astropy does.)
    public var centerData = true
    /// Number of harmonics of the model: sum_{k=1..nterms} a_k sin(2 pi k f t) + b_k cos(2 pi k f t).
    public var nterms = 1
    /// Normalisation of the power.
    public var normalization = PeriodogramNormalization.standard
    /// Exact or fast evaluation.
    public var method = PeriodogramMethod.exact
    /// Threads; 0 means all cores. Results are bit-identical for every value.
    public var threads = 0

    /// The largest accepted `nterms`.
    public static let maximumTerms = 256

    /// Default options.
    public init() {}

    /// Number of parameters of the model at one frequency: the offset (when fitted) and a sine
    /// and a cosine per harmonic.
    public var parameterCount: Int { (fitMean ? 1 : 0) + 2 * nterms }

    /// True when the data are centred on their weighted mean before fitting.
    public var centers: Bool { fitMean || centerData }

    /// Parameters of the reference (null) model plus the periodic model: astropy's dK.
    public var modelDegreesOfFreedom: Int { (centers ? 1 : 0) + 2 * nterms }

    /// Throws `invalidArgument` naming the first option out of range (names as in C).
    public func validate() throws {
        guard nterms >= 1 && nterms <= LombScargleOptions.maximumTerms else {
            throw InferKitError.invalidArgument(
                "options->nterms is \(nterms): it must be between 1 and \(LombScargleOptions.maximumTerms)")
        }
        guard threads >= 0 else {
            throw InferKitError.invalidArgument("options->n_threads is \(threads): it must be >= 0 (0 = all cores)")
        }
    }
}

/// Settings of the automatic frequency grid (astropy's `autofrequency` arguments).
public struct FrequencyGridOptions: Sendable, Equatable {
    /// Grid points across a typical peak of width 1 / baseline. Default 5.
    public var samplesPerPeak = 5.0
    /// Multiple of the average Nyquist frequency n / (2 baseline) used as the highest
    /// frequency when `maximumFrequency` is 0. Default 5.
    public var nyquistFactor = 5.0
    /// Lowest frequency; 0 (default) means half the grid step, 0.5 / (baseline samplesPerPeak).
    public var minimumFrequency = 0.0
    /// Highest frequency; 0 (default) means nyquistFactor n / (2 baseline).
    public var maximumFrequency = 0.0

    /// Default options.
    public init() {}

    /// Throws `invalidArgument` naming the first option out of range (names as in C).
    public func validate() throws {
        guard samplesPerPeak.isFinite && samplesPerPeak > 0 else {
            throw InferKitError.invalidArgument("options->samples_per_peak is \(describe(samplesPerPeak)): it must be finite and > 0")
        }
        guard nyquistFactor.isFinite && nyquistFactor > 0 else {
            throw InferKitError.invalidArgument("options->nyquist_factor is \(describe(nyquistFactor)): it must be finite and > 0")
        }
        guard minimumFrequency.isFinite && minimumFrequency >= 0 else {
            throw InferKitError.invalidArgument("options->minimum_frequency is \(describe(minimumFrequency)): it must be finite and >= 0 (0 = automatic)")
        }
        guard maximumFrequency.isFinite && maximumFrequency >= 0 else {
            throw InferKitError.invalidArgument("options->maximum_frequency is \(describe(maximumFrequency)): it must be finite and >= 0 (0 = automatic)")
        }
    }
}

/// Settings of false-alarm probabilities and levels.
public struct FalseAlarmOptions: Sendable, Equatable {
    /// The estimate. Default Baluev's.
    public var method = FalseAlarmMethod.baluev
    /// Bootstrap resamples. Default 1000.
    public var bootstraps = 1000
    /// Seed of the bootstrap resampling: equal seeds give equal results on every machine and
    /// thread count. Default 0.
    public var seed: UInt64 = 0

    /// The largest accepted number of bootstrap resamples.
    public static let maximumBootstraps = 10_000_000

    /// Default options.
    public init() {}

    /// Throws `invalidArgument` naming the first option out of range (names as in C).
    public func validate() throws {
        guard bootstraps >= 1 && bootstraps <= FalseAlarmOptions.maximumBootstraps else {
            throw InferKitError.invalidArgument(
                "options->n_bootstraps is \(bootstraps): it must be between 1 and \(FalseAlarmOptions.maximumBootstraps)")
        }
    }
}
