// Bijections from ℝ onto a parameter's support, so that samplers that need an unconstrained
// space (HMC/NUTS) can work on any posterior: θ = T(u), with the log-Jacobian log|T'(u)| added
// to the log density (the change of variables; Stan Reference Manual, "Constraint transforms").
import Glibc

/// The map u ∈ ℝ ↦ θ of one parameter onto the interior of its support.
///
/// | case | θ = T(u) | log|T'(u)| | inverse |
/// | --- | --- | --- | --- |
/// | `identity` | u | 0 | θ |
/// | `lowerBounded(a)` | a + eᵘ | u | log(θ − a) |
/// | `upperBounded(b)` | b − eᵘ | u | log(b − θ) |
/// | `interval(a, b)` | a + (b − a) s(u), s the logistic function | log(b − a) + log s(u) + log s(−u) | log(θ − a) − log(b − θ) |
///
/// A scale on (0, ∞) is `lowerBounded(0)`, the log transform.
public enum ParameterTransform: Sendable, Equatable {
    /// θ = u, for a parameter on ℝ.
    case identity
    /// θ = a + eᵘ, for a parameter on (a, ∞).
    case lowerBounded(Double)
    /// θ = b − eᵘ, for a parameter on (−∞, b).
    case upperBounded(Double)
    /// θ = a + (b − a) / (1 + e⁻ᵘ), for a parameter on (a, b).
    case interval(lower: Double, upper: Double)

    /// Throws `invalidArgument` naming `name` when a bound is not finite or the interval is
    /// empty (lower >= upper).
    public func validate(parameter name: String) throws {
        switch self {
        case .identity: return
        case .lowerBounded(let a), .upperBounded(let a):
            guard a.isFinite else {
                throw InferKitError.invalidArgument("the transform of parameter '\(name)' has the bound \(describe(a)): it must be finite")
            }
        case .interval(let a, let b):
            guard a.isFinite && b.isFinite && a < b else {
                throw InferKitError.invalidArgument(
                    "the transform of parameter '\(name)' maps onto (\(describe(a)), \(describe(b))): the bounds must be finite with lower < upper")
            }
        }
    }

    /// θ = T(u), dθ/du, log|dθ/du| and its derivative d log|dθ/du| / du.
    public func constrain(_ u: Double) -> (value: Double, derivative: Double, logJacobian: Double, logJacobianDerivative: Double) {
        switch self {
        case .identity:
            return (u, 1, 0, 0)
        case .lowerBounded(let a):
            let e = Glibc.exp(u)
            return (a + e, e, u, 1)
        case .upperBounded(let b):
            let e = Glibc.exp(u)
            return (b - e, -e, u, 1)
        case .interval(let a, let b):
            let w = b - a
            let s = logistic(u), t = logistic(-u)  // s + t = 1, each accurate where small
            // From the nearer end, so θ keeps its digits next to either bound.
            let value = u < 0 ? a + w * s : b - w * t
            let logJacobian = Glibc.log(w) - softplus(-u) - softplus(u)
            return (Swift.min(Swift.max(value, a), b), w * s * t, logJacobian, t - s)
        }
    }

    /// u = T⁻¹(θ); NaN outside the closed support, ±∞ at its ends.
    public func unconstrain(_ x: Double) -> Double {
        switch self {
        case .identity: return x
        case .lowerBounded(let a): return x >= a ? Glibc.log(x - a) : .nan
        case .upperBounded(let b): return x <= b ? Glibc.log(b - x) : .nan
        case .interval(let a, let b):
            guard x >= a && x <= b else { return .nan }
            return Glibc.log(x - a) - Glibc.log(b - x)
        }
    }

    /// The open interval T maps onto.
    public var support: ParameterSupport {
        switch self {
        case .identity: return .real
        case .lowerBounded(let a): return ParameterSupport(lower: a, upper: .infinity)
        case .upperBounded(let b): return ParameterSupport(lower: -.infinity, upper: b)
        case .interval(let a, let b): return ParameterSupport(lower: a, upper: b)
        }
    }
}

/// 1 / (1 + e⁻ˣ).
@inline(__always) private func logistic(_ x: Double) -> Double {
    x >= 0 ? 1 / (1 + Glibc.exp(-x)) : { let e = Glibc.exp(x); return e / (1 + e) }()
}

/// log(1 + eˣ) without overflow or loss for large |x|.
@inline(__always) private func softplus(_ x: Double) -> Double {
    Swift.max(x, 0) + Glibc.log1p(Glibc.exp(-Swift.abs(x)))
}
