import CLapack

/// Thin, throwing wrappers over the LAPACKE/CBLAS routines the core uses. All matrices are
/// column-major with an explicit leading dimension. A negative `info` is a bug in the caller
/// (this file's users), reported as `InferKitError.internal`.
enum LAPACK {
    static func check(_ info: Int32, _ routine: String) throws {
        if info < 0 { throw InferKitError.internal("LAPACK \(routine) rejected argument \(-info)") }
        if info > 0 { throw InferKitError.notConverged("LAPACK \(routine) did not converge (info \(info))") }
    }

    /// Householder QR in place: A = Q R (dgeqrf).
    static func geqrf(_ m: Int, _ n: Int, _ a: UnsafeMutablePointer<Double>, _ lda: Int,
                      _ tau: UnsafeMutablePointer<Double>) throws {
        try check(LAPACKE_dgeqrf(LAPACK_COL_MAJOR, Int32(m), Int32(n), a,
                                 Int32(lda), tau), "dgeqrf")
    }

    /// Workspace (doubles) that `geqrf(..., work:)` and `ormqr(..., work:)` need for a
    /// rows x cols factorisation applied to rhs columns: the optimal size LAPACK reports.
    static func qrWorkspace(rows: Int, cols: Int, rhs: Int) -> Int {
        var q1 = 0.0, q2 = 0.0
        let d = UnsafeMutablePointer<Double>.allocate(capacity: 4)
        defer { d.deallocate() }
        _ = LAPACKE_dgeqrf_work(LAPACK_COL_MAJOR, Int32(rows), Int32(cols), d, Int32(rows),
                                d + 1, &q1, -1)
        _ = LAPACKE_dormqr_work(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "L")), CChar(UInt8(ascii: "T")),
                                Int32(rows), Int32(rhs), Int32(cols), d, Int32(rows), d + 1,
                                d + 2, Int32(rows), &q2, -1)
        return max(1, Int(q1), Int(q2), cols, rhs)
    }

    /// dgeqrf with a caller's workspace (no allocation, no NaN scan: inputs are checked).
    static func geqrf(_ m: Int, _ n: Int, _ a: UnsafeMutablePointer<Double>, _ lda: Int,
                      _ tau: UnsafeMutablePointer<Double>, work: UnsafeMutablePointer<Double>,
                      _ lwork: Int) throws {
        try check(LAPACKE_dgeqrf_work(LAPACK_COL_MAJOR, Int32(m), Int32(n), a, Int32(lda), tau,
                                      work, Int32(lwork)), "dgeqrf")
    }

    /// dormqr with a caller's workspace.
    static func ormqr(transpose: Bool, _ m: Int, _ n: Int, _ k: Int,
                      _ a: UnsafePointer<Double>, _ lda: Int, _ tau: UnsafePointer<Double>,
                      _ c: UnsafeMutablePointer<Double>, _ ldc: Int,
                      work: UnsafeMutablePointer<Double>, _ lwork: Int) throws {
        try check(LAPACKE_dormqr_work(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "L")),
                                      CChar(UInt8(ascii: transpose ? "T" : "N")),
                                      Int32(m), Int32(n), Int32(k), a, Int32(lda), tau, c,
                                      Int32(ldc), work, Int32(lwork)), "dormqr")
    }

    /// C := Q^T C (transpose) or Q C, with Q from geqrf of an m x k reflector block (dormqr).
    static func ormqr(transpose: Bool, _ m: Int, _ n: Int, _ k: Int,
                      _ a: UnsafePointer<Double>, _ lda: Int, _ tau: UnsafePointer<Double>,
                      _ c: UnsafeMutablePointer<Double>, _ ldc: Int) throws {
        try check(LAPACKE_dormqr(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "L")),
                                 CChar(UInt8(ascii: transpose ? "T" : "N")),
                                 Int32(m), Int32(n), Int32(k),
                                 a, Int32(lda), tau, c, Int32(ldc)), "dormqr")
    }

    /// QR with column pivoting in place: A P = Q R (dgeqp3). `jpvt` receives 1-based columns.
    static func geqp3(_ m: Int, _ n: Int, _ a: UnsafeMutablePointer<Double>, _ lda: Int,
                      _ jpvt: UnsafeMutablePointer<Int32>,
                      _ tau: UnsafeMutablePointer<Double>) throws {
        try check(LAPACKE_dgeqp3(LAPACK_COL_MAJOR, Int32(m), Int32(n), a,
                                 Int32(lda), jpvt, tau), "dgeqp3")
    }

    /// Thin SVD A = U diag(s) V^T (dgesdd, jobz "S"); A is destroyed. u is m x min(m,n),
    /// vt is min(m,n) x n.
    static func gesdd(_ m: Int, _ n: Int, _ a: UnsafeMutablePointer<Double>, _ lda: Int,
                      _ s: UnsafeMutablePointer<Double>, _ u: UnsafeMutablePointer<Double>,
                      _ ldu: Int, _ vt: UnsafeMutablePointer<Double>, _ ldvt: Int) throws {
        try check(LAPACKE_dgesdd(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "S")), Int32(m),
                                 Int32(n), a, Int32(lda), s, u, Int32(ldu),
                                 vt, Int32(ldvt)), "dgesdd")
    }

    /// Cholesky factorisation A = Uᵀ U in place of the upper triangle of a symmetric n x n
    /// matrix (dpotrf). Returns false when A is not positive definite (LAPACK info > 0).
    static func potrf(_ n: Int, _ a: inout [Double]) throws -> Bool {
        let info = LAPACKE_dpotrf(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "U")), Int32(n), &a, Int32(max(1, n)))
        if info > 0 { return false }
        try check(info, "dpotrf")
        return true
    }

    /// Solves A X = B in place of the n x nrhs B with the factor from `potrf` (dpotrs).
    static func potrs(_ n: Int, _ nrhs: Int, _ factor: [Double], _ b: inout [Double]) throws {
        try check(LAPACKE_dpotrs(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "U")), Int32(n), Int32(nrhs),
                                 factor, Int32(max(1, n)), &b, Int32(max(1, n))), "dpotrs")
    }

    /// The inverse of A from its `potrf` factor, in place; both triangles are filled (dpotri).
    static func potri(_ n: Int, _ a: inout [Double]) throws {
        try check(LAPACKE_dpotri(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "U")), Int32(n), &a, Int32(max(1, n))), "dpotri")
        for j in 0..<n {
            for i in (j + 1)..<max(j + 1, n) { a[i + j * n] = a[j + i * n] }
        }
    }

    /// LU factorisation with partial pivoting P A = L U of an n x n matrix in place (dgetrf).
    /// Returns false when U has an exact zero pivot (LAPACK info > 0).
    static func getrf(_ n: Int, _ a: inout [Double], _ pivots: inout [Int32]) throws -> Bool {
        let info = LAPACKE_dgetrf(LAPACK_COL_MAJOR, Int32(n), Int32(n), &a, Int32(max(1, n)), &pivots)
        if info > 0 { return false }
        try check(info, "dgetrf")
        return true
    }

    /// Solves A X = B in place of the n x nrhs B with the factors from `getrf` (dgetrs).
    static func getrs(_ n: Int, _ nrhs: Int, _ lu: [Double], _ pivots: [Int32], _ b: inout [Double]) throws {
        try check(LAPACKE_dgetrs(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "N")), Int32(n), Int32(nrhs), lu,
                                 Int32(max(1, n)), pivots, &b, Int32(max(1, n))), "dgetrs")
    }

    /// The 1-norm of an n x n matrix (dlange "1").
    static func oneNorm(_ n: Int, _ a: [Double]) -> Double {
        LAPACKE_dlange(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "1")), Int32(n), Int32(n), a, Int32(max(1, n)))
    }

    /// Estimate of the reciprocal 1-norm condition number from `getrf` factors and the 1-norm
    /// of the original matrix (dgecon).
    static func gecon(_ n: Int, _ lu: [Double], oneNorm: Double) throws -> Double {
        var rcond = 0.0
        try check(LAPACKE_dgecon(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "1")), Int32(n), lu, Int32(max(1, n)),
                                 oneNorm, &rcond), "dgecon")
        return rcond
    }

    /// Eigenvalues (ascending, into `values`) and orthonormal eigenvectors (the columns of `a`,
    /// in place) of a symmetric n x n matrix (dsyevd).
    static func syevd(_ n: Int, _ a: inout [Double], _ values: inout [Double]) throws {
        try check(LAPACKE_dsyevd(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "V")), CChar(UInt8(ascii: "U")),
                                 Int32(n), &a, Int32(max(1, n)), &values), "dsyevd")
    }

    /// Least squares min ||A x - b|| for a full-rank m x n A (m >= n) by QR, in place: `b`
    /// (m values) holds x in its first n entries on return (dgels). Returns false when A is
    /// rank-deficient (LAPACK info > 0).
    static func gels(_ m: Int, _ n: Int, _ a: inout [Double], _ b: inout [Double]) throws -> Bool {
        let info = LAPACKE_dgels(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "N")), Int32(m), Int32(n), 1, &a,
                                 Int32(max(1, m)), &b, Int32(max(1, m, n)))
        if info > 0 { return false }
        try check(info, "dgels")
        return true
    }

    /// Solves R X = B (or R^T X = B) in place for upper-triangular n x n R and n x nrhs B.
    static func trsm(transpose: Bool, _ n: Int, _ nrhs: Int, _ r: UnsafePointer<Double>,
                     _ ldr: Int, _ b: UnsafeMutablePointer<Double>, _ ldb: Int) {
        cblas_dtrsm(CblasColMajor, CblasLeft, CblasUpper, transpose ? CblasTrans : CblasNoTrans,
                    CblasNonUnit, Int32(n), Int32(nrhs), 1.0, r, Int32(ldr), b, Int32(ldb))
    }
}

/// A small dense column-major matrix owned by the core (factors, covariances).
public struct DenseMatrix: Sendable, Equatable {
    /// Number of rows.
    public let rows: Int
    /// Number of columns.
    public let cols: Int
    /// Column-major elements: (i, j) at `i + j * rows`.
    public var elements: [Double]

    /// A zero matrix.
    public init(rows: Int, cols: Int) {
        self.rows = rows
        self.cols = cols
        elements = [Double](repeating: 0, count: rows * cols)
    }

    /// Element (i, j).
    public subscript(i: Int, j: Int) -> Double {
        get { elements[i + j * rows] }
        set { elements[i + j * rows] = newValue }
    }
}
