/// Autocorrelation of a series by FFT, the one mechanism behind both emcee's autocorrelation
/// time and ArviZ's effective sample size.
///
/// For a series x of n values with mean x̄ the lagged sums
///     S_k = sum_{t=0}^{n-1-k} (x_t - x̄)(x_{t+k} - x̄),  k = 0 ..< n,
/// are computed as the inverse transform of |FFT(x - x̄)|^2 zero-padded to L = 2 p values, p the
/// smallest power of two >= n (emcee's `function_1d` padding; any L >= 2n - 1 gives the same
/// linear, not circular, sums).
public enum Autocorrelation {
    /// The normalised autocorrelation function ρ_k = S_k / S_0, k = 0 ..< n (emcee's
    /// `autocorr.function_1d`). Throws `dimensionMismatch` for an empty series, `nonFinite`
    /// for NaN/Inf, and `singular` for a constant series (S_0 = 0, no autocorrelation).
    public static func function(_ x: UnsafeBufferPointer<Double>, name: String = "x") throws -> [Double] {
        guard !x.isEmpty else { throw InferKitError.dimensionMismatch("n is 0: \(name) needs at least one value") }
        for (i, v) in x.enumerated() where !v.isFinite {
            throw InferKitError.nonFinite("\(name)[\(i)] is \(v)")
        }
        let sums = LaggedSums(length: x.count)
        var s = sums.compute(x)
        guard s[0] > 0 else {
            throw InferKitError.singular("\(name) is constant (every value is \(x[0])): its autocorrelation is undefined")
        }
        let s0 = s[0]
        for k in s.indices { s[k] /= s0 }
        return s
    }
}

/// The lagged sums S_k of the mean-subtracted series for one series length, with the FFT
/// plan and scratch reused across series (not thread-safe: one per thread).
final class LaggedSums {
    /// The series length n.
    let length: Int
    private let plan: FFTPlan
    private var re: [Double]
    private var im: [Double]

    /// Sums for series of `length` >= 1 values.
    init(length n: Int) {
        length = n
        var p = 1
        while p < n { p <<= 1 }
        let size = 2 * p
        plan = FFTPlan(length: size)
        re = [Double](repeating: 0, count: size)
        im = [Double](repeating: 0, count: size)
    }

    /// S_k, k = 0 ..< n, of the `length` values x[0], x[stride], x[2 stride], ...
    func compute(_ x: UnsafeBufferPointer<Double>) -> [Double] {
        compute(x.baseAddress!, stride: 1)
    }

    /// S_k, k = 0 ..< n, of the `length` values base[0], base[stride], ...
    func compute(_ base: UnsafePointer<Double>, stride: Int) -> [Double] {
        let n = length, size = plan.length
        var total = 0.0
        for t in 0..<n { total += base[t &* stride] }
        let mean = total / Double(n)
        return re.withUnsafeMutableBufferPointer { r in
            im.withUnsafeMutableBufferPointer { i in
                let r = r.baseAddress!, i = i.baseAddress!
                for t in 0..<n { r[t] = base[t &* stride] - mean; i[t] = 0 }
                for t in n..<size { r[t] = 0; i[t] = 0 }
                plan.transform(re: r, im: i)
                for k in 0..<size { r[k] = r[k] * r[k] + i[k] * i[k]; i[k] = 0 }
                // The power spectrum is real and even, so the transform's sign does not matter.
                plan.transform(re: r, im: i)
                let scale = 1.0 / Double(size)
                return [Double](unsafeUninitializedCapacity: n) { out, initialized in
                    for k in 0..<n { out[k] = r[k] * scale }
                    initialized = n
                }
            }
        }
    }
}
