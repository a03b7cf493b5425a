// The tape's operations: their values and their first and second partial derivatives.
//
// Conventions at points where a derivative does not exist (one-sided or zero, never NaN by
// choice):
// - comparisons and the condition of `where`/`?:` have derivative 0;
// - `abs'(x) = sign(x)` with `sign(0) = 0` (the minimum-norm subgradient);
// - `min(a, b)` passes the derivative to `a` when `a <= b`, `max(a, b)` to `a` when `a >= b`;
// - `pow(a, b)`: the derivative with respect to the exponent is `a^b log a` for `a > 0` and 0
//   for `a <= 0` (where a real power exists only for fixed integer exponents);
// - `sqrt'(0)`, `log'(0)` and the like are the one-sided limits (+inf).
import Glibc

/// One operation of the tape. Unary operations read operand `a`; binary ones `a` and `b`;
/// `select` reads the condition `a`, then `b` (taken when `a != 0`) or `c`; `voigt` reads
/// x, sigma and gamma from `a`, `b` and `c`.
enum Opcode: UInt8, Equatable {
    case negate, square, exp, log, log10, sqrt, abs, sin, cos, tan, asin, acos, atan
    case sinh, cosh, tanh, erf, erfc, lgamma, sinc
    case add, subtract, multiply, divide, power, atan2, min, max
    case less, lessEqual, greater, greaterEqual, equal, notEqual
    case select, voigt

    /// Number of operands.
    var arity: Int {
        switch self {
        case .add, .subtract, .multiply, .divide, .power, .atan2, .min, .max,
             .less, .lessEqual, .greater, .greaterEqual, .equal, .notEqual:
            return 2
        case .select, .voigt: return 3
        default: return 1
        }
    }

    /// True when operand `a` is a condition, which carries no derivative.
    var hasCondition: Bool { self == .select }

    /// True when the result does not depend smoothly on any operand (derivative 0 everywhere).
    var isComparison: Bool {
        switch self {
        case .less, .lessEqual, .greater, .greaterEqual, .equal, .notEqual: return true
        default: return false
        }
    }

    /// The operation's value.
    @inline(__always)
    func apply(_ a: Double, _ b: Double, _ c: Double) -> Double {
        switch self {
        case .negate: return -a
        case .square: return a * a
        case .exp: return Glibc.exp(a)
        case .log: return Glibc.log(a)
        case .log10: return Glibc.log10(a)
        case .sqrt: return a.squareRoot()
        case .abs: return Swift.abs(a)
        case .sin: return Glibc.sin(a)
        case .cos: return Glibc.cos(a)
        case .tan: return Glibc.tan(a)
        case .asin: return Glibc.asin(a)
        case .acos: return Glibc.acos(a)
        case .atan: return Glibc.atan(a)
        case .sinh: return Glibc.sinh(a)
        case .cosh: return Glibc.cosh(a)
        case .tanh: return Glibc.tanh(a)
        case .erf: return Glibc.erf(a)
        case .erfc: return Glibc.erfc(a)
        case .lgamma:
            var sign: Int32 = 0
            return Glibc.lgamma_r(a, &sign)
        case .sinc: return SpecialFunctions.sinc(a).value
        case .add: return a + b
        case .subtract: return a - b
        case .multiply: return a * b
        case .divide: return a / b
        case .power: return Glibc.pow(a, b)
        case .atan2: return Glibc.atan2(a, b)
        case .min: return a <= b ? a : b
        case .max: return a >= b ? a : b
        case .less: return a < b ? 1 : 0
        case .lessEqual: return a <= b ? 1 : 0
        case .greater: return a > b ? 1 : 0
        case .greaterEqual: return a >= b ? 1 : 0
        case .equal: return a == b ? 1 : 0
        case .notEqual: return a != b ? 1 : 0
        case .select: return a != 0 ? b : c
        case .voigt: return VoigtProfile.value(a, b, c)
        }
    }

