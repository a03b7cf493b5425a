import CLapack

// The BLAS/LAPACK calls of the regularisation family beyond those in Core/LAPACK.swift, a
// matrix product split into a fixed number of slabs across threads. Everything is column-major.

extension LAPACK {
    /// C := alpha op(A) op(B) + beta C (cblas_dgemm). op(A) is m x k, op(B) is k x n.
    static func gemm(transposeA: Bool, transposeB: Bool, _ m: Int, _ n: Int, _ k: Int,
                     _ alpha: Double, _ a: UnsafePointer<Double>, _ lda: Int,
                     _ b: UnsafePointer<Double>, _ ldb: Int, _ beta: Double,
                     _ c: UnsafeMutablePointer<Double>, _ ldc: Int) {
        guard m > 0, n > 0 else { return }
        cblas_dgemm(CblasColMajor, transposeA ? CblasTrans : CblasNoTrans,
                    transposeB ? CblasTrans : CblasNoTrans, Int32(m), Int32(n), Int32(k), alpha,
                    a, Int32(max(1, lda)), b, Int32(max(1, ldb)), beta, c, Int32(max(1, ldc)))
    }

    /// y := alpha op(A) x + beta y (cblas_dgemv) for the m x n matrix A.
    static func gemv(transpose: Bool, _ m: Int, _ n: Int, _ alpha: Double,
                     _ a: UnsafePointer<Double>, _ lda: Int, _ x: UnsafePointer<Double>, _ incx: Int,
                     _ beta: Double, _ y: UnsafeMutablePointer<Double>, _ incy: Int) {
        guard m > 0, n > 0 else { return }
        cblas_dgemv(CblasColMajor, transpose ? CblasTrans : CblasNoTrans, Int32(m), Int32(n),
                    alpha, a, Int32(max(1, lda)), x, Int32(incx), beta, y, Int32(incy))
    }

    /// A := A + alpha x y^T (cblas_dger) for the m x n matrix A.
    static func ger(_ m: Int, _ n: Int, _ alpha: Double, _ x: UnsafePointer<Double>, _ incx: Int,
                    _ y: UnsafePointer<Double>, _ incy: Int, _ a: UnsafeMutablePointer<Double>, _ lda: Int) {
        guard m > 0, n > 0 else { return }
        cblas_dger(CblasColMajor, Int32(m), Int32(n), alpha, x, Int32(incx), y, Int32(incy), a,
                   Int32(max(1, lda)))
    }

    /// The first n columns of Q from geqrf's m x k reflectors, in place (dorgqr).
    static func orgqr(_ m: Int, _ n: Int, _ k: Int, _ a: UnsafeMutablePointer<Double>, _ lda: Int,
                      _ tau: UnsafePointer<Double>) throws {
        try check(LAPACKE_dorgqr(LAPACK_COL_MAJOR, Int32(m), Int32(n), Int32(k), a, Int32(lda), tau),
                  "dorgqr")
    }

    /// (R^T R)^-1 in the upper triangle, in place, from the n x n upper-triangular R (dpotri).
    /// Returns false when R has a zero on its diagonal.
    static func potri(_ n: Int, _ r: UnsafeMutablePointer<Double>, _ ld: Int) throws -> Bool {
        let info = LAPACKE_dpotri(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "U")), Int32(n), r, Int32(ld))
        if info < 0 { throw InferKitError.internal("LAPACK dpotri rejected argument \(-info)") }
        return info == 0
    }

    /// Generates the Householder reflector H = I - tau v v^T with H (alpha; x) = (beta; 0),
    /// v = (1; x') (dlarfg). alpha receives beta and x receives x'; returns tau.
    static func householder(_ n: Int, _ alpha: UnsafeMutablePointer<Double>,
                            _ x: UnsafeMutablePointer<Double>, _ incx: Int) -> Double {
        var tau = 0.0
        _ = LAPACKE_dlarfg(Int32(n), alpha, x, Int32(incx), &tau)
        return tau
    }
}

/// Matrix products on several threads with a split that depends only on the shapes: each
/// slab of the result is one single-threaded dgemm, so the result is bit-identical for every
/// thread count.
enum ParallelProduct {
    /// Number of slabs for `extent` rows or columns of a product with `work` flops per slab
    /// row or column: slabs of at least 64 rows/columns and 2 Mflop, at most 32.
    static func slabs(extent: Int, work: Int) -> Int {
        let byWork = max(1, (extent * max(work, 1)) / 2_000_000)
        return max(1, min(32, extent / 64, byWork))
    }

    /// C := alpha op(A) op(B) + beta C, with C (m x n) cut into slabs of columns.
    static func gemmColumns(transposeA: Bool, transposeB: Bool, _ m: Int, _ n: Int, _ k: Int,
                            _ alpha: Double, _ a: UnsafePointer<Double>, _ lda: Int,
                            _ b: UnsafePointer<Double>, _ ldb: Int, _ beta: Double,
                            _ c: UnsafeMutablePointer<Double>, _ ldc: Int, threads: Int) {
        let chunks = slabs(extent: n, work: 2 * m * k)
        let base = n / chunks, extra = n % chunks
        Parallel.forEach(chunks: chunks, threads: threads) { s, _ in
            let c0 = s * base + min(s, extra), width = base + (s < extra ? 1 : 0)
            // Column c0 of op(B) is column c0 of B, or row c0 of B when transposed.
            let bs = transposeB ? b + c0 : b + c0 * ldb
            LAPACK.gemm(transposeA: transposeA, transposeB: transposeB, m, width, k, alpha, a, lda,
                        bs, ldb, beta, c + c0 * ldc, ldc)
        }
    }

    /// C := alpha op(A) op(B) + beta C, with C (m x n) cut into slabs of rows.
    static func gemmRows(transposeA: Bool, transposeB: Bool, _ m: Int, _ n: Int, _ k: Int,
                         _ alpha: Double, _ a: UnsafePointer<Double>, _ lda: Int,
                         _ b: UnsafePointer<Double>, _ ldb: Int, _ beta: Double,
                         _ c: UnsafeMutablePointer<Double>, _ ldc: Int, threads: Int) {
        let chunks = slabs(extent: m, work: 2 * n * k)
        let base = m / chunks, extra = m % chunks
        Parallel.forEach(chunks: chunks, threads: threads) { s, _ in
            let r0 = s * base + min(s, extra), height = base + (s < extra ? 1 : 0)
            // Row r0 of op(A) is row r0 of A, or column r0 of A when transposed.
            let as_ = transposeA ? a + r0 * lda : a + r0
            LAPACK.gemm(transposeA: transposeA, transposeB: transposeB, height, n, k, alpha, as_, lda,
                        b, ldb, beta, c + r0, ldc)
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// The shape checks shared by the regularised and constrained solvers: A has rows and
/// columns, y one value per row, and the sizes fit LAPACK's 32-bit indices.
func requireShapes(_ design: MatrixView, data: UnsafeBufferPointer<Double>) throws {
    let m = design.rows, n = design.cols
    guard m > 0 else { throw InferKitError.dimensionMismatch("rows is 0: A needs at least one row") }
    guard n > 0 else { throw InferKitError.dimensionMismatch("cols is 0: A needs at least one column") }
    guard data.count == m else {
        throw InferKitError.dimensionMismatch("A has \(m) rows but y has \(data.count) elements")
    }
    let limit = Int(Int32.max)
    guard m <= limit, n <= limit else {
        throw InferKitError.dimensionMismatch("A is \(m) x \(n): LAPACK's 32-bit indices allow at most \(limit) rows and columns")
    }
    _ = try checkedProduct(m, n, "A")
}
