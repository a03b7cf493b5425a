#if canImport(Glibc)
import Glibc
#endif

/// Options of general-form Tikhonov regularisation.
public struct TikhonovOptions: Sendable {
    /// How lam is chosen (GCV by default).
    public var method: ParameterChoice = .gcv
    /// false (default): sigma are relative weights and the covariance is scaled by the noise
    /// variance estimated from the residual, ||r||^2 / (m - tr H); true: sigma are absolute.
    public var absoluteSigma = false
    /// lam of `ParameterChoice.fixed` (>= 0).
    public var lambda = 0.0
    /// tau of the discrepancy principle ||r||^2 = tau^2 m (> 0, default 1).
    public var discrepancyFactor = 1.0
    /// Points of the automatic lam grid (>= 1, default 100).
    public var gridCount = 100
    /// Refine the choice between grid points: -1 (default) only on the automatic grid,
    /// 0 never (the best grid point), 1 always.
    public var refine = -1
    /// Solve for f >= 0 at the chosen lam (non-negative least squares of the stacked system).
    public var nonnegative = false
    /// Compute the solution at the chosen lam from a Householder QR of the stacked matrix
    /// [W^1/2 A; sqrt(lam) L] (which then also gives the covariance) instead of from the
    /// standard-form SVD: O(n^2 (m + p)) more work, the same answer to rounding.
    public var stackedSolve = false
    /// Relative cut-off for the rank of a caller's L and the null-space check; <= 0 means
    /// eps max(m, n).
    public var rcond = 0.0
    /// Threads for the large matrix products; 0 = all cores. Results do not depend on it.
    public var threads = 0

    /// The defaults: GCV on an automatic grid of 100 lam, relative sigma, unconstrained.
    public init() {}

    /// Throws `invalidArgument` naming the first option out of range.
    public func validate() throws {
        guard lambda.isFinite, lambda >= 0 else {
            throw InferKitError.invalidArgument("options->lam is \(describe(lambda)): lam must be finite and >= 0")
        }
        guard discrepancyFactor.isFinite, discrepancyFactor > 0 else {
            throw InferKitError.invalidArgument("options->discrepancy_factor is \(describe(discrepancyFactor)): it must be finite and > 0")
        }
        guard gridCount >= 1, gridCount <= 1_000_000 else {
            throw InferKitError.invalidArgument("options->n_grid is \(gridCount): it must be between 1 and 1000000")
        }
        guard refine >= -1, refine <= 1 else {
            throw InferKitError.invalidArgument("options->refine is \(refine): use -1 (automatic), 0 or 1")
        }
        guard !rcond.isNaN, rcond < 1 else {
            throw InferKitError.invalidArgument("options->rcond is \(describe(rcond)): it must be < 1 (<= 0 for the default)")
        }
        guard threads >= 0 else {
            throw InferKitError.invalidArgument("options->n_threads is \(threads): it must be >= 0 (0 = all cores)")
        }
    }
}

/// General-form Tikhonov regularisation (the lecture's "Regularisation" and "Deconvolution and
/// Regularisation"):
///     min_f ||W^1/2 (y - A f)||^2 + lam ||L f||^2,   W = diag(1/sigma^2),
/// with lam chosen by GCV, the L-curve corner, the discrepancy principle, or given.
///
/// Top-down: the weighted problem is brought to standard form by Elden's transformation
/// (`StandardForm`: the null space of L split off by a QR factorisation of A N), the
/// standard-form matrix is factorised once (`SpectralFactors`: its SVD, or a low-rank one to
/// 1e-14 when it is numerically low-rank), so the whole lam curve (residual norm, seminorm,
/// GCV, L-curve curvature, effective degrees of freedom) costs O(k) per lam
/// (`TikhonovCurve`), and the solution at the chosen lam costs O(m n). The posterior covariance
/// (A^T W A + lam L^T L)^-1 comes, on request, from a Householder QR of the stacked matrix
/// [W^1/2 A; sqrt(lam) L], never from the normal equations.
public enum Tikhonov {
    /// Regularised solution of the caller's problem. `design` is m x n, `data` and `sigma`
    /// (nil: all 1) have m values, `grid` (nil: automatic) holds lam values >= 0 in any order.
    public static func fit(design: MatrixView, data: UnsafeBufferPointer<Double>,
                           sigma: UnsafeBufferPointer<Double>?, penalty: Penalty,
                           grid: UnsafeBufferPointer<Double>?,
                           options: TikhonovOptions = TikhonovOptions()) throws -> TikhonovFit {
        try options.validate()
        let problem = try WeightedProblem(design: design, data: data, sigma: sigma, threads: options.threads)
        if options.method == .discrepancy && sigma == nil {
            throw InferKitError.invalidArgument(
                "sigma is NULL: the discrepancy principle needs the absolute errors sigma of y")
        }
        let userGrid = try grid.map { try validatedGrid($0) }
        let operatorL = try PenaltyOperator(penalty, unknowns: problem.n)
        return try BLASThreads.singleThreaded {
            try solve(problem, operatorL, userGrid, options)
        }
    }

