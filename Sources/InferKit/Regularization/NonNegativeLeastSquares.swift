#if canImport(Glibc)
import Glibc
#endif
import CLapack

/// Options of the active-set least-squares solvers.
public struct ActiveSetOptions: Sendable {
    /// Largest number of passes of the inner loop (a variable stepping back to a bound);
    /// 0 means 3 n, as scipy.optimize.nnls.
    public var maxIterations = 0
    /// A variable is freed only if its dual |w_j| exceeds this; <= 0 means
    /// eps max(m, n) ||A||_F ||b||.
    public var tolerance = 0.0

    /// The defaults (3 n inner passes, automatic tolerance).
    public init() {}

    /// Throws `invalidArgument` for options out of range.
    public func validate() throws {
        guard maxIterations >= 0 else {
            throw InferKitError.invalidArgument("options->max_iter is \(maxIterations): it must be >= 0 (0 = 3 cols)")
        }
        guard !tolerance.isNaN, tolerance.isFinite || tolerance < 0 else {
            throw InferKitError.invalidArgument("options->tol is \(describe(tolerance)): it must be finite (<= 0 for the default)")
        }
    }
}

/// Non-negative least squares, min ||A x - b|| subject to x >= 0, by the active-set method of
/// Lawson and Hanson ("Solving Least Squares Problems", 1974, chapter 23), as
/// scipy.optimize.nnls; and its generalisation to bounds l <= x <= u, bounded-variable least
/// squares (Stark and Parker 1995), as scipy.optimize.lsq_linear(method="bvls").
///
/// The free set P grows one variable at a time, the one whose dual w = A^T (b - A x) most
/// strongly asks to leave its bound. A and b are kept rotated by the Householder reflections
/// that make the columns of P upper triangular (each step O(m n)), the contributions of the
/// variables held at bounds are kept subtracted from b, and a variable that steps back to a
/// bound leaves P by Givens rotations that restore the triangle. A candidate is rejected for
/// that step when its column is numerically in the span of P (new diagonal below 1e-12 of its
/// norm) or when its trial value moves against its dual, which keeps the method finite in
/// floating point.
public enum NonNegativeLeastSquares {
    /// min ||A x - b||, x >= 0, for the caller's m x n matrix and m data. Returns x and the
    /// residual norm ||A x - b|| computed from the caller's A and b.
    public static func solve(design: MatrixView, data: UnsafeBufferPointer<Double>,
                             options: ActiveSetOptions = ActiveSetOptions()) throws -> (x: [Double], residualNorm: Double) {
        try bounded(design: design, data: data, lower: nil, upper: nil, options: options)
    }

    /// Regularised bounded least squares: min ||A x - b||^2 + lam ||L x||^2 subject to
    /// lower <= x <= upper, solved as the bounded problem on the stacked system
    /// [A; sqrt(lam) L] x ~ [b; 0] (the same active-set method, no normal equations). `lower`
    /// nil means 0, `upper` nil means +inf. Returns x and the data residual ||A x - b||.
    public static func regularized(design: MatrixView, data: UnsafeBufferPointer<Double>,
                                   lower: UnsafeBufferPointer<Double>?, upper: UnsafeBufferPointer<Double>?,
                                   penalty: Penalty, lambda: Double,
                                   options: ActiveSetOptions = ActiveSetOptions()) throws -> (x: [Double], residualNorm: Double) {
        let m = design.rows, n = design.cols
        try requireShapes(design, data: data)
        guard lambda.isFinite, lambda >= 0 else {
            throw InferKitError.invalidArgument("lam is \(lambda): it must be finite and >= 0")
        }
        try design.requireFinite()
        try requireFinite(data, name: "y")
        let op = try PenaltyOperator(penalty, unknowns: n)
        let rows = m + op.rows
        _ = try checkedProduct(rows, n, "the stacked matrix [A; sqrt(lam) L]")
        var stacked = [Double](repeating: 0, count: rows * n)  // column-major
        for j in 0..<n { for i in 0..<m { stacked[i + j * rows] = design[i, j] } }
        stacked.withUnsafeMutableBufferPointer { sp in
            op.fillRows(start: 0, count: op.rows, scale: lambda.squareRoot(), columns: Array(0..<n),
                        into: sp.baseAddress! + m, ld: rows)
        }
        let rhs = Array(data) + [Double](repeating: 0, count: op.rows)
        let x = try stacked.withUnsafeBufferPointer { sp in
            try rhs.withUnsafeBufferPointer { rp in
                try bounded(design: MatrixView(base: sp.baseAddress!, rows: rows, cols: n, layout: .columnMajor,
                                               name: "the stacked matrix [A; sqrt(lam) L]"),
                            data: rp, lower: lower, upper: upper, options: options).x
            }
        }
        var residual = 0.0
        for i in 0..<m {
            var s = -data[i]
            for j in 0..<n { s += design[i, j] * x[j] }
            residual += s * s
        }
        return (x, residual.squareRoot())
    }

