/// Cubic smoothing splines: minimise sum_i w_i (y_i - s(x_i))^2 + lam * integral s''^2 over
/// cubic splines with knots at the data (scipy's make_smoothing_spline; the minimiser is the
/// natural cubic spline), in B-spline form with knots [x0, x0, x0, x..., xn, xn, xn] and
/// n + 2 coefficients c.
///
/// The penalty is exact and banded: s'' is piecewise linear, so with a = s''(x) at the knots
/// (a = S c, three coefficients per knot) integral s''^2 = a^T T a for the tridiagonal SPD
/// "mass" matrix T (h/3, h/6), T = L L^T (bidiagonal), and the penalty is |D c|^2 with the
/// banded D = L^T S. The stacked least-squares problem [sqrt(W) B; sqrt(lam) D] c ~ [sqrt(W) y; 0]
/// is solved by Givens rotations into a banded R (the machinery of least-squares splines): QR
/// accuracy for every lam, where the penalised normal equations, and Reinsch's system, lose
/// positive definiteness for large lam on dense data. O(n) per lam. The trace of the
/// influence matrix, tr(A) = sum_i w_i b_i^T (R^T R)^-1 b_i, needs only the band of
/// (R^T R)^-1 (Hutchinson and de Hoog 1985), so generalised cross-validation is O(n) too.
public struct SmoothingSpline {
    /// The data, validated.
    let x: [Double], y: [Double], w: [Double]
    /// Knots [x0, x0, x0, x..., xn, xn, xn].
    let knots: [Double]
    /// The rows of sqrt(W) B: first column and 4 values each.
    let dataRows: [(first: Int, values: (Double, Double, Double, Double))]
    /// The rows of D: row j starts at column j.
    let penaltyRows: [(Double, Double, Double, Double)]

    /// Validates the data and assembles the banded rows.
    public init(x xb: UnsafeBufferPointer<Double>, y yb: UnsafeBufferPointer<Double>,
                weights wb: UnsafeBufferPointer<Double>?) throws {
        let n = xb.count
        guard n >= 5 else { throw InferKitError.dimensionMismatch("n is \(n): a smoothing spline needs at least 5 points") }
        guard yb.count == n else { throw InferKitError.dimensionMismatch("y has \(yb.count) values but x has \(n)") }
        try requireFinite(xb, name: "x")
        try requireFinite(yb, name: "y")
        for i in 1..<n where !(xb[i] > xb[i - 1]) {
            throw InferKitError.invalidArgument("x[\(i)] = \(xb[i]) <= x[\(i - 1)] = \(xb[i - 1]): x must be strictly increasing")
        }
        if let wb {
            guard wb.count == n else { throw InferKitError.dimensionMismatch("w has \(wb.count) values but x has \(n)") }
            try requireFinite(wb, name: "w")
            for i in 0..<n where !(wb[i] > 0) {
                throw InferKitError.invalidArgument("w[\(i)] is \(wb[i]): every weight must be > 0")
            }
        }
        let x = Array(xb), y = Array(yb), w = wb.map(Array.init) ?? [Double](repeating: 1, count: n)
        let knots = [x[0], x[0], x[0]] + x + [x[n - 1], x[n - 1], x[n - 1]]
        var dataRows = [(first: Int, values: (Double, Double, Double, Double))]()
        dataRows.reserveCapacity(n)
        var second = [(Double, Double, Double)]()  // S: s''(x_j) = row j . c[j...j+2]
        second.reserveCapacity(n)
        let work = UnsafeMutablePointer<Double>.allocate(capacity: 64)
        defer { work.deallocate() }
        let v = UnsafeMutablePointer<Double>.allocate(capacity: 4)
        defer { v.deallocate() }
        knots.withUnsafeBufferPointer { t in
            for i in 0..<n {
                let l = min(i, n - 2) + 3  // interval [x_i, x_i+1], the last point in the last one
                BSpline.basis(t, l, 3, x[i], v, work)
                let sw = w[i].squareRoot()
                dataRows.append((l - 3, (sw * v[0], sw * v[1], sw * v[2], sw * v[3])))
                BSpline.basisDerivatives(t, 3, l, 2, x[i], v, work)
                // B''_{l-3..l} at x_i: the one that vanishes is B_l at its left end (i < n-1) or
                // B_{l-3} at the right end (i = n-1); columns i...i+2 either way.
                second.append(i < n - 1 ? (v[0], v[1], v[2]) : (v[1], v[2], v[3]))
            }
        }
        // T = L L^T, T(j, j) = (h_{j-1} + h_j)/3, T(j, j+1) = h_j/6; bidiagonal Cholesky.
        let h = (0..<(n - 1)).map { x[$0 + 1] - x[$0] }
        var diagonal = [Double](repeating: 0, count: n), lower = [Double](repeating: 0, count: n)
        for j in 0..<n {
            var tjj = (j > 0 ? h[j - 1] : 0) + (j < n - 1 ? h[j] : 0)
            tjj /= 3
            if j > 0 { tjj -= lower[j - 1] * lower[j - 1] }
            diagonal[j] = tjj.squareRoot()
            if j < n - 1 { lower[j] = h[j] / 6 / diagonal[j] }
        }
        // D row j = L_jj S_j + L_{j+1,j} S_{j+1}: columns j...j+3.
        var penaltyRows = [(Double, Double, Double, Double)]()
        penaltyRows.reserveCapacity(n)
        for j in 0..<n {
            let (a0, a1, a2) = second[j]
            var row = (diagonal[j] * a0, diagonal[j] * a1, diagonal[j] * a2, 0.0)
            if j < n - 1 {
                let (b0, b1, b2) = second[j + 1]
                row.1 += lower[j] * b0; row.2 += lower[j] * b1; row.3 += lower[j] * b2
            }
            penaltyRows.append(row)
        }
        self.x = x; self.y = y; self.w = w; self.knots = knots
        self.dataRows = dataRows; self.penaltyRows = penaltyRows
    }

