import CLapack

/// Thin SVD K = U diag(s) V^T of the small core matrix (the triangular factor of the design,
/// or the whole design when it has fewer rows than columns).
struct SingularValueDecomposition {
    let rows: Int
    let cols: Int
    /// Singular values, descending.
    let values: [Double]
    /// U, rows x min(rows, cols), column-major.
    let u: [Double]
    /// V^T, min(rows, cols) x cols, column-major.
    let vt: [Double]

    init(_ k: [Double], rows m: Int, cols p: Int) throws {
        rows = m; cols = p
        let mn = min(m, p)
        var a = k
        var s = [Double](repeating: 0, count: mn)
        var u = [Double](repeating: 0, count: m * mn)
        var vt = [Double](repeating: 0, count: mn * p)
        try a.withUnsafeMutableBufferPointer { ap in
            try s.withUnsafeMutableBufferPointer { sp in
                try u.withUnsafeMutableBufferPointer { up in
                    try vt.withUnsafeMutableBufferPointer { vp in
                        try LAPACK.gesdd(m, p, ap.baseAddress!, m, sp.baseAddress!, up.baseAddress!,
                                         m, vp.baseAddress!, mn)
                    }
                }
            }
        }
        values = s; self.u = u; self.vt = vt
    }

    /// The minimum-norm solution keeping the `rank` largest singular values,
    /// z = V_r S_r^-1 U_r^T c for each of the k columns of c (rows x k), and the
    /// pseudo-inverse covariance V_r S_r^-2 V_r^T.
    func truncatedSolve(_ c: [Double], rhs k: Int, rank: Int) -> ([Double], DenseMatrix) {
        let m = rows, p = cols, mn = min(m, p)
        var z = [Double](repeating: 0, count: p * k)
        for col in 0..<k {
            for l in 0..<rank {
                var proj = 0.0
                for i in 0..<m { proj += u[i + l * m] * c[i + col * m] }
                proj /= values[l]
                for j in 0..<p { z[j + col * p] += vt[l + j * mn] * proj }
            }
        }
        var cov = DenseMatrix(rows: p, cols: p)
        for l in 0..<rank {
            let w = 1 / (values[l] * values[l])
            for j in 0..<p {
                let vj = vt[l + j * mn] * w
                for i in 0..<p { cov[i, j] += vt[l + i * mn] * vj }
            }
        }
        return (z, cov)
    }
}

/// QR with column pivoting K P = Q R of a small square factor (LAPACK dgeqp3).
struct PivotedQR {
    let n: Int
    var factors: [Double]
    var tau: [Double]
    /// 0-based: column i of K P is column pivots[i] of K.
    let pivots: [Int]

    init(_ k: [Double], _ n: Int) throws {
        self.n = n
        var factors = k
        var tau = [Double](repeating: 0, count: n)
        var jpvt = [Int32](repeating: 0, count: n)
        try factors.withUnsafeMutableBufferPointer { f in
            try jpvt.withUnsafeMutableBufferPointer { jp in
                try tau.withUnsafeMutableBufferPointer { t in
                    try LAPACK.geqp3(n, n, f.baseAddress!, n, jp.baseAddress!, t.baseAddress!)
                }
            }
        }
        self.factors = factors
        self.tau = tau
        pivots = jpvt.map { Int($0) - 1 }
    }

    /// Numerical rank: the leading diagonal entries with |R_ii| > rcond |R_00|.
    func rank(rcond: Double) -> Int {
        let first = abs(factors[0])
        if first == 0 { return 0 }
        var r = 0
        while r < n && abs(factors[r + r * n]) > rcond * first { r += 1 }
        return r
    }

    /// Full-rank solution z of K z = c (c is n x k) and (K^T K)^-1.
    func solve(_ c: [Double], rhs k: Int) throws -> ([Double], DenseMatrix) {
        var b = c
        try factors.withUnsafeBufferPointer { f in
            try tau.withUnsafeBufferPointer { t in
                try b.withUnsafeMutableBufferPointer { bp in
                    try LAPACK.ormqr(transpose: true, n, k, n, f.baseAddress!, n, t.baseAddress!,
                                     bp.baseAddress!, n)
                    LAPACK.trsm(transpose: false, n, k, f.baseAddress!, n, bp.baseAddress!, n)
                }
            }
        }
        var z = [Double](repeating: 0, count: n * k)
        for col in 0..<k { for i in 0..<n { z[pivots[i] + col * n] = b[i + col * n] } }
        let gram = factors.withUnsafeBufferPointer { inverseGram(upper: $0.baseAddress!, ld: n, n) }
        var cov = DenseMatrix(rows: n, cols: n)
        for j in 0..<n { for i in 0..<n { cov[pivots[i], pivots[j]] = gram[i, j] } }
        return (z, cov)
    }
}

/// (R^T R)^-1 = R^-1 R^-T for the n x n upper-triangular R stored at `upper` with leading
/// dimension `ld`: the covariance factor of a least-squares problem whose QR factor is R.
func inverseGram(upper r: UnsafePointer<Double>, ld: Int, _ n: Int) -> DenseMatrix {
    var rinv = [Double](repeating: 0, count: n * n)
    for i in 0..<n { rinv[i + i * n] = 1 }
    rinv.withUnsafeMutableBufferPointer { b in
        LAPACK.trsm(transpose: false, n, n, r, ld, b.baseAddress!, n)
    }
    var gram = DenseMatrix(rows: n, cols: n)
    for j in 0..<n {
        for i in 0...j {
            var s = 0.0
            for l in j..<n { s += rinv[i + l * n] * rinv[j + l * n] }
            gram[i, j] = s
            gram[j, i] = s
        }
    }
    return gram
}
