#if canImport(Glibc)
import Glibc
#endif

/// The Lomb-Scargle periodogram of unevenly sampled data with uncertainties: least-squares
/// spectral analysis (the lecture's "Practical example"), as astropy's `LombScargle`.
///
/// At each frequency f the model
///     y(t) = [c] + sum_{k=1..nterms} a_k sin(2 pi k f t) + b_k cos(2 pi k f t)
/// (the offset c only with `fitMean`) is fitted to the data (centred on their weighted mean
/// when `fitMean` or `centerData`) by weighted least squares with weights 1/dy^2, and the power
/// measures how much it lowers chi-square: chi2_ref - chi2(f), normalised as
/// `PeriodogramNormalization` says. nterms = 1 without the offset is the classical periodogram
/// (Lomb 1976, Scargle 1982); with it, the generalised one (Zechmeister and Kuerster 2009);
/// nterms > 1 the multi-harmonic one (VanderPlas and Ivezic 2015).
///
/// Several series may share the times (a batch): y holds them one after the other, and dy is
/// absent, shared, or given per series. The value copies its inputs; it is immutable and may be
/// used from several threads at once.
public struct LombScargle: Sendable {
    /// The model and evaluation settings.
    public let options: LombScargleOptions
    /// Number of observation times n.
    public let points: Int
    /// Number of series.
    public let seriesCount: Int
    /// Whether dy holds one row per series.
    public let dyPerSeries: Bool
    let t: [Double]
    let y: [Double]
    let dy: [Double]?

    /// Validates and copies the data.
    /// - Parameters:
    ///   - t: n finite observation times, any order.
    ///   - y: seriesCount x n finite values, series after series.
    ///   - seriesCount: number of series (>= 1).
    ///   - dy: nil (all 1), n finite uncertainties > 0 shared by every series, or, with
    ///     `dyPerSeries`, seriesCount x n.
    ///   - options: the model; validated here.
    /// Errors: `dimensionMismatch` for n = 0, seriesCount = 0 or n <= the number of parameters
    /// (the offset or mean, plus 2 nterms); `nonFinite` naming the first NaN/Inf of t, y or dy;
    /// `invalidArgument` for dy <= 0 or an option out of range.
    public init(t: UnsafeBufferPointer<Double>, y: UnsafeBufferPointer<Double>, seriesCount: Int = 1,
                dy: UnsafeBufferPointer<Double>?, dyPerSeries: Bool = false,
                options: LombScargleOptions = LombScargleOptions()) throws {
        try options.validate()
        let n = t.count
        guard n > 0 else { throw InferKitError.dimensionMismatch("n is 0: t needs at least one point") }
        guard seriesCount > 0 else { throw InferKitError.dimensionMismatch("n_series is 0: y needs at least one series") }
        let (total, overflow) = n.multipliedReportingOverflow(by: seriesCount)
        guard !overflow, y.count == total else {
            throw InferKitError.dimensionMismatch("t has \(n) values but y has \(y.count), not n_series x n = \(seriesCount) x \(n)")
        }
        let needed = options.modelDegreesOfFreedom + 1
        guard n >= needed else {
            let model = options.centers ? "the mean and \(options.nterms) harmonic(s)" : "\(options.nterms) harmonic(s)"
            throw InferKitError.dimensionMismatch(
                "n is \(n): a periodogram with \(model) needs at least \(needed) points (more than its \(needed - 1) parameters)")
        }
        try requireFinite(t, name: "t")
        if seriesCount == 1 {
            try requireFinite(y, name: "y")
        } else {
            for i in 0..<y.count where !y[i].isFinite {
                throw InferKitError.nonFinite("y[\(i / n),\(i % n)] is \(describe(y[i]))")
            }
        }
        if let dy {
            let expected = dyPerSeries ? total : n
            guard dy.count == expected else {
                throw InferKitError.dimensionMismatch("dy has \(dy.count) values but \(dyPerSeries ? "n_series x n" : "n") is \(expected)")
            }
            let perRow = dyPerSeries && seriesCount > 1
            func name(_ i: Int) -> String { perRow ? "dy[\(i / n),\(i % n)]" : "dy[\(i)]" }
            for i in 0..<dy.count where !dy[i].isFinite {
                throw InferKitError.nonFinite("\(name(i)) is \(describe(dy[i]))")
            }
            for i in 0..<dy.count where !(dy[i] > 0) {
                throw InferKitError.invalidArgument("\(name(i)) is \(describe(dy[i])): every dy must be > 0")
            }
        }
        self.options = options
        points = n
        self.seriesCount = seriesCount
        self.dyPerSeries = dyPerSeries && dy != nil
        self.t = Array(t)
        self.y = Array(y)
        self.dy = dy.map { Array($0) }
    }

