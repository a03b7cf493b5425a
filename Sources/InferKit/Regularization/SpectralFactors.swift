/// The singular value decomposition of a standard-form matrix Abar (m x p) as far as the
/// regularisation methods need it: singular values s_i, the coefficients beta_i = u_i^T b of
/// the data (the Picard plot), the part of b outside the range of U, and the right singular
/// vectors V for solutions.
///
/// Small or numerically full-rank matrices get LAPACK's dgesdd. Large ones are first tried
/// as numerically low-rank, which discrete ill-posed problems are (their singular values decay
/// to rounding level after a fraction of the columns): a blocked randomised range finder
/// (Halko, Martinsson and Tropp 2011) with explicit deflation, Abar = Q B + E, adds blocks of
/// 32 columns to Q until the deflated remainder E, computed explicitly, satisfies
/// ||E||_F <= 1e-14 ||Abar||_F. Then B^T = Q_B R (QR), R^T = U_R S W^T (a small SVD), so
/// Abar = (Q U_R) S (Q_B W)^T up to E. Every singular value above that level is as accurate as
/// dgesdd's; the ones below it are taken as zero (their filter factors are below
/// 1e-28 ||Abar||_F^2 / lam). When the rank exceeds a quarter of min(m, p), dgesdd is used.
/// The sketch is seeded and the products are split across threads by shape only, so the
/// result is the same for every thread count.
struct SpectralFactors {
    /// Singular values, descending (k of them).
    let values: [Double]
    /// beta_i = u_i^T b (k values).
    let beta: [Double]
    /// ||b - U U^T b||^2: the data outside the range of U.
    let outside: Double
    /// Columns p.
    let cols: Int
    /// True when Abar was factorised as numerically low-rank (randomised range finder).
    let lowRank: Bool
    /// How V is held.
    private let right: RightVectors

    private enum RightVectors {
        /// V^T, k x p column-major (leading dimension k).
        case transposed([Double])
        /// V = Q_B W: Householder reflectors of Q_B (p x k, from dgeqrf) with tau, and W (k x k).
        case factored(reflectors: [Double], tau: [Double], w: [Double])
    }

    /// Relative Frobenius-norm level below which the remainder is taken as zero.
    static let lowRankTolerance = 1e-14
    /// Columns added per block of the range finder.
    static let block = 32
    /// The smallest min(m, p) for which the low-rank path is tried.
    static let lowRankThreshold = 256

    var count: Int { values.count }

    /// Factorises Abar (m x p column-major at `abar` with leading dimension `ld`) with the
    /// data b (m values).
    init(abar: UnsafePointer<Double>, ld: Int, rows m: Int, cols p: Int, b: [Double], threads: Int) throws {
        if min(m, p) >= SpectralFactors.lowRankThreshold,
           let f = try SpectralFactors.lowRank(abar, ld, m, p, b, threads: threads) {
            self = f
            return
        }
        let svd = try SingularValueDecomposition(SpectralFactors.compact(abar, ld, m, p, threads: threads),
                                                 rows: m, cols: p)
        let k = min(m, p)
        var beta = [Double](repeating: 0, count: k)
        var residual = b
        svd.u.withUnsafeBufferPointer { u in
            b.withUnsafeBufferPointer { bp in
                beta.withUnsafeMutableBufferPointer { bt in
                    LAPACK.gemv(transpose: true, m, k, 1, u.baseAddress!, m, bp.baseAddress!, 1, 0,
                                bt.baseAddress!, 1)
                    residual.withUnsafeMutableBufferPointer { r in
                        LAPACK.gemv(transpose: false, m, k, -1, u.baseAddress!, m, bt.baseAddress!, 1, 1,
                                    r.baseAddress!, 1)
                    }
                }
            }
        }
        cols = p
        values = svd.values
        self.beta = beta
        outside = residual.reduce(0) { $0 + $1 * $1 }
        right = .transposed(svd.vt)
        lowRank = false
    }

    private init(values: [Double], beta: [Double], outside: Double, right: RightVectors, cols: Int) {
        self.values = values
        self.beta = beta
        self.outside = outside
        self.right = right
        self.cols = cols
        lowRank = true
    }

