import Foundation
import Testing
@testable import InferKit

/// |a - b| / |b| for complex numbers (|a| when b = 0).
private func complexError(_ a: Complex, _ b: Complex) -> Double {
    let difference = hypot(a.re - b.re, a.im - b.im), size = hypot(b.re, b.im)
    return size == 0 ? difference : difference / size
}

private func relativeError(_ a: Double, _ b: Double) -> Double {
    let scale = Swift.max(Swift.abs(a), Swift.abs(b))
    return scale < 1e-300 ? Swift.abs(a - b) : Swift.abs(a - b) / scale
}

private func w(_ x: Double, _ y: Double, order: Int = 3) -> Faddeeva.Derivatives {
    Faddeeva.derivatives(x, y, order: order)
}

/// Dawson's integral D(x) = exp(-x^2) int_0^x exp(t^2) dt for x >= 0, independently of the
/// library: the series exp(-x^2) sum x^(2n+1)/(n! (2n+1)) of positive terms up to x = 10
/// (good to 1.3e-15), the asymptotic series (1/2x) sum (2n-1)!!/(2x^2)^n beyond.
private func dawson(_ x: Double) -> Double {
    if x > 10 {
        var term = 1.0, sum = 1.0
        for n in 1..<40 {
            term *= Double(2 * n - 1) / (2 * x * x)
            sum += term
        }
        return sum / (2 * x)
    }
    var power = x, sum = 0.0  // x^(2n+1)/n!
    for n in 0..<2000 {
        let term = power / Double(2 * n + 1)
        sum += term
        if term < 1e-18 * sum { break }
        power *= x * x / Double(n + 1)
    }
    return exp(-x * x) * sum
}