    /// First partial derivatives (d/da, d/db, d/dc) at operands `a, b, c` with value `f`.
    @inline(__always)
    func partials(_ a: Double, _ b: Double, _ c: Double, _ f: Double) -> (Double, Double, Double) {
        switch self {
        case .negate: return (-1, 0, 0)
        case .square: return (2 * a, 0, 0)
        case .exp: return (f, 0, 0)
        case .log: return (1 / a, 0, 0)
        case .log10: return (1 / (a * M_LN10), 0, 0)
        case .sqrt: return (0.5 / f, 0, 0)
        case .abs: return (a > 0 ? 1 : (a < 0 ? -1 : 0), 0, 0)
        case .sin: return (Glibc.cos(a), 0, 0)
        case .cos: return (-Glibc.sin(a), 0, 0)
        case .tan: return (1 + f * f, 0, 0)
        case .asin: return (1 / (1 - a * a).squareRoot(), 0, 0)
        case .acos: return (-1 / (1 - a * a).squareRoot(), 0, 0)
        case .atan: return (1 / (1 + a * a), 0, 0)
        case .sinh: return (Glibc.cosh(a), 0, 0)
        case .cosh: return (Glibc.sinh(a), 0, 0)
        case .tanh: return (1 - f * f, 0, 0)
        case .erf: return (M_2_SQRTPI * Glibc.exp(-a * a), 0, 0)
        case .erfc: return (-M_2_SQRTPI * Glibc.exp(-a * a), 0, 0)
        case .lgamma: return (SpecialFunctions.digamma(a), 0, 0)
        case .sinc: return (SpecialFunctions.sinc(a).first, 0, 0)
        case .add: return (1, 1, 0)
        case .subtract: return (1, -1, 0)
        case .multiply: return (b, a, 0)
        case .divide: return (1 / b, -f / b, 0)
        case .power:
            let da = b == 0 ? 0 : b * Glibc.pow(a, b - 1)
            return (da, a > 0 ? f * Glibc.log(a) : 0, 0)
        case .atan2:
            let r2 = a * a + b * b
            return (b / r2, -a / r2, 0)
        case .min: return a <= b ? (1, 0, 0) : (0, 1, 0)
        case .max: return a >= b ? (1, 0, 0) : (0, 1, 0)
        case .less, .lessEqual, .greater, .greaterEqual, .equal, .notEqual: return (0, 0, 0)
        case .select: return a != 0 ? (0, 1, 0) : (0, 0, 1)
        case .voigt: return VoigtProfile.partials(a, b, c)
        }
    }

    /// Second partial derivatives by operand pair at operands `a, b, c` with value `f`;
    /// `select` and comparisons have none.
    func curvature(_ a: Double, _ b: Double, _ c: Double, _ f: Double) -> Curvature {
        switch self {
        case .voigt: return VoigtProfile.curvature(a, b, c)
        default:
            let (aa, ab, bb) = secondPartials(a, b, f)
            return Curvature(aa: aa, ab: ab, bb: bb)
        }
    }

    /// Second partial derivatives (d²/da², d²/da db, d²/db²) of a unary or binary operation.
    private func secondPartials(_ a: Double, _ b: Double, _ f: Double) -> (Double, Double, Double) {
        switch self {
        case .negate, .abs, .add, .subtract, .min, .max, .select, .voigt,
             .less, .lessEqual, .greater, .greaterEqual, .equal, .notEqual:
            return (0, 0, 0)
        case .square: return (2, 0, 0)
        case .exp: return (f, 0, 0)
        case .log: return (-1 / (a * a), 0, 0)
        case .log10: return (-1 / (a * a * M_LN10), 0, 0)
        case .sqrt: return (-0.25 / (f * a), 0, 0)
        case .sin: return (-f, 0, 0)
        case .cos: return (-f, 0, 0)
        case .tan: return (2 * f * (1 + f * f), 0, 0)
        case .asin:
            let u = 1 - a * a
            return (a / (u * u.squareRoot()), 0, 0)
        case .acos:
            let u = 1 - a * a
            return (-a / (u * u.squareRoot()), 0, 0)
        case .atan:
            let u = 1 + a * a
            return (-2 * a / (u * u), 0, 0)
        case .sinh, .cosh: return (f, 0, 0)
        case .tanh: return (-2 * f * (1 - f * f), 0, 0)
        case .erf: return (-2 * a * M_2_SQRTPI * Glibc.exp(-a * a), 0, 0)
        case .erfc: return (2 * a * M_2_SQRTPI * Glibc.exp(-a * a), 0, 0)
        case .lgamma: return (SpecialFunctions.trigamma(a), 0, 0)
        case .sinc: return (SpecialFunctions.sinc(a).second, 0, 0)
        case .multiply: return (0, 1, 0)
        case .divide: return (0, -1 / (b * b), 2 * a / (b * b * b))
        case .power:
            let aa = (b == 0 || b == 1) ? 0 : b * (b - 1) * Glibc.pow(a, b - 2)
            guard a > 0 else { return (aa, 0, 0) }
            let logA = Glibc.log(a)
            return (aa, Glibc.pow(a, b - 1) * (1 + b * logA), f * logA * logA)
        case .atan2:
            let r2 = a * a + b * b
            let r4 = r2 * r2
            return (-2 * a * b / r4, (a * a - b * b) / r4, 2 * a * b / r4)
        }
    }
}

