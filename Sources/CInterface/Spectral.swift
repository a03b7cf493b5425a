import CInferKitABI
import InferKit

// The ik_lomb_scargle_* family: argument checks and conversions only; the math is in
// InferKit/Spectral.

/// The C options converted: the model, the automatic grid and the false-alarm settings.
private struct SpectralOptions {
    var model = LombScargleOptions()
    var grid = FrequencyGridOptions()
    var falseAlarm = FalseAlarmOptions()
}

/// Converts and checks the C options (NULL means defaults).
private func spectralOptions(_ p: UnsafePointer<ik_lomb_scargle_options_t>?) throws -> SpectralOptions {
    var o = SpectralOptions()
    guard let p else { return o }
    let c = p.pointee
    let size = MemoryLayout<ik_lomb_scargle_options_t>.size
    guard c.struct_size == size else {
        throw ArgumentError(status: .invalidArgument,
                            message: "options->struct_size is \(c.struct_size) but this library expects \(size): fill the options with ik_lomb_scargle_options_default()")
    }
    o.model.fitMean = try flag(c.fit_mean, "options->fit_mean")
    o.model.centerData = try flag(c.center_data, "options->center_data")
    o.model.nterms = Int(c.nterms)
    guard let normalization = PeriodogramNormalization(rawValue: c.normalization) else {
        throw ArgumentError(status: .invalidArgument,
                            message: "options->normalization is \(c.normalization): use IK_LOMB_SCARGLE_STANDARD (0), _MODEL (1), _LOG (2) or _PSD (3)")
    }
    o.model.normalization = normalization
    guard let method = PeriodogramMethod(rawValue: c.method) else {
        throw ArgumentError(status: .invalidArgument,
                            message: "options->method is \(c.method): use IK_LOMB_SCARGLE_EXACT (0) or IK_LOMB_SCARGLE_FAST (1)")
    }
    o.model.method = method
    o.model.threads = Int(c.n_threads)
    o.grid.samplesPerPeak = c.samples_per_peak
    o.grid.nyquistFactor = c.nyquist_factor
    o.grid.minimumFrequency = c.minimum_frequency
    o.grid.maximumFrequency = c.maximum_frequency
    guard let fap = FalseAlarmMethod(rawValue: c.fap_method) else {
        throw ArgumentError(status: .invalidArgument,
                            message: "options->fap_method is \(c.fap_method): use IK_LOMB_SCARGLE_FAP_BALUEV (0), _DAVIES (1), _NAIVE (2), _BOOTSTRAP (3) or _SINGLE (4)")
    }
    o.falseAlarm.method = fap
    o.falseAlarm.bootstraps = Int(c.n_bootstraps)
    o.falseAlarm.seed = c.seed
    try o.model.validate()
    try o.grid.validate()
    try o.falseAlarm.validate()
    return o
}

/// A non-NULL input vector of `count` values (count > 0 was checked by the caller).
private func input(_ p: UnsafePointer<Double>?, _ count: Int, _ name: String) throws -> UnsafeBufferPointer<Double> {
    UnsafeBufferPointer(start: try requireNonNull(p, name), count: count)
}

/// The periodogram object of one series (t, y, dy of n points).
private func singleSeries(_ t: UnsafePointer<Double>?, _ y: UnsafePointer<Double>?, _ dy: UnsafePointer<Double>?,
                          _ n: Int, _ options: LombScargleOptions) throws -> LombScargle {
    let count = try length(n, "n")
    guard count > 0 else { throw ArgumentError(status: .dimension, message: "n is 0: t and y need at least one point") }
    let ts = try input(t, count, "t")
    let ys = try input(y, count, "y")
    return try LombScargle(t: ts, y: ys, dy: dy.map { UnsafeBufferPointer(start: $0, count: count) }, options: options)
}

@_cdecl("ik_lomb_scargle_options_default")
public func ik_lomb_scargle_options_default(_ options: UnsafeMutablePointer<ik_lomb_scargle_options_t>?) -> Int32 {
    guarded {
        let o = try requireNonNull(options, "options")
        let d = SpectralOptions()
        o.pointee = ik_lomb_scargle_options_t(
            struct_size: MemoryLayout<ik_lomb_scargle_options_t>.size,
            fit_mean: d.model.fitMean ? 1 : 0, center_data: d.model.centerData ? 1 : 0,
            nterms: Int32(d.model.nterms), normalization: d.model.normalization.rawValue,
            method: d.model.method.rawValue, n_threads: Int32(d.model.threads),
            samples_per_peak: d.grid.samplesPerPeak, nyquist_factor: d.grid.nyquistFactor,
            minimum_frequency: d.grid.minimumFrequency, maximum_frequency: d.grid.maximumFrequency,
            fap_method: d.falseAlarm.method.rawValue, n_bootstraps: Int32(d.falseAlarm.bootstraps),
            seed: d.falseAlarm.seed)
    }
}

