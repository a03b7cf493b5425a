// The Faddeeva function w(z) = exp(-z^2) erfc(-iz) and its first three derivatives in the
// closed upper half plane, for the Voigt line shape of the formula language.
//
// Two representations, chosen by region (x = |Re z|, y = Im z >= 0):
//
// - |x| < 8 and y < 6: the trapezoidal rule with step h = 1/2 applied to
//   w(z) = (i/pi) integral exp(-t^2)/(z - t) dt, on nodes t = x + s, s in 1/4 + Z/2 (placed
//   half a step either side of x, so no node is closer to z than 1/4), plus the correction
//   for the pole of the integrand at t = z:
//     w(z) ~ (h/pi) sum_s exp(-t^2) (y - i s)/(s^2 + y^2) + 2 exp(-z^2)/(1 + exp(2 pi y/h)).
//   The discretisation error is of order exp(-pi^2/h^2) = 7e-18 for y < 6 (Poisson
//   summation); nodes with |t| > 6.75 (weights below 2e-20) are left out. On the real axis
//   the sum is purely imaginary and the correction is exp(-x^2), so Re w keeps full
//   relative accuracy where it is exponentially small, and it is a sum of positive terms
//   for y > 0. The weights exp(-t^2) come from a two-sided recurrence started at the node
//   nearest 0 (3 exponentials per point). Derivatives: from the ODE w' = -2zw + 2i/sqrt(pi)
//   near 0 (where the pole correction's derivatives are large and would cancel), by
//   differentiating the sum and the correction term by term further out.
// - elsewhere: Laplace's continued fraction w(z) = (i/sqrt(pi)) / L_0 with
//   L_k = z - ((k + 1)/2) / L_(k+1), evaluated bottom-up (every Im L_k >= y > 0, so the small
//   real part of w near the real axis suffers no cancellation), with 6 + 130/(|z| + 2)
//   levels. Its tails give the derivatives without the cancellation of the ODE at large |z|:
//   w^(k) = (-1)^k k! w / (L_1 ... L_k). Near the real axis (y < 1e-6, |x| < 27) the
//   truncated fraction approximates w - exp(-z^2), so exp(-z^2) is added.
//
// Measured against mpmath (40 to 3000 digits) at 19,000 points (a grid and random points,
// denser near the region boundaries) with |z| from 1e-8 to 1.4e8: |w - w_ref| / |w_ref| < 9e-16
// and |Re w - Re w_ref| / Re w_ref < 9e-16 (down to subnormal results); for the derivatives
// (error relative to |w^(k)|) 2.2e-15, 5.4e-15 and 2.4e-14 for k = 1, 2, 3. scipy's wofz is
// within 3e-14 of the same references.
// The imaginary part (and the real part of odd derivatives) is accurate relative to |w|, not
// to itself, within about 1e-3 of the imaginary axis, where it vanishes like x; w(iy) is
// exactly real.
import Glibc

/// A complex number with just the arithmetic the Faddeeva function needs.
struct Complex: Equatable {
    var re: Double
    var im: Double

    init(_ re: Double, _ im: Double) {
        self.re = re
        self.im = im
    }

    static let zero = Complex(0, 0)

    var conjugate: Complex { Complex(re, -im) }

    static func + (a: Complex, b: Complex) -> Complex { Complex(a.re + b.re, a.im + b.im) }
    static func - (a: Complex, b: Complex) -> Complex { Complex(a.re - b.re, a.im - b.im) }
    static func * (a: Complex, b: Complex) -> Complex {
        Complex(a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re)
    }
    static func * (a: Double, b: Complex) -> Complex { Complex(a * b.re, a * b.im) }

    /// a / b by Smith's algorithm (no overflow of |b|^2 for huge b).
    static func / (a: Complex, b: Complex) -> Complex {
        if Swift.abs(b.re) >= Swift.abs(b.im) {
            let r = b.im / b.re, d = b.re + b.im * r
            return Complex((a.re + a.im * r) / d, (a.im - a.re * r) / d)
        }
        let r = b.re / b.im, d = b.re * r + b.im
        return Complex((a.re * r + a.im) / d, (a.im * r - a.re) / d)
    }
}

/// The Faddeeva function w(z) = exp(-z^2) erfc(-iz) for Im z >= 0.
enum Faddeeva {
    /// w and its first three derivatives at one point; entries above the requested order are 0.
    struct Derivatives: Equatable {
        var value = Complex.zero
        var first = Complex.zero
        var second = Complex.zero
        var third = Complex.zero

        static let nan = Derivatives(value: Complex(.nan, .nan), first: Complex(.nan, .nan),
                                     second: Complex(.nan, .nan), third: Complex(.nan, .nan))
    }

