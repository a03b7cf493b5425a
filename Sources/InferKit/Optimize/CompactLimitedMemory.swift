/// The compact representation of the limited-memory BFGS matrix (Byrd, Nocedal & Schnabel,
/// Math. Program. 63 (1994) 129; Byrd, Lu, Nocedal & Zhu 1995 eq. 3.2):
///
///     B = θI - W M Wᵀ,  W = [Y  θS] (n x 2m),  M⁻¹ = [[-D, Lᵀ], [L, θSᵀS]],
///
/// with D = diag(s_iᵀy_i) and L the strictly lower triangle of SᵀY (L_ij = s_iᵀy_j, i > j).
/// Products M v use the factorisation of L-BFGS-B: with T = θSᵀS + L D⁻¹ Lᵀ = JJᵀ (Cholesky),
/// M⁻¹ [u₁; u₂] = [v₁; v₂] is T u₂ = v₂ + L D⁻¹ v₁, u₁ = D⁻¹ (Lᵀu₂ - v₁).
struct CompactLimitedMemory {
    let pairs: CorrectionPairs
    /// m, the number of pairs.
    let count: Int
    let theta: Double
    /// Cholesky factor of T (column-major m x m).
    private let factor: [Double]

    /// The representation of `pairs`; nil when T is not numerically positive definite.
    init?(_ pairs: CorrectionPairs) throws {
        let m = pairs.count
        self.pairs = pairs
        count = m
        theta = pairs.theta
        var t = [Double](repeating: 0, count: m * m)
        for j in 0..<m {
            for i in 0..<m {
                var v = theta * pairs.sTs[i][j]
                for k in 0..<Swift.min(i, j) { v += pairs.sTy[i][k] * pairs.sTy[j][k] / pairs.curvatures[k] }
                t[i + j * m] = v
            }
        }
        if m > 0 {
            guard try LAPACK.potrf(m, &t) else { return nil }
        }
        factor = t
    }

    /// Row i of W: (y_0[i], ..., y_{m-1}[i], θ s_0[i], ..., θ s_{m-1}[i]).
    func row(_ i: Int) -> [Double] {
        (0..<count).map { pairs.y[$0][i] } + (0..<count).map { theta * pairs.s[$0][i] }
    }

    /// Wᵀv restricted to the indices where `include` is true (all when nil).
    func transposeTimes(_ v: [Double], include: [Bool]? = nil) -> [Double] {
        var r = [Double](repeating: 0, count: 2 * count)
        for k in 0..<count {
            var a = 0.0, b = 0.0
            let y = pairs.y[k], s = pairs.s[k]
            for i in v.indices where include?[i] ?? true {
                a += y[i] * v[i]
                b += s[i] * v[i]
            }
            r[k] = a
            r[count + k] = theta * b
        }
        return r
    }

    /// WᵀZZᵀW, the 2m x 2m Gram matrix (column-major) of the rows of W where `include` is true.
    func gram(include: [Bool]) -> [Double] {
        let m = count, m2 = 2 * count
        var k = [Double](repeating: 0, count: m2 * m2)
        for a in 0..<m {
            for b in a..<m {
                let yy = Vector.dot(pairs.y[a], pairs.y[b], include: include)
                let ys = theta * Vector.dot(pairs.y[a], pairs.s[b], include: include)
                let sy = theta * Vector.dot(pairs.s[a], pairs.y[b], include: include)
                let ss = theta * theta * Vector.dot(pairs.s[a], pairs.s[b], include: include)
                k[a + b * m2] = yy; k[b + a * m2] = yy
                k[a + (m + b) * m2] = ys; k[(m + b) + a * m2] = ys
                k[b + (m + a) * m2] = sy; k[(m + a) + b * m2] = sy
                k[(m + a) + (m + b) * m2] = ss; k[(m + b) + (m + a) * m2] = ss
            }
        }
        return k
    }

    /// (W u)_i for a 2m-vector u.
    func rowTimes(_ i: Int, _ u: [Double]) -> Double {
        var r = 0.0
        for k in 0..<count { r += pairs.y[k][i] * u[k] + theta * pairs.s[k][i] * u[count + k] }
        return r
    }

    /// M v for a 2m-vector v.
    func middleTimes(_ v: [Double]) throws -> [Double] {
        let m = count
        guard m > 0 else { return [] }
        let d = pairs.curvatures, sTy = pairs.sTy
        // T u₂ = v₂ + L D⁻¹ v₁.
        var u2 = (0..<m).map { i in
            var r = v[m + i]
            for j in 0..<i { r += sTy[i][j] * v[j] / d[j] }
            return r
        }
        try LAPACK.potrs(m, 1, factor, &u2)
        // u₁ = D⁻¹ (Lᵀu₂ - v₁).
        let u1 = (0..<m).map { j in
            var r = -v[j]
            for i in (j + 1)..<Swift.max(j + 1, m) { r += sTy[i][j] * u2[i] }
            return r / d[j]
        }
        return u1 + u2
    }

    /// M⁻¹ as a column-major 2m x 2m matrix.
    func inverseMiddle() -> [Double] {
        let m = count, m2 = 2 * count
        var k = [Double](repeating: 0, count: m2 * m2)
        for j in 0..<m {
            k[j + j * m2] = -pairs.curvatures[j]
            for i in 0..<m {
                let l = i > j ? pairs.sTy[i][j] : 0
                k[(m + i) + j * m2] = l        // L
                k[j + (m + i) * m2] = l        // Lᵀ
                k[(m + i) + (m + j) * m2] = theta * pairs.sTs[i][j]
            }
        }
        return k
    }
}
