import CLapack

/// Weighted linear least squares: minimise sum_i ((y_i - (A theta)_i) / sigma_i)^2 for one or
/// several right-hand sides, by an orthogonal factorisation of the weighted design (never the
/// normal equations).
///
/// The estimator, top-down:
/// 1. Tall-skinny Householder QR of diag(1/sigma) G in cache-sized blocks across threads
///    (`TallSkinnyQR`), where G is the caller's matrix or a basis evaluated at x.
/// 2. Exact column equilibration of the triangular factor by powers of two, then its singular
///    values (condition number) and, for the QR method, QR with column pivoting (dgeqp3) of the
///    small factor, which is a pivoted QR of the whole weighted design; the rank is decided by
///    the pivoted diagonal (QR) or the singular values (SVD) against rcond.
/// 3. Full rank: triangular solves. Rank-deficient (when allowed): the minimum-norm solution in
///    the equilibrated parametrisation (truncated SVD).
/// 4. When the forward error bound is above 1e-13, iterative refinement on the augmented
///    system with residuals in extended precision against the caller's own design
///    (`Refinement`), for the solution and (condition number > 1e4) the covariance.
public enum LinearLeastSquares {
    /// Fits the caller's design matrix. `design` is rows x cols, `data` rows x rhs, `sigma`
    /// nil or rows positive values.
    public static func fit(design: MatrixView, data: MatrixView,
                           sigma: UnsafeBufferPointer<Double>?,
                           options: LinearOptions = LinearOptions()) throws -> LinearFit {
        guard design.rows == data.rows else {
            throw InferKitError.dimensionMismatch(
                "\(design.name) has \(design.rows) rows but \(data.name) has \(data.rows)")
        }
        let problem = Problem(source: MatrixRowSource(view: design), data: data, sigma: sigma,
                              exact: DenseExtendedDesign(a: design), conversion: nil,
                              output: nil, designName: design.name, basis: nil, factoredBasis: nil,
                              hasConstantColumn: nil,
                              requireFinite: { try design.requireFinite() })
        return try solve(problem, options)
    }

    /// Fits data at points x in a basis. A monomial fit is computed in Chebyshev polynomials of
    /// x mapped from [min x, max x] onto [-1, 1] (well-conditioned, refined there when needed),
    /// then the coefficients and covariance are converted to x^0..x^deg in extended precision.
    public static func fit(x: UnsafeBufferPointer<Double>, data: MatrixView,
                           sigma: UnsafeBufferPointer<Double>?, basis kind: BasisKind,
                           degree: Int, domain: (Double, Double)?, period: Double,
                           options: LinearOptions = LinearOptions()) throws -> LinearFit {
        guard x.count == data.rows else {
            throw InferKitError.dimensionMismatch("x has \(x.count) values but \(data.name) has \(data.rows) rows")
        }
        guard x.count > 0 else { throw InferKitError.dimensionMismatch("x has 0 values") }
        try requireFinite(x, name: "x")
        let spec = try BasisSpec(kind: kind, degree: degree, x: x, domain: domain, period: period)
        let problem: Problem
        if kind == .monomial {
            let (lo, hi) = minMax(x)
            let mapped = try BasisSpec(kind: .chebyshev, degree: degree, x: x,
                                       domain: lo < hi ? (lo, hi) : (lo - 1, lo + 1), period: 0)
            problem = Problem(source: BasisRowSource(spec: mapped, x: x), data: data, sigma: sigma,
                              exact: BasisExtendedDesign(spec: mapped, x: x),
                              conversion: chebyshevToMonomial(mapped),
                              output: (BasisRowSource(spec: spec, x: x),
                                       MonomialExtendedDesign(x: x, degree: degree)),
                              designName: "the monomial design", basis: spec,
                              factoredBasis: mapped,
                              hasConstantColumn: true, requireFinite: {})
        } else {
            problem = Problem(source: BasisRowSource(spec: spec, x: x), data: data, sigma: sigma,
                              exact: BasisExtendedDesign(spec: spec, x: x), conversion: nil,
                              output: nil, designName: "the \(kind) design", basis: spec,
                              factoredBasis: spec,
                              hasConstantColumn: true, requireFinite: {})
        }
        return try solve(problem, options)
    }

