// Stan's windowed adaptation of the inverse metric (Stan Reference Manual, "HMC algorithm
// parameters", automatic parameter tuning): warm-up opens with a fast interval of 75 iterations
// (step size only), then slow windows of 25, 50, 100, ... iterations each estimate the posterior
// (co)variance from their draws and install it as the new metric, the last window stretching to
// the terminal fast interval of 50 iterations (step size only). Warm-ups shorter than
// 75 + 25 + 50 use 15 % / 75 % / 10 %. Estimates are regularised towards a small multiple of I:
//   M⁻¹ = n/(n + 5) Σ̂ + 10⁻³ · 5/(n + 5) · I.

/// The schedule of metric windows within a warm-up of a given length.
struct AdaptationWindows: Sendable, Equatable {
    let warmup: Int
    let initialBuffer: Int
    let terminalBuffer: Int
    private(set) var windowSize: Int
    private(set) var nextWindowEnd: Int
    /// False when the warm-up is too short (< 20) for any metric window.
    let enabled: Bool

    /// The windows of a warm-up of `warmup` iterations (Stan's defaults 75 / 25 / 50).
    init(warmup: Int, initialBuffer: Int = 75, baseWindow: Int = 25, terminalBuffer: Int = 50) {
        self.warmup = warmup
        if warmup < 20 {
            enabled = false
            self.initialBuffer = warmup
            self.terminalBuffer = 0
            windowSize = 0
            nextWindowEnd = -1
            return
        }
        enabled = true
        var initial = initialBuffer, terminal = terminalBuffer, base = baseWindow
        if initial + base + terminal > warmup {
            initial = Int(0.15 * Double(warmup))
            terminal = Int(0.1 * Double(warmup))
            base = warmup - (initial + terminal)
        }
        self.initialBuffer = initial
        self.terminalBuffer = terminal
        windowSize = base
        nextWindowEnd = initial + base - 1
    }

    /// True when warm-up iteration `i` (0-based) belongs to a slow window.
    func inWindow(_ i: Int) -> Bool {
        enabled && i >= initialBuffer && i < warmup - terminalBuffer && i != warmup
    }

    /// True when warm-up iteration `i` ends a slow window.
    func endsWindow(_ i: Int) -> Bool { enabled && i == nextWindowEnd && i != warmup }

    /// Moves to the window after the one ending at iteration `i`: twice as long, or stretched
    /// to the terminal buffer when the one after it would not fit.
    mutating func advance(after i: Int) {
        let lastEnd = warmup - terminalBuffer - 1
        if nextWindowEnd == lastEnd { return }
        windowSize *= 2
        nextWindowEnd = i + windowSize
        if nextWindowEnd != lastEnd && nextWindowEnd + 2 * windowSize >= warmup - terminalBuffer {
            nextWindowEnd = lastEnd
        }
    }
}

/// Welford's running mean and (co)variance of draws (Welford 1962), for the diagonal or the
/// dense metric; updated in place without allocation.
struct WelfordEstimator: Sendable, Equatable {
    let dimension: Int
    let dense: Bool
    private(set) var count = 0
    private var mean: [Double]
    private var m2: [Double]
    private var delta: [Double]

    init(dimension: Int, dense: Bool) {
        self.dimension = dimension
        self.dense = dense
        mean = [Double](repeating: 0, count: dimension)
        m2 = [Double](repeating: 0, count: dense ? dimension * dimension : dimension)
        delta = [Double](repeating: 0, count: dimension)
    }

    /// Forgets every draw.
    mutating func restart() {
        count = 0
        for j in mean.indices { mean[j] = 0 }
        for j in m2.indices { m2[j] = 0 }
    }

    /// Adds one draw (n values): δ = q − μ, μ += δ/count, M2 += δ (q − μ)ᵀ (or its diagonal).
    mutating func add(_ q: UnsafePointer<Double>) {
        count += 1
        let n = dimension, c = Double(count)
        let dense = self.dense
        mean.withUnsafeMutableBufferPointer { mu in
            m2.withUnsafeMutableBufferPointer { m in
                delta.withUnsafeMutableBufferPointer { d in
                    for j in 0..<n {
                        d[j] = q[j] - mu[j]
                        mu[j] += d[j] / c
                    }
                    if dense {
                        for i in 0..<n {
                            for j in 0..<n { m[i * n + j] += d[i] * (q[j] - mu[j]) }
                        }
                    } else {
                        for j in 0..<n { m[j] += d[j] * (q[j] - mu[j]) }
                    }
                }
            }
        }
    }

    /// The regularised inverse metric from the draws so far (count ≥ 2), S the sample
    /// (co)variance (denominator count − 1) and w = count/(count + 5), ε = 10⁻³ · 5/(count + 5):
    /// `.stan`: w S + ε I (Stan's); `.scaleFree`: w S + ε diag(S), the same shrinkage relative
    /// to each parameter's own variance (for parameters far from unit scale).
    func regularized(_ kind: MetricRegularization) -> [Double] {
        let n = dimension, c = Double(count)
        let w = c / (c + 5), shrink = 1e-3 * (5 / (c + 5))
        func target(_ j: Int) -> Double {
            kind == .stan ? shrink : shrink * m2[dense ? j * n + j : j] / (c - 1)
        }
        if dense {
            var out = [Double](repeating: 0, count: n * n)
            for i in 0..<n {
                for j in 0..<n {
                    out[i * n + j] = w * m2[i * n + j] / (c - 1) + (i == j ? target(i) : 0)
                }
            }
            // Exact symmetry (M2 sums in the same order for (i, j) and (j, i) only up to
            // rounding).
            for i in 0..<n { for j in 0..<i { out[j * n + i] = out[i * n + j] } }
            return out
        }
        return (0..<n).map { w * m2[$0] / (c - 1) + target($0) }
    }
}

/// How warm-up regularises a window's (co)variance estimate S before using it as the inverse
/// metric.
public enum MetricRegularization: Int32, Sendable {
    /// Stan's n/(n + 5) S + 10⁻³ · 5/(n + 5) I: suits parameters of order one; for parameters
    /// with variances far below 10⁻³ (a peak position known to 10⁻⁴, say) the identity term
    /// dominates and the metric is too wide in those directions.
    case stan = 0
    /// n/(n + 5) S + 10⁻³ · 5/(n + 5) diag(S): the same shrinkage relative to each parameter's
    /// variance, so the metric does not depend on the parameters' units.
    case scaleFree = 1
}
