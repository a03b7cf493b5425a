#if canImport(Glibc)
import Glibc
#endif

/// The layout of the trigonometric sums of one frequency for a pass over some series: first,
/// per weight set, C_k = sum w cos(k theta) and S_k = sum w sin(k theta) for k = 1..2K; then,
/// per series, YC_k = sum w y cos(k theta) and YS_k = sum w y sin(k theta) for k = 1..K, where
/// theta = 2 pi f tau and K = nterms.
struct SumLayout {
    /// K, the number of harmonics of the model.
    let terms: Int
    /// The weight sets of the pass.
    let sets: Range<Int>
    /// The series of the pass.
    let series: Range<Int>

    /// Values per weight set: C_1..C_2K then S_1..S_2K.
    var setWidth: Int { 4 * terms }
    /// Values per series: YC_1..YC_K then YS_1..YS_K.
    var seriesWidth: Int { 2 * terms }
    /// Values per frequency.
    var width: Int { sets.count * setWidth + series.count * seriesWidth }
    /// Offset of weight set a.
    @inline(__always) func setOffset(_ a: Int) -> Int { (a - sets.lowerBound) * setWidth }
    /// Offset of series s.
    @inline(__always) func seriesOffset(_ s: Int) -> Int {
        sets.count * setWidth + (s - series.lowerBound) * seriesWidth
    }
}

/// The reduction of chi-square by the best model at one frequency, from the trigonometric sums.
///
/// With the model columns X = [1 (when the mean is fitted), sin(theta), cos(theta), ...,
/// sin(K theta), cos(K theta)], the Gram matrix X^T W X and X^T W y follow from the sums by the
/// product-to-sum identities (2 sin a sin b = cos(a-b) - cos(a+b), and so on), and
/// chi2_ref - chi2(f) = b^T G^-1 b with b = X^T W y (normalised weights). It is evaluated as
/// |L^-1 b|^2 with the Cholesky factor G = L L^T. A column whose pivot falls below 1e-12 of its
/// diagonal is linearly dependent on the previous ones at this frequency (evenly sampled data
/// at the Nyquist frequency, say) and is left out: the result is then the projection onto the
/// span of the remaining columns, which is what least squares gives, instead of 0/0.
///
/// The normal equations square the condition number: where the smallest pivot ratio
/// d_k / G_kk falls below `wellConditioned` (frequencies far below 1 / baseline, where the
/// harmonics and the offset are nearly collinear, or a model with almost as many parameters as
/// points), `DirectFit` recomputes the frequency by Gram-Schmidt orthogonalisation of the
/// weighted design instead (error eps cond, not eps cond^2).
final class GramSolver {
    /// K.
    let terms: Int
    /// Whether the offset is a model column.
    let fitMean: Bool
    /// Number of model columns.
    let columns: Int
    private let gram: UnsafeMutablePointer<Double>
    private let rhs: UnsafeMutablePointer<Double>

    /// Relative pivot below which a column counts as dependent.
    static let pivotTolerance = 1e-12
    /// Smallest relative pivot d_k / G_kk for which the normal equations are used: their
    /// error is about (error of the sums) / pivot, times a growth factor of the order of the
    /// number of columns, so 1e-2 keeps exact powers near 1e-13 (the fast method recomputes
    /// frequencies below its own, higher threshold with exact sums first).
    static let wellConditioned = 1e-2

    /// A solver for K harmonics, with or without the offset column.
    init(terms: Int, fitMean: Bool) {
        self.terms = terms
        self.fitMean = fitMean
        columns = (fitMean ? 1 : 0) + 2 * terms
        gram = .allocate(capacity: columns * columns)
        rhs = .allocate(capacity: columns)
    }

    deinit {
        gram.deallocate()
        rhs.deallocate()
    }

    /// b^T G^-1 b from the sums of one weight set (`set`: C_1..C_2K, S_1..S_2K) and one series
    /// (`series`: YC_1..YC_K, YS_1..YS_K), with c0 = sum w and y0 = sum w y; and the smallest
    /// relative pivot d_k / G_kk (1 when every column is orthogonal to the previous ones).
    func reduction(set: UnsafePointer<Double>, series: UnsafePointer<Double>, c0: Double,
                   y0: Double) -> (value: Double, pivot: Double) {
        let k2 = 2 * terms, p = columns, off = fitMean ? 1 : 0
        @inline(__always) func c(_ k: Int) -> Double { k == 0 ? c0 : set[k - 1] }
        @inline(__always) func s(_ k: Int) -> Double { k == 0 ? 0 : set[k2 + k - 1] }
        // Lower triangle of G, row-major p x p; columns off + 2(m-1) = sin m, + 1 = cos m.
        if fitMean {
            gram[0] = c0
            rhs[0] = y0
        }
        for m in 1...terms {
            let sm = off + 2 * (m - 1), cm = sm + 1
            if fitMean {
                gram[sm * p] = s(m)
                gram[cm * p] = c(m)
            }
            rhs[sm] = series[terms + m - 1]
            rhs[cm] = series[m - 1]
            for n in 1...m {
                let sn = off + 2 * (n - 1), cn = sn + 1
                let d = m - n, a = m + n
                gram[sm * p + sn] = 0.5 * (c(d) - c(a))
                gram[cm * p + cn] = 0.5 * (c(d) + c(a))
                // sin(m) cos(n) = (sin(m+n) + sin(m-n)) / 2; cos(m) sin(n) = (sin(m+n) - sin(m-n)) / 2
                gram[cm * p + sn] = 0.5 * (s(a) - s(d))
                if n < m { gram[sm * p + cn] = 0.5 * (s(a) + s(d)) }
            }
        }
        // Cholesky with dependent columns left out, and the forward solve L z = b alongside.
        var total = 0.0, smallest = 1.0
        for k in 0..<p {
            let row = gram + k * p
            let diagonal = row[k]
            var d = diagonal
            for m in 0..<k { d -= row[m] * row[m] }
            var z = rhs[k]
            for m in 0..<k { z -= row[m] * rhs[m] }
            smallest = min(smallest, diagonal > 0 ? d / diagonal : 0)
            if !(d > GramSolver.pivotTolerance * diagonal) || !(diagonal > 0) {
                for i in (k + 1)..<p { gram[i * p + k] = 0 }
                rhs[k] = 0
                continue
            }
            let l = d.squareRoot()
            for i in (k + 1)..<p {
                let r = gram + i * p
                var v = r[k]
                for m in 0..<k { v -= r[m] * row[m] }
                r[k] = v / l
            }
            z /= l
            rhs[k] = z
            total += z * z
        }
        return (total, smallest)
    }