    /// The p-vector sum_(i < terms) c_i v_i.
    func combine(_ c: [Double], terms: Int) -> [Double] {
        var out = [Double](repeating: 0, count: cols)
        guard terms > 0 else { return out }
        switch right {
        case .transposed(let vt):
            vt.withUnsafeBufferPointer { v in
                c.withUnsafeBufferPointer { cp in
                    out.withUnsafeMutableBufferPointer { o in
                        LAPACK.gemv(transpose: true, terms, cols, 1, v.baseAddress!, count, cp.baseAddress!, 1, 0,
                                    o.baseAddress!, 1)
                    }
                }
            }
        case .factored(let reflectors, let tau, let w):
            // V c = Q_B (W c): W c in the first k entries, then Q_B applied.
            let k = count
            w.withUnsafeBufferPointer { wp in
                c.withUnsafeBufferPointer { cp in
                    out.withUnsafeMutableBufferPointer { o in
                        LAPACK.gemv(transpose: false, k, terms, 1, wp.baseAddress!, k, cp.baseAddress!, 1, 0,
                                    o.baseAddress!, 1)
                    }
                }
            }
            reflectors.withUnsafeBufferPointer { r in
                tau.withUnsafeBufferPointer { t in
                    out.withUnsafeMutableBufferPointer { o in
                        // A one-column dormqr cannot fail on valid shapes.
                        try? LAPACK.ormqr(transpose: false, cols, 1, k, r.baseAddress!, cols, t.baseAddress!,
                                          o.baseAddress!, cols)
                    }
                }
            }
        }
        return out
    }

    /// V^T restricted to the first `terms` singular vectors: terms x p column-major.
    func rightVectorsTransposed(terms: Int) -> [Double] {
        var out = [Double](repeating: 0, count: terms * cols)
        var unit = [Double](repeating: 0, count: count)
        for i in 0..<terms {
            unit[i] = 1
            let v = combine(unit, terms: count)
            unit[i] = 0
            for j in 0..<cols { out[i + j * terms] = v[j] }
        }
        return out
    }

    /// A contiguous copy of the strided m x p matrix, columns copied across threads.
    static func compact(_ a: UnsafePointer<Double>, _ ld: Int, _ m: Int, _ p: Int, threads: Int) -> [Double] {
        var out = [Double](repeating: 0, count: m * p)
        let chunks = max(1, min(16, p / 64))
        out.withUnsafeMutableBufferPointer { c in
            let dst = c.baseAddress!
            Parallel.forEach(chunks: chunks, threads: threads) { s, _ in
                for j in (s * p / chunks)..<((s + 1) * p / chunks) {
                    (dst + j * m).update(from: a + j * ld, count: m)
                }
            }
        }
        return out
    }