@_cdecl("ik_lomb_scargle_power")
public func ik_lomb_scargle_power(_ t: UnsafePointer<Double>?, _ y: UnsafePointer<Double>?,
                                  _ dy: UnsafePointer<Double>?, _ n: Int,
                                  _ frequency: UnsafePointer<Double>?, _ nFreq: Int,
                                  _ options: UnsafePointer<ik_lomb_scargle_options_t>?,
                                  _ power: UnsafeMutablePointer<Double>?) -> Int32 {
    guarded {
        let out = try requireNonNull(power, "power")
        let f = try requireNonNull(frequency, "frequency")
        let o = try spectralOptions(options)
        let nf = try length(nFreq, "n_freq")
        guard nf > 0 else { throw ArgumentError(status: .dimension, message: "n_freq is 0: frequency needs at least one value") }
        let periodogram = try singleSeries(t, y, dy, n, o.model)
        try periodogram.power(frequencies: UnsafeBufferPointer(start: f, count: nf), into: out)
    }
}

@_cdecl("ik_lomb_scargle_power_batch")
public func ik_lomb_scargle_power_batch(_ t: UnsafePointer<Double>?, _ n: Int, _ y: UnsafePointer<Double>?,
                                        _ nSeries: Int, _ dy: UnsafePointer<Double>?, _ dyPerSeries: Int32,
                                        _ frequency: UnsafePointer<Double>?, _ nFreq: Int,
                                        _ options: UnsafePointer<ik_lomb_scargle_options_t>?,
                                        _ power: UnsafeMutablePointer<Double>?) -> Int32 {
    guarded {
        let out = try requireNonNull(power, "power")
        let f = try requireNonNull(frequency, "frequency")
        let o = try spectralOptions(options)
        let perSeries = try flag(dyPerSeries, "dy_per_series")
        let count = try length(n, "n"), series = try length(nSeries, "n_series"), nf = try length(nFreq, "n_freq")
        guard count > 0 else { throw ArgumentError(status: .dimension, message: "n is 0: t and y need at least one point") }
        guard series > 0 else { throw ArgumentError(status: .dimension, message: "n_series is 0: y needs at least one series") }
        guard nf > 0 else { throw ArgumentError(status: .dimension, message: "n_freq is 0: frequency needs at least one value") }
        let values = try product(series, count, "y")
        _ = try product(series, nf, "power")
        let ts = try input(t, count, "t")
        let ys = try input(y, values, "y")
        let dys = dy.map { UnsafeBufferPointer(start: $0, count: perSeries ? values : count) }
        let periodogram = try LombScargle(t: ts, y: ys, seriesCount: series, dy: dys, dyPerSeries: perSeries, options: o.model)
        try periodogram.power(frequencies: UnsafeBufferPointer(start: f, count: nf), into: out)
    }
}

@_cdecl("ik_lomb_scargle_autofrequency")
public func ik_lomb_scargle_autofrequency(_ t: UnsafePointer<Double>?, _ n: Int,
                                          _ options: UnsafePointer<ik_lomb_scargle_options_t>?,
                                          _ f0: UnsafeMutablePointer<Double>?, _ df: UnsafeMutablePointer<Double>?,
                                          _ nFreq: UnsafeMutablePointer<Int>?) -> Int32 {
    guarded {
        let start = try requireNonNull(f0, "f0"), step = try requireNonNull(df, "df")
        let count = try requireNonNull(nFreq, "n_freq")
        let o = try spectralOptions(options)
        let m = try length(n, "n")
        guard m > 0 else { throw ArgumentError(status: .dimension, message: "n is 0: t needs at least one point") }
        let grid = try FrequencyGrid.automatic(t: try input(t, m, "t"), options: o.grid)
        start.pointee = grid.start
        step.pointee = grid.step
        count.pointee = grid.count
    }
}

@_cdecl("ik_lomb_scargle_autopower")
public func ik_lomb_scargle_autopower(_ t: UnsafePointer<Double>?, _ y: UnsafePointer<Double>?,
                                      _ dy: UnsafePointer<Double>?, _ n: Int,
                                      _ options: UnsafePointer<ik_lomb_scargle_options_t>?,
                                      _ frequency: UnsafeMutablePointer<Double>?, _ power: UnsafeMutablePointer<Double>?,
                                      _ len: Int, _ nFreq: UnsafeMutablePointer<Int>?) -> Int32 {
    guarded {
        let out = try requireNonNull(power, "power")
        let count = try requireNonNull(nFreq, "n_freq")
        let o = try spectralOptions(options)
        let periodogram = try singleSeries(t, y, dy, n, o.model)
        let grid = try periodogram.autofrequency(o.grid)
        count.pointee = grid.count
        try requireLength(try length(len, "len"), grid.count, "power", "the automatic grid (n_freq)")
        try periodogram.power(grid: grid, into: out)
        if let frequency {
            for j in 0..<grid.count { frequency[j] = grid.frequency(j) }
        }
    }
}