    /// Everything the solver needs to know about one problem.
    struct Problem {
        let source: WeightedRowSource
        let data: MatrixView
        let sigma: UnsafeBufferPointer<Double>?
        /// The factorised design G in extended precision.
        let exact: ExtendedDesign
        /// Conversion from coefficients of G to the caller's (nil: identity).
        let conversion: [Extended]?
        /// The caller's design when it differs from G (monomials): rows and extended form, the
        /// design that refinement works against.
        let output: (source: WeightedRowSource, exact: ExtendedDesign)?
        let designName: String
        let basis: BasisSpec?
        let factoredBasis: BasisSpec?
        /// Whether the design has an intercept column (nil: found while factorising).
        let hasConstantColumn: Bool?
        /// Throws the named error for a non-finite design element.
        let requireFinite: () throws -> Void
    }

    // MARK: - The solver

    static func solve(_ pr: Problem, _ options: LinearOptions) throws -> LinearFit {
        try BLASThreads.singleThreaded { try solveUnguarded(pr, options) }
    }

    private static func solveUnguarded(_ pr: Problem, _ options: LinearOptions) throws -> LinearFit {
        try options.validate()
        let n = pr.source.rows, p = pr.source.cols, k = pr.data.cols
        guard n > 0 else { throw InferKitError.dimensionMismatch("the design has 0 rows") }
        guard p > 0 else { throw InferKitError.dimensionMismatch("the design has 0 columns") }
        guard k > 0 else { throw InferKitError.dimensionMismatch("\(pr.data.name) has 0 columns (right-hand sides)") }
        // LAPACK and CBLAS index with 32-bit integers.
        let limit = Int(Int32.max)
        guard n <= limit, p <= limit, k <= limit else {
            throw InferKitError.dimensionMismatch(
                "the problem has \(n) rows, \(p) columns and \(k) right-hand sides: LAPACK's 32-bit indices allow at most \(limit) of each")
        }
        var weights: [Double]? = nil
        if let s = pr.sigma {
            guard s.count == n else {
                throw InferKitError.dimensionMismatch("sigma has \(s.count) values but the design has \(n) rows")
            }
            try requireFinite(s, name: "sigma")
            for i in 0..<n where !(s[i] > 0) {
                throw InferKitError.invalidArgument("sigma[\(i)] is \(s[i]): every sigma must be > 0")
            }
            weights = s.map { 1 / $0 }
        }
        let threads = Parallel.threads(requested: options.threads)
        let allowDeficient = options.allowRankDeficient || options.method == .svd
        let rcond = options.rcond > 0 ? options.rcond : Double.ulpOfOne * Double(max(n, p))
        let dataSource = MatrixRowSource(view: pr.data)

        // 1. Factorise: the core matrix K (m x p) and rotated data c (m x k).
        let m = min(n, p)
        var core: [Double]
        var rotated: [Double]
        var constantColumn: Bool
        if n >= p {
            let qr = try weights.withUnsafeBufferPointerIfPresent { w in
                try TallSkinnyQR(design: pr.source, data: dataSource, weight: w, threads: threads)
            }
            if qr.sawNonFinite {
                try pr.requireFinite()
                try pr.data.requireFinite()
                throw InferKitError.internal("a non-finite value was seen but not found again")
            }
            core = qr.r
            rotated = qr.qty
            constantColumn = pr.hasConstantColumn ?? qr.constantColumns.contains(true)
        } else {
            try pr.requireFinite()
            try pr.data.requireFinite()
            core = [Double](repeating: 0, count: n * p)
            rotated = [Double](repeating: 0, count: n * k)
            var flags = [UInt8](repeating: 1, count: p)
            weights.withUnsafeBufferPointerIfPresent { w in
                core.withUnsafeMutableBufferPointer { c in
                    _ = pr.source.fill(start: 0, count: n, weight: w?.baseAddress, into: c.baseAddress!,
                                       ld: n, constant: &flags)
                }
                rotated.withUnsafeMutableBufferPointer { c in
                    _ = dataSource.fill(start: 0, count: n, weight: w?.baseAddress, into: c.baseAddress!, ld: n)
                }
            }
            constantColumn = pr.hasConstantColumn ?? flags.contains(1)
        }

        // 2. Exact equilibration by powers of two; all-zero columns; too few rows.
        var scale = [Double](repeating: 1, count: p)
        for j in 0..<p {
            // BLAS dnrm2 scales as it sums, so neither huge nor tiny columns over/underflow.
            let norm = core.withUnsafeBufferPointer { cblas_dnrm2(Int32(m), $0.baseAddress! + j * m, 1) }
            if norm == 0 {
                if !allowDeficient {
                    throw InferKitError.singular(
                        "column \(j) of \(pr.designName) is all zeros: parameter \(j) is not determined by the data")
                }
            } else if norm.isFinite {
                scale[j] = Double(sign: .plus, exponent: norm.exponent, significand: 1)
                for i in 0..<m { core[i + j * m] /= scale[j] }
            }
        }
        if n < p && !allowDeficient {
            throw InferKitError.singular(
                "\(pr.designName) has \(n) rows but \(p) columns: more parameters than data points (allow_rank_deficient gives the minimum-norm solution)")
        }

        // Singular values (and vectors, for the SVD and minimum-norm solutions).
        let svd = try SingularValueDecomposition(core, rows: m, cols: p)
        let sv = svd.values
        let cond: Double = (n < p || sv.last! == 0) ? .infinity : sv[0] / sv.last!

        // 3. Rank.
        var pivoted: PivotedQR? = nil
        var rank: Int
        if options.method == .qr && n >= p {
            let q = try PivotedQR(core, p)
            rank = q.rank(rcond: rcond)
            pivoted = q
        } else {
            rank = sv.filter { $0 > rcond * sv[0] }.count
        }
        if rank < p && !allowDeficient {
            throw InferKitError.singular(
                "\(pr.designName) is rank-deficient: numerical rank \(rank) of \(p) columns (condition number \(cond)); allow_rank_deficient gives the minimum-norm solution")
        }

        // 4. Solution and covariance in equilibrated coordinates z = D theta_G, then in the
        //    coefficients theta_G of the factorised design G.
        let (z, covZ): ([Double], DenseMatrix)
        if let pivoted, rank == p {
            (z, covZ) = try pivoted.solve(rotated, rhs: k)
        } else {
            (z, covZ) = svd.truncatedSolve(rotated, rhs: k, rank: rank)
        }
        var covariance = DenseMatrix(rows: p, cols: p)
        for j in 0..<p {
            for i in 0..<p { covariance[i, j] = covZ[i, j] / (scale[i] * scale[j]) }
        }
        var theta = z
        for rhs in 0..<k { for j in 0..<p { theta[j + rhs * p] /= scale[j] } }
        let y = pr.data
        var residuals = [Double](repeating: 0, count: n * k)
        if let dense = pr.exact as? DenseExtendedDesign {
            denseResiduals(dense.a, y, theta, &residuals, threads: threads)
        } else {
            for rhs in 0..<k {
                let ax = pr.exact.product(Array(theta[(rhs * p)..<((rhs + 1) * p)]))
                for i in 0..<n { residuals[i * k + rhs] = Double(Extended(y[i, rhs]) - ax[i]) }
            }
        }
        var chi2 = [Double](repeating: 0, count: k)
        residuals.withUnsafeBufferPointer { res in
            chi2.withUnsafeMutableBufferPointer { c in
                for i in 0..<n {
                    let w = weights?[i] ?? 1
                    for rhs in 0..<k {
                        let t = res[i * k + rhs] * w
                        c[rhs] += t * t
                    }
                }
            }
        }

        // The caller's coefficients: theta = C theta_G for converted bases (monomials).
        let factoredTheta = theta
        let factoredCovariance = covariance
        if let c = pr.conversion {
            for rhs in 0..<k {
                for i in 0..<p {
                    var s: Extended = 0
                    for j in 0..<p { s += c[i + j * p] * Extended(factoredTheta[j + rhs * p]) }
                    theta[i + rhs * p] = Double(s)
                }
            }
            covariance = transform(factoredCovariance, by: c)
        }

        // 5. Extended-precision refinement against the caller's design: always for converted
        //    bases, otherwise when the forward error bound
        //    eps (kappa + kappa^2 |r| / (|K| |z|)) exceeds 1e-13 (Golub and Van Loan 5.3.8).
        var steps = 0
        if rank == p {
            switch options.refine {
            case -1:
                var rho = 0.0
                for rhs in 0..<k {
                    var zn = 0.0
                    for j in 0..<p { zn += z[j + rhs * p] * z[j + rhs * p] }
                    if zn > 0 { rho = max(rho, chi2[rhs].squareRoot() / (sv[0] * zn.squareRoot())) }
                }
                let bound = Double.ulpOfOne * (cond + cond * cond * rho)
                steps = (pr.conversion != nil || bound > 1e-13) ? 10 : 0
            default: steps = options.refine
            }
        }
        var stepsTaken = 0
        if steps > 0 {
            let exact = pr.output?.exact ?? pr.exact
            let refinement = try weights.withUnsafeBufferPointerIfPresent { w in
                try Refinement(source: pr.output?.source ?? pr.source, weight: w, sigma: pr.sigma,
                               exact: exact, maxSteps: steps)
            }
            for rhs in 0..<k {
                let s = try refinement.solve(y: { y[$0, rhs] },
                                             start: Array(theta[(rhs * p)..<((rhs + 1) * p)]))
                for j in 0..<p { theta[j + rhs * p] = s.theta[j] }
                for i in 0..<n { residuals[i * k + rhs] = s.residuals[i] }
                chi2[rhs] = s.chi2
                stepsTaken = max(stepsTaken, s.steps)
            }
            covariance = try refinement.covariance(start: covariance,
                                                   refineColumns: cond > 1e4 || pr.conversion != nil)
            stepsTaken = max(stepsTaken, 1)
        }

        // 6. Goodness of fit and the covariance scale.
        let dof = n - rank
        // R^2, weighted by 1/sigma^2, row by row so that row-major data are read in order.
        var sw = 0.0
        var swy = [Double](repeating: 0, count: k)
        for i in 0..<n {
            let w = weights.map { $0[i] * $0[i] } ?? 1
            sw += w
            for rhs in 0..<k { swy[rhs] += w * y[i, rhs] }
        }
        let means = swy.map { constantColumn ? $0 / sw : 0 }
        var total = [Double](repeating: 0, count: k)
        for i in 0..<n {
            let w = weights.map { $0[i] * $0[i] } ?? 1
            for rhs in 0..<k {
                let d = y[i, rhs] - means[rhs]
                total[rhs] += w * d * d
            }
        }
        let r2 = (0..<k).map { 1 - chi2[$0] / total[$0] }
        let covScale = chi2.map { options.absoluteSigma ? 1 : (dof > 0 ? $0 / Double(dof) : .nan) }
        var singularValues = sv
        if n < p { singularValues = Array(sv.prefix(n)) }
        return LinearFit(rows: n, cols: p, rightHandSides: k, parameters: theta,
                         unscaledCovariance: covariance, covarianceScale: covScale,
                         residuals: residuals, chiSquared: chi2, rSquared: r2,
                         rSquaredCentered: constantColumn, rank: rank,
                         degreesOfFreedom: dof, conditionNumber: cond,
                         singularValues: singularValues, refinementSteps: stepsTaken,
                         method: options.method, absoluteSigma: options.absoluteSigma,
                         basis: pr.basis, factoredBasis: pr.factoredBasis,
                         factoredParameters: pr.factoredBasis == nil ? nil
                             : (pr.conversion == nil ? theta : factoredTheta),
                         factoredCovariance: pr.factoredBasis == nil ? nil
                             : (pr.conversion == nil ? covariance : factoredCovariance))
    }