    /// The normalised power from the reduction b^T G^-1 b, the series' reference sum
    /// sum w (y - mean)^2 and sum dy^-2 (all with weights of sum 1). The reduction is clamped
    /// to [0, reference] (it can leave that range only by rounding); a constant series
    /// (reference 0) has power 0.
    static func normalize(_ reduction: Double, reference: Double, weightTotal: Double,
                          _ normalization: PeriodogramNormalization) -> Double {
        guard reference > 0 else { return 0 }
        let p = min(max(reduction, 0), reference)
        switch normalization {
        case .standard: return p / reference
        case .model: return p / (reference - p)
        case .log: return -log1p(-p / reference)
        case .psd: return 0.5 * p * weightTotal
        }
    }
}

/// chi2_ref - chi2(f) at one frequency from the data themselves: the weighted design
/// sqrt(w) [1, sin(k theta), cos(k theta)] is orthogonalised column by column by modified
/// Gram-Schmidt, twice ("twice is enough": orthogonal to working precision), and the weighted
/// data are projected onto it. A column whose norm falls below 1e-12 of its original norm is
/// dependent and left out. O(n p^2); used only where the normal equations are ill-conditioned.
enum DirectFit {
    /// Relative remaining norm below which a column counts as dependent.
    static let dependence = 1e-12
    /// The largest design (points x columns) it orthogonalises (1 GB); beyond it the normal
    /// equations' value is kept.
    static let sizeLimit = 1 << 27

    /// The reduction for series s of `data` at frequency f (normalised weights).
    static func reduction(_ data: PeriodogramData, series s: Int, frequency f: Double, terms: Int,
                          fitMean: Bool) -> Double {
        let n = data.points, p = (fitMean ? 1 : 0) + 2 * terms
        let padded = 4 * data.groups
        let w = data.weightValues + data.weightSet(of: s) * padded
        let wy = data.weightedYValues + s * padded
        let q = UnsafeMutablePointer<Double>.allocate(capacity: n * p)
        let target = UnsafeMutablePointer<Double>.allocate(capacity: n)
        let root = UnsafeMutablePointer<Double>.allocate(capacity: n)
        defer { q.deallocate(); target.deallocate(); root.deallocate() }
        for i in 0..<n {
            let r = w[i].squareRoot()
            root[i] = r
            target[i] = r > 0 ? wy[i] / r : 0
        }
        var kept = 0, total = 0.0
        for column in 0..<p {
            let v = q + kept * n
            let harmonic = fitMean ? (column + 1) / 2 : column / 2 + 1
            let isSine = fitMean ? column % 2 == 1 : column % 2 == 0
            for i in 0..<n {
                if fitMean && column == 0 {
                    v[i] = root[i]
                } else {
                    let phase = SinCos.cycles(Double(harmonic) * f * data.tauValues[i])
                    v[i] = root[i] * (isSine ? phase.sin : phase.cos)
                }
            }
            let original = norm(v, n)
            for _ in 0..<2 {
                for j in 0..<kept {
                    let u = q + j * n
                    var dot = 0.0
                    for i in 0..<n { dot += u[i] * v[i] }
                    for i in 0..<n { v[i] -= dot * u[i] }
                }
            }
            let remaining = norm(v, n)
            guard original > 0, remaining > dependence * original else { continue }
            var z = 0.0
            for i in 0..<n { v[i] /= remaining; z += v[i] * target[i] }
            for i in 0..<n { target[i] -= z * v[i] }
            total += z * z
            kept += 1
        }
        return total
    }

    private static func norm(_ v: UnsafePointer<Double>, _ n: Int) -> Double {
        var scale = 0.0
        for i in 0..<n { scale = max(scale, abs(v[i])) }
        guard scale > 0 else { return 0 }
        var s = 0.0
        for i in 0..<n { let r = v[i] / scale; s += r * r }
        return scale * s.squareRoot()
    }
}
