import CLapack

/// A least-squares spline fit: the spline and what its uncertainty needs.
public struct LeastSquaresSpline: Sendable {
    /// The fitted spline.
    public let spline: BSpline
    /// The banded upper-triangular factor R of the weighted design (row j holds R(j, j...j+k)).
    let factor: [Double]
    /// chi2 = sum (w (y - s(x)))^2.
    public let chiSquared: Double
    /// Observations.
    public let observations: Int

    /// Degrees of freedom n - number of coefficients.
    public var degreesOfFreedom: Int { observations - spline.count }

    /// Covariance scale: 1 for absolute sigma, chi2/dof otherwise (NaN when dof <= 0).
    public func covarianceScale(absoluteSigma: Bool) -> Double {
        absoluteSigma ? 1 : (degreesOfFreedom > 0 ? chiSquared / Double(degreesOfFreedom) : .nan)
    }

    /// (B^T W^2 B)^-1 times the scale, row-major n_c x n_c.
    public func covariance(absoluteSigma: Bool) -> [Double] {
        let n = spline.count, w = spline.degree + 1
        // R^-1 column by column (upper triangular), then R^-1 R^-T.
        var rinv = [Double](repeating: 0, count: n * n)  // column-major
        for col in 0..<n {
            var i = col
            while i >= 0 {
                var s = i == col ? 1.0 : 0.0
                var j = i + 1
                while j < min(n, i + w) && j <= col {
                    s -= factor[i * w + (j - i)] * rinv[j + col * n]
                    j += 1
                }
                rinv[i + col * n] = s / factor[i * w]
                i -= 1
            }
        }
        let scale = covarianceScale(absoluteSigma: absoluteSigma)
        var cov = [Double](repeating: 0, count: n * n)
        for a in 0..<n {
            for b in a..<n {
                var s = 0.0
                for l in b..<n { s += rinv[a + l * n] * rinv[b + l * n] }
                cov[a * n + b] = s * scale
                cov[b * n + a] = s * scale
            }
        }
        return cov
    }

    /// sqrt(b(x)^T cov b(x)) at each x: solve R^T z = b(x) (banded, forward), |z|.
    public func predictionError(_ x: UnsafeBufferPointer<Double>, absoluteSigma: Bool,
                                into out: UnsafeMutablePointer<Double>) {
        let n = spline.count, k = spline.degree, w = k + 1
        let scale = covarianceScale(absoluteSigma: absoluteSigma)
        var z = [Double](repeating: 0, count: n)
        let values = UnsafeMutablePointer<Double>.allocate(capacity: 3 * w)
        defer { values.deallocate() }
        spline.knots.withUnsafeBufferPointer { t in
            for i in 0..<x.count {
                let xi = x[i]
                if !xi.isFinite { out[i] = .nan; continue }
                let l = BSpline.interval(t, k, xi)
                BSpline.basis(t, l, k, xi, values, values + w)
                let first = l - k
                for j in 0..<n { z[j] = 0 }
                for a in 0..<w { z[first + a] = values[a] }
                var ss = 0.0
                for j in first..<n {
                    var s = z[j]
                    var m = max(first, j - k)
                    while m < j { s -= factor[m * w + (j - m)] * z[m]; m += 1 }
                    z[j] = s / factor[j * w]
                    ss += z[j] * z[j]
                }
                out[i] = (ss * scale).squareRoot()
            }
        }
    }
}

/// An upper-triangular band R of n rows stored row by row: row j holds R(j, j ... j+width-1)
/// at [j * width ...] (what the Givens rotations of `SplineFit.givens` build).
enum BandedFactor {
    /// The first row whose pivot is zero to working precision (|R_jj| <= n eps max|R_ii|).
    static func firstZeroPivot(_ r: [Double], _ n: Int, width: Int) -> Int? {
        let largest = (0..<n).reduce(0.0) { max($0, abs(r[$1 * width])) }
        return (0..<n).first { !(abs(r[$0 * width]) > largest * Double(n) * Double.ulpOfOne) }
    }

