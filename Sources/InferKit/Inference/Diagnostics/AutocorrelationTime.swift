/// The integrated autocorrelation time of an ensemble chain per parameter, as emcee's
/// `autocorr.integrated_time` (Goodman and Weare 2010; Sokal 1997, p. 16, for the window).
///
/// For parameter d the normalised autocorrelation functions of the walkers (see
/// `Autocorrelation.function`) are averaged, f = (1/W) sum_w ρ_w, and the running estimates
///     τ_M = 2 sum_{k=0}^{M} f_k - 1
/// are cut at Sokal's automatic window: the first M with M >= c τ_M (emcee's `auto_window`).
/// The estimate is τ = τ_M. Since τ_0 = 1 and τ_{n-1} = 0 up to rounding (the lagged sums of a
/// mean-subtracted series add up to zero), such an M exists; should rounding hide it, emcee's
/// rule gives M = 0 and τ = 1, and so does this one.
/// A chain of n steps is `tooShort` for parameter d when tol τ > n: emcee raises
/// `AutocorrError` there, InferKit reports it as a flag and still returns τ.
public struct AutocorrelationTime: Sendable, Equatable {
    /// τ per parameter (in steps).
    public let tau: [Double]
    /// The window M per parameter.
    public let window: [Int]
    /// Per parameter: the chain is shorter than tol τ steps, so τ is not reliable.
    public let tooShort: [Bool]

    /// Estimates τ for every parameter of an emcee-layout chain (steps, walkers, parameters).
    ///
    /// - Parameters:
    ///   - chain: at least 2 steps, 1 walker and 1 parameter, every value finite.
    ///   - c: the window factor (emcee's `c`, default 5), finite and > 0.
    ///   - tol: the number of τ the chain must span to be trusted (emcee's `tol`, default 50),
    ///     finite and >= 0 (0 never flags).
    /// - Throws: `dimensionMismatch` (an empty axis or fewer than 2 steps), `invalidArgument`
    ///   (bad c or tol), `nonFinite` (NaN/Inf in the chain), `singular` (a walker whose
    ///   parameter never changes: its autocorrelation function is undefined, emcee's is NaN).
    public init(chain: ChainView, c: Double = 5, tol: Double = 50) throws {
        try chain.requireNonEmpty()
        guard chain.sequenceLength >= 2 else {
            throw InferKitError.dimensionMismatch(
                "n_steps is \(chain.sequenceLength): the autocorrelation time needs at least 2 steps")
        }
        guard c.isFinite, c > 0 else {
            throw InferKitError.invalidArgument("c is \(c): the window factor must be finite and > 0")
        }
        guard tol.isFinite, tol >= 0 else {
            throw InferKitError.invalidArgument("tol is \(tol): it must be finite and >= 0")
        }
        try chain.requireFinite()
        let n = chain.sequenceLength, walkers = chain.sequenceCount, dims = chain.parameterCount
        let sums = LaggedSums(length: n)
        var tau = [Double](), window = [Int](), tooShort = [Bool]()
        tau.reserveCapacity(dims); window.reserveCapacity(dims); tooShort.reserveCapacity(dims)
        var f = [Double](repeating: 0, count: n)
        for d in 0..<dims {
            for k in 0..<n { f[k] = 0 }
            for w in 0..<walkers {
                let start = chain.base + chain.offset(sequence: w, position: 0, parameter: d)
                let s = sums.compute(start, stride: walkers * dims)
                guard s[0] > 0 else {
                    throw InferKitError.singular(
                        "\(chain.name)[:,\(w),\(d)] is constant (walker \(w), parameter \(d) never moves): its autocorrelation is undefined")
                }
                let s0 = s[0]
                for k in 0..<n { f[k] += s[k] / s0 }
            }
            let scale = Double(walkers)
            var running = 0.0
            var chosen = 0
            var estimate = 2.0 * (f[0] / scale) - 1.0
            for m in 0..<n {
                running += f[m] / scale
                let taum = 2.0 * running - 1.0
                if !(Double(m) < c * taum) {
                    chosen = m
                    estimate = taum
                    break
                }
            }
            tau.append(estimate)
            window.append(chosen)
            tooShort.append(tol * estimate > Double(n))
        }
        self.tau = tau
        self.window = window
        self.tooShort = tooShort
    }
}