    /// The fit for one lambda: coefficients, residual sum of squares (unweighted) and tr(A)
    /// (when asked).
    func solve(lambda: Double, wantTrace: Bool) throws -> (coefficients: [Double], rss: Double, trace: Double) {
        let n = x.count, m = n + 2, width = 4
        var r = [Double](repeating: 0, count: m * width), d = [Double](repeating: 0, count: m)
        let row = UnsafeMutablePointer<Double>.allocate(capacity: width)
        defer { row.deallocate() }
        let root = lambda.squareRoot()
        r.withUnsafeMutableBufferPointer { rp in
            d.withUnsafeMutableBufferPointer { dp in
                // Data and penalty rows in column order keep the fill-in inside the band.
                var j = 0
                for i in 0..<n {
                    while j < n && j <= dataRows[i].first {
                        let p = penaltyRows[j]
                        row[0] = root * p.0; row[1] = root * p.1; row[2] = root * p.2; row[3] = root * p.3
                        if lambda > 0 {
                            _ = SplineFit.givens(rp.baseAddress!, dp.baseAddress!, row, 0, first: j,
                                                 width: min(width, m - j), stride: width)
                        }
                        j += 1
                    }
                    let (first, v) = dataRows[i]
                    row[0] = v.0; row[1] = v.1; row[2] = v.2; row[3] = v.3
                    _ = SplineFit.givens(rp.baseAddress!, dp.baseAddress!, row, w[i].squareRoot() * y[i],
                                         first: first, width: width, stride: width)
                }
                while j < n && lambda > 0 {
                    let p = penaltyRows[j]
                    row[0] = root * p.0; row[1] = root * p.1; row[2] = root * p.2; row[3] = root * p.3
                    _ = SplineFit.givens(rp.baseAddress!, dp.baseAddress!, row, 0, first: j,
                                         width: min(width, m - j), stride: width)
                    j += 1
                }
            }
        }
        if let j = BandedFactor.firstZeroPivot(r, m, width: width) {
            throw InferKitError.singular("the smoothing-spline system is singular at coefficient \(j) (lam = \(lambda))")
        }
        let c = BandedFactor.solve(r, d, m, width: width)
        var rss = 0.0
        for i in 0..<n {
            let (first, b) = dataRows[i]
            let sw = w[i].squareRoot()
            let fitted = (b.0 * c[first] + b.1 * c[first + 1] + b.2 * c[first + 2] + b.3 * c[first + 3]) / sw
            let e = y[i] - fitted
            rss += e * e
        }
        guard wantTrace else { return (c, rss, .nan) }
        // Band of S = (R^T R)^-1: for j >= i, S(i, j) = (delta_ij / R_ii - sum_{k>i} R(i, k) S(k, j)) / R_ii.
        var s = [Double](repeating: 0, count: m * width)  // S(i, i + dd) at [i * width + dd]
        var i = m - 1
        while i >= 0 {
            let rii = r[i * width]
            var dd = min(width - 1, m - 1 - i)
            while dd >= 0 {
                let jj = i + dd
                var sum = dd == 0 ? 1 / rii : 0
                var k = i + 1
                while k <= min(i + width - 1, m - 1) {
                    let (a, bb) = k <= jj ? (k, jj) : (jj, k)
                    sum -= r[i * width + (k - i)] * s[a * width + (bb - a)]
                    k += 1
                }
                s[i * width + dd] = sum / rii
                dd -= 1
            }
            i -= 1
        }
        // tr(A) = sum_i (sqrt(w) b_i)^T S (sqrt(w) b_i): the data rows are already weighted.
        var trace = 0.0
        for (first, b) in dataRows {
            let vals = [b.0, b.1, b.2, b.3]
            for a in 0..<4 {
                trace += vals[a] * vals[a] * s[(first + a) * width]
                for bb in (a + 1)..<4 { trace += 2 * vals[a] * vals[bb] * s[(first + a) * width + (bb - a)] }
            }
        }
        return (c, rss, trace)
    }