    /// min ||A x - b|| subject to lower <= x <= upper. `lower` nil means 0 (non-negative least
    /// squares), `upper` nil means +inf; elements may be -inf / +inf, lower_j <= upper_j.
    public static func bounded(design: MatrixView, data: UnsafeBufferPointer<Double>,
                               lower: UnsafeBufferPointer<Double>?, upper: UnsafeBufferPointer<Double>?,
                               options: ActiveSetOptions = ActiveSetOptions()) throws -> (x: [Double], residualNorm: Double) {
        try options.validate()
        let m = design.rows, n = design.cols
        try requireShapes(design, data: data)
        try design.requireFinite()
        try requireFinite(data, name: "y")
        var lo = [Double](repeating: 0, count: n), hi = [Double](repeating: .infinity, count: n)
        if let lower {
            guard lower.count == n else { throw InferKitError.dimensionMismatch("lower has \(lower.count) values but A has \(n) columns") }
            for j in 0..<n {
                guard !lower[j].isNaN, lower[j] != .infinity else {
                    throw InferKitError.invalidArgument("lower[\(j)] is \(describe(lower[j])): a lower bound must be a number or -inf")
                }
                lo[j] = lower[j]
            }
        }
        if let upper {
            guard upper.count == n else { throw InferKitError.dimensionMismatch("upper has \(upper.count) values but A has \(n) columns") }
            for j in 0..<n {
                guard !upper[j].isNaN, upper[j] != -.infinity else {
                    throw InferKitError.invalidArgument("upper[\(j)] is \(describe(upper[j])): an upper bound must be a number or +inf")
                }
                hi[j] = upper[j]
            }
        }
        for j in 0..<n where lo[j] > hi[j] {
            throw InferKitError.invalidArgument("lower[\(j)] = \(lo[j]) > upper[\(j)] = \(hi[j]): the bounds are empty")
        }
        var a = [Double](repeating: 0, count: m * n)
        for j in 0..<n { for i in 0..<m { a[i + j * m] = design[i, j] } }
        let x = try BLASThreads.singleThreaded { try solve(a, m, n, Array(data), lo, hi, options) }
        var r = Array(data)
        for j in 0..<n where x[j] != 0 { for i in 0..<m { r[i] -= design[i, j] * x[j] } }
        return (x, cblas_norm(r, m))
    }

