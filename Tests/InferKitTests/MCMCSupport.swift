import Foundation
@testable import InferKit

/// Effective sample size of one scalar quantity over several chains: Geyer's initial monotone
/// sequence estimator on the chain-averaged autocorrelation (a local test helper; the
/// diagnostics module lives on another branch). `chains[c]` is chain c's trace.
func effectiveSampleSize(_ chains: [[Double]]) -> Double {
    let m = chains.count, n = chains[0].count
    let means = chains.map { $0.reduce(0, +) / Double(n) }
    func autocovariance(_ lag: Int) -> Double {
        var total = 0.0
        for c in 0..<m {
            var s = 0.0
            for t in 0..<(n - lag) { s += (chains[c][t] - means[c]) * (chains[c][t + lag] - means[c]) }
            total += s / Double(n)
        }
        return total / Double(m)
    }
    let c0 = autocovariance(0)
    guard c0 > 0 else { return Double(m * n) }
    var tau = -1.0, previous = Double.infinity, lag = 0
    while lag + 1 < n {
        var pair = (autocovariance(lag) + autocovariance(lag + 1)) / c0
        if pair <= 0 { break }
        pair = min(pair, previous)
        previous = pair
        tau += 2 * pair
        lag += 2
    }
    return Double(m * n) / max(tau, 1.0 / Double(m * n))
}

/// The trace of parameter k of every chain from a draw-major MCMCDraws.
func traces(_ draws: MCMCDraws, _ k: Int, transform: (Double) -> Double = { $0 }) -> [[Double]] {
    (0..<draws.chainCount).map { c in
        (0..<draws.drawCount).map { d in transform(draws.values[(d * draws.chainCount + c) * draws.dimension + k]) }
    }
}

/// Mean of all draws of a trace set.
func pooledMean(_ t: [[Double]]) -> Double {
    let all = t.flatMap { $0 }
    return all.reduce(0, +) / Double(all.count)
}

/// A zero-mean Gaussian log density with precision P (n × n row-major) and exact gradient.
func gaussianDensity(precision: [Double], n: Int) -> ClosureLogDensity {
    func logp(_ x: UnsafeBufferPointer<Double>, _ g: UnsafeMutableBufferPointer<Double>?) -> Double {
        var q = 0.0
        for i in 0..<n {
            var s = 0.0
            for j in 0..<n { s += precision[i * n + j] * x[j] }
            q += x[i] * s
            g?[i] = -s
        }
        return -0.5 * q
    }
    return ClosureLogDensity(dimension: n, values: { points, count, out in
        for i in 0..<count { out[i] = logp(UnsafeBufferPointer(rebasing: points[(i * n)..<(i * n + n)]), nil) }
    }, gradient: { x, g in logp(x, g) })
}

/// A 10-D correlated Gaussian of condition number 100: Σ = Q diag(λ) Qᵀ with λ_k = 100^(k/9) and
/// Q a fixed random rotation (Gram-Schmidt of Philox normals). Returns (Σ, Σ⁻¹), row-major.
func correlatedGaussian(_ n: Int = 10) -> (covariance: [Double], precision: [Double]) {
    var random = RandomStream(seed: 2024)
    var q = [[Double]]()
    while q.count < n {
        var v = (0..<n).map { _ in random.normal() }
        for u in q {
            let d = zip(u, v).reduce(0) { $0 + $1.0 * $1.1 }
            for j in 0..<n { v[j] -= d * u[j] }
        }
        let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        q.append(v.map { $0 / norm })
    }
    let lambda = (0..<n).map { pow(100.0, Double($0) / Double(n - 1)) }
    var cov = [Double](repeating: 0, count: n * n), prec = cov
    for i in 0..<n {
        for j in 0..<n {
            for k in 0..<n {
                cov[i * n + j] += q[k][i] * lambda[k] * q[k][j]
                prec[i * n + j] += q[k][i] / lambda[k] * q[k][j]
            }
        }
    }
    return (cov, prec)
}