    /// GCV(lam) = n^-1 rss / (1 - tr(A)/n)^2.
    func generalisedCrossValidation(_ lambda: Double) throws -> Double {
        let n = Double(x.count)
        let fit = try solve(lambda: lambda, wantTrace: true)
        let d = 1 - fit.trace / n
        return fit.rss / n / (d * d)
    }

    /// The smoothing spline for lam >= 0, or for the GCV choice of lam when `lambda` is nil.
    public func fit(lambda: Double?) throws -> (spline: BSpline, lambda: Double) {
        var lam: Double
        if let lambda {
            guard lambda >= 0, lambda.isFinite else {
                throw InferKitError.invalidArgument("lam is \(describe(lambda)): it must be finite and >= 0 (negative for GCV)")
            }
            lam = lambda
        } else {
            lam = try BoundedMinimizer.minimize(lower: 0, upper: Double(x.count)) { try generalisedCrossValidation($0) }
        }
        if lam == 0 {
            // No penalty leaves two coefficients free; the limit lam -> 0+ is the natural
            // interpolating spline (same knots).
            let spline = try x.withUnsafeBufferPointer { xb in
                try y.withUnsafeBufferPointer { try SplineFit.interpolating(x: xb, y: $0, degree: 3, end: .natural) }
            }
            return (spline, 0)
        }
        let c = try solve(lambda: lam, wantTrace: false).coefficients
        return (BSpline(uncheckedKnots: knots, coefficients: c, degree: 3), lam)
    }
}

/// Brent's method for a minimum on a bounded interval without derivatives (Forsythe, Malcolm
/// and Moler, "Computer Methods for Mathematical Computations", 1977, procedure fmin): golden
/// sections with parabolic interpolation; stops when the minimiser is known to within
/// sqrt(eps) |x| + xatol/3 (xatol = 1e-5 by default, as scipy's fminbound).
enum BoundedMinimizer {
    static func minimize(lower: Double, upper: Double, xatol: Double = 1e-5, maxEvaluations: Int = 500,
                         _ f: (Double) throws -> Double) throws -> Double {
        let sqrtEps = (2.2e-16).squareRoot()
        let golden = 0.5 * (3 - 5.0.squareRoot())
        var a = lower, b = upper
        var v = a + golden * (b - a), w = v, xf = v
        var d = 0.0, e = 0.0
        var fx = try f(xf)
        var fv = fx, fw = fx
        var evaluations = 1
        var xm = 0.5 * (a + b)
        var tol1 = sqrtEps * abs(xf) + xatol / 3
        var tol2 = 2 * tol1
        while abs(xf - xm) > tol2 - 0.5 * (b - a) {
            var useGolden = true
            if abs(e) > tol1 {
                // Try a parabola through (v, fv), (w, fw), (xf, fx).
                useGolden = false
                var r = (xf - w) * (fx - fv)
                var q = (xf - v) * (fx - fw)
                var p = (xf - v) * q - (xf - w) * r
                q = 2 * (q - r)
                if q > 0 { p = -p }
                q = abs(q)
                r = e
                e = d
                if abs(p) < abs(0.5 * q * r) && p > q * (a - xf) && p < q * (b - xf) {
                    d = p / q
                    let u = xf + d
                    if u - a < tol2 || b - u < tol2 {
                        d = xm - xf >= 0 ? tol1 : -tol1
                    }
                } else {
                    useGolden = true
                }
            }
            if useGolden {
                e = xf >= xm ? a - xf : b - xf
                d = golden * e
            }
            let step = d >= 0 ? max(abs(d), tol1) : -max(abs(d), tol1)
            let u = xf + step
            let fu = try f(u)
            evaluations += 1
            if fu <= fx {
                if u >= xf { a = xf } else { b = xf }
                v = w; fv = fw
                w = xf; fw = fx
                xf = u; fx = fu
            } else {
                if u < xf { a = u } else { b = u }
                if fu <= fw || w == xf {
                    v = w; fv = fw
                    w = u; fw = fu
                } else if fu <= fv || v == xf || v == w {
                    v = u; fv = fu
                }
            }
            xm = 0.5 * (a + b)
            tol1 = sqrtEps * abs(xf) + xatol / 3
            tol2 = 2 * tol1
            if evaluations >= maxEvaluations {
                throw InferKitError.notConverged("the GCV minimisation did not converge in \(maxEvaluations) evaluations")
            }
        }
        return xf
    }
}