/// The second partial derivatives of an operation, symmetric in the operand pair; operands
/// a, b, c are positions 0, 1, 2.
struct Curvature: Equatable {
    var aa = 0.0, ab = 0.0, bb = 0.0, ac = 0.0, bc = 0.0, cc = 0.0

    /// d²f / d(operand p) d(operand q).
    subscript(p: Int, q: Int) -> Double {
        switch (Swift.min(p, q), Swift.max(p, q)) {
        case (0, 0): return aa
        case (0, 1): return ab
        case (1, 1): return bb
        case (0, 2): return ac
        case (1, 2): return bc
        default: return cc
        }
    }
}

/// Special functions the tape needs beyond Glibc.
enum SpecialFunctions {
    /// sinc(x) = sin(x)/x (1 at 0) and its first and second derivatives; a Taylor series
    /// for |x| < 0.1 avoids the cancellation of the closed forms.
    static func sinc(_ x: Double) -> (value: Double, first: Double, second: Double) {
        if Swift.abs(x) < 0.1 {
            // sinc(x) = sum_k (-1)^k x^(2k) / (2k+1)!
            var value = 0.0, first = 0.0, second = 0.0
            var coefficient = 1.0  // (-1)^k / (2k+1)!
            let x2 = x * x
            var power = 1.0  // x^(2k)
            var lower = 0.0  // x^(2k-2)
            for k in 0..<8 {
                let kk = Double(2 * k)
                value += coefficient * power
                first += coefficient * kk * lower * x
                second += coefficient * kk * (kk - 1) * lower
                coefficient /= -((kk + 2) * (kk + 3))
                lower = power
                power *= x2
            }
            return (value, first, second)
        }
        let s = Glibc.sin(x), c = Glibc.cos(x)
        return (s / x, (x * c - s) / (x * x), ((2 - x * x) * s - 2 * x * c) / (x * x * x))
    }

    /// The digamma function psi(x) = d/dx log Gamma(x): recurrence up to x >= 10, then the
    /// asymptotic series; reflection for x < 0.5. NaN at the poles 0, -1, -2, ...
    static func digamma(_ x: Double) -> Double {
        if x.isNaN || (x <= 0 && x == x.rounded()) { return .nan }
        if x < 0.5 { return digamma(1 - x) - Double.pi / Glibc.tan(Double.pi * x) }
        var y = x, shift = 0.0
        while y < 10 { shift -= 1 / y; y += 1 }
        let r = 1 / (y * y)
        let series = r * (-1.0 / 12 + r * (1.0 / 120 + r * (-1.0 / 252 + r * (1.0 / 240
            + r * (-1.0 / 132 + r * (691.0 / 32760 + r * (-1.0 / 12)))))))
        return shift + Glibc.log(y) - 0.5 / y + series
    }

    /// The trigamma function psi'(x): recurrence up to x >= 10, then the asymptotic series;
    /// reflection for x < 0.5. NaN at the poles.
    static func trigamma(_ x: Double) -> Double {
        if x.isNaN || (x <= 0 && x == x.rounded()) { return .nan }
        if x < 0.5 {
            let s = Glibc.sin(Double.pi * x)
            return Double.pi * Double.pi / (s * s) - trigamma(1 - x)
        }
        var y = x, shift = 0.0
        while y < 10 { shift += 1 / (y * y); y += 1 }
        let r = 1 / (y * y)
        let series = (1 + r * (1.0 / 6 + r * (-1.0 / 30 + r * (1.0 / 42 + r * (-1.0 / 30
            + r * (5.0 / 66 + r * (-691.0 / 2730 + r * (7.0 / 6)))))))) / y
        return shift + series + 0.5 * r
    }
}
