/// The Cholesky factorisation of H + τI for the smallest τ of the sequence 0, τ₀, 2τ₀, 4τ₀, ...
/// that makes it succeed (Nocedal & Wright, Numerical Optimization, Algorithm 3.3): H + τI is
/// positive definite, so -(H + τI)⁻¹ g is a descent direction. τ₀ = β - min H_ii when some
/// diagonal element is not positive, else β, with β = 1e-3 · max |H_ii|.
struct ModifiedCholesky {
    let dimension: Int
    /// The upper-triangular factor U (column-major) with UᵀU = H + τI.
    let factor: [Double]
    /// The τ added to the diagonal (0 when H itself is positive definite).
    let shift: Double

    /// Factors the symmetric part of the row-major n x n `hessian`, which must be finite; nil
    /// when no shift below the overflow threshold makes the factorisation succeed.
    init?(_ hessian: [Double], dimension n: Int) throws {
        var a = [Double](repeating: 0, count: n * n)
        var minDiagonal = Double.infinity, maxDiagonal = 0.0
        for j in 0..<n {
            for i in 0..<n { a[i + j * n] = 0.5 * (hessian[i * n + j] + hessian[j * n + i]) }
            minDiagonal = Swift.min(minDiagonal, a[j + j * n])
            maxDiagonal = Swift.max(maxDiagonal, Swift.abs(a[j + j * n]))
        }
        let beta = 1e-3 * (maxDiagonal > 0 ? maxDiagonal : 1)
        var shift = minDiagonal > 0 ? 0 : beta - minDiagonal
        var trial = a
        var factored = false
        while shift.isFinite && !factored {
            trial = a
            for j in 0..<n { trial[j + j * n] += shift }
            factored = try LAPACK.potrf(n, &trial)
            if !factored { shift = Swift.max(2 * shift, beta) }
        }
        guard factored else { return nil }
        dimension = n
        factor = trial
        self.shift = shift
    }

    /// (H + τI)⁻¹ b.
    func solve(_ b: [Double]) throws -> [Double] {
        var x = b
        try LAPACK.potrs(dimension, 1, factor, &x)
        return x
    }

    /// (H + τI)⁻¹ as a dense matrix.
    func inverse() throws -> DenseMatrix {
        var a = factor
        try LAPACK.potri(dimension, &a)
        var m = DenseMatrix(rows: dimension, cols: dimension)
        m.elements = a
        return m
    }
}

/// H⁻¹ for a finite, positive definite row-major Hessian; nil otherwise.
func exactInverseHessian(_ h: [Double], dimension n: Int) throws -> DenseMatrix? {
    guard Vector.isFinite(h), let cholesky = try ModifiedCholesky(h, dimension: n), cholesky.shift == 0 else {
        return nil
    }
    return try cholesky.inverse()
}
