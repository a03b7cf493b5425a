/// Iterative refinement of a full-rank least-squares solution on the augmented system
///
///     [ I    A_w ] [ r ]   [ f ]
///     [ A_w^T  0 ] [ x ] = [ g ]
///
/// (Björck 1967), with the residuals of both block rows computed in extended precision against
/// the caller's own design G (A_w = diag(1/sigma) G: the caller's unscaled matrix, or the basis
/// at the caller's x), and each correction solved with one Householder QR of A_w.
/// f = y/sigma, g = 0 gives the solution; f = 0, g = -e_j gives column j of (A_w^T A_w)^-1,
/// so the covariance is refined the same way.
struct Refinement {
    let n: Int
    let p: Int
    /// Householder factors of F (n x p, column-major) and their scalars.
    private var factors: [Double]
    private var tau: [Double]
    let exact: ExtendedDesign
    let sigma: UnsafeBufferPointer<Double>?
    let maxSteps: Int

    init(source: WeightedRowSource, weight: UnsafeBufferPointer<Double>?,
         sigma: UnsafeBufferPointer<Double>?, exact: ExtendedDesign, maxSteps: Int) throws {
        n = source.rows
        p = source.cols
        self.exact = exact
        self.sigma = sigma
        self.maxSteps = maxSteps
        factors = [Double](repeating: 0, count: n * p)
        tau = [Double](repeating: 0, count: p)
        let (n, p) = (self.n, self.p)
        try factors.withUnsafeMutableBufferPointer { f in
            _ = source.fill(start: 0, count: n, weight: weight?.baseAddress, into: f.baseAddress!, ld: n)
            try tau.withUnsafeMutableBufferPointer { t in
                try LAPACK.geqrf(n, p, f.baseAddress!, n, t.baseAddress!)
            }
        }
    }

    private func sigmaAt(_ i: Int) -> Extended { sigma.map { Extended($0[i]) } ?? 1 }

    private func applyQ(_ v: inout [Double], transpose: Bool) throws {
        try factors.withUnsafeBufferPointer { f in
            try tau.withUnsafeBufferPointer { t in
                try v.withUnsafeMutableBufferPointer { vp in
                    try LAPACK.ormqr(transpose: transpose, n, 1, p, f.baseAddress!, n,
                                     t.baseAddress!, vp.baseAddress!, n)
                }
            }
        }
    }

    private func solveR(_ v: inout [Double], transpose: Bool) {
        factors.withUnsafeBufferPointer { f in
            v.withUnsafeMutableBufferPointer { vp in
                LAPACK.trsm(transpose: transpose, p, 1, f.baseAddress!, n, vp.baseAddress!, p)
            }
        }
    }

    /// Solves the augmented system for the residual pair (e1, e2) with the QR factors.
    private func correction(_ e1: [Extended], _ e2: [Extended]) throws -> (dx: [Double], dr: [Double]) {
        var h = e2.map { Double($0) }
        solveR(&h, transpose: true)
        var d = e1.map { Double($0) }
        try applyQ(&d, transpose: true)
        var dz = (0..<p).map { d[$0] - h[$0] }
        solveR(&dz, transpose: false)
        for i in 0..<p { d[i] = h[i] }
        try applyQ(&d, transpose: false)
        return (dz, d)
    }

    /// Refines (x, r) for right-hand side f = y/sigma (y given, or nil for f = 0) and
    /// g = -e_j (j given) or 0. Returns the number of steps taken.
    private func refine(x: inout [Double], r: inout [Double], y: ((Int) -> Double)?,
                        unit j: Int?) throws -> Int {
        var previous = Double.infinity
        var steps = 0
        while steps < maxSteps {
            let ax = exact.product(x)
            var e1 = [Extended](repeating: 0, count: n)
            var weighted = [Extended](repeating: 0, count: n)
            for i in 0..<n {
                let f = y.map { Extended($0(i)) } ?? 0
                e1[i] = (f - ax[i]) / sigmaAt(i) - Extended(r[i])
                weighted[i] = Extended(r[i]) / sigmaAt(i)
            }
            var e2 = exact.transposedProduct(weighted).map { -$0 }
            if let j { e2[j] -= 1 }
            let (dx, dr) = try correction(e1, e2)
            // Componentwise relative size of the correction, so that small parameters converge
            // as well as the large ones.
            var size = 0.0
            for i in 0..<p { size = max(size, abs(dx[i]) / (x[i] == 0 ? 1 : abs(x[i]))) }
            if !(size < previous) { break }  // no longer contracting: keep the last iterate
            for i in 0..<p { x[i] += dx[i] }
            for i in 0..<n { r[i] += dr[i] }
            steps += 1
            previous = size
            if size <= Double.ulpOfOne { break }
        }
        return steps
    }

    /// The refined solution for data y (one right-hand side): parameters, residuals y - A theta
    /// (rounded from extended precision), chi2 (accumulated in extended precision), steps.
    /// `start` is a first solution (e.g. from a better-conditioned basis); nil solves with
    /// this factorisation.
    func solve(y: @escaping (Int) -> Double, start: [Double]?) throws -> (theta: [Double], residuals: [Double], chi2: Double, steps: Int) {
        var theta: [Double]
        if let start {
            theta = start
        } else {
            var d = (0..<n).map { y($0) / Double(sigmaAt($0)) }
            try applyQ(&d, transpose: true)
            theta = Array(d[0..<p])
            solveR(&theta, transpose: false)
        }
        var ax = exact.product(theta)
        var r = (0..<n).map { Double((Extended(y($0)) - ax[$0]) / sigmaAt($0)) }
        let steps = try refine(x: &theta, r: &r, y: y, unit: nil)
        ax = exact.product(theta)
        var chi2: Extended = 0
        var residuals = [Double](repeating: 0, count: n)
        for i in 0..<n {
            let e = Extended(y(i)) - ax[i]
            residuals[i] = Double(e)
            let t = e / sigmaAt(i)
            chi2 += t * t
        }
        return (theta, residuals, Double(chi2), steps)
    }

    /// (A_w^T A_w)^-1 with each column refined when `refineColumns`, then symmetrised.
    /// `start` is a first covariance (nil: from this factorisation).
    func covariance(start: DenseMatrix?, refineColumns: Bool) throws -> DenseMatrix {
        if !refineColumns, let start { return start }
        var cov = start ?? unrefinedCovariance()
        for j in 0..<p where refineColumns {
            var x = Array(cov.elements[(j * p)..<((j + 1) * p)])
            let ax = exact.product(x)
            var r = (0..<n).map { Double(-ax[$0] / sigmaAt($0)) }
            _ = try refine(x: &x, r: &r, y: nil, unit: j)
            for i in 0..<p { cov[i, j] = x[i] }
        }
        for j in 0..<p {
            for i in 0..<j {
                let m = 0.5 * (cov[i, j] + cov[j, i])
                cov[i, j] = m; cov[j, i] = m
            }
        }
        return cov
    }

    /// R^-1 R^-T from this factorisation.
    private func unrefinedCovariance() -> DenseMatrix {
        factors.withUnsafeBufferPointer { inverseGram(upper: $0.baseAddress!, ld: n, p) }
    }
}
