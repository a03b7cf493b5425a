// exp over arrays, written so that the compiler vectorises the loop (glibc's exp is one
// scalar call per point and was 14% of a formula fit's time). exp(x) = 2^k e^r with
// k = round(x / ln 2) by the 1.5·2^52 shift (round to nearest even without SSE4.1, and the
// biased exponent k + 1023 left in the low bits of the sum: 2^k is that sum shifted by 52),
// r = x − k ln 2 in two parts (Cody and Waite), |r| ≤ ln2/2, e^r = 1 + (r + r² q(r)) with
// the Taylor polynomial q of degree 11 (truncation below 1e-18), and 2^k applied in two
// halves so that results down to the subnormals and up to the largest double are exact
// scalings. Error at most about 1 ulp (the tests compare against glibc over the whole range).

enum Exponential {
    private static let log2e = 1.4426950408889634
    private static let ln2High = 6.93147180369123816490e-01  // 32 significant bits: k ln2High is exact
    private static let ln2Low = 1.90821492927058770002e-10
    /// 1.5 · 2^52 + 1023: adding it rounds to an integer and leaves k + 1023, the biased
    /// exponent of 2^k, in the low bits of the sum.
    private static let shift = 6755399441055744.0 + 1023
    /// Beyond this exp overflows; below `minimum` it rounds to 0.
    private static let maximum = 709.782712893383973096
    private static let minimum = -745.1332191019412076235
    /// The range where 2^k is a normal number (k in [−1022, 1023]) so one scaling is exact.
    private static let normalLow = -708.0
    private static let normalHigh = 709.0

    /// out[i] = exp(a[i]) for i < m (a and out may be the same array): the vectorised loop
    /// for arguments in [−708, 709], then the rare others one by one.
    @inline(__always)
    static func evaluate(_ a: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>, _ m: Int) {
        // Ternaries rather than Swift.min/max (whose NaN rules block vectorisation); a NaN
        // passes through and is set right below with the other out-of-range arguments.
        // `outside` collects the bits of clamped − x: zero exactly when every x was in range.
        var outside: UInt64 = 0
        for i in 0..<m {
            let x = a[i]
            let clamped = x > normalHigh ? normalHigh : (x < normalLow ? normalLow : x)
            outside |= (clamped - x).bitPattern
            out[i] = normal(clamped)
        }
        if outside != 0 {
            for i in 0..<m where !(a[i] >= normalLow && a[i] <= normalHigh) { out[i] = value(a[i]) }
        }
    }

    /// exp(x) for x in [−708, 709] (2^k a normal number): branch-free.
    @inline(__always)
    private static func normal(_ x: Double) -> Double {
        let t = x * log2e + shift
        let kf = t - shift
        let r = (x - kf * ln2High) - kf * ln2Low
        return polynomial(r) * Double(bitPattern: t.bitPattern << 52)
    }

    /// e^r for |r| ≤ ln2/2: 1 + (r + r² q(r)), q the Taylor polynomial 1/2 + r/6 + ... + r¹¹/13!.
    @inline(__always)
    private static func polynomial(_ r: Double) -> Double {
        var q = 1.0 / 6227020800.0
        q = q * r + 1.0 / 479001600.0
        q = q * r + 1.0 / 39916800.0
        q = q * r + 1.0 / 3628800.0
        q = q * r + 1.0 / 362880.0
        q = q * r + 1.0 / 40320.0
        q = q * r + 1.0 / 5040.0
        q = q * r + 1.0 / 720.0
        q = q * r + 1.0 / 120.0
        q = q * r + 1.0 / 24.0
        q = q * r + 1.0 / 6.0
        q = q * r + 0.5
        return 1 + (r + r * r * q)
    }

    /// exp(x) for every x: 2^k applied in two halves so that results down to the subnormals and
    /// up to the largest double are exact scalings.
    static func value(_ x: Double) -> Double {
        if x.isNaN { return x }
        if x > maximum { return .infinity }
        if x < minimum { return 0 }
        let t = x * log2e + shift
        let kf = t - shift
        let r = (x - kf * ln2High) - kf * ln2Low
        let k = Int(kf)
        let k1 = k / 2, k2 = k - k1
        let s1 = Double(bitPattern: UInt64(k1 + 1023) << 52)
        let s2 = Double(bitPattern: UInt64(k2 + 1023) << 52)
        return polynomial(r) * s1 * s2
    }
}