@_cdecl("ik_lomb_scargle_model")
public func ik_lomb_scargle_model(_ t: UnsafePointer<Double>?, _ y: UnsafePointer<Double>?,
                                  _ dy: UnsafePointer<Double>?, _ n: Int, _ frequency: Double,
                                  _ tFit: UnsafePointer<Double>?, _ nFit: Int,
                                  _ options: UnsafePointer<ik_lomb_scargle_options_t>?,
                                  _ yFit: UnsafeMutablePointer<Double>?) -> Int32 {
    guarded {
        let out = try requireNonNull(yFit, "y_fit")
        let at = try requireNonNull(tFit, "t_fit")
        let o = try spectralOptions(options)
        let m = try length(nFit, "n_fit")
        guard m > 0 else { throw ArgumentError(status: .dimension, message: "n_fit is 0: t_fit needs at least one point") }
        let periodogram = try singleSeries(t, y, dy, n, o.model)
        try periodogram.model(frequency: frequency, at: UnsafeBufferPointer(start: at, count: m), into: out)
    }
}

@_cdecl("ik_lomb_scargle_model_parameters")
public func ik_lomb_scargle_model_parameters(_ t: UnsafePointer<Double>?, _ y: UnsafePointer<Double>?,
                                             _ dy: UnsafePointer<Double>?, _ n: Int, _ frequency: Double,
                                             _ options: UnsafePointer<ik_lomb_scargle_options_t>?,
                                             _ theta: UnsafeMutablePointer<Double>?, _ len: Int,
                                             _ offset: UnsafeMutablePointer<Double>?) -> Int32 {
    guarded {
        let out = try requireNonNull(theta, "theta")
        let o = try spectralOptions(options)
        try requireLength(try length(len, "len"), o.model.parameterCount, "theta", "the parameters (fit_mean + 2 nterms)")
        let periodogram = try singleSeries(t, y, dy, n, o.model)
        let parameters = try periodogram.modelParameters(frequency: frequency)
        for (i, v) in parameters.enumerated() { out[i] = v }
        if let offset { offset.pointee = try periodogram.offset() }
    }
}

@_cdecl("ik_lomb_scargle_false_alarm_probability")
public func ik_lomb_scargle_false_alarm_probability(_ t: UnsafePointer<Double>?, _ y: UnsafePointer<Double>?,
                                                    _ dy: UnsafePointer<Double>?, _ n: Int,
                                                    _ power: UnsafePointer<Double>?, _ nPower: Int,
                                                    _ options: UnsafePointer<ik_lomb_scargle_options_t>?,
                                                    _ probability: UnsafeMutablePointer<Double>?) -> Int32 {
    guarded {
        let out = try requireNonNull(probability, "probability")
        let z = try requireNonNull(power, "power")
        let o = try spectralOptions(options)
        let m = try length(nPower, "n_power")
        guard m > 0 else { throw ArgumentError(status: .dimension, message: "n_power is 0: power needs at least one value") }
        let periodogram = try singleSeries(t, y, dy, n, o.model)
        try periodogram.falseAlarmProbability(power: UnsafeBufferPointer(start: z, count: m), grid: o.grid,
                                              options: o.falseAlarm, into: out)
    }
}

@_cdecl("ik_lomb_scargle_false_alarm_level")
public func ik_lomb_scargle_false_alarm_level(_ t: UnsafePointer<Double>?, _ y: UnsafePointer<Double>?,
                                              _ dy: UnsafePointer<Double>?, _ n: Int,
                                              _ probability: UnsafePointer<Double>?, _ nProb: Int,
                                              _ options: UnsafePointer<ik_lomb_scargle_options_t>?,
                                              _ level: UnsafeMutablePointer<Double>?) -> Int32 {
    guarded {
        let out = try requireNonNull(level, "level")
        let p = try requireNonNull(probability, "probability")
        let o = try spectralOptions(options)
        let m = try length(nProb, "n_prob")
        guard m > 0 else { throw ArgumentError(status: .dimension, message: "n_prob is 0: probability needs at least one value") }
        let periodogram = try singleSeries(t, y, dy, n, o.model)
        try periodogram.falseAlarmLevel(probability: UnsafeBufferPointer(start: p, count: m), grid: o.grid,
                                        options: o.falseAlarm, into: out)
    }
}
