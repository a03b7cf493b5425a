/// Elden's transformation of general-form Tikhonov regularisation
///     min ||A f - b||^2 + lam ||L f||^2        (A = W^1/2 A_caller, b = W^1/2 y: m x n, m)
/// to standard form
///     min ||Abar xbar - bbar||^2 + lam ||xbar||^2,   xbar = L f,
/// with the same residual norm and ||xbar|| = ||L f|| for every lam (Elden 1982; Hansen,
/// "Rank-Deficient and Discrete Ill-Posed Problems", 1998, section 2.3.1).
///
/// Every f is f = L^+ xbar + N z with N (n x q) an orthonormal basis of the null space of L.
/// For fixed xbar the best z solves min ||A N z - (b - A L^+ xbar)||, so with the QR
/// factorisation A N = [H_o H_q] [T_o; 0]:
///     Abar = H_q^T A L^+,  bbar = H_q^T b,
///     f = L^+ xbar + N T_o^-1 H_o^T (b - A L^+ xbar).
/// L^+ is applied without forming it: for the difference operators as a cumulative sum (a
/// right inverse) projected off the null space (O(m n)); for a caller's L through its SVD
/// L = U S V^T (L^+ = V_r S_r^-1, N = the remaining columns of V); for L = I it is I.
struct StandardForm {
    /// Observations m and unknowns n.
    let m: Int, n: Int
    /// Columns of the standard form (rank of L) and null-space dimension q = n - p.
    let p: Int, q: Int
    /// A L^+ rotated by Q^T of A N (m x p, column-major): Abar is its rows q ..< m, so Abar's
    /// element (i, j) is at abarStorage[q + i + j * m].
    let abarStorage: [Double]
    /// bbar, m - q values.
    let bbar: [Double]
    /// How L^+ is applied.
    private let inverse: PseudoInverse
    /// N, n x q column-major (orthonormal).
    private let nullBasis: [Double]
    /// T_o, q x q upper triangular (leading dimension q).
    private let nullTriangle: [Double]
    /// H_o^T b (q values) and H_o^T A L^+ (q x p).
    private let nullData: [Double], nullCoupling: [Double]

    private enum PseudoInverse {
        case identity
        case difference(Int)
        /// L^+ = this n x p matrix.
        case dense([Double])
    }

