// exp over arrays, written so that the compiler vectorises the loop (glibc's exp is one
// scalar call per point and was 14% of a formula fit's time). exp(x) = 2^k e^r with
// k = round(x / ln 2) by the 1.5·2^52 shift (round to nearest even without SSE4.1, and the
// biased exponent k + 1023 left in the low bits of the sum: 2^k is that sum shifted by 52),
// r = x − k ln 2 in two parts (Cody and Waite), |r| ≤ ln2/2, e^r = 1 + (r + r² q(r)) with
// q a near-minimax polynomial of degree 9 for (e^r − 1 − r)/r² (Chebyshev fit; relative error
// of e^r below 1.6e-17, 0.15 of half an ulp) evaluated by Estrin's scheme (short dependency
// chains: the vectorised loop is latency-bound under Horner), and 2^k applied in two
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

    /// e^r for |r| ≤ ln2/2: 1 + (r + r² q(r)), q(r) = c0 + c1 r + ... + c9 r⁹ the Chebyshev
    /// fit to (e^r − 1 − r)/r² on [−ln2/2, ln2/2] (tools/exp_coefficients.py), by Estrin's scheme.
    @inline(__always)
    private static func polynomial(_ r: Double) -> Double {
        let r2 = r * r
        let r4 = r2 * r2
        let p01 = 0.5000000000000001 + 0.16666666666666669 * r
        let p23 = 0.04166666666662413 + 0.008333333333330062 * r
        let p45 = 0.0013888888917213717 + 0.00019841269863053618 * r
        let p67 = 2.4801521295954376e-05 + 2.7557268459997064e-06 * r
        let p89 = 2.7620088445409746e-07 + 2.510038549551032e-08 * r
        let p0123 = p01 + r2 * p23
        let p4567 = p45 + r2 * p67
        let p4to9 = p4567 + r4 * p89
        let q = p0123 + r4 * p4to9
        return 1 + (r + r2 * q)
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
