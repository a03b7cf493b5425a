// The exp kernel over arrays, in a module of its own so that it can be compiled twice from one
// source: inlined into InferKit (the baseline x86-64, SSE2: two points per instruction) and, in
// this module, for x86-64-v3 (AVX2: four), which InferKit calls only on a processor that has
// it (`expInRangeV3`). Swift has no per-function target attribute, so a module is the unit.
// The two give the same bits: the same IEEE operations lane by lane (no fused multiply-add:
// Swift does not contract a * b + c).
//
// exp(x) = 2^k e^r with k = round(x / ln 2) by the 1.5·2^52 shift (round to nearest even
// without SSE4.1, and the biased exponent k + 1023 left in the low bits of the sum: 2^k is that
// sum shifted by 52), r = x − k ln 2 in two parts (Cody and Waite), |r| ≤ ln2/2,
// e^r = 1 + (r + r² q(r)) with q a near-minimax polynomial of degree 9 for (e^r − 1 − r)/r²
// (Chebyshev fit; relative error of e^r below 1.6e-17, 0.15 of half an ulp) evaluated by
// Estrin's scheme (short dependency chains: the vectorised loop is latency-bound under Horner).

/// The pieces of the exp kernel (InferKit's `Exponential` adds the arguments outside
/// [normalLow, normalHigh] and the scalar function).
public enum ExpKernel {
    /// log2(e).
    public static let log2e = 1.4426950408889634
    /// ln 2 to 32 significant bits (k ln2High is exact) and the rest.
    public static let ln2High = 6.93147180369123816490e-01
    public static let ln2Low = 1.90821492927058770002e-10
    /// 1.5 · 2^52 + 1023: adding it rounds to an integer and leaves k + 1023, the biased
    /// exponent of 2^k, in the low bits of the sum.
    public static let shift = 6755399441055744.0 + 1023
    /// The range where 2^k is a normal number (k in [−1022, 1023]) so one scaling is exact.
    public static let normalLow = -708.0
    public static let normalHigh = 709.0

    /// out[i] = exp(a[i]) for i < m where a[i] is in [normalLow, normalHigh] (other entries
    /// get the value at the clamped argument); false when some a[i] was outside (or NaN).
    /// `a` and `out` must not overlap: the caller rereads `a` to mend those entries.
    @inlinable @inline(__always)
    public static func inRange(_ a: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>, _ m: Int) -> Bool {
        // Ternaries rather than Swift.min/max (whose NaN rules block vectorisation); a NaN
        // passes through. `outside` collects the bits of clamped − x: zero exactly when every
        // x was in range. The constants are literals here: code inlined into another module
        // would otherwise read them through lazy globals.
        var outside: UInt64 = 0
        for i in 0..<m {
            let x = a[i]
            let clamped = x > 709.0 ? 709.0 : (x < -708.0 ? -708.0 : x)
            outside |= (clamped - x).bitPattern
            out[i] = normal(clamped)
        }
        return outside == 0
    }

    /// exp(x) for x in [−708, 709] (2^k a normal number): branch-free.
    @inlinable @inline(__always)
    public static func normal(_ x: Double) -> Double {
        let shift = 6755399441055744.0 + 1023
        let t = x * 1.4426950408889634 + shift
        let kf = t - shift
        let r = (x - kf * 6.93147180369123816490e-01) - kf * 1.90821492927058770002e-10
        return polynomial(r) * Double(bitPattern: t.bitPattern << 52)
    }

    /// e^r for |r| ≤ ln2/2: 1 + (r + r² q(r)), q(r) = c0 + c1 r + ... + c9 r⁹ the Chebyshev
    /// fit to (e^r − 1 − r)/r² on [−ln2/2, ln2/2] (tools/exp_coefficients.py), by Estrin's scheme.
    @inlinable @inline(__always)
    public static func polynomial(_ r: Double) -> Double {
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
}

/// `ExpKernel.inRange` compiled with this module's code generation (x86-64-v3 on x86-64 hosts:
/// see Package.swift). Call it only where `CPUFeatures.x86_64_v3` holds.
public func expInRangeV3(_ a: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>, _ m: Int) -> Bool {
    ExpKernel.inRange(a, out, m)
}