    /// Transforms the weighted problem `a` (m x n column-major), `b` (m values).
    /// `rcond` decides the rank of a caller's L and whether A N has full column rank.
    init(a: [Double], m: Int, n: Int, b: [Double], penalty: PenaltyOperator, rcond: Double,
         threads: Int) throws {
        self.m = m
        self.n = n
        var aLplus: [Double]          // A L^+, m x p
        var basis: [Double] = []      // N, n x q
        var aN: [Double] = []         // A N, m x q
        var p = n, q = 0
        var inverse = PseudoInverse.identity
        switch penalty.kind {
        case .identity:
            aLplus = a
        case .difference(let order):
            q = order
            p = n - order
            inverse = .difference(order)
            basis = StandardForm.polynomialBasis(n: n, count: order)
            // A L^- by reverse cumulative sums of the columns, then minus (A N)(N^T L^-).
            aLplus = StandardForm.rightInverseColumns(a, rows: m, n: n, order: order)
            var nT = [Double](repeating: 0, count: q * n)  // N^T, q x n
            for j in 0..<n { for c in 0..<q { nT[c + j * q] = basis[j + c * n] } }
            let nTLminus = StandardForm.rightInverseColumns(nT, rows: q, n: n, order: order)
            aN = StandardForm.product(a, m, n, basis, q, threads: threads)
            aN.withUnsafeBufferPointer { g in
                nTLminus.withUnsafeBufferPointer { c in
                    aLplus.withUnsafeMutableBufferPointer { out in
                        LAPACK.gemm(transposeA: false, transposeB: false, m, p, q, -1, g.baseAddress!, m,
                                    c.baseAddress!, q, 1, out.baseAddress!, m)
                    }
                }
            }
        case .matrix(let l):
            // SVD of L (padded with zero rows to at least n rows, so that V is n x n).
            let rows = max(l.rows, n)
            var padded = [Double](repeating: 0, count: rows * n)
            for j in 0..<n { for i in 0..<l.rows { padded[i + j * rows] = l[i, j] } }
            let svd = try SingularValueDecomposition(padded, rows: rows, cols: n)
            let s = svd.values
            guard let first = s.first, first > 0 else {
                throw InferKitError.invalidArgument("L is zero: there is nothing to regularise (use L = identity for ridge regression)")
            }
            let cut = rcond * first
            var r = 0
            while r < s.count && s[r] > cut { r += 1 }
            p = r
            q = n - r
            // V^T is n x n (leading dimension n): column i of V is row i of V^T.
            var lPlus = [Double](repeating: 0, count: n * r)
            for i in 0..<r { for j in 0..<n { lPlus[j + i * n] = svd.vt[i + j * n] / s[i] } }
            basis = [Double](repeating: 0, count: n * q)
            for c in 0..<q { for j in 0..<n { basis[j + c * n] = svd.vt[(r + c) + j * n] } }
            inverse = .dense(lPlus)
            aLplus = StandardForm.product(a, m, n, lPlus, r, threads: threads)
            aN = StandardForm.product(a, m, n, basis, q, threads: threads)
        }
        self.p = p
        self.q = q
        self.inverse = inverse
        self.nullBasis = basis
        guard m > q else {
            throw InferKitError.dimensionMismatch(
                "A has \(m) rows but the null space of L has dimension \(q): the data cannot fix the unpenalised part of f")
        }
        guard q > 0 else {
            abarStorage = aLplus
            bbar = b
            nullTriangle = []
            nullData = []
            nullCoupling = []
            return
        }
        // QR of A N; rotate A L^+ and b by its Q^T, in place.
        var g = aN
        var tau = [Double](repeating: 0, count: q)
        var rotated = b
        let scale = a.withUnsafeBufferPointer { frobeniusNorm($0.baseAddress!, m * n) }
        try g.withUnsafeMutableBufferPointer { gp in
            try tau.withUnsafeMutableBufferPointer { t in
                try LAPACK.geqrf(m, q, gp.baseAddress!, m, t.baseAddress!)
                try aLplus.withUnsafeMutableBufferPointer { r in
                    try LAPACK.ormqr(transpose: true, m, p, q, gp.baseAddress!, m, t.baseAddress!,
                                     r.baseAddress!, m)
                }
                try rotated.withUnsafeMutableBufferPointer { r in
                    try LAPACK.ormqr(transpose: true, m, 1, q, gp.baseAddress!, m, t.baseAddress!,
                                     r.baseAddress!, m)
                }
            }
        }
        for i in 0..<q where !(abs(g[i + i * m]) > rcond * scale) {
            let what: String
            switch penalty.kind {
            case .difference(1): what = "the constant vectors (the null space of the first difference)"
            case .difference(2): what = "the straight lines (the null space of the second difference)"
            default: what = "the null space of L"
            }
            throw InferKitError.singular(
                "A maps \(what) to (nearly) zero: the unpenalised part of f is not determined by the data")
        }
        var triangle = [Double](repeating: 0, count: q * q)
        for j in 0..<q { for i in 0...j { triangle[i + j * q] = g[i + j * m] } }
        nullTriangle = triangle
        var coupling = [Double](repeating: 0, count: q * p)
        for j in 0..<p { for i in 0..<q { coupling[i + j * q] = aLplus[i + j * m] } }
        abarStorage = aLplus
        bbar = Array(rotated[q...])
        nullData = Array(rotated[..<q])
        nullCoupling = coupling
    }

    /// Calls `body` with Abar's first element and leading dimension.
    func withAbar<R>(_ body: (UnsafePointer<Double>, Int) throws -> R) rethrows -> R {
        try abarStorage.withUnsafeBufferPointer { try body($0.baseAddress! + q, m) }
    }

    /// f from the standard-form solution xbar (p values).
    func solution(_ xbar: [Double]) -> [Double] {
        var f: [Double]
        switch inverse {
        case .identity:
            f = xbar
        case .difference(let order):
            f = StandardForm.rightInverse(xbar, order: order)
            // Project off the null space: L^+ = (I - N N^T) L^-.
            for c in 0..<q {
                var dot = 0.0
                for j in 0..<n { dot += nullBasis[j + c * n] * f[j] }
                for j in 0..<n { f[j] -= dot * nullBasis[j + c * n] }
            }
        case .dense(let lPlus):
            f = [Double](repeating: 0, count: n)
            lPlus.withUnsafeBufferPointer { lp in
                xbar.withUnsafeBufferPointer { x in
                    f.withUnsafeMutableBufferPointer { o in
                        LAPACK.gemv(transpose: false, n, p, 1, lp.baseAddress!, n, x.baseAddress!, 1,
                                    0, o.baseAddress!, 1)
                    }
                }
            }
        }
        guard q > 0 else { return f }
        // z = T_o^-1 (H_o^T b - H_o^T A L^+ xbar); f += N z.
        var z = nullData
        for i in 0..<q { for j in 0..<p { z[i] -= nullCoupling[i + j * q] * xbar[j] } }
        for i in stride(from: q - 1, through: 0, by: -1) {
            for j in (i + 1)..<q { z[i] -= nullTriangle[i + j * q] * z[j] }
            z[i] /= nullTriangle[i + i * q]
        }
        for c in 0..<q { for j in 0..<n { f[j] += nullBasis[j + c * n] * z[c] } }
        return f
    }

