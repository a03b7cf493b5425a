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