    /// C M C^T in extended precision.
    static func transform(_ m: DenseMatrix, by c: [Extended]) -> DenseMatrix {
        let p = m.rows
        var cm = [Extended](repeating: 0, count: p * p)
        for j in 0..<p {
            for i in 0..<p {
                var s: Extended = 0
                for a in 0..<p { s += c[i + a * p] * Extended(m[a, j]) }
                cm[i + j * p] = s
            }
        }
        var out = DenseMatrix(rows: p, cols: p)
        for j in 0..<p {
            for i in 0..<p {
                var s: Extended = 0
                for a in 0..<p { s += cm[i + a * p] * c[j + a * p] }
                out[i, j] = Double(s)
            }
        }
        return out
    }

    /// residuals = y - A theta (row-major rows x k) for a dense design by BLAS dgemm, in
    /// parallel over fixed row chunks.
    static func denseResiduals(_ a: MatrixView, _ y: MatrixView, _ theta: [Double],
                               _ residuals: inout [Double], threads: Int) {
        let n = a.rows, p = a.cols, k = y.cols
        let chunk = max(1, 65536 / max(k, p))
        let chunks = (n + chunk - 1) / chunk
        let rowMajor = a.colStride == 1
        let lda = rowMajor ? a.rowStride : a.colStride
        theta.withUnsafeBufferPointer { th in
            residuals.withUnsafeMutableBufferPointer { res in
                Parallel.forEach(chunks: chunks, threads: threads) { c, _ in
                    let lo = c * chunk, hi = min(n, lo + chunk)
                    for i in lo..<hi { for rhs in 0..<k { res[i * k + rhs] = y[i, rhs] } }
                    // Row-major R (m x k) -= A (m x p) Theta, with Theta stored p x k
                    // column-major, i.e. Theta^T row-major.
                    let first = rowMajor ? a.base + lo * a.rowStride : a.base + lo
                    if k == 1 {  // dgemv: dgemm would pack A for a single column
                        cblas_dgemv(rowMajor ? CblasRowMajor : CblasColMajor, CblasNoTrans,
                                    Int32(hi - lo), Int32(p), -1, first, Int32(lda),
                                    th.baseAddress!, 1, 1, res.baseAddress! + lo, 1)
                    } else {
                        cblas_dgemm(CblasRowMajor, rowMajor ? CblasNoTrans : CblasTrans, CblasTrans,
                                    Int32(hi - lo), Int32(k), Int32(p), -1, first, Int32(lda),
                                    th.baseAddress!, Int32(p), 1, res.baseAddress! + lo * k, Int32(k))
                    }
                }
            }
        }
    }