    /// R c = d by back substitution.
    static func solve(_ r: [Double], _ d: [Double], _ n: Int, width: Int) -> [Double] {
        var c = [Double](repeating: 0, count: n)
        var j = n - 1
        while j >= 0 {
            var s = d[j]
            var b = 1
            while b < width && j + b < n { s -= r[j * width + b] * c[j + b]; b += 1 }
            c[j] = s / r[j * width]
            j -= 1
        }
        return c
    }
}

/// Spline fitting: least squares with given knots, and interpolation.
public enum SplineFit {
    /// Weighted least-squares spline (scipy's make_lsq_spline): minimise
    /// sum (w_i (y_i - s(x_i)))^2 by Givens rotations of the banded B-spline design into a
    /// banded R (FITPACK's scheme: O(n k^2), QR accuracy, no normal equations).
    public static func leastSquares(x: UnsafeBufferPointer<Double>, y: UnsafeBufferPointer<Double>,
                                    weights: UnsafeBufferPointer<Double>?, knots t: [Double],
                                    degree k: Int) throws -> LeastSquaresSpline {
        try BSpline.validate(knots: t, degree: k)
        let m = x.count
        guard m > 0 else { throw InferKitError.dimensionMismatch("n is 0: x needs at least one point") }
        guard y.count == m else { throw InferKitError.dimensionMismatch("y has \(y.count) values but x has \(m)") }
        try requireFinite(x, name: "x")
        try requireFinite(y, name: "y")
        if let weights {
            guard weights.count == m else { throw InferKitError.dimensionMismatch("w has \(weights.count) values but x has \(m)") }
            try requireFinite(weights, name: "w")
            for i in 0..<m where !(weights[i] > 0) {
                throw InferKitError.invalidArgument("w[\(i)] is \(weights[i]): every weight must be > 0")
            }
        }
        let n = t.count - k - 1
        let lo = t[k], hi = t[n]
        for i in 0..<m {
            if i > 0 && x[i] < x[i - 1] {
                throw InferKitError.invalidArgument("x[\(i)] = \(x[i]) < x[\(i - 1)] = \(x[i - 1]): x must be non-decreasing")
            }
            guard x[i] >= lo && x[i] <= hi else {
                throw InferKitError.invalidArgument("x[\(i)] = \(x[i]) is outside the base interval [t[\(k)], t[\(n)]] = [\(lo), \(hi)]")
            }
        }
        // Fixed chunks of sorted data (the split depends only on m, not on the thread count),
        // each rotated into its own banded R; the chunk factors are then merged in order.
        let w = k + 1
        let chunkSize = 16384
        let chunks = (m + chunkSize - 1) / chunkSize
        var factors = [[Double]](repeating: [], count: chunks)
        var rotated = [[Double]](repeating: [], count: chunks)
        var sums = [Double](repeating: 0, count: chunks)
        t.withUnsafeBufferPointer { tp in
            factors.withUnsafeMutableBufferPointer { fs in
            rotated.withUnsafeMutableBufferPointer { ds in
            sums.withUnsafeMutableBufferPointer { ss in
                Parallel.forEach(chunks: chunks, threads: Parallel.coreCount) { chunk, _ in
                    var r = [Double](repeating: 0, count: n * w)
                    var d = [Double](repeating: 0, count: n)
                    let row = UnsafeMutablePointer<Double>.allocate(capacity: 3 * w)
                    defer { row.deallocate() }
                    var residual = 0.0
                    let lo = chunk * chunkSize, hi = min(m, lo + chunkSize)
                    var l = BSpline.interval(tp, k, x[lo])
                    r.withUnsafeMutableBufferPointer { rp in
                        d.withUnsafeMutableBufferPointer { dp in
                            for i in lo..<hi {
                                // x is sorted: walk the interval forward.
                                while l < n - 1 && x[i] >= tp[l + 1] { l += 1 }
                                BSpline.basis(tp, l, k, x[i], row, row + w)
                                let wi = weights?[i] ?? 1
                                for a in 0..<w { row[a] *= wi }
                                let rest = givens(rp.baseAddress!, dp.baseAddress!, row, y[i] * wi,
                                                  first: l - k, width: w, stride: w)
                                residual += rest * rest
                            }
                        }
                    }
                    fs[chunk] = r
                    ds[chunk] = d
                    ss[chunk] = residual
                }
            }}}
        }
        var r = factors[0], d = rotated[0]
        var chi2 = sums[0]
        let row = UnsafeMutablePointer<Double>.allocate(capacity: w)
        defer { row.deallocate() }
        for chunk in 1..<max(chunks, 1) {
            // Every row of a chunk's R is a data row for the merged factor.
            let rc = factors[chunk], dc = rotated[chunk]
            for j in 0..<n {
                var any = false
                for a in 0..<w {
                    row[a] = j + a < n ? rc[j * w + a] : 0
                    any = any || row[a] != 0
                }
                if !any && dc[j] == 0 { continue }
                let rest = r.withUnsafeMutableBufferPointer { rp in
                    d.withUnsafeMutableBufferPointer { dp in
                        givens(rp.baseAddress!, dp.baseAddress!, row, dc[j], first: j,
                               width: min(w, n - j), stride: w)
                    }
                }
                chi2 += rest * rest
            }
            chi2 += sums[chunk]
        }
        // Schoenberg-Whitney: every coefficient needs data under its B-spline.
        if let j = BandedFactor.firstZeroPivot(r, n, width: w) {
            throw InferKitError.singular(
                "coefficient \(j) (B-spline on [t[\(j)], t[\(j + k + 1)]] = [\(t[j]), \(t[j + k + 1])]) has no data: x and t violate the Schoenberg-Whitney conditions")
        }
        let c = BandedFactor.solve(r, d, n, width: w)
        // chi2 is the sum of the squared rotated residuals (FITPACK's fp): no second pass.
        let spline = BSpline(uncheckedKnots: t, coefficients: c, degree: k)
        return LeastSquaresSpline(spline: spline, factor: r, chiSquared: chi2, observations: m)
    }