    /// The same data with other model settings (validated).
    public func with(options newOptions: LombScargleOptions) throws -> LombScargle {
        try t.withUnsafeBufferPointer { tb in
            try y.withUnsafeBufferPointer { yb in
                if let dy {
                    return try dy.withUnsafeBufferPointer {
                        try LombScargle(t: tb, y: yb, seriesCount: seriesCount, dy: $0, dyPerSeries: dyPerSeries, options: newOptions)
                    }
                }
                return try LombScargle(t: tb, y: yb, seriesCount: seriesCount, dy: nil, options: newOptions)
            }
        }
    }

    /// The kernels' layout of the data.
    func prepared() -> PeriodogramData {
        let n = points
        return t.withUnsafeBufferPointer { tb in
            y.withUnsafeBufferPointer { yb in
                let values: (Int, Int) -> Double = { s, i in yb[s * n + i] }
                if let dy {
                    return dy.withUnsafeBufferPointer { db in
                        PeriodogramData(points: n, t: { tb[$0] }, seriesCount: seriesCount, y: values,
                                        weightSetCount: dyPerSeries ? seriesCount : 1,
                                        dy: { a, i in db[a * n + i] }, centers: options.centers)
                    }
                }
                return PeriodogramData(points: n, t: { tb[$0] }, seriesCount: seriesCount, y: values,
                                       weightSetCount: 1, dy: nil, centers: options.centers)
            }
        }
    }

    // MARK: - Power

    /// The power at each frequency into out (seriesCount x frequencies.count, series after
    /// series). A regular grid (see `FrequencyGrid.detect`) is evaluated with recurrences; the
    /// fast method requires one.
    /// Errors: `dimensionMismatch` for no frequencies; `nonFinite`/`invalidArgument` naming the
    /// first frequency that is NaN/Inf or <= 0; `invalidArgument` when the method is fast and
    /// the frequencies are not a regular grid, or when a phase exceeds 2^48 cycles;
    /// `singular` when a series is constant (its power is 0/0) unless the normalisation is psd.
    public func power(frequencies: UnsafeBufferPointer<Double>, into out: UnsafeMutablePointer<Double>) throws {
        let nf = frequencies.count
        guard nf > 0 else { throw InferKitError.dimensionMismatch("n_freq is 0: frequency needs at least one value") }
        for j in 0..<nf where !frequencies[j].isFinite {
            throw InferKitError.nonFinite("frequency[\(j)] is \(describe(frequencies[j]))")
        }
        for j in 0..<nf where !(frequencies[j] > 0) {
            throw InferKitError.invalidArgument("frequency[\(j)] is \(describe(frequencies[j])): every frequency must be > 0")
        }
        var highest = 0
        for j in 0..<nf where frequencies[j] > frequencies[highest] { highest = j }
        let source: FrequencySource
        if let grid = FrequencyGrid.detect(frequencies) {
            source = .grid(grid)
        } else if nf == 1 {
            source = options.method == .fast
                ? .grid(FrequencyGrid(start: frequencies[0], step: frequencies[0], count: 1))
                : .list(frequencies)
        } else if options.method == .fast {
            let step = (frequencies[nf - 1] - frequencies[0]) / Double(nf - 1)
            var j = 1
            while j < nf - 1 && abs(frequencies[j] - (frequencies[0] + step * Double(j))) <= 4 * Double.ulpOfOne * abs(frequencies[highest]) { j += 1 }
            throw InferKitError.invalidArgument(
                "frequency is not a regular grid: frequency[\(j)] is \(describe(frequencies[j])) but frequency[0] + \(j) df is \(describe(frequencies[0] + step * Double(j))); the fast method needs f0 + j df (use the exact method for other frequencies)")
        } else {
            source = .list(frequencies)
        }
        try evaluate(source, highest: frequencies[highest], name: "frequency[\(highest)]", into: out)
    }