    /// 1/sqrt(pi).
    private static let inverseSqrtPi = 0.5641895835477563
    /// exp(-2 h^2) = exp(-1/2) for the step h = 1/2: the ratio of successive weight ratios.
    private static let weightRatioStep = 0.6065306597126334

    /// w(x + iy) and its derivatives up to `order` (0...3) for y >= 0; NaN for y < 0 or NaN
    /// arguments, 0 when x or y is infinite. `low` optionally carries the rounding errors of
    /// x and y (z = x + xLow + i (y + yLow)) where they come from a division: exp(-z^2), whose
    /// relative sensitivity to x is 2x^2, then takes them into account.
    static func derivatives(_ x: Double, _ y: Double, order: Int,
                            low: (x: Double, y: Double) = (0, 0)) -> Derivatives {
        guard y >= 0, !x.isNaN else { return .nan }
        let ax = Swift.abs(x)
        if ax.isInfinite || y.isInfinite { return Derivatives() }
        let axLow = x < 0 ? -low.x : low.x
        var d = y >= 6 || ax >= 8
            ? continuedFraction(ax, y, order: order, low: (axLow, low.y))
            : trapezoid(ax, y, order: order, low: (axLow, low.y))
        // w(-conj z) = conj w(z), so w^(k)(x + iy) = (-1)^k conj(w^(k)(-x + iy)); on the
        // imaginary axis w and its even derivatives are real, the odd ones imaginary.
        if x < 0 {
            d.value = d.value.conjugate
            d.first = Complex(-d.first.re, d.first.im)
            d.second = d.second.conjugate
            d.third = Complex(-d.third.re, d.third.im)
        } else if x == 0 {
            d.value.im = 0; d.first.re = 0; d.second.im = 0; d.third.re = 0
        }
        return d
    }

    /// Re w(x + iy) alone (y >= 0, `low` as for `derivatives`): exp(-x^2) on the real axis
    /// without the sums for the imaginary part.
    static func realPart(_ x: Double, _ y: Double, low: (x: Double, y: Double) = (0, 0)) -> Double {
        if y == 0 && x.isFinite { return expMinusSquare(Swift.abs(x), 0, low: (x < 0 ? -low.x : low.x, 0)).re }
        return derivatives(x, y, order: 0, low: low).value.re
    }

    /// exp(-z^2) = exp(y^2 - x^2) (cos 2xy - i sin 2xy) at z = x + xLow + i (y + yLow), with
    /// y^2 - x^2 carried to about twice the working precision so that exp(-x^2) is accurate to
    /// a few ulps even where x^2 is large.
    static func expMinusSquare(_ x: Double, _ y: Double, low: (x: Double, y: Double) = (0, 0)) -> Complex {
        let xx = x * x, xxLow = (-xx).addingProduct(x, x) + 2 * x * low.x
        let yy = y * y, yyLow = (-yy).addingProduct(y, y) + 2 * y * low.y
        let t = yy - xx
        let back = t - yy
        let tLow = (yy - (t - back)) + (-xx - back)
        let magnitude = Glibc.exp(t) * (1 + (tLow + yyLow - xxLow))
        if magnitude == 0 { return .zero }
        let angle = 2 * (x * y + (x * low.y + y * low.x))
        return Complex(magnitude * Glibc.cos(angle), -magnitude * Glibc.sin(angle))
    }

    /// Laplace's continued fraction for x >= 0, y >= 0 outside the trapezoid region.
    private static func continuedFraction(_ x: Double, _ y: Double, order: Int,
                                          low: (x: Double, y: Double)) -> Derivatives {
        let z = Complex(x, y)
        var tails = (Complex.zero, Complex.zero, Complex.zero)  // L_1, L_2, L_3
        var level = z
        if x > 1e15 || y > 1e15 {
            // w = (i/sqrt(pi))/z to double precision (the next term is 1/(2 z^2) < 1e-30).
            tails = (z, z, z)
        } else {
            let levels = Int(6 + 130 / ((x * x + y * y).squareRoot() + 2))
            for k in stride(from: levels, through: 1, by: -1) {
                switch k {
                case 1: tails.0 = level
                case 2: tails.1 = level
                case 3: tails.2 = level
                default: break
                }
                // level = z - (k/2) / level, with the real numerator folded in.
                let a = 0.5 * Double(k) / (level.re * level.re + level.im * level.im)
                level = Complex(z.re - a * level.re, z.im + a * level.im)
            }
        }
        var d = Derivatives()
        d.value = Complex(0, inverseSqrtPi) / level
        if order >= 1 { d.first = (-1) * d.value / tails.0 }
        if order >= 2 { d.second = (-2) * d.first / tails.1 }
        if order >= 3 { d.third = (-3) * d.second / tails.2 }
        if y < 1e-6 && x < 27 {
            // d^k/dz^k exp(-z^2) = (-1)^k H_k(z) exp(-z^2), H_1 = 2z, H_2 = 4z^2 - 2, H_3 = 8z^3 - 12z.
            let e = expMinusSquare(x, y, low: low)
            let z2 = z * z
            d.value = d.value + e
            if order >= 1 { d.first = d.first - 2 * (z * e) }
            if order >= 2 { d.second = d.second + (4 * z2 - Complex(2, 0)) * e }
            if order >= 3 { d.third = d.third - (z * (8 * z2 - Complex(12, 0))) * e }
        }
        return d
    }