    /// End conditions of an interpolating spline.
    public enum EndCondition: Int32, Sendable {
        /// scipy's default: knots from the data, no end conditions.
        case notAKnot = 0
        /// k = 3: s'' = 0 at both ends.
        case natural = 1
        /// k = 3: s' = 0 at both ends.
        case clamped = 2
    }

    /// Rotates one weighted data row (`width` values starting at column `first`, right-hand
    /// side `rhs`) into the banded factor R (row j: R(j, j...j+width-1)) and the rotated data d
    /// by Givens rotations (R's rows are `stride` values apart); returns what is left of the
    /// right-hand side (its residual).
    @inline(__always)
    static func givens(_ r: UnsafeMutablePointer<Double>, _ d: UnsafeMutablePointer<Double>,
                       _ row: UnsafeMutablePointer<Double>, _ rhs: Double, first: Int,
                       width: Int, stride: Int) -> Double {
        let w = width
        var rhs = rhs
        for a in 0..<w {
            let v = row[a]
            if v == 0 { continue }
            let j = first + a
            let rjj = r[j * stride]
            let h = (rjj * rjj + v * v).squareRoot()
            let inv = 1 / h
            let c = rjj * inv, s = v * inv
            r[j * stride] = h
            var b = 1
            while a + b < w {
                let rb = r[j * stride + b], vb = row[a + b]
                r[j * stride + b] = c * rb + s * vb
                row[a + b] = c * vb - s * rb
                b += 1
            }
            let dj = d[j]
            d[j] = c * dj + s * rhs
            rhs = c * rhs - s * dj
        }
        return rhs
    }