    /// An orthonormal basis (n x count, column-major) of the polynomials of degree < count on
    /// the grid 0 .. n-1 (count <= 2): the null space of the difference of order count.
    static func polynomialBasis(n: Int, count: Int) -> [Double] {
        var basis = [Double](repeating: 1 / Double(n).squareRoot(), count: n * count)
        if count > 1 {
            let centre = Double(n - 1) / 2
            var norm = 0.0
            for j in 0..<n { norm += (Double(j) - centre) * (Double(j) - centre) }
            norm = norm.squareRoot()
            for j in 0..<n { basis[j + n] = (Double(j) - centre) / norm }
        }
        return basis
    }

    /// X L^- for the rows x n column-major X and the right inverse L^- of the difference of
    /// the given order: (L^- u)_k = sum_(i<k) u_i, applied `order` times. Column j of X L^- is
    /// the sum of the columns j+1 .. of the previous stage (reverse cumulative sums).
    static func rightInverseColumns(_ x: [Double], rows: Int, n: Int, order: Int) -> [Double] {
        var current = x, width = n
        for _ in 0..<order {
            var next = [Double](repeating: 0, count: rows * (width - 1))
            current.withUnsafeBufferPointer { c in
                next.withUnsafeMutableBufferPointer { o in
                    let last = width - 2
                    for i in 0..<rows { o[i + last * rows] = c[i + (width - 1) * rows] }
                    if last > 0 {
                        for j in stride(from: last - 1, through: 0, by: -1) {
                            let dst = o.baseAddress! + j * rows, src = o.baseAddress! + (j + 1) * rows
                            let add = c.baseAddress! + (j + 1) * rows
                            for i in 0..<rows { dst[i] = src[i] + add[i] }
                        }
                    }
                }
            }
            current = next
            width -= 1
        }
        return current
    }

    /// L^- u for the difference of the given order: prefix sums, `order` times.
    static func rightInverse(_ u: [Double], order: Int) -> [Double] {
        var v = u
        for _ in 0..<order {
            var next = [Double](repeating: 0, count: v.count + 1)
            for k in 1..<next.count { next[k] = next[k - 1] + v[k - 1] }
            v = next
        }
        return v
    }

    /// The m x k product X Y of the m x n X and n x k Y (column-major).
    static func product(_ x: [Double], _ m: Int, _ n: Int, _ y: [Double], _ k: Int,
                        threads: Int) -> [Double] {
        var out = [Double](repeating: 0, count: m * k)
        guard k > 0 else { return out }
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeBufferPointer { yp in
                out.withUnsafeMutableBufferPointer { o in
                    ParallelProduct.gemmColumns(transposeA: false, transposeB: false, m, k, n, 1,
                                                xp.baseAddress!, m, yp.baseAddress!, n, 0,
                                                o.baseAddress!, m, threads: threads)
                }
            }
        }
        return out
    }
}

/// The Euclidean norm of n contiguous values: the square root of a fast sum of squares (ddot),
/// or the scaled dnrm2 when that sum overflows or falls below 1e-280.
func frobeniusNorm(_ x: UnsafePointer<Double>, _ n: Int) -> Double {
    guard n > 0 else { return 0 }
    let chunk = 1 << 30
    var s = 0.0, i = 0
    while i < n {
        let len = min(chunk, n - i)
        s += cblas_ddot(Int32(len), x + i, 1, x + i, 1)
        i += len
    }
    if s.isFinite && s > 1e-280 { return s.squareRoot() }
    return cblas_norm(x, n)
}

/// The Euclidean norm of n contiguous values (dnrm2, scaled: no overflow).
func cblas_norm(_ x: UnsafePointer<Double>, _ n: Int) -> Double {
    guard n > 0 else { return 0 }
    // dnrm2 takes a 32-bit length; sum squares of sub-norms for longer vectors.
    let chunk = Int(Int32.max)
    if n <= chunk { return cblas_dnrm2(Int32(n), x, 1) }
    var s = 0.0
    var i = 0
    while i < n {
        let len = min(chunk, n - i)
        let v = cblas_dnrm2(Int32(len), x + i, 1)
        s += v * v
        i += len
    }
    return s.squareRoot()
}

import CLapack