    /// The shifted trapezoidal sum with its pole correction for 0 <= x < 8, 0 <= y < 6.
    private static func trapezoid(_ x: Double, _ y: Double, order: Int,
                                  low: (x: Double, y: Double)) -> Derivatives {
        let r2 = x * x + y * y
        // How many derivatives come from differentiating the sum; the rest from the ODE
        // (which loses about |z|^(2k) ulps in the k-th derivative).
        let direct = order == 0 || r2 < 1 ? 0 : (r2 < 4.5 ? 1 : order)
        // Nodes t = x + s with s = s0 + k/2; t0 = x + s0 in [-1/4, 1/4) is the node nearest 0.
        let s0 = 0.25 - 0.5 * (2 * x + 0.5).rounded()
        let t0 = x + s0
        let yy = y * y
        // sums[j] = sum exp(-t^2) (i r) r^j with r = 1/(iy - s), i r = (y - i s)/(s^2 + y^2)
        var sums = (Complex.zero, Complex.zero, Complex.zero, Complex.zero)
        @inline(__always) func add(_ s: Double, _ weight: Double) {
            let inverse = 1 / (s * s + yy)
            let ir = Complex(weight * y * inverse, -weight * s * inverse)
            sums.0 = sums.0 + ir
            guard direct >= 1 else { return }
            let r = Complex(-s * inverse, -y * inverse)
            var term = ir * r
            sums.1 = sums.1 + term
            guard direct >= 2 else { return }
            term = term * r
            sums.2 = sums.2 + term
            guard direct >= 3 else { return }
            sums.3 = sums.3 + term * r
        }
        // Upwards t0, t0 + 1/2, ... <= 6.75: exp(-(t + 1/2)^2) = exp(-t^2) exp(-t - 1/4).
        let weight0 = Glibc.exp(-t0 * t0)
        let up0 = Glibc.exp(-t0 - 0.25)
        var weight = weight0, ratio = up0, s = s0
        for _ in 0..<(t0 <= -0.25 ? 15 : 14) {
            add(s, weight)
            weight *= ratio; ratio *= weightRatioStep; s += 0.5
        }
        // Downwards t0 - 1/2, ... >= -6.75: exp(-(t - 1/2)^2) = exp(-t^2) exp(t - 1/4).
        ratio = weightRatioStep / up0
        weight = weight0 * ratio; ratio *= weightRatioStep; s = s0 - 0.5
        for _ in 0..<13 {
            add(s, weight)
            weight *= ratio; ratio *= weightRatioStep; s -= 0.5
        }
        // Pole correction P = 2 exp(-z^2) / (1 - E), E = exp(-2 pi i (z - c)/h) with the
        // grid origin c = x + h/2, so E = -rho, rho = exp(4 pi y); q = 1/(1 + rho).
        let q = 1 / (1 + Glibc.exp(4 * Double.pi * y))
        let pole = 2 * q * expMinusSquare(x, y, low: low)
        let c = 0.5 / Double.pi  // h/pi
        var d = Derivatives()
        d.value = c * sums.0 + pole
        guard order >= 1 else { return d }
        let z = Complex(x, y)
        // Derivatives of P = 2 exp(phi), phi = -z^2 - log(1 - E): phi' = -2z + G1,
        // phi'' = -2 + G2, phi''' = G3 with G_k the derivatives of -log(1 - E).
        let pi = Double.pi
        let phi1 = Complex(-2 * x, -2 * y + 4 * pi * (1 - q))
        let phi2 = Complex(-2 + 16 * pi * pi * q * (1 - q), 0)
        let phi3 = Complex(0, 64 * pi * pi * pi * q * (1 - q) * (1 - 2 * q))
        d.first = direct >= 1
            ? (-c) * sums.1 + pole * phi1
            : Complex(0, M_2_SQRTPI) - 2 * (z * d.value)
        guard order >= 2 else { return d }
        d.second = direct >= 2
            ? (2 * c) * sums.2 + pole * (phi2 + phi1 * phi1)
            : (-2) * d.value - 2 * (z * d.first)
        guard order >= 3 else { return d }
        d.third = direct >= 3
            ? (-6 * c) * sums.3 + pole * (phi3 + 3 * (phi1 * phi2) + phi1 * phi1 * phi1)
            : (-4) * d.first - 2 * (z * d.second)
        return d
    }
}