    static func validatedGrid(_ g: UnsafeBufferPointer<Double>) throws -> [Double] {
        guard g.count > 0 else { throw InferKitError.dimensionMismatch("n_lam is 0: the lam grid needs at least one value") }
        try requireFinite(g, name: "lam_grid")
        for i in 0..<g.count where g[i] < 0 {
            throw InferKitError.invalidArgument("lam_grid[\(i)] is \(g[i]): every lam must be >= 0")
        }
        return Array(g)
    }

    static func solve(_ pr: WeightedProblem, _ penalty: PenaltyOperator, _ userGrid: [Double]?,
                      _ options: TikhonovOptions) throws -> TikhonovFit {
        let m = pr.m, n = pr.n
        let threads = Parallel.threads(requested: options.threads)
        let rcond = options.rcond > 0 ? options.rcond : Double.ulpOfOne * Double(max(m, n))
        let form = try StandardForm(a: pr.a, m: m, n: n, b: pr.b, penalty: penalty, rcond: rcond,
                                    threads: threads)
        let factors = try form.withAbar { abar, ld in
            try SpectralFactors(abar: abar, ld: ld, rows: m - form.q, cols: form.p, b: form.bbar, threads: threads)
        }
        let curve = TikhonovCurve(values: factors.values, beta: factors.beta, outside: factors.outside,
                                  observations: m, nullDimension: form.q)
        var flags: RegularizationFlags = factors.lowRank ? [.lowRank] : []
        var grid: [Double]
        if let userGrid {
            grid = userGrid
        } else if options.method == .fixed && (factors.values.first ?? 0) == 0 {
            grid = []
        } else {
            grid = try curve.automaticGrid(count: options.gridCount)
        }
        let points = grid.map { curve.point($0) }
        var lam = options.lambda
        if options.method != .fixed {
            let refine = options.refine == 1 || (options.refine == -1 && userGrid == nil)
            let target = options.discrepancyFactor * options.discrepancyFactor * Double(m)
            let choice = try curve.choose(options.method, grid: grid, points: points, refine: refine,
                                          target: target)
            lam = choice.lambda
            flags.formUnion(choice.flags)
        }
        let chosen = curve.point(lam)
        // xbar = sum_i s_i beta_i / (s_i^2 + lam) v_i.
        var coefficients = [Double](repeating: 0, count: factors.count)
        for i in 0..<factors.count {
            let s = factors.values[i]
            if s > 0 { coefficients[i] = s * factors.beta[i] / (s * s + lam) }
        }
        var f = form.solution(factors.combine(coefficients, terms: factors.count))
        var residualNorm = chosen.residualNorm, solutionNorm = chosen.solutionNorm
        var stacked: StackedQR? = nil
        if options.stackedSolve && !options.nonnegative {
            let factor = try StackedQR(problem: pr, penalty: penalty, lambda: lam, columns: Array(0..<n),
                                       threads: threads)
            f = factor.solution()
            residualNorm = pr.residualNorm(f)
            solutionNorm = cblas_norm(penalty.apply(f), penalty.rows)
            stacked = factor
        }
        if options.nonnegative {
            f = try NonNegativeStacked.solve(pr, penalty, lambda: lam)
            residualNorm = pr.residualNorm(f)
            solutionNorm = cblas_norm(penalty.apply(f), penalty.rows)
            if f.contains(0) { flags.insert(.atBound) }
        }
        var variance = 1.0
        if !options.absoluteSigma {
            variance = chosen.residualDof > 0 ? residualNorm * residualNorm / chosen.residualDof : .nan
            if !(chosen.residualDof > 0) { flags.insert(.noDegreesOfFreedom) }
        }
        return TikhonovFit(problem: pr, penalty: penalty, parameters: f, lambda: lam, method: options.method,
                           chosen: CurvePoint(lambda: lam, residualNorm: residualNorm, solutionNorm: solutionNorm,
                                              gcv: chosen.gcv, curvature: chosen.curvature, edf: chosen.edf,
                                              residualDof: chosen.residualDof),
                           curve: points, singularValues: factors.values, picard: factors.beta,
                           nullDimension: form.q, noiseVariance: variance, flags: flags,
                           nonnegative: options.nonnegative, absoluteSigma: options.absoluteSigma,
                           threads: threads, stackedFactor: stacked)
    }
}

