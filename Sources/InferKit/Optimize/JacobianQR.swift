// Householder QR with column pivoting of a tall Jacobian (LAPACK dgeqp3), with the
// workspace allocated once and reused over the iterations of a fit and over the fits of a
// batch.
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
    private let work: UnsafeMutablePointer<Double>
    private let lwork: Int

    /// Workspace for m × n factorisations (n ≥ 1).
    init(rows m: Int, cols n: Int) {
        rows = m
        cols = n
        a = .allocate(capacity: Swift.max(m * n, 1))
        tau = .allocate(capacity: Swift.max(n, 1))
        pivots = .allocate(capacity: Swift.max(n, 1))
        jpvt = .allocate(capacity: Swift.max(n, 1))
        var query = 0.0
        _ = LAPACKE_dgeqp3_work(LAPACK_COL_MAJOR, Int32(m), Int32(n), a, Int32(Swift.max(m, 1)), jpvt, tau, &query, -1)
        var query2 = 0.0
        _ = LAPACKE_dormqr_work(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "L")), CChar(UInt8(ascii: "T")),
                                Int32(m), 1, Int32(n), a, Int32(Swift.max(m, 1)), tau, a,
                                Int32(Swift.max(m, 1)), &query2, -1)
        lwork = Swift.max(Int(query), Int(query2), 3 * n + 1, 1)
        work = .allocate(capacity: lwork)
    }

    deinit {
        a.deallocate(); tau.deallocate(); pivots.deallocate(); jpvt.deallocate(); work.deallocate()
    }

    /// Factors the first `n` columns (n ≤ cols) of `source` (column-major, leading dimension m):
    /// they are copied, so `source` is unchanged.
    func factor(_ source: UnsafePointer<Double>, columns n: Int) throws {
        let m = rows
        a.update(from: source, count: m * n)
        for j in 0..<n { jpvt[j] = 0 }
        try LAPACK.check(LAPACKE_dgeqp3_work(LAPACK_COL_MAJOR, Int32(m), Int32(n), a, Int32(m), jpvt, tau,
                                             work, Int32(lwork)), "dgeqp3")
        for j in 0..<n { pivots[j] = Int(jpvt[j]) - 1 }
    }

    /// v := Qᵀ v for an m-vector, Q from the last `factor` of n columns.
    func applyQTranspose(_ v: UnsafeMutablePointer<Double>, columns n: Int) throws {
        try LAPACK.check(LAPACKE_dormqr_work(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "L")), CChar(UInt8(ascii: "T")),
                                             Int32(rows), 1, Int32(n), a, Int32(rows), tau, v, Int32(rows),
                                             work, Int32(lwork)), "dormqr")
    }

    /// R(i, j) of the last factorisation (i ≤ j).
    @inline(__always)
    func r(_ i: Int, _ j: Int) -> Double { a[i + j * rows] }
}