    /// The power on a regular grid into out (seriesCount x grid.count).
    /// Errors as `power(frequencies:into:)`, naming the grid's start and step.
    public func power(grid: FrequencyGrid, into out: UnsafeMutablePointer<Double>) throws {
        guard grid.count > 0 else { throw InferKitError.dimensionMismatch("n_freq is 0: the grid needs at least one frequency") }
        guard grid.start.isFinite, grid.start > 0 else {
            throw InferKitError.invalidArgument("the grid's first frequency is \(describe(grid.start)): every frequency must be > 0")
        }
        guard grid.count == 1 || (grid.step.isFinite && grid.step > 0 && grid.last.isFinite) else {
            throw InferKitError.invalidArgument("the grid's step is \(describe(grid.step)): it must be finite and > 0")
        }
        try evaluate(.grid(grid), highest: grid.last, name: "the grid's last frequency", into: out)
    }

    private func evaluate(_ source: FrequencySource, highest: Double, name: String,
                          into out: UnsafeMutablePointer<Double>) throws {
        let data = prepared()
        let cycles = highest * Double(2 * options.nterms) * data.tauMaximum
        guard cycles <= SinCos.maximumCycles else {
            throw InferKitError.invalidArgument(
                "\(name) is \(describe(highest)) and t spans \(describe(2 * data.tauMaximum)): phases of \(describe(cycles)) cycles exceed 2^48, where a double cannot resolve a fraction of a cycle")
        }
        if options.normalization != .psd {
            for s in 0..<seriesCount where !(data.reference[s] > 0) {
                let what = seriesCount == 1 ? "y" : "y[\(s),:]"
                throw InferKitError.singular(
                    "\(what) is constant\(options.centers ? " (its weighted variance is 0)" : " zero")): its \(options.normalization) power is 0/0")
            }
        }
        try PeriodogramEngine.power(data, frequencies: source, options: options, into: out)
    }

    /// The automatic frequency grid for these times (astropy's `autofrequency`).
    public func autofrequency(_ gridOptions: FrequencyGridOptions = FrequencyGridOptions()) throws -> FrequencyGrid {
        try t.withUnsafeBufferPointer { try FrequencyGrid.automatic(t: $0, options: gridOptions) }
    }

    // MARK: - Model

    /// The weighted mean subtracted from series s before fitting (0 without `centerData`), as
    /// astropy's `offset()`.
    public func offset(series s: Int = 0) throws -> Double {
        try checkSeries(s)
        guard options.centerData else { return 0 }
        let n = points
        var sw = 0.0, swy = 0.0
        for i in 0..<n {
            let w = weight(series: s, i)
            sw += w
            swy += w * y[s * n + i]
        }
        return swy / sw
    }

    /// The best-fit parameters at `frequency` for series s, as astropy's `model_parameters`:
    /// [offset (when fitted)], then a_k, b_k of sin(2 pi k f t), cos(2 pi k f t) for k = 1..nterms,
    /// for the data minus `offset()`, with t measured from 0. Solved by QR of the weighted
    /// design (LinearLeastSquares), not by normal equations; a degenerate frequency gives the
    /// minimum-norm solution.
    public func modelParameters(frequency: Double, series s: Int = 0) throws -> [Double] {
        let (theta, reference) = try fit(frequency: frequency, series: s)
        var out = theta
        let off = options.fitMean ? 1 : 0
        for k in 1...options.nterms {
            let phase = SinCos.cycles(Double(k) * frequency * reference)
            let a = theta[off + 2 * (k - 1)], b = theta[off + 2 * (k - 1) + 1]
            out[off + 2 * (k - 1)] = a * phase.cos + b * phase.sin
            out[off + 2 * (k - 1) + 1] = b * phase.cos - a * phase.sin
        }
        return out
    }