@Suite("Faddeeva function and Voigt profile")
struct VoigtTests {
    /// w and its first three derivatives against mpmath at 26 points from |z| = 0 to 1.4e8,
    /// in both representations and next to their boundaries.
    @Test func faddeevaAgainstMpmath() {
        let tolerances = [1e-15, 4e-15, 1e-14, 5e-14]  // relative to |w^(k)|
        for (x, y, reference) in VoigtReference.mpmathFaddeeva {
            let d = w(x, y)
            let got = [d.value, d.first, d.second, d.third]
            for k in 0..<4 {
                let expected = Complex(reference[2 * k], reference[2 * k + 1])
                #expect(complexError(got[k], expected) < tolerances[k],
                        "w^(\(k))(\(x) + \(y)i) = \(got[k]) vs \(expected)")
            }
            // The real part, which the Voigt profile is, to full relative accuracy.
            #expect(relativeError(d.value.re, reference[0]) < 1e-15, "Re w(\(x) + \(y)i)")
            #expect(Faddeeva.realPart(x, y) == d.value.re || relativeError(Faddeeva.realPart(x, y), reference[0]) < 1e-15)
        }
    }

    /// w against scipy.special.wofz for |z| from 1e-8 to 1e8 at six angles from the real to
    /// the imaginary axis (scipy's own error reaches 3e-14 near the real axis at x = 8..10).
    @Test func faddeevaAgainstScipy() {
        for (x, y, re, im) in VoigtReference.scipyFaddeeva {
            let value = w(x, y, order: 0).value
            #expect(complexError(value, Complex(re, im)) < 5e-14, "w(\(x) + \(y)i) = \(value) vs (\(re), \(im))")
            if re > 1e-300 {
                #expect(relativeError(value.re, re) < 5e-14, "Re w(\(x) + \(y)i)")
            } else {
                #expect(value.re < 1e-300, "Re w(\(x) + \(y)i) = \(value.re) vs \(re)")
            }
        }
    }

    /// w(iy) = erfcx(y) = exp(y^2) erfc(y), and its asymptotic series for large y.
    @Test func imaginaryAxisIsErfcx() {
        for k in 0...40 {
            let y = Double(k) / 8  // y^2 exact
            let value = w(0, y, order: 0).value
            #expect(value.im == 0)
            #expect(relativeError(value.re, exp(y * y) * erfc(y)) < 4e-15, "erfcx(\(y))")
        }
        for y in [1e2, 3.7e3, 1e5, 1e8, 1e12, 1e200] {
            var term = 1.0, sum = 1.0
            for n in 1..<10 {
                term *= -Double(2 * n - 1) / (2 * y * y)
                sum += term
            }
            #expect(relativeError(w(0, y, order: 0).value.re, sum / (y * Double.pi.squareRoot())) < 1e-15, "erfcx(\(y))")
        }
    }

    /// On the real axis w(x) = exp(-x^2) + (2i/sqrt(pi)) D(x) with Dawson's integral D; the real
    /// part keeps its relative accuracy down to the underflow of exp(-x^2).
    @Test func realAxisIsGaussianAndDawson() {
        for k in 0...220 {
            let x = Double(k) / 8  // x^2 exact, so exp(-x^2) is correctly rounded
            let value = w(x, 0, order: 0).value
            #expect(relativeError(value.re, exp(-x * x)) < 1e-15 || exp(-x * x) < 1e-300, "Re w(\(x))")
            #expect(relativeError(value.im, 2 / Double.pi.squareRoot() * dawson(x)) < 3e-15, "Im w(\(x))")
            let mirrored = w(-x, 0, order: 0).value
            #expect(mirrored.re == value.re && mirrored.im == -value.im)
        }
        for x in [30.0, 100, 1e4, 1e7, 1e15, 1e100] {
            #expect(relativeError(w(x, 0, order: 0).value.im, 2 / Double.pi.squareRoot() * dawson(x)) < 2e-15)
        }
    }

    /// w(-conj z) = conj w(z), w(iy) real, and the regions (trapezoidal sum for |x| < 8,
    /// y < 6; continued fraction elsewhere, with exp(-z^2) added for y < 1e-6, |x| < 27; the
    /// derivative tiers at |z|^2 = 1 and 4.5) join without a visible step.
    @Test func symmetriesAndRegionBoundaries() {
        for (x, y) in [(0.7, 0.3), (3.0, 1e-9), (9.0, 2.0), (1e3, 5.0)] {
            let a = w(x, y), b = w(-x, y)
            #expect(b.value == a.value.conjugate && b.second == a.second.conjugate)
            #expect(b.first == Complex(-a.first.re, a.first.im) && b.third == Complex(-a.third.re, a.third.im))
        }
        let axis = w(0, 2.5)
        #expect(axis.value.im == 0 && axis.first.re == 0 && axis.second.im == 0 && axis.third.re == 0)
        // Pairs of points a ulp or two apart on either side of a boundary; compared after the
        // first-order Taylor step from one to the other.
        var boundaries: [(Double, Double, Double, Double)] = []
        for y in [0, 1e-7, 0.5, 3, 5.9] { boundaries.append((8.0.nextDown, y, 8, y)) }
        for x in [0, 1e-5, 2, 7.5] { boundaries.append((x, 6.0.nextDown, x, 6)) }
        for x in [8.5, 15, 26] { boundaries.append((x, 1e-6.nextDown, x, 1e-6)) }
        boundaries.append((27.0.nextDown, 1e-8, 27, 1e-8))
        for angle in [0.1, 0.8, 1.5] {
            for r2 in [1.0, 4.5] {
                let r = r2.squareRoot()
                let (x, y) = (r * cos(angle), r * sin(angle))
                boundaries.append((x * (1 - 1e-15), y * (1 - 1e-15), x * (1 + 1e-15), y * (1 + 1e-15)))
            }
        }
        for (x1, y1, x2, y2) in boundaries {
            let a = w(x1, y1), b = w(x2, y2)
            let step = Complex(x1 - x2, y1 - y2)
            let tolerances = [2e-15, 6e-15, 2e-14, 8e-14]
            let pairs = [(a.value, b.value + b.first * step), (a.first, b.first + b.second * step),
                         (a.second, b.second + b.third * step), (a.third, b.third)]
            for (k, (p, q)) in pairs.enumerated() {
                #expect(complexError(p, q) < tolerances[k], "w^(\(k)) across (\(x1), \(y1)) | (\(x2), \(y2)): \(p) vs \(q)")
            }
            #expect(relativeError(a.value.re, pairs[0].1.re) < 2e-15, "Re w across (\(x1), \(y1)) | (\(x2), \(y2))")
        }
    }
}
