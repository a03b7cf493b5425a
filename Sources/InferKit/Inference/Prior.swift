// Priors of one parameter: normalised log densities with their first two derivatives in closed
// form (the posterior's gradient and Laplace Hessian use them), their supports (which also
// choose the parameter's unconstrained transform) and the checks of their own parameters.
import Glibc

/// The prior density of one parameter θ of a `Posterior`.
///
/// All proper priors are normalised (the Laplace evidence needs it):
/// - `uniform(lower, upper)`: 1/(upper − lower) on [lower, upper];
/// - `normal(mean, sigma)`: N(mean, sigma²) on ℝ;
/// - `logNormal(mu, sigma)`: log θ ~ N(mu, sigma²), θ > 0;
/// - `halfNormal(sigma)`: 2 N(0, sigma²) on θ ≥ 0;
/// - `logUniform(lower, upper)`: 1/(θ log(upper/lower)) on [lower, upper], 0 < lower < upper < ∞
///   (Jeffreys' prior for a scale, made proper);
/// - `flat(lower, upper)`: density 1 on [lower, upper] (either side may be infinite). It is not
///   normalised, and improper when a side is infinite. A parameter given no prior gets
///   `flat(-∞, ∞)`; with bounds it restricts a parameter's support (an amplitude > 0, say)
///   without shaping it. The Laplace evidence flags every flat prior.
///
/// Outside its support a prior's log density is −∞.
public enum Prior: Sendable, Equatable, CustomStringConvertible {
    /// Density 1/(upper − lower) on [lower, upper]; both finite.
    case uniform(lower: Double, upper: Double)
    /// The normal density N(mean, sigma²); sigma > 0.
    case normal(mean: Double, sigma: Double)
    /// The log-normal density: log θ ~ N(mu, sigma²) for θ > 0; sigma > 0.
    case logNormal(mu: Double, sigma: Double)
    /// The half-normal density 2 N(0, sigma²) on θ ≥ 0; sigma > 0.
    case halfNormal(sigma: Double)
    /// Density 1/(θ log(upper/lower)) on [lower, upper], 0 < lower < upper < ∞.
    case logUniform(lower: Double, upper: Double)
    /// The unnormalised density 1 on [lower, upper] (improper unless both are finite).
    case flat(lower: Double, upper: Double)

    /// The flat improper prior on ℝ that a parameter without a prior gets.
    public static let improper = Prior.flat(lower: -.infinity, upper: .infinity)

    /// True for the normalised priors (every kind but `flat`).
    public var isProper: Bool {
        if case .flat = self { return false }
        return true
    }

    /// The interval outside which the density is 0 (closed; `logNormal` excludes 0 itself).
    public var support: ParameterSupport {
        switch self {
        case .uniform(let lo, let hi), .logUniform(let lo, let hi), .flat(let lo, let hi):
            return ParameterSupport(lower: lo, upper: hi)
        case .normal: return ParameterSupport(lower: -.infinity, upper: .infinity)
        case .logNormal, .halfNormal: return ParameterSupport(lower: 0, upper: .infinity)
        }
    }

    /// The prior as the caller would write it, for messages ("halfNormal(sigma: 1.0)").
    public var description: String {
        switch self {
        case .uniform(let lo, let hi): return "uniform(lower: \(describe(lo)), upper: \(describe(hi)))"
        case .normal(let m, let s): return "normal(mean: \(describe(m)), sigma: \(describe(s)))"
        case .logNormal(let m, let s): return "logNormal(mu: \(describe(m)), sigma: \(describe(s)))"
        case .halfNormal(let s): return "halfNormal(sigma: \(describe(s)))"
        case .logUniform(let lo, let hi): return "logUniform(lower: \(describe(lo)), upper: \(describe(hi)))"
        case .flat(let lo, let hi): return "flat(lower: \(describe(lo)), upper: \(describe(hi)))"
        }
    }

