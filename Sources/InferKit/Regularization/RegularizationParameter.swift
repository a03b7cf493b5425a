#if canImport(Glibc)
import Glibc
#endif

/// How the regularisation parameter (lam for Tikhonov, k for truncated SVD) is chosen.
public enum ParameterChoice: Int32, Sendable {
    /// Generalised cross-validation: minimise GCV(lam) = m ||r||^2 / (m - tr H)^2 (Golub, Heath
    /// and Wahba 1979), with H the influence matrix and r the weighted residual.
    case gcv = 0
    /// The corner of the L-curve (log ||r||, log ||L f||): its maximum curvature (Hansen and
    /// O'Leary 1993), computed analytically from the SVD. When the curve has several corners,
    /// the one at the largest lam among the local maxima within a factor 2 of the largest
    /// curvature (smaller-lam corners lie in the noise-dominated part of the curve).
    case lCurve = 1
    /// The discrepancy principle (Morozov 1966): ||r||^2 = tau^2 m for the weighted residual,
    /// i.e. chi^2 equal to its expected value m when sigma are the absolute errors of y.
    case discrepancy = 2
    /// The caller's value.
    case fixed = 3
}

/// Bits of the `flags` of regularised results: warnings that are not failures.
public struct RegularizationFlags: OptionSet, Sendable {
    /// The bits, as in the C header's ik_reg_flag.
    public let rawValue: Int32
    /// Flags from their bits.
    public init(rawValue: Int32) { self.rawValue = rawValue }
    /// The chosen value is at an end of the grid: the optimum may lie outside it.
    public static let atGridEdge = RegularizationFlags(rawValue: 1)
    /// The discrepancy equation has no root inside the grid (the chosen value is the grid
    /// end nearest to it).
    public static let discrepancyNotBracketed = RegularizationFlags(rawValue: 2)
    /// No residual degrees of freedom (m - tr H <= 0) with relative sigma: the covariance
    /// scale, and so the covariance, is NaN.
    public static let noDegreesOfFreedom = RegularizationFlags(rawValue: 4)
    /// The standard-form matrix was factorised as numerically low-rank (singular values below
    /// 1e-14 of its Frobenius norm taken as zero).
    public static let lowRank = RegularizationFlags(rawValue: 8)
    /// Non-negative solution with some values at the bound 0: their covariance rows are NaN.
    public static let atBound = RegularizationFlags(rawValue: 16)
}

/// The Tikhonov filter functions of the standard-form problem at one lam:
/// f_i = s_i^2 / (s_i^2 + lam), residual ||r||^2 = sum ((1 - f_i) beta_i)^2 + outside,
/// seminorm ||L f||^2 = sum (f_i beta_i / s_i)^2, tr H = q + sum f_i.
public struct CurvePoint: Sendable, Equatable {
    /// lam.
    public var lambda: Double
    /// ||W^1/2 (y - A f)||.
    public var residualNorm: Double
    /// ||L f||.
    public var solutionNorm: Double
    /// GCV(lam) = m ||r||^2 / (m - tr H)^2 (infinite when m - tr H = 0).
    public var gcv: Double
    /// Curvature of the L-curve (log ||r||, log ||L f||) at lam (positive at the corner).
    public var curvature: Double
    /// Effective degrees of freedom tr H.
    public var edf: Double
    /// m - tr H, computed without cancellation.
    public var residualDof: Double
}

/// The quantities of the regularisation curve as functions of lam, from the singular values s,
/// the coefficients beta, the data outside the range, the number of observations m and the
/// dimension q of the unpenalised null space.
struct TikhonovCurve {
    let values: [Double]
    let beta: [Double]
    let outside: Double
    let observations: Int
    let nullDimension: Int

    /// Everything at one lam >= 0.
    func point(_ lam: Double) -> CurvePoint {
        var rho = outside, eta = 0.0, etaL = 0.0, etaLL = 0.0, trace = 0.0, rest = 0.0
        for i in 0..<values.count {
            let s2 = values[i] * values[i], b2 = beta[i] * beta[i]
            if s2 == 0 {
                rho += b2
                rest += 1
                continue
            }
            let d = s2 + lam
            let g = lam / d
            rho += g * g * b2
            let t = s2 * b2 / (d * d)
            eta += t
            etaL -= 2 * t / d
            etaLL += 6 * t / (d * d)
            trace += s2 / d
            rest += g
        }
        let dof = Double(observations - nullDimension - values.count) + rest
        let gcv = dof > 0 ? Double(observations) * rho / (dof * dof) : .infinity
        var curvature = Double.nan
        if lam > 0 && rho > 0 && eta > 0 {
            // Derivatives in t = log lam; d rho / d lam = -lam d eta / d lam.
            let rhoL = -lam * etaL, rhoLL = -etaL - lam * etaLL
            let etaT = lam * etaL, etaTT = lam * etaL + lam * lam * etaLL
            let rhoT = lam * rhoL, rhoTT = lam * rhoL + lam * lam * rhoLL
            let xT = rhoT / (2 * rho), xTT = (rhoTT * rho - rhoT * rhoT) / (2 * rho * rho)
            let yT = etaT / (2 * eta), yTT = (etaTT * eta - etaT * etaT) / (2 * eta * eta)
            let speed = xT * xT + yT * yT
            curvature = speed > 0 ? (xT * yTT - xTT * yT) / (speed * speed.squareRoot()) : 0
        }
        return CurvePoint(lambda: lam, residualNorm: rho.squareRoot(), solutionNorm: eta.squareRoot(),
                          gcv: gcv, curvature: curvature,
                          edf: Double(nullDimension) + trace, residualDof: dof)
    }