/// A weighted least-squares problem owned by the core: W^1/2 A (m x n column-major) and
/// W^1/2 y, checked for sizes, finiteness and sigma > 0.
struct WeightedProblem: Sendable {
    let m: Int, n: Int
    /// W^1/2 A, column-major.
    let a: [Double]
    /// W^1/2 y.
    let b: [Double]

    init(design: MatrixView, data: UnsafeBufferPointer<Double>, sigma: UnsafeBufferPointer<Double>?,
         threads: Int = 0) throws {
        let m = design.rows, n = design.cols
        try requireShapes(design, data: data)
        var w = [Double](repeating: 1, count: m)
        if let sigma {
            guard sigma.count == m else {
                throw InferKitError.dimensionMismatch("sigma has \(sigma.count) values but A has \(m) rows")
            }
            try requireFinite(sigma, name: "sigma")
            for i in 0..<m where !(sigma[i] > 0) {
                throw InferKitError.invalidArgument("sigma[\(i)] is \(sigma[i]): every sigma must be > 0")
            }
            for i in 0..<m { w[i] = 1 / sigma[i] }
        }
        try requireFinite(data, name: "y")
        let (a, finite) = WeightedProblem.columnMajor(design, rowScale: w, threads: threads)
        if !finite {
            try design.requireFinite()
            throw InferKitError.internal("a non-finite value of \(design.name) was seen but not found again")
        }
        self.m = m
        self.n = n
        self.a = a
        b = (0..<m).map { data[$0] * w[$0] }
    }

    /// The caller's matrix times diag(rowScale) on the left, column-major, copied in tiles of
    /// 64 columns across threads (a fixed split); and whether every element was finite.
    static func columnMajor(_ v: MatrixView, rowScale w: [Double], threads: Int) -> ([Double], Bool) {
        let m = v.rows, n = v.cols
        var out = [Double](repeating: 0, count: m * n)
        let tiles = (n + 63) / 64
        var bad = [UInt8](repeating: 0, count: tiles)
        out.withUnsafeMutableBufferPointer { o in
            bad.withUnsafeMutableBufferPointer { flags in
                let dst = o.baseAddress!, rs = v.rowStride, cs = v.colStride, src = v.base
                Parallel.forEach(chunks: tiles, threads: Parallel.threads(requested: threads)) { t, _ in
                    let j0 = t * 64, j1 = min(n, j0 + 64)
                    var flag: UInt8 = 0
                    for i in 0..<m {
                        let row = src + i * rs, wi = w[i]
                        for j in j0..<j1 {
                            let x = row[j * cs]
                            flag |= x.isFinite ? 0 : 1
                            dst[i + j * m] = x * wi
                        }
                    }
                    flags[t] = flag
                }
            }
        }
        return (out, !bad.contains(1))
    }

    /// ||W^1/2 (y - A f)||.
    func residualNorm(_ f: [Double]) -> Double {
        var r = b
        a.withUnsafeBufferPointer { ap in
            f.withUnsafeBufferPointer { fp in
                r.withUnsafeMutableBufferPointer { rp in
                    LAPACK.gemv(transpose: false, m, n, -1, ap.baseAddress!, m, fp.baseAddress!, 1, 1,
                                rp.baseAddress!, 1)
                }
            }
        }
        return cblas_norm(r, m)
    }
}

/// Rows of the stacked matrix [W^1/2 A; sqrt(lam) L] restricted to some columns, for the
/// tall-skinny QR.
struct StackedRowSource: WeightedRowSource {
    let problem: WeightedProblem
    let penalty: PenaltyOperator
    let scale: Double
    let columns: [Int]
    var rows: Int { problem.m + penalty.rows }
    var cols: Int { columns.count }