    /// The interpolating spline of degree k through (x, y), knots and end conditions as
    /// scipy's make_interp_spline; the collocation system is banded and solved by LAPACK dgbsv.
    public static func interpolating(x: UnsafeBufferPointer<Double>, y: UnsafeBufferPointer<Double>,
                                     degree k: Int, end: EndCondition) throws -> BSpline {
        guard k >= 0, k <= BSpline.maximumDegree else {
            throw InferKitError.invalidArgument("k is \(k): the degree must be between 0 and \(BSpline.maximumDegree)")
        }
        let m = x.count
        guard y.count == m else { throw InferKitError.dimensionMismatch("y has \(y.count) values but x has \(m)") }
        guard m >= k + 1, m >= 1 else {
            throw InferKitError.dimensionMismatch("n is \(m): degree \(k) needs at least k + 1 = \(k + 1) points")
        }
        guard m < Int(Int32.max) / 4 else {
            throw InferKitError.dimensionMismatch("n is \(m): LAPACK's 32-bit indices limit the interpolation system")
        }
        try requireFinite(x, name: "x")
        try requireFinite(y, name: "y")
        for i in 1..<max(m, 1) where !(x[i] > x[i - 1]) {
            throw InferKitError.invalidArgument("x[\(i)] = \(x[i]) <= x[\(i - 1)] = \(x[i - 1]): x must be strictly increasing")
        }
        if end != .notAKnot && k != 3 {
            throw InferKitError.invalidArgument("bc is \(end == .natural ? "IK_SPLINE_NATURAL" : "IK_SPLINE_CLAMPED") but k is \(k): natural and clamped ends need k = 3")
        }
        let xs = Array(x)
        if k == 0 { return BSpline(uncheckedKnots: xs + [xs[m - 1]], coefficients: Array(y), degree: 0) }
        if k == 1 { return BSpline(uncheckedKnots: [xs[0]] + xs + [xs[m - 1]], coefficients: Array(y), degree: 1) }
        var t: [Double]
        var derivativeOrder = 0
        switch end {
        case .notAKnot:
            // de Boor's not-a-knot knots (scipy's _not_a_knot): odd k drop (k+1)/2 data points
            // next to each end; even k use the midpoints without k/2 at each end.
            let base = k % 2 == 1 ? xs : (1..<m).map { (xs[$0] + xs[$0 - 1]) / 2 }
            let drop = k % 2 == 1 ? (k + 1) / 2 : k / 2
            let interior = base.count > 2 * drop ? Array(base[drop..<(base.count - drop)]) : []
            t = Array(repeating: xs[0], count: k + 1) + interior + Array(repeating: xs[m - 1], count: k + 1)
        case .natural, .clamped:
            derivativeOrder = end == .natural ? 2 : 1
            t = Array(repeating: xs[0], count: k) + xs + Array(repeating: xs[m - 1], count: k)
        }
        let n = t.count - k - 1
        guard n == m + (derivativeOrder > 0 ? 2 : 0) else {
            throw InferKitError.internal("interpolation knots give \(n) coefficients for \(m) points")
        }
        // Rows: [left condition], collocation at every x, [right condition]; columns l-k..l.
        var rows = [(first: Int, values: [Double], rhs: Double)]()
        let work = UnsafeMutablePointer<Double>.allocate(capacity: 4 * (k + 1) * (k + 1) + 4 * (k + 1))
        defer { work.deallocate() }
        let vals = UnsafeMutablePointer<Double>.allocate(capacity: k + 1)
        defer { vals.deallocate() }
        t.withUnsafeBufferPointer { tp in
            func addRow(_ xv: Double, _ nu: Int, _ rhs: Double) {
                let l = BSpline.interval(tp, k, xv)
                BSpline.basisDerivatives(tp, k, l, nu, xv, vals, work)
                rows.append((l - k, Array(UnsafeBufferPointer(start: vals, count: k + 1)), rhs))
            }
            if derivativeOrder > 0 { addRow(xs[0], derivativeOrder, 0) }
            for i in 0..<m { addRow(xs[i], 0, y[i]) }
            if derivativeOrder > 0 { addRow(xs[m - 1], derivativeOrder, 0) }
        }
        // Bandwidths from the actual pattern.
        var kl = 0, ku = 0
        for (i, row) in rows.enumerated() {
            kl = max(kl, i - row.first)
            ku = max(ku, row.first + k - i)
        }
        let ldab = 2 * kl + ku + 1
        var ab = [Double](repeating: 0, count: ldab * n)
        var b = rows.map(\.rhs)
        for (i, row) in rows.enumerated() {
            for a in 0...k {
                let j = row.first + a
                ab[(kl + ku + i - j) + j * ldab] = row.values[a]
            }
        }
        var pivots = [Int32](repeating: 0, count: n)
        let info = LAPACKE_dgbsv(LAPACK_COL_MAJOR, Int32(n), Int32(kl), Int32(ku), 1, &ab, Int32(ldab),
                                 &pivots, &b, Int32(n))
        if info > 0 {
            throw InferKitError.singular("the interpolation system is singular at coefficient \(info - 1)")
        }
        try LAPACK.check(info, "dgbsv")
        return BSpline(uncheckedKnots: t, coefficients: b, degree: k)
    }
}