    /// The solution for the m x n column-major matrix `a` (validated, finite) and the bounds
    /// lower <= upper (lower < +inf, upper > -inf).
    static func solve(_ matrix: [Double], _ m: Int, _ n: Int, _ data: [Double],
                      _ lower: [Double], _ upper: [Double], _ options: ActiveSetOptions) throws -> [Double] {
        guard m <= Int(Int32.max), n <= Int(Int32.max) else {
            throw InferKitError.dimensionMismatch("the least-squares problem is \(m) x \(n): LAPACK's 32-bit indices allow at most \(Int32.max) rows and columns")
        }
        var a = matrix, b = data
        let maxIterations = options.maxIterations > 0 ? options.maxIterations : 3 * n
        let columnNorms = (0..<n).map { j in a.withUnsafeBufferPointer { cblas_norm($0.baseAddress! + j * m, m) } }
        let tolerance = options.tolerance > 0 ? options.tolerance
            : Double.ulpOfOne * Double(max(m, n)) * cblas_norm(a, m * n) * cblas_norm(b, m)
        // Start every variable at the point of [lower, upper] nearest 0, and subtract it from b.
        var x = (0..<n).map { min(max(0, lower[$0]), upper[$0]) }
        for j in 0..<n where x[j] != 0 { for i in 0..<m { b[i] -= a[i + j * m] * x[j] } }
        var passive = [Int]()            // the free set P; passive[i] has its diagonal in row i
        var inPassive = [Bool](repeating: false, count: n)
        var w = [Double](repeating: 0, count: n)
        var z = [Double](repeating: 0, count: n)
        var iterations = 0
        try a.withUnsafeMutableBufferPointer { ap in
        try b.withUnsafeMutableBufferPointer { bp in
        try w.withUnsafeMutableBufferPointer { wp in
            let A = ap.baseAddress!, B = bp.baseAddress!, W = wp.baseAddress!
            outer: while true {
                let np = passive.count
                if np >= m || np >= n { break }
                // Dual w = A^T r; r is zero in the rows of the triangle.
                LAPACK.gemv(transpose: true, m - np, n, 1, A + np, m, B + np, 1, 0, W, 1)
                var rejected = inPassive
                var entered = false
                while !entered {
                    // The variable whose dual points most strongly into [lower, upper].
                    var t = -1, best = tolerance
                    for j in 0..<n where !rejected[j] {
                        let wj = W[j]
                        if (wj > best && x[j] < upper[j]) || (-wj > best && x[j] > lower[j]) {
                            t = j
                            best = abs(wj)
                        }
                    }
                    if t < 0 { break outer }
                    rejected[t] = true
                    let direction = W[t] > 0 ? 1.0 : -1.0
                    // Trial reflector of column t below row np, on a copy: H col = (beta, 0...).
                    let column = A + t * m + np, len = m - np
                    let below = cblas_norm(column, len)
                    if !(below > 1e-12 * columnNorms[t]) { continue }
                    var v = [Double](repeating: 0, count: len)
                    for i in 0..<len { v[i] = column[i] }
                    var beta = v[0]
                    let tau = v.withUnsafeMutableBufferPointer { vp in
                        LAPACK.householder(len, &beta, vp.baseAddress! + min(1, len - 1), 1)
                    }
                    v[0] = 1
                    // Freed, t's contribution x_t A_t returns to b: trial value from row np.
                    var vb = 0.0, vc = 0.0
                    for i in 0..<len {
                        vb += v[i] * B[np + i]
                        vc += v[i] * column[i]
                    }
                    let bNew = (B[np] - tau * vb) + x[t] * (column[0] - tau * vc)
                    let trial = bNew / beta
                    if !((trial - x[t]) * direction > 0) { continue }
                    // Accept: b += x_t A_t, then apply H to rows np..< of every column outside P.
                    if x[t] != 0 { for i in 0..<m { B[i] += x[t] * A[i + t * m] } }
                    var products = [Double](repeating: 0, count: n)
                    v.withUnsafeBufferPointer { vp in
                        products.withUnsafeMutableBufferPointer { pr in
                            LAPACK.gemv(transpose: true, len, n, 1, A + np, m, vp.baseAddress!, 1, 0,
                                        pr.baseAddress!, 1)
                            for j in 0..<n where inPassive[j] || j == t { pr[j] = 0 }
                            LAPACK.ger(len, n, -tau, vp.baseAddress!, 1, pr.baseAddress!, 1, A + np, m)
                        }
                    }
                    vb = 0
                    for i in 0..<len { vb += v[i] * B[np + i] }
                    for i in 0..<len { B[np + i] -= tau * vb * v[i] }
                    column[0] = beta
                    for i in 1..<len { column[i] = 0 }
                    passive.append(t)
                    inPassive[t] = true
                    entered = true
                }
                // Inner loop: the unconstrained solution on P, stepping back to the bounds while
                // it leaves them.
                while true {
                    let k = passive.count
                    for i in stride(from: k - 1, through: 0, by: -1) {
                        var s = B[i]
                        for l in (i + 1)..<k { s -= A[i + passive[l] * m] * z[l] }
                        z[i] = s / A[i + passive[i] * m]
                    }
                    var alpha = Double.infinity, limiting = -1, limit = 0.0
                    for i in 0..<k {
                        let j = passive[i], xi = x[j]
                        var ratio = Double.infinity, bound = 0.0
                        if z[i] <= lower[j] {
                            ratio = xi - z[i] > 0 ? (xi - lower[j]) / (xi - z[i]) : 0
                            bound = lower[j]
                        } else if z[i] >= upper[j] {
                            ratio = z[i] - xi > 0 ? (upper[j] - xi) / (z[i] - xi) : 0
                            bound = upper[j]
                        }
                        if ratio < alpha { alpha = ratio; limiting = i; limit = bound }
                    }
                    if limiting < 0 {
                        for i in 0..<k { x[passive[i]] = z[i] }
                        break
                    }
                    iterations += 1
                    if iterations > maxIterations {
                        throw InferKitError.notConverged(
                            "the active-set least squares did not converge in \(maxIterations) iterations")
                    }
                    alpha = max(0, min(1, alpha))
                    for i in 0..<k { x[passive[i]] += alpha * (z[i] - x[passive[i]]) }
                    x[passive[limiting]] = limit
                    // Every variable of P at (or past) a bound leaves P: its value is fixed and
                    // its contribution subtracted from b; Givens rotations restore the triangle.
                    var i = 0
                    while i < passive.count {
                        let j = passive[i]
                        if x[j] <= lower[j] { x[j] = lower[j] } else if x[j] >= upper[j] { x[j] = upper[j] } else {
                            i += 1
                            continue
                        }
                        if x[j] != 0 { for r in 0..<m { B[r] -= x[j] * A[r + j * m] } }
                        inPassive[j] = false
                        passive.remove(at: i)
                        for l in i..<passive.count {
                            // Column passive[l] now has a subdiagonal entry in row l + 1.
                            let col = passive[l] * m
                            let top = A[l + col], bottom = A[l + 1 + col]
                            let r = hypot(top, bottom)
                            if r == 0 { continue }
                            let c = top / r, s = bottom / r
                            cblas_drot(Int32(n), A + l, Int32(m), A + l + 1, Int32(m), c, s)
                            let b0 = B[l], b1 = B[l + 1]
                            B[l] = c * b0 + s * b1
                            B[l + 1] = -s * b0 + c * b1
                            A[l + 1 + col] = 0
                        }
                    }
                }
            }
        }}}
        return x
    }
}