    func fill(start: Int, count: Int, weight: UnsafePointer<Double>?,
              into out: UnsafeMutablePointer<Double>, ld: Int,
              constant: UnsafeMutablePointer<UInt8>?) -> Bool {
        let m = problem.m
        let top = max(0, min(count, m - start))
        if top > 0 {
            problem.a.withUnsafeBufferPointer { a in
                for (c, j) in columns.enumerated() {
                    for i in 0..<top { out[i + c * ld] = a[start + i + j * m] }
                }
            }
        }
        if top < count {
            penalty.fillRows(start: start + top - m, count: count - top, scale: scale, columns: columns,
                             into: out + top, ld: ld)
        }
        if let constant { for c in 0..<columns.count { constant[c] = 0 } }
        return true
    }
}

/// The data of the stacked problem: W^1/2 y above zeros.
struct StackedDataSource: WeightedRowSource {
    let problem: WeightedProblem
    let extra: Int
    var rows: Int { problem.m + extra }
    var cols: Int { 1 }

    func fill(start: Int, count: Int, weight: UnsafePointer<Double>?,
              into out: UnsafeMutablePointer<Double>, ld: Int,
              constant: UnsafeMutablePointer<UInt8>?) -> Bool {
        for i in 0..<count { out[i] = start + i < problem.m ? problem.b[start + i] : 0 }
        return true
    }
}

/// The Householder QR of the stacked matrix [W^1/2 A; sqrt(lam) L] (restricted to some
/// columns), by the tall-skinny QR: R and Q^T [W^1/2 y; 0]. Throws `singular` when R has a
/// diagonal entry below k eps max|R_ii| (A^T W A + lam L^T L singular).
struct StackedQR {
    /// R, k x k upper triangular, column-major.
    let r: [Double]
    /// The first k values of Q^T [W^1/2 y; 0].
    let qty: [Double]
    let k: Int

    init(problem: WeightedProblem, penalty: PenaltyOperator, lambda: Double, columns: [Int], threads: Int) throws {
        let source = StackedRowSource(problem: problem, penalty: penalty, scale: lambda.squareRoot(),
                                      columns: columns)
        k = columns.count
        guard source.rows >= k else {
            throw InferKitError.singular(
                "A^T W A + lam L^T L is singular: A and L have \(source.rows) rows together but f has \(k) free values")
        }
        let qr = try BLASThreads.singleThreaded {
            try TallSkinnyQR(design: source, data: StackedDataSource(problem: problem, extra: penalty.rows),
                             weight: nil, threads: threads)
        }
        var largest = 0.0
        for i in 0..<k { largest = max(largest, abs(qr.r[i + i * k])) }
        for i in 0..<k where !(abs(qr.r[i + i * k]) > Double(k) * Double.ulpOfOne * largest) {
            throw InferKitError.singular(
                "A^T W A + lam L^T L is singular at lam = \(lambda) (A is rank-deficient on the null space of the penalty): the posterior covariance does not exist")
        }
        r = qr.r
        qty = qr.qty
    }

    /// R^-1 Q^T [W^1/2 y; 0]: the regularised least-squares solution.
    func solution() -> [Double] {
        var f = qty
        r.withUnsafeBufferPointer { rp in
            f.withUnsafeMutableBufferPointer { fp in
                LAPACK.trsm(transpose: false, k, 1, rp.baseAddress!, k, fp.baseAddress!, k)
            }
        }
        return f
    }
}

/// Non-negative solutions of the stacked system [W^1/2 A; sqrt(lam) L] f ~ [W^1/2 y; 0].
enum NonNegativeStacked {
    static func solve(_ pr: WeightedProblem, _ penalty: PenaltyOperator, lambda: Double) throws -> [Double] {
        let rows = pr.m + penalty.rows, n = pr.n
        _ = try checkedProduct(rows, n, "the stacked matrix [A; sqrt(lam) L]")
        var s = [Double](repeating: 0, count: rows * n)
        let source = StackedRowSource(problem: pr, penalty: penalty, scale: lambda.squareRoot(),
                                      columns: Array(0..<n))
        s.withUnsafeMutableBufferPointer { sp in
            _ = source.fill(start: 0, count: rows, weight: nil, into: sp.baseAddress!, ld: rows, constant: nil)
        }
        let data = pr.b + [Double](repeating: 0, count: penalty.rows)
        return try NonNegativeLeastSquares.solve(s, rows, n, data, [Double](repeating: 0, count: n),
                                                 [Double](repeating: .infinity, count: n), ActiveSetOptions())
    }
}

