// The Voigt line shape voigt(x, sigma, gamma) of the formula language, with its exact first
// and second partial derivatives.
//
// V(x; sigma, gamma) = Re w(z) / (sigma sqrt(2 pi)), z = (x + i gamma)/(sigma sqrt 2): the
// convolution of a normal density (standard deviation sigma) with a Cauchy density (half
// width at half maximum gamma), of unit area; scipy.special.voigt_profile(x, sigma, gamma).
//
// V is the real part of the analytic function f(zeta) = w(zeta/(sigma sqrt 2))/(sigma sqrt(2 pi))
// of zeta = x + i gamma, so with F_k = d^k f/d zeta^k = w^(k)(z) / (sigma sqrt(2 pi) (sigma sqrt 2)^k):
//   V_x = Re F_1,  V_gamma = -Im F_1,  V_xx = -V_gamma gamma = Re F_2  (V is harmonic),
//   V_x gamma = -Im F_2,
// and V solves the heat equation dV/dsigma = sigma d^2V/dx^2 (a Gaussian of variance sigma^2
// spreading the Cauchy density), so
//   V_sigma = sigma Re F_2,  V_x sigma = sigma Re F_3,  V_gamma sigma = -sigma Im F_3,
//   V_sigma sigma = -Re(2 F_2 + zeta F_3)  (= Re F_2 + sigma^2 Re F_4, by w'''' = -2z w''' - 6w'').
// Every partial is a derivative of w itself, computed without cancellation; the chain rule
// through z would instead give V_sigma = -(V + x V_x + gamma V_gamma)/sigma, whose terms
// cancel to about |z|^-2 of their size in the wings and the Lorentzian limit.
//
// Limits and conventions: sigma = 0 (or |x + i gamma| > 1e9 sigma, where the relative
// difference is below 1e-18) gives the Cauchy density gamma/(pi (x^2 + gamma^2)) and its
// derivatives (V_sigma = 0 at sigma = 0); sigma = gamma = 0 gives 0 for x != 0 and +inf at
// x = 0 (derivatives NaN), as scipy does; gamma = 0 gives the normal density; sigma < 0,
// gamma < 0 or any NaN argument gives NaN (value and derivatives); an infinite x, sigma or
// gamma gives 0 (value and derivatives, the limits).
import Glibc

/// The unit-area Voigt profile and its partial derivatives with respect to (x, sigma, gamma).
enum VoigtProfile {
    /// sqrt 2 = sqrt2 + sqrt2Low to twice the working precision.
    private static let sqrt2 = 1.4142135623730951, sqrt2Low = -9.667293313452913e-17

    /// V(x; sigma, gamma).
    static func value(_ x: Double, _ sigma: Double, _ gamma: Double) -> Double {
        if sigma == 0 && gamma == 0 && x == 0 { return .infinity }
        let p = Problem(x, sigma, gamma, order: 0)
        return p.unscaled(p.f.value.re, degree: 1)
    }

    /// (dV/dx, dV/dsigma, dV/dgamma).
    static func partials(_ x: Double, _ sigma: Double, _ gamma: Double) -> (Double, Double, Double) {
        let p = Problem(x, sigma, gamma, order: 2)
        let f = p.f
        return (p.unscaled(f.first.re, degree: 2), p.unscaled(p.sigma * f.second.re, degree: 2),
                p.unscaled(-f.first.im, degree: 2))
    }

    /// The second partials, operands in the order (x, sigma, gamma).
    static func curvature(_ x: Double, _ sigma: Double, _ gamma: Double) -> Curvature {
        let p = Problem(x, sigma, gamma, order: 3)
        let f = p.f
        let zeta = Complex(p.x, p.gamma)
        return Curvature(aa: p.unscaled(f.second.re, degree: 3),
                         ab: p.unscaled(p.sigma * f.third.re, degree: 3),
                         bb: p.unscaled(-(2 * f.second + zeta * f.third).re, degree: 3),
                         ac: p.unscaled(-f.second.im, degree: 3),
                         bc: p.unscaled(-p.sigma * f.third.im, degree: 3),
                         cc: p.unscaled(-f.second.re, degree: 3))
    }

