/// The operator L of the roughness penalty lam ||L f||^2 in general-form Tikhonov
/// regularisation, for n unknowns f_0 .. f_(n-1).
public enum Penalty {
    /// L = I (n x n): penalises the size of f (ridge regression, standard form).
    case identity
    /// The first difference (n - 1) x n, (L f)_i = f_(i+1) - f_i: penalises gradients (the
    /// lecture's D^1). Its null space is the constant vectors.
    case firstDifference
    /// The second difference (n - 2) x n, (L f)_i = f_i - 2 f_(i+1) + f_(i+2): penalises
    /// curvature. Its null space is the straight lines.
    case secondDifference
    /// A caller's p x n matrix (any p >= 1, any rank >= 1).
    case matrix(MatrixView)
}

/// The penalty operator of one problem, owned by the core (a caller's matrix is copied), with
/// what the standard-form transformation and the stacked factorisation need.
struct PenaltyOperator: Sendable {
    enum Kind: Sendable {
        case identity
        /// Differences of order 1 or 2.
        case difference(Int)
        /// A caller's matrix, p x n column-major.
        case matrix(DenseMatrix)
    }

    let kind: Kind
    /// Number of unknowns.
    let n: Int

    /// Validates the penalty for n unknowns and copies a caller's matrix.
    init(_ penalty: Penalty, unknowns n: Int) throws {
        self.n = n
        switch penalty {
        case .identity: kind = .identity
        case .firstDifference:
            guard n >= 2 else { throw InferKitError.dimensionMismatch("A has \(n) column: the first difference needs at least 2 unknowns") }
            kind = .difference(1)
        case .secondDifference:
            guard n >= 3 else { throw InferKitError.dimensionMismatch("A has \(n) columns: the second difference needs at least 3 unknowns") }
            kind = .difference(2)
        case .matrix(let view):
            guard view.rows > 0 else { throw InferKitError.dimensionMismatch("l_rows is 0: L needs at least one row") }
            guard view.rows <= Int(Int32.max) else {
                throw InferKitError.dimensionMismatch("l_rows is \(view.rows): LAPACK's 32-bit indices allow at most \(Int32.max) rows")
            }
            guard view.cols == n else {
                throw InferKitError.dimensionMismatch("L has \(view.cols) columns but A has \(n)")
            }
            _ = try checkedProduct(view.rows, n, "L")
            try view.requireFinite()
            var l = DenseMatrix(rows: view.rows, cols: n)
            for j in 0..<n { for i in 0..<view.rows { l[i, j] = view[i, j] } }
            kind = .matrix(l)
        }
    }

    /// Number of rows of L.
    var rows: Int {
        switch kind {
        case .identity: return n
        case .difference(let d): return n - d
        case .matrix(let l): return l.rows
        }
    }

    /// L x.
    func apply(_ x: [Double]) -> [Double] {
        switch kind {
        case .identity: return x
        case .difference(let d):
            var v = x
            for order in 0..<d {
                let len = n - order
                for i in 0..<(len - 1) { v[i] = v[i + 1] - v[i] }
                v.removeLast()
            }
            return v
        case .matrix(let l):
            var out = [Double](repeating: 0, count: l.rows)
            l.elements.withUnsafeBufferPointer { lp in
                x.withUnsafeBufferPointer { xp in
                    out.withUnsafeMutableBufferPointer { o in
                        LAPACK.gemv(transpose: false, l.rows, n, 1, lp.baseAddress!, l.rows,
                                    xp.baseAddress!, 1, 0, o.baseAddress!, 1)
                    }
                }
            }
            return out
        }
    }

    /// Writes rows start ..< start + count of scale * L, restricted to the listed columns, into
    /// the column-major block `out` (leading dimension ld).
    func fillRows(start: Int, count: Int, scale: Double, columns: [Int],
                  into out: UnsafeMutablePointer<Double>, ld: Int) {
        for c in 0..<columns.count { for i in 0..<count { out[i + c * ld] = 0 } }
        switch kind {
        case .matrix(let l):
            for (c, j) in columns.enumerated() {
                for i in 0..<count { out[i + c * ld] = scale * l[start + i, j] }
            }
        case .identity, .difference:
            let stencil: [Double]
            switch kind {
            case .difference(1): stencil = [-1, 1]
            case .difference(2): stencil = [1, -2, 1]
            default: stencil = [1]
            }
            for (c, j) in columns.enumerated() {
                // Row i has stencil[s] at column i + s.
                for (s, value) in stencil.enumerated() {
                    let i = j - s - start
                    if i >= 0 && i < count { out[i + c * ld] = scale * value }
                }
            }
        }
    }
}