    /// The automatic grid: `count` values of lam, log-spaced and increasing, from
    /// max(s_min, 16 eps s_1)^2 to s_1^2 (Hansen's range, in lam = the square of his).
    func automaticGrid(count: Int) throws -> [Double] {
        guard let first = values.first, first > 0 else {
            throw InferKitError.singular("A L^+ is zero: the data do not see the penalised part of f, so lam cannot be chosen")
        }
        let smallest = values.last(where: { $0 > 0 }) ?? first
        let lo = max(smallest, 16 * Double.ulpOfOne * first), hi = first
        if count == 1 { return [hi * hi] }
        let a = 2 * log(lo), b = 2 * log(hi)
        return (0..<count).map { i in exp(a + (b - a) * Double(i) / Double(count - 1)) }
    }

    /// Chooses lam on `grid` (lam >= 0, any order) by `method`; with `refine`, between the
    /// neighbours of the best grid point (Brent's method on log lam, or bisection for the
    /// discrepancy root). `target` is the discrepancy's ||r||^2.
    func choose(_ method: ParameterChoice, grid: [Double], points: [CurvePoint], refine: Bool,
                target: Double) throws -> (lambda: Double, flags: RegularizationFlags) {
        let order = grid.indices.sorted { grid[$0] < grid[$1] }
        let sorted = order.map { points[$0] }
        var flags: RegularizationFlags = []
        let last = sorted.count - 1
        switch method {
        case .fixed:
            throw InferKitError.internal("choose() called for a fixed lam")
        case .gcv, .lCurve:
            let isGCV = method == .gcv
            // Score to minimise: GCV, or minus the curvature.
            func score(_ p: CurvePoint) -> Double { isGCV ? p.gcv : -p.curvature }
            var best = -1
            for i in 0...last where !score(sorted[i]).isNaN {
                if best < 0 || score(sorted[i]) < score(sorted[best]) { best = i }
            }
            if !isGCV && best >= 0 && sorted[best].curvature > 0 {
                // An L-curve can have several corners; those at smaller lam lie in its
                // noise-dominated (vertical) part. Take the local maximum of the curvature at
                // the largest lam among those within a factor 2 of the largest curvature.
                let largest = sorted[best].curvature
                for i in stride(from: last, through: 0, by: -1) {
                    let c = sorted[i].curvature
                    guard c.isFinite, c >= 0.5 * largest else { continue }
                    let left = i > 0 ? sorted[i - 1].curvature : -Double.infinity
                    let right = i < last ? sorted[i + 1].curvature : -Double.infinity
                    if !(left > c) && !(right > c) { best = i; break }
                }
            }
            guard best >= 0, score(sorted[best]).isFinite else {
                throw InferKitError.singular(isGCV
                    ? "GCV is undefined at every lam of the grid (no residual degrees of freedom)"
                    : "the L-curve is degenerate at every lam of the grid (y has no component in the range of A L^+)")
            }
            if last > 0 && (best == 0 || best == last) { flags.insert(.atGridEdge) }
            var lam = sorted[best].lambda
            if refine && last > 0 {
                let lo = sorted[max(best - 1, 0)].lambda, hi = sorted[min(best + 1, last)].lambda
                let a = lo > 0 ? log(lo) : log(lam), b = log(hi)
                if lam > 0 && b > a {
                    let t = try BoundedMinimizer.minimize(lower: a, upper: b, xatol: 1e-7) {
                        let s = score(point(exp($0)))
                        return s.isNaN ? .infinity : s
                    }
                    let candidate = exp(t)
                    if score(point(candidate)) <= score(sorted[best]) { lam = candidate }
                }
            }
            return (lam, flags)
        case .discrepancy:
            // ||r||^2 increases with lam: the largest grid lam with ||r||^2 <= target.
            func excess(_ p: CurvePoint) -> Double { p.residualNorm * p.residualNorm - target }
            var below = -1
            for i in 0...last where excess(sorted[i]) <= 0 { below = i }
            if below < 0 {
                flags.insert(.discrepancyNotBracketed)
                return (sorted[0].lambda, flags)
            }
            if below == last {
                if excess(sorted[last]) < 0 { flags.insert(.discrepancyNotBracketed) }
                return (sorted[last].lambda, flags)
            }
            var lam = sorted[below].lambda
            if refine {
                // Bisection in log lam (lam = 0 at the low end: start one decade below hi).
                var b = log(sorted[below + 1].lambda)
                var a = lam > 0 ? log(lam) : b - 10
                if lam == 0 {
                    while a > -745 && excess(point(exp(a))) > 0 { b = a; a -= 10 }
                }
                for _ in 0..<200 where b - a > 1e-12 * max(1, abs(a)) {
                    let mid = 0.5 * (a + b)
                    if excess(point(exp(mid))) <= 0 { a = mid } else { b = mid }
                }
                if excess(point(exp(a))) <= 0 { lam = exp(a) }
            }
            return (lam, flags)
        }
    }
}
