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

/// The Voigt profile through the formula language.
private func voigt(_ x: Double, _ sigma: Double, _ gamma: Double) throws -> Double {
    try Model("voigt(x, s, g)", params: ["s", "g"]).evaluate(inputs: [[x]], params: [sigma, gamma])[0]
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

    /// voigt(x, sigma, gamma) against scipy.special.voigt_profile over x in [-50, 50],
    /// sigma in [1e-3, 10], gamma in [0, 10]. In the Gaussian tail (z = x/(sigma sqrt 2)
    /// large, gamma small) scipy rounds z before exp(-z^2) and is off by up to 2 z^2 ulps.
    @Test func voigtAgainstScipy() throws {
        let model = try Model("voigt(x, s, g)", params: ["s", "g"])
        for (x, sigma, gamma, expected) in VoigtReference.scipyVoigt {
            let value = try model.evaluate(inputs: [[x]], params: [sigma, gamma])[0]
            let z = x / (sigma * 2.0.squareRoot())
            if expected < 1e-300 {
                #expect(value < 1e-290, "voigt(\(x), \(sigma), \(gamma)) = \(value) vs \(expected)")
            } else {
                #expect(relativeError(value, expected) < Swift.max(5e-14, 3e-16 * z * z),
                        "voigt(\(x), \(sigma), \(gamma)) = \(value) vs \(expected)")
            }
        }
    }

    /// The Voigt profile and its derivatives against mpmath at 12 points (the partials by the
    /// reverse gradient and the second-order forward pass of `voigt(a, s, g)`, the x partial
    /// also by the forward Jacobian). Errors relative to the size of the gradient or Hessian.
    @Test func partialsAgainstMpmath() throws {
        let scalar = try Model("voigt(a, s, g)", inputs: [])
        let model = try Model("voigt(x, s, g)", params: ["s", "g"])
        for (x, sigma, gamma, r) in VoigtReference.mpmathVoigt {
            let p = [x, sigma, gamma]
            #expect(relativeError(try scalar.value(params: p), r[0]) < 1e-15, "V(\(p))")
            let gradient = try scalar.gradient(params: p)
            let hessian = try scalar.hessian(params: p)
            let jacobian = try model.jacobian(inputs: [[x]], params: [sigma, gamma]).jacobian
            let firstSize = hypot(hypot(r[1], r[2]), r[3])
            let secondSize = r[4...].map { $0 * $0 }.reduce(0, +).squareRoot()
            let first = [gradient[0], gradient[1], gradient[2]], expectedFirst = [r[1], r[2], r[3]]
            for k in 0..<3 {
                #expect(Swift.abs(first[k] - expectedFirst[k]) < 5e-15 * firstSize, "dV[\(k)] at \(p): \(first[k]) vs \(expectedFirst[k])")
            }
            #expect(Swift.abs(jacobian[0] - r[2]) < 5e-15 * firstSize && Swift.abs(jacobian[1] - r[3]) < 5e-15 * firstSize)
            // Hessian entries in the table's order xx, xs, xg, ss, sg, gg.
            let entries = [hessian[0], hessian[1], hessian[2], hessian[4], hessian[5], hessian[8]]
            for k in 0..<6 {
                #expect(Swift.abs(entries[k] - r[4 + k]) < 5e-14 * secondSize, "d2V[\(k)] at \(p): \(entries[k]) vs \(r[4 + k])")
            }
            #expect(hessian[1] == hessian[3] && hessian[2] == hessian[6] && hessian[5] == hessian[7])
        }
    }

    /// The Jacobian of a fit model over 600 points (several blocks) against the analytic chain
    /// rule through w' (with dV/dsigma from Euler's relation for the homogeneous V, a route
    /// independent of the library's heat-equation form) and against central differences.
    @Test func jacobianAgainstChainRuleAndCentralDifferences() throws {
        let model = try Model("A*voigt(x - x0, s, g) + B")
        #expect(model.parameters == ["A", "x0", "s", "g", "B"])
        let n = 600
        let xs = (0..<n).map { -30 + 60 * Double($0) / Double(n - 1) }
        for p in [[2.0, 0.4, 1.3, 0.6, 0.1], [1.0, -0.2, 0.05, 2.0, 0.0], [3.0, 1.0, 2.0, 0.0, -1.0], [0.5, 0.0, 5.0, 1e-3, 0.2]] {
            let (a, x0, s, g) = (p[0], p[1], p[2], p[3])
            let (values, jacobian) = try model.jacobian(inputs: [xs], params: p)
            let width = s * 2.0.squareRoot(), norm = 1 / (s * (2 * Double.pi).squareRoot())
            for i in 0..<n {
                let x = xs[i] - x0
                let d = w(x / width, g / width, order: 1)
                let v = norm * d.value.re
                let vx = norm * d.first.re / width, vg = -norm * d.first.im / width
                let vs = -(v + x * vx + g * vg) / s
                let expected = [v, -a * vx, a * vs, a * vg, 1]
                let scale = a * norm / s
                #expect(relativeError(values[i], a * v + p[4]) < 1e-14 || Swift.abs(values[i] - a * v - p[4]) < 1e-15)
                for j in 0..<5 {
                    #expect(Swift.abs(jacobian[j * n + i] - expected[j]) < 1e-13 * Swift.max(scale, Swift.abs(expected[j])),
                            "J[\(i), \(j)] = \(jacobian[j * n + i]) vs \(expected[j]) at \(p)")
                }
            }
            // Central differences of the values (step 1e-4 of the scale of each parameter;
            // truncation error about 1e-8, rounding error about 1e-16 max|f| / h).
            let largest = values.map(Swift.abs).max() ?? 0
            for j in 0..<5 {
                var plus = p, minus = p
                let h = 1e-4 * Swift.max(Swift.abs(p[j]), s)
                plus[j] += h; minus[j] -= h
                if j == 3 && p[3] < h { continue }  // gamma >= 0
                let up = try model.evaluate(inputs: [xs], params: plus)
                let down = try model.evaluate(inputs: [xs], params: minus)
                let scale = jacobian[(j * n)..<(j * n + n)].map(Swift.abs).max() ?? 0
                for i in 0..<n {
                    let difference = (up[i] - down[i]) / (2 * h)
                    #expect(Swift.abs(difference - jacobian[j * n + i]) < 1e-6 * scale + 1e-15 * largest / h,
                            "J[\(i), \(j)] = \(jacobian[j * n + i]) vs difference \(difference)")
                }
            }
        }
    }

    /// The Hessian of a scalar formula with voigt inside is symmetric and agrees with central
    /// differences of the exact gradient.
    @Test func hessianSymmetricAndMatchesDifferencedGradient() throws {
        let model = try Model("A*voigt(t - x0, s, g)*exp(-t) + s*g", inputs: [], params: ["A", "t", "x0", "s", "g"])
        for p in [[1.5, 0.7, -0.3, 0.8, 0.4], [0.2, 3.0, 0.0, 0.1, 2.0], [2.0, -1.0, 1.0, 4.0, 0.01]] {
            let hessian = try model.hessian(params: p)
            let scale = hessian.map(Swift.abs).max() ?? 0
            for j in 0..<5 {
                for k in 0..<j {
                    #expect(Swift.abs(hessian[j * 5 + k] - hessian[k * 5 + j]) < 1e-15 * scale)
                }
                var plus = p, minus = p
                let h = 1e-6 * Swift.max(Swift.abs(p[j]), 1)
                plus[j] += h; minus[j] -= h
                let up = try model.gradient(params: plus), down = try model.gradient(params: minus)
                for k in 0..<5 {
                    let difference = (up[k] - down[k]) / (2 * h)
                    #expect(Swift.abs(difference - hessian[j * 5 + k]) < 1e-7 * scale, "H[\(j), \(k)] at \(p)")
                }
            }
        }
    }

    /// gamma = 0 is the normal density (the gaussian builtin, which rounds (x - mu)/sigma before
    /// squaring: up to z^2 ulps apart), sigma = 0 the Cauchy density (the lorentzian builtin),
    /// small sigma close to it; sigma = gamma = 0 is 0 away from 0 and +inf at 0 as in scipy;
    /// negative widths and NaN give NaN, infinite arguments the limit 0.
    @Test func limitsAndConventions() throws {
        let gaussian = try Model("gaussian(x, 0, s)", params: ["s"])
        let lorentzian = try Model("lorentzian(x, 0, g)", params: ["g"])
        for sigma in [1e-3, 0.3, 1, 7] {
            for z in [0.0, 0.1, -1.5, 4, 11.25, -25, 37] {
                let x = z * sigma
                let expected = try gaussian.evaluate(inputs: [[x]], params: [sigma])[0]
                #expect(relativeError(try voigt(x, sigma, 0), expected) < 4e-16 * (2 + z * z), "voigt(\(x), \(sigma), 0)")
            }
        }
        for gamma in [1e-3, 0.5, 9] {
            for x in [0.0, -0.2, 3, 40] {
                let expected = try lorentzian.evaluate(inputs: [[x]], params: [gamma])[0]
                #expect(relativeError(try voigt(x, 0, gamma), expected) < 1e-15, "voigt(\(x), 0, \(gamma))")
                // V = L + (sigma^2/2) L'' + O(sigma^4): relative difference of order (sigma/gamma)^2.
                let sigma = 1e-5 * gamma
                #expect(relativeError(try voigt(x, sigma, gamma), expected) < 1e-9, "voigt(\(x), \(sigma), \(gamma))")
            }
        }
        #expect(try voigt(0, 0, 0) == .infinity)
        #expect(try voigt(0.5, 0, 0) == 0)
        #expect(try voigt(1, -1, 0.5).isNaN)
        #expect(try voigt(1, 1, -0.5).isNaN)
        #expect(try Model("voigt(x, s, g)*0 + voigt(1/x, s, g)", params: ["s", "g"]).evaluate(inputs: [[0]], params: [1, 1]) == [0])
        #expect(try Model("voigt(1, 1/s, g)", params: ["s", "g"]).evaluate(inputs: [[0]], params: [0, 1]) == [0])
        let nan = try Model("voigt(x, s, g)", params: ["s", "g"]).jacobian(inputs: [[1]], params: [-1, 1])
        #expect(nan.values[0].isNaN && nan.jacobian.allSatisfy(\.isNaN))
        // At sigma = 0 the derivatives are the Cauchy density's, and dV/dsigma = sigma V_xx = 0.
        let gradient = try Model("voigt(a, s, g)", inputs: []).gradient(params: [0.5, 0, 2])
        let d = 0.25 + 4.0
        #expect(relativeError(gradient[0], -2 * 0.5 * 2 / (Double.pi * d * d)) < 1e-15)
        #expect(gradient[1] == 0)
        #expect(relativeError(gradient[2], (0.25 - 4) / (Double.pi * d * d)) < 1e-15)
    }

    /// voigt is one tape instruction of three operands (folded when they are constant), with the
    /// arity checked by the parser.
    @Test func compilesToOneInstruction() throws {
        let model = try Model("voigt(x, s, g)", params: ["s", "g"])
        #expect(model.tape.instructions.map(\.op) == [.voigt])
        #expect(try Model("voigt(1, 2, 3) + a", inputs: []).tape.instructions.map(\.op) == [.add])
        do {
            _ = try Model("voigt(x, 1)")
            Issue.record("voigt(x, 1) compiled")
        } catch let error as InferKitError {
            guard case .parse(let message) = error else { Issue.record("\(error)"); return }
            #expect(message.contains("'voigt'") && message.contains("3 arguments, got 2"))
        }
    }

    /// The profile has unit area: integrate over x = gamma tan(theta) (the Cauchy tails become
    /// a smooth integrand on (-pi/2, pi/2)), or over +-40 sigma for gamma = 0.
    @Test func unitArea() throws {
        let model = try Model("voigt(x, s, g)", params: ["s", "g"])
        for (sigma, gamma) in [(1.0, 0.0), (0.2, 1.0), (1.0, 1.0), (3.0, 0.5), (0.05, 2.0)] {
            let m = 20000  // Simpson's rule
            var nodes: [Double] = [], weights: [Double] = []
            let (low, high) = gamma == 0 ? (-40 * sigma, 40 * sigma) : (-Double.pi / 2, Double.pi / 2)
            let h = (high - low) / Double(m)
            for i in 0...m {
                let t = low + h * Double(i)
                let simpson = (i == 0 || i == m ? 1.0 : (i % 2 == 1 ? 4 : 2)) * h / 3
                if gamma == 0 {
                    nodes.append(t); weights.append(simpson)
                } else if i > 0 && i < m {  // the end points carry weight times V(+-inf) = 0... times sec^2: limit 1/pi
                    nodes.append(gamma * tan(t)); weights.append(simpson * gamma / (cos(t) * cos(t)))
                }
            }
            let values = try model.evaluate(inputs: [nodes], params: [sigma, gamma])
            var area = zip(values, weights).map { $0 * $1 }.reduce(0, +)
            if gamma > 0 { area += 2 * (h / 3) / Double.pi }  // the end points: V gamma sec^2 -> 1/pi
            #expect(Swift.abs(area - 1) < 1e-9, "area of voigt(x, \(sigma), \(gamma)) = \(area)")
        }
    }

    /// Extreme but finite arguments give finite, homogeneous results: V(l x, l s, l g) = V/l.
    @Test func extremeScalesAreHomogeneous() throws {
        let model = try Model("voigt(a, s, g)", inputs: [])
        let base = [0.7, 1.3, 0.4]
        let reference = try model.gradient(params: base), referenceValue = try model.value(params: base)
        for e in [-1000, -600, -300, -100, 100, 300, 500] {
            let l = Double(sign: .plus, exponent: e, significand: 1)
            let p = base.map { $0 * l }
            let value = try model.value(params: p)
            #expect(relativeError(value * l, referenceValue) < 1e-15, "V at scale 2^\(e)")
            if e >= -500 {  // the gradient ~ 1/l^2 overflows below
                let gradient = try model.gradient(params: p)
                for k in 0..<3 { #expect(relativeError(gradient[k] * l * l, reference[k]) < 1e-15, "dV[\(k)] at 2^\(e)") }
            }
        }
        // Far Lorentzian wings and a nearly Gaussian core at the same sigma.
        for (x, sigma, gamma) in [(1e12, 1e-3, 1.0), (1e-100, 1e-95, 1e-105), (5.0, 1e-250, 2.0)] {
            let v = try model.value(params: [x, sigma, gamma])
            let g = try model.gradient(params: [x, sigma, gamma])
            #expect(v.isFinite && g.allSatisfy(\.isFinite), "voigt(\(x), \(sigma), \(gamma))")
        }
    }
}