    /// The randomised low-rank factorisation, or nil when Abar is not numerically low-rank.
    private static func lowRank(_ abar: UnsafePointer<Double>, _ ld: Int, _ m: Int, _ p: Int, _ b: [Double],
                                threads: Int) throws -> SpectralFactors? {
        let bs = block
        let limit = (min(m, p) / 4 / bs) * bs
        guard limit >= 2 * bs else { return nil }
        var e = compact(abar, ld, m, p, threads: threads)
        let total = e.withUnsafeBufferPointer { frobeniusNorm($0.baseAddress!, m * p) }
        if total == 0 { return nil }
        var q = [Double](repeating: 0, count: m * limit)     // Q, m x limit
        var bt = [Double](repeating: 0, count: p * limit)    // B^T, p x limit
        var omega = [Double](repeating: 0, count: p * bs)
        var y = [Double](repeating: 0, count: m * bs)
        var proj = [Double](repeating: 0, count: limit * bs)
        var tau = [Double](repeating: 0, count: bs)
        var random = UniformStream(seed: 0x1F2E_3D4C_5B6A_7988)
        var k = 0
        var converged = false
        try e.withUnsafeMutableBufferPointer { ep in
        try q.withUnsafeMutableBufferPointer { qp in
        try bt.withUnsafeMutableBufferPointer { bp in
        try omega.withUnsafeMutableBufferPointer { op in
        try y.withUnsafeMutableBufferPointer { yp in
        try proj.withUnsafeMutableBufferPointer { pp in
        try tau.withUnsafeMutableBufferPointer { tp in
            let E = ep.baseAddress!, Q = qp.baseAddress!, BT = bp.baseAddress!
            let O = op.baseAddress!, Y = yp.baseAddress!, P = pp.baseAddress!, T = tp.baseAddress!
            while k < limit {
                for i in 0..<(p * bs) { O[i] = random.next() }
                // Y = E Omega: a sample of the range of the remainder.
                ParallelProduct.gemmRows(transposeA: false, transposeB: false, m, bs, p, 1, E, m, O, p,
                                         0, Y, m, threads: threads)
                // Orthonormalise against Q and within the block, twice (CGS2 + Householder).
                for _ in 0..<2 {
                    if k > 0 {
                        LAPACK.gemm(transposeA: true, transposeB: false, k, bs, m, 1, Q, m, Y, m, 0, P, k)
                        LAPACK.gemm(transposeA: false, transposeB: false, m, bs, k, -1, Q, m, P, k, 1, Y, m)
                    }
                    try LAPACK.geqrf(m, bs, Y, m, T)
                    try LAPACK.orgqr(m, bs, bs, Y, m, T)
                }
                (Q + k * m).update(from: Y, count: m * bs)
                // B_k^T = E^T Y (p x bs), stored as columns k ..< k + bs of B^T; E -= Y B_k.
                ParallelProduct.gemmRows(transposeA: true, transposeB: false, p, bs, m, 1, E, m, Y, m,
                                         0, BT + k * p, p, threads: threads)
                ParallelProduct.gemmColumns(transposeA: false, transposeB: true, m, p, bs, -1, Y, m,
                                            BT + k * p, p, 1, E, m, threads: threads)
                k += bs
                if frobeniusNorm(E, m * p) <= lowRankTolerance * total {
                    converged = true
                    break
                }
            }
        }}}}}}}
        guard converged else { return nil }
        // B^T = Q_B R (p x k), then the SVD of the small R^T = U_R S W^T.
        var tauB = [Double](repeating: 0, count: k)
        try bt.withUnsafeMutableBufferPointer { bp in
            try tauB.withUnsafeMutableBufferPointer { t in
                try LAPACK.geqrf(p, k, bp.baseAddress!, p, t.baseAddress!)
            }
        }
        var rt = [Double](repeating: 0, count: k * k)          // R^T, lower triangular
        for j in 0..<k { for i in 0...j { rt[j + i * k] = bt[i + j * p] } }
        let svd = try SingularValueDecomposition(rt, rows: k, cols: k)
        var w = [Double](repeating: 0, count: k * k)           // W = (W^T)^T
        for j in 0..<k { for i in 0..<k { w[i + j * k] = svd.vt[j + i * k] } }
        // Q^T b with one re-orthogonalisation (z accumulates both passes); beta = U_R^T Q^T b.
        var z = [Double](repeating: 0, count: k), pass = z
        var r = b
        q.withUnsafeBufferPointer { qp in
            r.withUnsafeMutableBufferPointer { rp in
                pass.withUnsafeMutableBufferPointer { zp in
                    for _ in 0..<2 {
                        LAPACK.gemv(transpose: true, m, k, 1, qp.baseAddress!, m, rp.baseAddress!, 1, 0, zp.baseAddress!, 1)
                        LAPACK.gemv(transpose: false, m, k, -1, qp.baseAddress!, m, zp.baseAddress!, 1, 1, rp.baseAddress!, 1)
                        for i in 0..<k { z[i] += zp[i] }
                    }
                }
            }
        }
        var beta = [Double](repeating: 0, count: k)
        svd.u.withUnsafeBufferPointer { u in
            z.withUnsafeBufferPointer { zp in
                beta.withUnsafeMutableBufferPointer { bt in
                    LAPACK.gemv(transpose: true, k, k, 1, u.baseAddress!, k, zp.baseAddress!, 1, 0, bt.baseAddress!, 1)
                }
            }
        }
        return SpectralFactors(values: svd.values, beta: beta, outside: r.reduce(0) { $0 + $1 * $1 },
                               right: .factored(reflectors: bt, tau: tauB, w: w), cols: p)
    }
}

/// A small seeded generator of uniform deviates on (-1, 1) (SplitMix64 bits, Steele, Lea and
/// Flood 2014): the same seed gives the same numbers on every machine. The range finder needs
/// only a random, full-rank sketch; its accuracy is checked explicitly.
struct UniformStream {
    private var state: UInt64

    /// A stream started at `seed`.
    init(seed: UInt64) { state = seed }

    /// The next deviate.
    mutating func next() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return (Double(z >> 11) + 0.5) * 0x1p-52 - 1
    }
}