    /// The arguments, rescaled by a power of two `scale` (exactly) when they are so large or
    /// small that the factors 1/sigma^(k+1) could overflow or underflow, and the derivatives
    /// F_k at the rescaled arguments (see the top of the file). V is homogeneous of degree -1,
    /// V(l x, l sigma, l gamma) = V / l, so a partial of order k is the rescaled one times
    /// scale^(k+1).
    private struct Problem {
        var x: Double, sigma: Double, gamma: Double
        var scale = 1.0
        var f = Faddeeva.Derivatives()

        init(_ x: Double, _ sigma: Double, _ gamma: Double, order: Int) {
            (self.x, self.sigma, self.gamma) = (x, sigma, gamma)
            if x.isNaN || sigma.isNaN || gamma.isNaN || sigma < 0 || gamma < 0 { f = .nan; return }
            if x.isInfinite || sigma.isInfinite || gamma.isInfinite { return }
            let largest = Swift.max(sigma, Swift.abs(x), gamma)
            if largest > 0 && (largest < 0x1p-200 || largest > 0x1p200) {
                scale = Double(sign: .plus, exponent: Swift.min(Swift.max(-largest.exponent, -1000), 1000),
                               significand: 1)
                (self.x, self.sigma, self.gamma) = (x * scale, sigma * scale, gamma * scale)
            }
            f = self.sigma == 0 || Swift.max(Swift.abs(self.x), self.gamma) > 1e9 * self.sigma
                ? VoigtProfile.cauchy(Complex(self.x, self.gamma), order: order)
                : VoigtProfile.voigt(self.x, self.sigma, self.gamma, order: order)
        }

        /// A partial of order degree - 1 at the caller's arguments.
        func unscaled(_ value: Double, degree: Int) -> Double {
            var r = value
            if scale != 1 { for _ in 0..<degree { r *= scale } }  // 0 stays 0, overflow gives inf
            return r
        }
    }

    /// F_k = d^k f/d zeta^k for k <= order, sigma > 0 (see the top of the file); for order 0
    /// only the real part of F_0 (the imaginary part is NaN).
    private static func voigt(_ x: Double, _ sigma: Double, _ gamma: Double, order: Int) -> Faddeeva.Derivatives {
        // z = (x + i gamma)/width with width = sigma sqrt 2, and the rounding errors of its
        // parts (exp(-z^2) is sensitive to them): width + widthLow = sigma sqrt 2 to twice
        // the precision, u + uLow = x / (width + widthLow).
        let width = sigma * sqrt2, widthLow = (-width).addingProduct(sigma, sqrt2) + sigma * sqrt2Low
        let u = x / width, v = gamma / width
        let uLow = (x.addingProduct(-u, width) - u * widthLow) / width
        let vLow = (gamma.addingProduct(-v, width) - v * widthLow) / width
        let n = 1 / (sigma * 2.5066282746310007)  // 1/(sigma sqrt(2 pi))
        var f = Faddeeva.Derivatives()
        if order == 0 {
            f.value = Complex(n * Faddeeva.realPart(u, v, low: (uLow, vLow)), .nan)
            return f
        }
        let w = Faddeeva.derivatives(u, v, order: order, low: (uLow, vLow))
        let c = 1 / width
        f.value = n * w.value
        if order >= 1 { f.first = (n * c) * w.first }
        if order >= 2 { f.second = (n * c * c) * w.second }
        if order >= 3 { f.third = (n * c * c * c) * w.third }
        return f
    }

    /// The same derivatives for the Cauchy density: f(zeta) = i/(pi zeta), f^(k) = i (-1)^k k!/(pi zeta^(k+1)).
    private static func cauchy(_ zeta: Complex, order: Int) -> Faddeeva.Derivatives {
        let inverse = Complex(1, 0) / zeta
        var f = Faddeeva.Derivatives()
        f.value = Complex(0, 1 / Double.pi) * inverse
        if order >= 1 { f.first = (-1) * f.value * inverse }
        if order >= 2 { f.second = (-2) * f.first * inverse }
        if order >= 3 { f.third = (-3) * f.second * inverse }
        return f
    }
}