/// The result of `Tikhonov.fit`.
public final class TikhonovFit: @unchecked Sendable {
    /// The solution f (n values).
    public let parameters: [Double]
    /// The lam used.
    public let lambda: Double
    /// How lam was chosen.
    public let method: ParameterChoice
    /// Residual norm ||W^1/2 (y - A f)||, seminorm ||L f||, GCV, L-curve curvature and tr H
    /// at lam (for non-negative solutions the norms are those of the returned f, the other
    /// values those of the unconstrained problem).
    public let chosen: CurvePoint
    /// The curve at every grid lam, in the grid's order.
    public let curve: [CurvePoint]
    /// Singular values s_i of the standard-form matrix, descending.
    public let singularValues: [Double]
    /// beta_i = u_i^T bbar: the Picard coefficients of the standard-form data.
    public let picard: [Double]
    /// Dimension q of the null space of L (unpenalised directions).
    public let nullDimension: Int
    /// The factor of the covariance: 1 with absolute sigma, else ||r||^2 / (m - tr H).
    public let noiseVariance: Double
    /// Warnings.
    public let flags: RegularizationFlags
    /// Whether f was constrained to be >= 0.
    public let nonnegative: Bool
    /// Whether sigma were absolute (the covariance not scaled).
    public let absoluteSigma: Bool
    /// Observations m.
    public var rows: Int { problem.m }
    /// Unknowns n.
    public var cols: Int { problem.n }
    /// Rows of L.
    public var penaltyRows: Int { penalty.rows }

    private let problem: WeightedProblem
    private let penalty: PenaltyOperator
    private let threads: Int
    private var cachedCovariance: DenseMatrix? = nil
    /// The QR of the stacked matrix when the solution came from it.
    private let stackedFactor: StackedQR?

    init(problem: WeightedProblem, penalty: PenaltyOperator, parameters: [Double], lambda: Double,
         method: ParameterChoice, chosen: CurvePoint, curve: [CurvePoint], singularValues: [Double],
         picard: [Double], nullDimension: Int, noiseVariance: Double, flags: RegularizationFlags,
         nonnegative: Bool, absoluteSigma: Bool, threads: Int, stackedFactor: StackedQR?) {
        self.problem = problem
        self.penalty = penalty
        self.parameters = parameters
        self.lambda = lambda
        self.method = method
        self.chosen = chosen
        self.curve = curve
        self.singularValues = singularValues
        self.picard = picard
        self.nullDimension = nullDimension
        self.noiseVariance = noiseVariance
        self.flags = flags
        self.nonnegative = nonnegative
        self.absoluteSigma = absoluteSigma
        self.threads = threads
        self.stackedFactor = stackedFactor
    }

    /// The Tikhonov filter factors f_i = s_i^2 / (s_i^2 + lam) of the standard form at lam.
    public var filterFactors: [Double] {
        singularValues.map { s in s > 0 ? s * s / (s * s + lambda) : 0 }
    }

    /// The posterior covariance of f, (A^T W A + lam L^T L)^-1 times `noiseVariance`, n x n,
    /// from a Householder QR of [W^1/2 A; sqrt(lam) L]: the covariance of the Gaussian
    /// posterior with prior f ~ N(0, (lam L^T L)^-1 sigma^2). For non-negative solutions it is
    /// that of the free values (f_i > 0); rows and columns of values at the bound are NaN.
    /// Computed on the first call (O(n^2 (m + p))) and kept. Throws `singular` when the matrix
    /// is singular (lam = 0 with a rank-deficient A, or A and L with a common null vector).
    public func covariance() throws -> DenseMatrix {
        if let c = cachedCovariance { return c }
        let n = problem.n
        let free = nonnegative ? (0..<n).filter { parameters[$0] > 0 } : Array(0..<n)
        var cov = DenseMatrix(rows: n, cols: n)
        for i in 0..<(n * n) { cov.elements[i] = .nan }
        let k = free.count
        if k > 0 {
            var r = try stackedFactor?.r
                ?? StackedQR(problem: problem, penalty: penalty, lambda: lambda, columns: free, threads: threads).r
            let ok = try r.withUnsafeMutableBufferPointer { try LAPACK.potri(k, $0.baseAddress!, k) }
            guard ok else { throw InferKitError.singular("A^T W A + lam L^T L is singular at lam = \(lambda)") }
            for b in 0..<k {
                for a in 0...b {
                    let v = r[a + b * k] * noiseVariance
                    cov[free[a], free[b]] = v
                    cov[free[b], free[a]] = v
                }
            }
        }
        cachedCovariance = cov
        return cov
    }
}
