// Robust loss functions of nonlinear least squares (scipy.optimize.least_squares' `loss`):
// the cost is C(p) = ½ Σ c² ρ(r_i² / c²) with the soft threshold c = f_scale, which bounds
// the influence of outliers. The Levenberg-Marquardt loop works on rescaled residuals and
// Jacobian whose Gauss-Newton model has the gradient and (Triggs et al. 2000's corrected)
// curvature of C, so the ordinary trust-region machinery applies unchanged.
import Glibc

/// ρ(z) of a robust loss, z = r²/c².
public enum RobustLoss: Int, Sendable, CaseIterable {
    /// ρ(z) = z: ordinary least squares.
    case linear = 0
    /// ρ(z) = 2(√(1 + z) − 1): a smooth L1.
    case softL1 = 1
    /// ρ(z) = z for z ≤ 1, 2√z − 1 beyond.
    case huber = 2
    /// ρ(z) = ln(1 + z).
    case cauchy = 3
    /// ρ(z) = arctan(z).
    case arctan = 4

    /// The name scipy uses ("linear", "soft_l1", "huber", "cauchy", "arctan").
    public var name: String {
        switch self {
        case .linear: return "linear"
        case .softL1: return "soft_l1"
        case .huber: return "huber"
        case .cauchy: return "cauchy"
        case .arctan: return "arctan"
        }
    }

    /// ρ(z), ρ'(z), ρ''(z).
    @inline(__always)
    func rho(_ z: Double) -> (Double, Double, Double) {
        switch self {
        case .linear:
            return (z, 1, 0)
        case .softL1:
            let t = 1 + z, s = t.squareRoot()
            return (2 * (s - 1), 1 / s, -0.5 / (t * s))
        case .huber:
            if z <= 1 { return (z, 1, 0) }
            let s = z.squareRoot()
            return (2 * s - 1, 1 / s, -0.5 / (z * s))
        case .cauchy:
            let t = 1 + z
            return (Glibc.log1p(z), 1 / t, -1 / (t * t))
        case .arctan:
            let t = 1 + z * z
            return (Glibc.atan(z), 1 / t, -2 * z / (t * t))
        }
    }

    /// The cost ½ Σ c² ρ(r_i²/c²) of `m` residuals.
    func cost(_ r: UnsafePointer<Double>, _ m: Int, scale c: Double) -> Double {
        if self == .linear { return 0.5 * dot(r, r, m) }
        var s = 0.0
        let c2 = c * c
        for i in 0..<m { s += rho(r[i] * r[i] / c2).0 }
        return 0.5 * c2 * s
    }

    /// Rescales residuals and Jacobian rows so that ½‖r̃ + J̃ s‖² has the gradient and
    /// Gauss-Newton curvature of the robust cost at the current point: with z = r²/c²,
    /// J̃_i = √(ρ' + 2zρ'') J_i and r̃_i = ρ' r_i / √(ρ' + 2zρ'') (the weight is floored at
    /// ε, as scipy does, where the curvature turns negative). `r` (m) and `jacobian`
    /// (column-major m × n) are overwritten.
    func rescale(_ r: UnsafeMutablePointer<Double>, _ jacobian: UnsafeMutablePointer<Double>, _ m: Int,
                 _ n: Int, scale c: Double, rowScale: UnsafeMutablePointer<Double>) {
        let c2 = c * c
        for i in 0..<m {
            let z = r[i] * r[i] / c2
            let (_, d1, d2) = rho(z)
            var w = d1 + 2 * z * d2
            if w < Double.ulpOfOne { w = Double.ulpOfOne }
            let s = w.squareRoot()
            rowScale[i] = s
            r[i] *= d1 / s
        }
        for j in 0..<n {
            let column = jacobian + j * m
            for i in 0..<m { column[i] *= rowScale[i] }
        }
    }
}
