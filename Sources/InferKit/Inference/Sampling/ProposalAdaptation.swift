import CLapack
#if canImport(Glibc)
import Glibc
#endif

// Haario, Saksman & Tamminen (2001), "An adaptive Metropolis algorithm", with the
// Robbins-Monro scale of Andrieu & Thoms (2008, algorithm 4): during warm-up each chain keeps the
// running mean and covariance Σ̂ of its own states (Welford), and from iteration t₀ on its
// Gaussian jumping distribution is N(0, λ² (2.38²/d) (Σ̂ + ε (tr Σ̂ / d) I)); log λ moves by
// (t + 1)^(-0.6) (α_t - α*) toward the target acceptance α*. At the end of warm-up the jumping
// distribution freezes, so the sampling phase is an ordinary, valid Metropolis chain.

/// How a chain's jumping distribution adapts during warm-up.
struct ProposalAdaptation {
    /// Adapt the covariance (Haario) from iteration `start` on.
    let covariance: Bool
    /// Adapt the scale λ (Robbins-Monro on log λ).
    let scale: Bool
    /// α*, the acceptance rate the scale aims at.
    let targetAcceptance: Double
    /// ε, the regularisation relative to the mean variance.
    let regularization: Double
    /// t₀: the first iteration with an adapted covariance, max(100, 10 d).
    let start: Int
    /// The covariance is refactored every `interval` iterations.
    let interval = 10
}

/// One chain's adaptive state, in a caller's storage (no allocation per iteration): running
/// mean (d), the sum of outer products of deviations M₂ (d × d), the state count, and the
/// jumping distribution's Cholesky factor U (upper, column-major: Σ_b = Uᵀ U) with log λ.
struct ChainAdaptiveState {
    let dimension: Int
    let mean: UnsafeMutablePointer<Double>
    let m2: UnsafeMutablePointer<Double>
    let factor: UnsafeMutablePointer<Double>
    let candidate: UnsafeMutablePointer<Double>
    let count: UnsafeMutablePointer<Int>
    let logScale: UnsafeMutablePointer<Double>

    /// y = x + λ Uᵀ z with z standard normal (d values from `stream`, written into z).
    @inline(__always)
    func propose(x: UnsafePointer<Double>, y: UnsafeMutablePointer<Double>, z: UnsafeMutablePointer<Double>,
                 stream: inout RandomStream) {
        let d = dimension
        let lambda = exp(logScale.pointee)
        for k in 0..<d { z[k] = stream.normal() }
        for i in 0..<d {
            var s = 0.0
            let column = factor + i * d  // column i of U: U[k, i], k <= i
            for k in 0...i { s += column[k] * z[k] }
            y[i] = x[i] + lambda * s
        }
    }

    /// Adds the state x to the running mean and M₂ (Welford).
    @inline(__always)
    func record(_ x: UnsafePointer<Double>) {
        let d = dimension
        count.pointee += 1
        let k = Double(count.pointee)
        // M₂ += (x - mean_old)(x - mean_new)ᵀ, symmetric: use δ_old δ_oldᵀ (k - 1)/k.
        let w = (k - 1) / k
        for i in 0..<d {
            let di = x[i] - mean[i]
            for j in 0..<d { m2[j * d + i] += w * di * (x[j] - mean[j]) }
        }
        for i in 0..<d { mean[i] += (x[i] - mean[i]) / k }
    }

    /// Refactors the jumping covariance (2.38²/d)(Σ̂ + ε (tr Σ̂ / d) I) from the running
    /// moments; keeps the previous factor when it is not positive definite (a chain that has
    /// not moved yet).
    func refactor(regularization: Double) {
        let d = dimension
        let k = count.pointee
        guard k >= 2 else { return }
        let s = 2.38 * 2.38 / Double(d) / Double(k - 1)
        var trace = 0.0
        for i in 0..<d { trace += m2[i * d + i] }
        let ridge = regularization * trace / Double(d)
        for j in 0..<d {
            for i in 0..<d { candidate[j * d + i] = s * (m2[j * d + i] + (i == j ? ridge : 0)) }
        }
        guard trace > 0 else { return }
        let info = LAPACKE_dpotrf(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "U")), Int32(d), candidate, Int32(d))
        guard info == 0 else { return }
        for j in 0..<d {
            for i in 0..<d { factor[j * d + i] = i <= j ? candidate[j * d + i] : 0 }
        }
    }

    /// One warm-up iteration t (0-based) done with acceptance probability α at state x.
    @inline(__always)
    func adapt(_ rule: ProposalAdaptation, iteration t: Int, acceptance alpha: Double, state x: UnsafePointer<Double>) {
        if rule.scale {
            let gain = pow(Double(t + 1), -0.6)
            logScale.pointee = Swift.min(20, Swift.max(-20, logScale.pointee + gain * (alpha - rule.targetAcceptance)))
        }
        if rule.covariance {
            record(x)
            if t + 1 >= rule.start && (t + 1) % rule.interval == 0 { refactor(regularization: rule.regularization) }
        }
    }

    /// The frozen jumping covariance λ² Uᵀ U into `out` (d × d row-major).
    func proposalCovariance(into out: UnsafeMutablePointer<Double>) {
        let d = dimension
        let l2 = exp(2 * logScale.pointee)
        for i in 0..<d {
            for j in 0..<d {
                var s = 0.0
                for k in 0...Swift.min(i, j) { s += factor[i * d + k] * factor[j * d + k] }
                out[i * d + j] = l2 * s
            }
        }
    }
}