    /// Throws `invalidArgument` (or `nonFinite` for a NaN) naming the parameter and the prior
    /// when the prior's own parameters are out of range: uniform and log-uniform bounds not
    /// finite or lower >= upper, log-uniform lower <= 0, a sigma <= 0 or not finite, a mean
    /// not finite, flat bounds NaN or lower >= upper.
    public func validate(parameter name: String) throws {
        let what = "the prior \(description) of parameter '\(name)'"
        func require(_ ok: Bool, _ reason: String) throws {
            if !ok { throw InferKitError.invalidArgument("\(what) is invalid: \(reason)") }
        }
        func finite(_ values: Double...) throws {
            if values.contains(where: \.isNaN) { throw InferKitError.nonFinite("\(what) has a NaN argument") }
        }
        switch self {
        case .uniform(let lo, let hi):
            try finite(lo, hi)
            try require(lo.isFinite && hi.isFinite, "both bounds must be finite (use flat for an unbounded side)")
            try require(lo < hi, "lower must be below upper")
        case .normal(let m, let s), .logNormal(let m, let s):
            try finite(m, s)
            try require(m.isFinite, "the location must be finite")
            try require(s > 0 && s.isFinite, "sigma must be > 0 and finite")
        case .halfNormal(let s):
            try finite(s)
            try require(s > 0 && s.isFinite, "sigma must be > 0 and finite")
        case .logUniform(let lo, let hi):
            try finite(lo, hi)
            try require(lo > 0, "lower must be > 0")
            try require(hi.isFinite, "upper must be finite")
            try require(lo < hi, "lower must be below upper")
        case .flat(let lo, let hi):
            try finite(lo, hi)
            try require(lo < hi, "lower must be below upper")
        }
    }

    /// log p(θ) and its first and second derivatives; (−∞, 0, 0) outside the support.
    public func logDensity(_ x: Double) -> (value: Double, first: Double, second: Double) {
        let outside = (-Double.infinity, 0.0, 0.0)
        switch self {
        case .uniform(let lo, let hi):
            return x >= lo && x <= hi ? (-Glibc.log(hi - lo), 0, 0) : outside
        case .flat(let lo, let hi):
            return x >= lo && x <= hi ? (0, 0, 0) : outside
        case .normal(let m, let s):
            let z = (x - m) / s
            return (-0.5 * z * z - Glibc.log(s) - halfLogTwoPi, -z / s, -1 / (s * s))
        case .logNormal(let m, let s):
            guard x > 0 else { return outside }
            let u = Glibc.log(x), z = (u - m) / s, s2 = s * s
            return (-u - Glibc.log(s) - halfLogTwoPi - 0.5 * z * z,
                    -(1 + (u - m) / s2) / x,
                    (1 + (u - m) / s2 - 1 / s2) / (x * x))
        case .halfNormal(let s):
            guard x >= 0 else { return outside }
            let z = x / s
            return (0.5 * Glibc.log(2 / Double.pi) - Glibc.log(s) - 0.5 * z * z, -z / s, -1 / (s * s))
        case .logUniform(let lo, let hi):
            guard x >= lo && x <= hi else { return outside }
            return (-Glibc.log(x) - Glibc.log(Glibc.log(hi / lo)), -1 / x, 1 / (x * x))
        }
    }
}

/// ½ log 2π.
let halfLogTwoPi = 0.91893853320467274178032973640562

/// The interval [lower, upper] a parameter lives in (a side may be infinite).
public struct ParameterSupport: Sendable, Equatable, CustomStringConvertible {
    /// The lower end (−∞ for none).
    public let lower: Double
    /// The upper end (+∞ for none).
    public let upper: Double

    /// The interval [lower, upper].
    public init(lower: Double, upper: Double) {
        self.lower = lower
        self.upper = upper
    }

    /// The whole real line.
    public static let real = ParameterSupport(lower: -.infinity, upper: .infinity)

    /// The intersection with `other`.
    public func intersection(_ other: ParameterSupport) -> ParameterSupport {
        ParameterSupport(lower: Swift.max(lower, other.lower), upper: Swift.min(upper, other.upper))
    }

    /// The bijection from ℝ onto the interior of this interval the samplers use: identity on
    /// ℝ, log for one finite side, logit for two.
    public var transform: ParameterTransform {
        switch (lower.isFinite, upper.isFinite) {
        case (false, false): return .identity
        case (true, false): return .lowerBounded(lower)
        case (false, true): return .upperBounded(upper)
        case (true, true): return .interval(lower: lower, upper: upper)
        }
    }

    /// "[0, inf)" style, for messages.
    public var description: String {
        "\(lower.isFinite ? "[" : "(")\(describe(lower)), \(describe(upper))\(upper.isFinite ? "]" : ")")"
    }
}
