// Householder QR with column pivoting of a tall Jacobian, with the workspace allocated once
// and reused over the iterations of a fit and over the fits of a batch. Few columns (the usual
// fit of a handful of parameters) are factored by the loops below, Businger and Golub's
// algorithm with LAPACK's conventions (reflectors below the diagonal, H = I − τ v vᵀ, v₀ = 1):
// for n ≤ 32 columns LAPACK's dgeqp3 spends most of its time in its overflow-safe dnrm2 and in
// call overhead (measured: 11% of a 1000-point fit). Wider matrices, and columns whose squared
// norms leave the safe range of double, go to dgeqp3.
import CLapack

/// A reusable QR factorisation A P = Q R of column-major m × n matrices (m ≥ n).
final class JacobianQR {
    let rows: Int
    let cols: Int
    /// The factored matrix (R on and above the diagonal, reflectors below), m × n.
    let a: UnsafeMutablePointer<Double>
    let tau: UnsafeMutablePointer<Double>
    /// 0-based pivots: column j of A P is column `pivots[j]` of A.
    let pivots: UnsafeMutablePointer<Int>
    private let jpvt: UnsafeMutablePointer<Int32>
    /// Squared norms of the trailing parts of the columns, and their values at the start.
    private let norms: UnsafeMutablePointer<Double>
    private let initialNorms: UnsafeMutablePointer<Double>
    /// Widest matrix factored by the loops here.
    static let directLimit = 32
    /// LAPACK's workspace, sized by a workspace query the first time LAPACK is needed.
    private var lapackWork: (pointer: UnsafeMutablePointer<Double>, count: Int)? = nil

    /// Workspace for m × n factorisations (n ≥ 1).
    init(rows m: Int, cols n: Int) {
        rows = m
        cols = n
        a = .allocate(capacity: Swift.max(m * n, 1))
        tau = .allocate(capacity: Swift.max(n, 1))
        pivots = .allocate(capacity: Swift.max(n, 1))
        jpvt = .allocate(capacity: Swift.max(n, 1))
        norms = .allocate(capacity: Swift.max(n, 1))
        initialNorms = .allocate(capacity: Swift.max(n, 1))
    }

