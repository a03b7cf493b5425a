import Foundation
@testable import InferKit

/// The tests' 10-D correlated Gaussian, condition number exactly 100: Σ = H diag(λ) H with
/// λ_i = 100^(i/9) and H = I - 2 v vᵀ / vᵀv a Householder reflection; mean 0.
struct CorrelatedGaussian {
    let dimension = 10
    let covariance: [Double]   // row-major
    let precision: [Double]

    init() {
        let d = 10
        let v = (0..<d).map { Double($0 % 3) + 0.5 * Double($0) - 1.2 }
        let vv = v.reduce(0) { $0 + $1 * $1 }
        var h = [Double](repeating: 0, count: d * d)
        for i in 0..<d { for j in 0..<d { h[i * d + j] = (i == j ? 1 : 0) - 2 * v[i] * v[j] / vv } }
        let lambda = (0..<d).map { pow(100, Double($0) / 9) }
        func product(_ diagonal: [Double]) -> [Double] {
            var m = [Double](repeating: 0, count: d * d)
            for i in 0..<d { for j in 0..<d {
                var s = 0.0
                for k in 0..<d { s += h[i * d + k] * diagonal[k] * h[j * d + k] }
                m[i * d + j] = s
            } }
            return m
        }
        covariance = product(lambda)
        precision = product(lambda.map { 1 / $0 })
    }

    /// Parameter names x0 ... x9.
    var names: [String] { (0..<dimension).map { "x\($0)" } }

    /// -½ xᵀ P x as a formula (55 terms).
    var formula: String {
        var terms: [String] = []
        for i in 0..<dimension {
            for j in i..<dimension {
                let c = (i == j ? 1 : 2) * precision[i * dimension + j]
                terms.append("(\(c))*x\(i)*x\(j)")
            }
        }
        return "-0.5*(" + terms.joined(separator: " + ") + ")"
    }

    /// The same density as a closure over many points.
    var closure: ClosureLogDensity {
        let p = precision, d = dimension
        return ClosureLogDensity(dimension: d, parameterNames: names, values: { points, count, out in
            for n in 0..<count {
                var s = 0.0
                for i in 0..<d {
                    var r = 0.0
                    for j in 0..<d { r += p[i * d + j] * points[n * d + j] }
                    s += points[n * d + i] * r
                }
                out[n] = -0.5 * s
            }
        })
    }

    /// A starting ensemble: a small ball around 0 (deterministic).
    func ball(_ count: Int, seed: UInt64 = 99, radius: Double = 0.5) -> [Double] {
        var r = RandomStream(seed: seed, stream: 7)
        return (0..<(count * dimension)).map { _ in radius * r.normal() }
    }
}

/// Monte-Carlo summary of f over draws (draw-major values: draws × chains × d) with its
/// standard error by batch means over the per-draw average across chains: 25 batches of
/// consecutive draws. `ess` is var(f) / se².
struct MonteCarloEstimate {
    var mean: Double
    var standardError: Double
    var ess: Double

    init(_ draws: MCMCDraws, _ f: (UnsafeBufferPointer<Double>) -> Double) {
        let n = draws.drawCount, c = draws.chainCount, d = draws.dimension
        var series = [Double](repeating: 0, count: n)
        var total = 0.0, totalSquares = 0.0
        draws.values.withUnsafeBufferPointer { v in
            for t in 0..<n {
                var s = 0.0
                for w in 0..<c {
                    let x = f(UnsafeBufferPointer(rebasing: v[((t * c + w) * d)..<((t * c + w) * d + d)]))
                    s += x
                    total += x
                    totalSquares += x * x
                }
                series[t] = s / Double(c)
            }
        }
        let count = Double(n * c)
        mean = total / count
        let variance = totalSquares / count - mean * mean
        let batches = 25, size = n / batches
        var batchMeans: [Double] = []
        for b in 0..<batches {
            batchMeans.append(series[(b * size)..<((b + 1) * size)].reduce(0, +) / Double(size))
        }
        let m = batchMeans.reduce(0, +) / Double(batches)
        let v = batchMeans.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(batches - 1)
        standardError = (v / Double(batches)).squareRoot()
        ess = variance / (standardError * standardError)
    }
}

/// Checks means and covariances of Gaussian draws against the truth within `k` standard
/// errors; returns the largest |error| / se and the smallest ESS of the means.
func gaussianMomentErrors(_ draws: MCMCDraws, _ target: CorrelatedGaussian) -> (worst: Double, minimumESS: Double) {
    let d = target.dimension
    var worst = 0.0, minimumESS = Double.infinity
    for i in 0..<d {
        let m = MonteCarloEstimate(draws) { $0[i] }
        worst = max(worst, abs(m.mean) / m.standardError)
        minimumESS = min(minimumESS, m.ess)
        for j in i..<d {
            let c = MonteCarloEstimate(draws) { $0[i] * $0[j] }
            worst = max(worst, abs(c.mean - target.covariance[i * d + j]) / c.standardError)
        }
    }
    return (worst, minimumESS)
}

/// Runs `body` and returns the InferKitError it throws (nil if none).
func samplingError(_ body: () throws -> Void) -> InferKitError? {
    do { try body() } catch let e as InferKitError { return e } catch { return nil }
    return nil
}
