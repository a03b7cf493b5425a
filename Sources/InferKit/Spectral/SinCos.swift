/// Sines and cosines of phases given in cycles, four at a time, for the periodogram kernels.
///
/// cos(2 pi x) and sin(2 pi x) are periodic in x with period 1, so the phase is reduced first
/// and exactly: r = x - round(x) in [-1/2, 1/2], then the quadrant q = round(4 r) and
/// u = 2 pi (r - q/4) in [-pi/4, pi/4] (r - q/4 is exact by Sterbenz's lemma). Taylor
/// polynomials of degree 15 (sine) and 16 (cosine) are accurate to 1e-16 on that interval, so
/// the results are within about one ulp of the correctly rounded values for the phase x as
/// given. Rounding uses the 1.5 * 2^52 trick, valid for |x| < 2^51; callers keep
/// |x| <= `SinCos.maximumCycles`.
enum SinCos {
    /// The largest phase (in cycles) the kernels accept: beyond it a double cannot resolve a
    /// sixteenth of a cycle.
    static let maximumCycles = 0x1p48

    /// 1.5 * 2^52: adding and subtracting it rounds a double of magnitude < 2^51 to an integer.
    @usableFromInline static let magic = 6755399441055744.0

    /// Returns (cos 2 pi x, sin 2 pi x) lane by lane.
    @inline(__always)
    static func cycles(_ x: SIMD4<Double>) -> (cos: SIMD4<Double>, sin: SIMD4<Double>) {
        let m = SIMD4<Double>(repeating: magic)
        let r = x - ((x + m) - m)
        let q = ((r * 4 + m) - m)
        let u = (r - q * 0.25) * (2 * Double.pi)
        let u2 = u * u
        // sin u = u (1 - u^2/3! + u^4/5! - ... - u^14/15!)
        var s = SIMD4<Double>(repeating: -7.647163731819816e-13)   // -1/15!
        s = s * u2 + 1.6059043836821613e-10                         //  1/13!
        s = s * u2 - 2.505210838544172e-08                          // -1/11!
        s = s * u2 + 2.7557319223985893e-06                         //  1/9!
        s = s * u2 - 1.984126984126984e-04                          // -1/7!
        s = s * u2 + 8.333333333333333e-03                          //  1/5!
        s = s * u2 - 1.6666666666666666e-01                         // -1/3!
        s = (s * u2) * u + u
        // cos u = 1 - u^2/2! + u^4/4! - ... + u^16/16!
        var c = SIMD4<Double>(repeating: 4.779477332387385e-14)    //  1/16!
        c = c * u2 - 1.1470745597729725e-11                         // -1/14!
        c = c * u2 + 2.08767569878681e-09                           //  1/12!
        c = c * u2 - 2.755731922398589e-07                          // -1/10!
        c = c * u2 + 2.48015873015873e-05                           //  1/8!
        c = c * u2 - 1.3888888888888889e-03                         // -1/6!
        c = c * u2 + 4.1666666666666664e-02                         //  1/4!
        c = c * u2 - 0.5                                            // -1/2!
        c = c * u2 + 1
        // Rotate by q quarter turns: q = 1 -> (-s, c), q = -1 -> (s, -c), q = +-2 -> (-c, -s).
        let odd = (q .== 1) .| (q .== -1)
        let half = (q .== 2) .| (q .== -2)
        var cosine = c.replacing(with: s, where: odd)
        var sine = s.replacing(with: c, where: odd)
        cosine.replace(with: -cosine, where: (q .== 1) .| half)
        sine.replace(with: -sine, where: (q .== -1) .| half)
        return (cosine, sine)
    }

    /// (cos 2 pi x, sin 2 pi x) of one phase in cycles.
    @inline(__always)
    static func cycles(_ x: Double) -> (cos: Double, sin: Double) {
        let v = cycles(SIMD4<Double>(repeating: x))
        return (v.cos[0], v.sin[0])
    }
}