    /// LAPACK's optimal workspace for dgeqp3 and dormqr on this size.
    private func workspace() -> (pointer: UnsafeMutablePointer<Double>, count: Int) {
        if let lapackWork { return lapackWork }
        let m = rows, n = cols
        var query = 0.0, query2 = 0.0
        _ = LAPACKE_dgeqp3_work(LAPACK_COL_MAJOR, Int32(m), Int32(n), a, Int32(Swift.max(m, 1)), jpvt, tau, &query, -1)
        _ = LAPACKE_dormqr_work(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "L")), CChar(UInt8(ascii: "T")),
                                Int32(m), 1, Int32(n), a, Int32(Swift.max(m, 1)), tau, a,
                                Int32(Swift.max(m, 1)), &query2, -1)
        let count = Swift.max(Int(query), Int(query2), 3 * n + 1, 1)
        let w = (UnsafeMutablePointer<Double>.allocate(capacity: count), count)
        lapackWork = w
        return w
    }

    deinit {
        a.deallocate(); tau.deallocate(); pivots.deallocate(); jpvt.deallocate()
        lapackWork?.pointer.deallocate()
        norms.deallocate(); initialNorms.deallocate()
    }

    /// Factors the first `n` columns (n ≤ cols) of `source` (column-major, leading dimension m):
    /// they are copied, so `source` is unchanged.
    func factor(_ source: UnsafePointer<Double>, columns n: Int) throws {
        let m = rows
        a.update(from: source, count: m * n)
        usedDirect = false
        if n <= JacobianQR.directLimit && factorDirectly(n) { return }
        a.update(from: source, count: m * n)
        for j in 0..<n { jpvt[j] = 0 }
        let work = workspace()
        try LAPACK.check(LAPACKE_dgeqp3_work(LAPACK_COL_MAJOR, Int32(m), Int32(n), a, Int32(m), jpvt, tau,
                                             work.pointer, Int32(work.count)), "dgeqp3")
        for j in 0..<n { pivots[j] = Int(jpvt[j]) - 1 }
    }

    /// Householder QR with column pivoting of the n columns in `a`; false (nothing decided)
    /// when a squared column norm is outside [1e-280, 1e280], where the plain sums below could
    /// underflow or overflow.
    private func factorDirectly(_ n: Int) -> Bool {
        let m = rows
        for j in 0..<n {
            let column = a + j * m
            let s = dot(column, column, m)
            guard s == 0 || (s >= 1e-280 && s <= 1e280) else { return false }
            norms[j] = s
            initialNorms[j] = s
            pivots[j] = j
        }
        for k in 0..<n {
            // Pivot: the column with the largest remaining norm.
            var best = k
            for j in (k + 1)..<Swift.max(k + 1, n) where norms[j] > norms[best] { best = j }
            if best != k {
                swapColumns(k, best)
                (norms[k], norms[best]) = (norms[best], norms[k])
                (initialNorms[k], initialNorms[best]) = (initialNorms[best], initialNorms[k])
                (pivots[k], pivots[best]) = (pivots[best], pivots[k])
            }
            // The reflector that maps a[k..<m, k] onto β e₁.
            let column = a + k * m
            let alpha = column[k]
            let below = m - k - 1
            let tail = dot(column + k + 1, column + k + 1, below)
            if tail == 0 {
                tau[k] = 0
            } else {
                let norm = (alpha * alpha + tail).squareRoot()
                let beta = alpha >= 0 ? -norm : norm
                tau[k] = (beta - alpha) / beta
                cblas_dscal(Int32(below), 1 / (alpha - beta), column + k + 1, 1)
                column[k] = beta
            }
            // Apply it to the remaining columns and downdate their norms.
            let t = tau[k]
            for j in (k + 1)..<Swift.max(k + 1, n) {
                let other = a + j * m
                if t != 0 {
                    let d = t * (other[k] + dot(column + k + 1, other + k + 1, below))
                    other[k] -= d
                    cblas_daxpy(Int32(below), -d, column + k + 1, 1, other + k + 1, 1)
                }
                norms[j] -= other[k] * other[k]
                // Recompute when cancellation has eaten the downdated value (LAPACK's test).
                if norms[j] <= 1e-8 * initialNorms[j] || norms[j] < 0 {
                    let s = dot(other + k + 1, other + k + 1, below)
                    norms[j] = s
                    initialNorms[j] = s
                }
            }
        }
        usedDirect = true
        return true
    }

    private func swapColumns(_ i: Int, _ j: Int) {
        let m = rows
        let ci = a + i * m, cj = a + j * m
        for r in 0..<m { (ci[r], cj[r]) = (cj[r], ci[r]) }
    }

    /// True when the last factorisation was made by `factorDirectly`.
    private var usedDirect = false

    /// v := Qᵀ v for an m-vector, Q from the last `factor` of n columns.
    func applyQTranspose(_ v: UnsafeMutablePointer<Double>, columns n: Int) throws {
        if n <= JacobianQR.directLimit && usedDirect {
            let m = rows
            for k in 0..<n where tau[k] != 0 {
                let column = a + k * m
                let below = m - k - 1
                let d = tau[k] * (v[k] + dot(column + k + 1, v + k + 1, below))
                v[k] -= d
                cblas_daxpy(Int32(below), -d, column + k + 1, 1, v + k + 1, 1)
            }
            return
        }
        let work = workspace()
        try LAPACK.check(LAPACKE_dormqr_work(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "L")), CChar(UInt8(ascii: "T")),
                                             Int32(rows), 1, Int32(n), a, Int32(rows), tau, v, Int32(rows),
                                             work.pointer, Int32(work.count)), "dormqr")
    }

    /// R(i, j) of the last factorisation (i ≤ j).
    @inline(__always)
    func r(_ i: Int, _ j: Int) -> Double { a[i + j * rows] }
}

/// Σ a_i b_i over n values (BLAS ddot; 0 for n = 0).
@inline(__always)
func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ n: Int) -> Double {
    n > 0 ? cblas_ddot(Int32(n), a, 1, b, 1) : 0
}
