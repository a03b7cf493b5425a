/// A regular frequency grid f_j = start + j step, j = 0..<count.
public struct FrequencyGrid: Sendable, Equatable {
    /// The first frequency.
    public let start: Double
    /// The spacing (> 0 when count > 1).
    public let step: Double
    /// Number of frequencies.
    public let count: Int

    /// The grid start + j step, j = 0..<count.
    public init(start: Double, step: Double, count: Int) {
        self.start = start
        self.step = step
        self.count = count
    }

    /// Frequency j, computed as numpy computes `start + step * arange(count)`.
    @inline(__always)
    public func frequency(_ j: Int) -> Double { start + step * Double(j) }

    /// The last frequency.
    public var last: Double { frequency(count - 1) }

    /// The regular grid that the frequencies follow, or nil: with step = (f[n-1] - f[0]) / (n - 1)
    /// every |f[j] - (f[0] + j step)| must be at most 4 ulps of the largest |f|, which is what
    /// `numpy.linspace`, `arange` and `f0 + df * arange(n)` produce. Then evaluating on the
    /// ideal grid moves each frequency by no more than its own rounding. A single frequency is
    /// not a grid.
    public static func detect(_ f: UnsafeBufferPointer<Double>) -> FrequencyGrid? {
        let n = f.count
        guard n >= 2 else { return nil }
        let first = f[0], final = f[n - 1]
        let step = (final - first) / Double(n - 1)
        guard step > 0, step.isFinite else { return nil }
        let tolerance = 4 * Double.ulpOfOne * max(abs(first), abs(final))
        let grid = FrequencyGrid(start: first, step: step, count: n)
        for j in 0..<n where !(abs(f[j] - grid.frequency(j)) <= tolerance) { return nil }
        return grid
    }

    /// The automatic grid of astropy's `LombScargle.autofrequency` for observation times t:
    /// step = 1 / (baseline samplesPerPeak) with baseline = max t - min t; start = the minimum
    /// frequency or step / 2; last = the maximum frequency or nyquistFactor n / (2 baseline);
    /// count = 1 + round((last - start) / step) (half to even, as numpy).
    /// Errors: `invalidArgument` when the baseline is 0 or the maximum is below the minimum,
    /// `outOfMemory` when the grid would have more than 2^40 frequencies.
    public static func automatic(t: UnsafeBufferPointer<Double>, options: FrequencyGridOptions) throws -> FrequencyGrid {
        try options.validate()
        guard t.count > 0 else { throw InferKitError.dimensionMismatch("n is 0: t needs at least one point") }
        try requireFinite(t, name: "t")
        var lo = t[0], hi = t[0]
        for v in t { lo = min(lo, v); hi = max(hi, v) }
        let baseline = hi - lo
        guard baseline > 0 else {
            throw InferKitError.invalidArgument(
                "t has no baseline (every t is \(describe(lo))): the automatic frequency grid needs max(t) > min(t)")
        }
        let step = 1.0 / baseline / options.samplesPerPeak
        let start = options.minimumFrequency > 0 ? options.minimumFrequency : 0.5 * step
        let stop = options.maximumFrequency > 0
            ? options.maximumFrequency
            : options.nyquistFactor * (0.5 * Double(t.count) / baseline)
        guard step > 0, step.isFinite, stop.isFinite else {
            throw InferKitError.invalidArgument(
                "the automatic frequency grid is not representable: baseline \(describe(baseline)), samples_per_peak \(describe(options.samplesPerPeak))")
        }
        guard stop >= start else {
            throw InferKitError.invalidArgument(
                "options->maximum_frequency is \(describe(stop)) but the minimum frequency is \(describe(start)): the maximum must not be below the minimum")
        }
        let intervals = ((stop - start) / step).rounded(.toNearestOrEven)
        guard intervals.isFinite, intervals < 0x1p40 else {
            throw InferKitError.outOfMemory(
                "the automatic frequency grid would have \(describe(intervals + 1)) frequencies (from \(describe(start)) to \(describe(stop)) in steps of \(describe(step))): raise options->minimum_frequency, lower options->maximum_frequency or options->samples_per_peak")
        }
        return FrequencyGrid(start: start, step: step, count: 1 + Int(intervals))
    }
}