    /// Coefficients of x^i in T_k(u(x)), u = (x - mid)/half, as a p x p column-major matrix
    /// C (entry (i, k)) in extended precision: monomial coefficients = C * Chebyshev coefficients.
    static func chebyshevToMonomial(_ spec: BasisSpec) -> [Extended] {
        let d = spec.degree, p = d + 1
        let (mid, half) = spec.mapping
        let a = 1 / Extended(half), b = -Extended(mid) / Extended(half)
        // Chebyshev coefficients in u: t[k][m].
        var t = [[Extended]](repeating: [Extended](repeating: 0, count: p), count: p)
        t[0][0] = 1
        if d >= 1 { t[1][1] = 1 }
        if d >= 2 {
            for k in 2...d {
                for m in 0...k {
                    var v: Extended = m > 0 ? 2 * t[k - 1][m - 1] : 0
                    v -= t[k - 2][m]
                    t[k][m] = v
                }
            }
        }
        // Powers of u in x: pw[m][i] = coefficient of x^i in (a x + b)^m.
        var pw = [[Extended]](repeating: [Extended](repeating: 0, count: p), count: p)
        pw[0][0] = 1
        if d >= 1 {
            for m in 1...d {
                for i in 0...m {
                    var v: Extended = pw[m - 1][i] * b
                    if i > 0 { v += pw[m - 1][i - 1] * a }
                    pw[m][i] = v
                }
            }
        }
        var c = [Extended](repeating: 0, count: p * p)
        for k in 0...d {
            for i in 0...k {
                var s: Extended = 0
                for m in i...k { s += t[k][m] * pw[m][i] }
                c[i + k * p] = s
            }
        }
        return c
    }
}

extension Optional where Wrapped == [Double] {
    /// Calls `body` with a buffer over the array, or nil.
    func withUnsafeBufferPointerIfPresent<R>(_ body: (UnsafeBufferPointer<Double>?) throws -> R) rethrows -> R {
        switch self {
        case .some(let a): return try a.withUnsafeBufferPointer { try body($0) }
        case .none: return try body(nil)
        }
    }
}