    /// The best-fit model of series s at `frequency` evaluated at tFit (astropy's `model`):
    /// offset() + [c] + sum a_k sin(2 pi k f t) + b_k cos(2 pi k f t).
    /// Errors: as `modelParameters`, and `nonFinite` naming the first NaN/Inf of t_fit.
    public func model(frequency: Double, series s: Int = 0, at tFit: UnsafeBufferPointer<Double>,
                      into out: UnsafeMutablePointer<Double>) throws {
        try requireFinite(tFit, name: "t_fit")
        let (theta, reference) = try fit(frequency: frequency, series: s)
        let level = try offset(series: s)
        let off = options.fitMean ? 1 : 0
        for i in 0..<tFit.count {
            var v = level + (options.fitMean ? theta[0] : 0)
            for k in 1...options.nterms {
                let p = SinCos.cycles(Double(k) * frequency * (tFit[i] - reference))
                v += theta[off + 2 * (k - 1)] * p.sin + theta[off + 2 * (k - 1) + 1] * p.cos
            }
            out[i] = v
        }
    }

    private func checkSeries(_ s: Int) throws {
        guard s >= 0 && s < seriesCount else {
            throw InferKitError.invalidArgument("series is \(s) but there are \(seriesCount) series")
        }
    }

    /// 1 / dy^2 of point i of series s.
    private func weight(series s: Int, _ i: Int) -> Double {
        guard let dy else { return 1 }
        let v = dy[(dyPerSeries ? s * points : 0) + i]
        return 1 / (v * v)
    }

    /// The weighted least-squares fit at one frequency in tau = t - reference.
    private func fit(frequency: Double, series s: Int) throws -> (theta: [Double], reference: Double) {
        try checkSeries(s)
        guard frequency.isFinite else { throw InferKitError.nonFinite("frequency is \(describe(frequency))") }
        guard frequency > 0 else {
            throw InferKitError.invalidArgument("frequency is \(describe(frequency)): it must be > 0")
        }
        let n = points, p = options.parameterCount, k = options.nterms
        var lo = t[0], hi = t[0]
        for v in t { lo = min(lo, v); hi = max(hi, v) }
        let reference = lo + 0.5 * (hi - lo)
        let cycles = frequency * Double(k) * 0.5 * (hi - lo)
        guard cycles <= SinCos.maximumCycles else {
            throw InferKitError.invalidArgument(
                "frequency is \(describe(frequency)) and t spans \(describe(hi - lo)): phases of \(describe(cycles)) cycles exceed 2^48")
        }
        guard n <= DirectFit.sizeLimit / p else {
            throw InferKitError.outOfMemory("the model's design would have \(n) x \(p) elements (more than \(DirectFit.sizeLimit))")
        }
        let level = try offset(series: s)
        var design = [Double](repeating: 0, count: n * p)  // column-major
        var data = [Double](repeating: 0, count: n)
        var sigma = [Double](repeating: 1, count: n)
        let off = options.fitMean ? 1 : 0
        for i in 0..<n {
            if options.fitMean { design[i] = 1 }
            for h in 1...k {
                let v = SinCos.cycles(Double(h) * frequency * (t[i] - reference))
                design[i + (off + 2 * (h - 1)) * n] = v.sin
                design[i + (off + 2 * (h - 1) + 1) * n] = v.cos
            }
            data[i] = y[s * n + i] - level
            if let dy { sigma[i] = dy[(dyPerSeries ? s * n : 0) + i] }
        }
        var linear = LinearOptions()
        linear.allowRankDeficient = true
        linear.absoluteSigma = true
        linear.threads = options.threads
        let result = try design.withUnsafeBufferPointer { a in
            try data.withUnsafeBufferPointer { b in
                try sigma.withUnsafeBufferPointer { sb in
                    try LinearLeastSquares.fit(
                        design: MatrixView(base: a.baseAddress!, rows: n, cols: p, layout: .columnMajor, name: "the design"),
                        data: MatrixView(base: b.baseAddress!, rows: n, cols: 1, layout: .columnMajor, name: "y"),
                        sigma: sb, options: linear)
                }
            }
        }
        return (Array(result.parameters.prefix(p)), reference)
    }
}
