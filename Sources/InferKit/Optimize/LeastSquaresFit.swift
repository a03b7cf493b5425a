// A nonlinear fit with honest uncertainties: the Laplace (Gauss-Newton) reading of the
// curvature at the optimum, cov = s² (J̃ᵀJ̃)⁻¹ with s² = 2C/(m − n) for relative σ and 1
// for absolute σ (scipy's curve_fit), from the pivoted QR of the Jacobian at the optimum
// (never the normal equations); optionally the full-Hessian covariance ∇²C⁻¹ with the
// model's exact second derivatives. Where a covariance cannot be computed the fit says which
// parameter and why instead of returning numbers.
import CLapack
import Glibc

/// A fitted model: the solution and its statistics.
public struct LeastSquaresFit {
    /// The solver's outcome (parameters, residuals, Jacobian, stopping reason, counts).
    public let solution: LeastSquaresSolution
    /// Parameter names.
    public let parameterNames: [String]
    /// True when σ were absolute 1-σ errors (covariance not rescaled by χ²/dof).
    public let absoluteSigma: Bool
    /// χ² = Σ r_i², the weighted residuals without the loss.
    public let chiSquared: Double
    /// Degrees of freedom m − n.
    public let degreesOfFreedom: Int
    /// The covariance of the parameters (n × n); rows and columns of parameters without an
    /// uncertainty are NaN. nil when none can be computed.
    public let covariance: DenseMatrix?
    /// Why the covariance is missing or partial (names the parameter), nil when complete.
    public let covarianceIssue: String?
    /// The index of the parameter `covarianceIssue` names, if any.
    public let covarianceIssueParameter: Int?
    /// Numerical rank of the Jacobian of the free parameters.
    public let rank: Int
    /// 2-norm condition number of the weighted Jacobian of the free parameters (σ_max/σ_min).
    public let conditionNumber: Double
    /// The full-Hessian (Laplace) covariance, when asked for and computable.
    public let laplaceCovariance: DenseMatrix?
    /// Why the Laplace covariance is missing, when it was asked for.
    public let laplaceIssue: String?

    /// The best parameters.
    public var parameters: [Double] { solution.parameters }
    /// χ²/dof (NaN when dof = 0).
    public var reducedChiSquared: Double { degreesOfFreedom > 0 ? chiSquared / Double(degreesOfFreedom) : .nan }
    /// √diag(cov), NaN where unavailable.
    public var standardErrors: [Double] {
        let n = parameterNames.count
        guard let c = covariance else { return [Double](repeating: .nan, count: n) }
        return (0..<n).map { c[$0, $0].squareRoot() }
    }
    /// The correlation matrix cov_ij / (σ_i σ_j), nil with the covariance.
    public var correlation: DenseMatrix? {
        guard var c = covariance else { return nil }
        let se = standardErrors
        for i in 0..<c.rows { for j in 0..<c.cols { c[i, j] /= se[i] * se[j] } }
        return c
    }
    /// Number of points m.
    public var pointCount: Int { solution.residuals.count }
    /// Akaike's information criterion: χ² + 2k with absolute σ (−2 ln L up to a constant),
    /// m ln(χ²/m) + 2k with relative σ (σ estimated, as lmfit), k the number of parameters.
    public var aic: Double { informationCriterion(penalty: 2) }
    /// The Bayesian information criterion: as `aic` with the penalty k ln m.
    public var bic: Double { informationCriterion(penalty: Glibc.log(Double(pointCount))) }

    private func informationCriterion(penalty: Double) -> Double {
        let m = Double(pointCount), k = Double(parameterNames.count)
        if absoluteSigma { return chiSquared + penalty * k }
        return m * Glibc.log(chiSquared / m) + penalty * k
    }

    /// The gradient of the cost at the optimum, ∇C = J̃ᵀr̃ (n values).
    public var gradient: [Double] {
        let m = pointCount, n = parameterNames.count
        var g = [Double](repeating: 0, count: n)
        guard m > 0, solution.jacobian.count >= m * n else { return g }
        solution.jacobian.withUnsafeBufferPointer { jac in
            solution.residuals.withUnsafeBufferPointer { r in
                for j in 0..<n {
                    let column = jac.baseAddress! + j * m
                    var sum = 0.0
                    for i in 0..<m { sum += column[i] * r[i] }
                    g[j] = sum
                }
            }
        }
        return g
    }

    /// Statistics of `solution`. `loss` and `lossScale` are the fit's (the covariance uses the
    /// loss-rescaled Jacobian, as scipy's curve_fit); `laplace` computes the full-Hessian
    /// covariance from the model's second derivatives; `detailed` computes the condition number
    /// (an SVD of the triangular factor; the batch fitter skips it). `workspace` (the solve's)
    /// lends its QR buffers.
    public init(solution: LeastSquaresSolution, problem: LeastSquaresProblem, absoluteSigma: Bool,
                loss: RobustLoss = .linear, lossScale: Double = 1, laplace: Bool = false,
                detailed: Bool = true, workspace: LeastSquaresWorkspace? = nil) throws {
        self.solution = solution
        let names = problem.model.parameterNames
        parameterNames = names
        self.absoluteSigma = absoluteSigma
        let m = solution.residuals.count, n = names.count
        chiSquared = solution.residuals.reduce(0) { $0 + $1 * $1 }
        degreesOfFreedom = m - n
        var r = solution.residuals, jac = solution.jacobian
        if loss != .linear {
            var rowScale = [Double](repeating: 1, count: m)
            r.withUnsafeMutableBufferPointer { rb in
                jac.withUnsafeMutableBufferPointer { jb in
                    rowScale.withUnsafeMutableBufferPointer {
                        loss.rescale(rb.baseAddress!, jb.baseAddress!, m, n, scale: lossScale, rowScale: $0.baseAddress!)
                    }
                }
            }
        }
        let free = (0..<n).filter { !solution.activeBounds[$0] }
        let scaleSquared: Double = absoluteSigma ? 1 : (degreesOfFreedom > 0 ? 2 * solution.cost / Double(degreesOfFreedom) : .nan)
        let lent = workspace.flatMap { $0.m == m && $0.n == n ? $0.qr : nil }
        let curvature = try JacobianCurvature(jacobian: jac, m: m, n: n, free: free, detailed: detailed, qr: lent)
        rank = curvature.rank
        conditionNumber = curvature.conditionNumber
        var issue: String? = nil
        var issueParameter: Int? = nil
        var cov: DenseMatrix? = nil
        if let culprit = curvature.deficientParameter {
            issueParameter = culprit
            issue = curvature.columnIsZero
                ? "the model does not depend on parameter '\(names[culprit])' at the optimum (its Jacobian column is zero): its uncertainty is unbounded"
                : "the Jacobian is singular (rank \(curvature.rank) of \(free.count), condition number \(describe(curvature.conditionNumber))): parameter '\(names[culprit])' is not determined by the data, it is (nearly) a combination of the others"
        } else if !absoluteSigma && degreesOfFreedom <= 0 {
            issue = "there are no degrees of freedom (\(m) points, \(n) parameters): with relative sigma the scale of the covariance is unknown"
        } else {
            var c = DenseMatrix(rows: n, cols: n)
            for i in 0..<n { for j in 0..<n { c[i, j] = .nan } }
            for (a, i) in free.enumerated() {
                for (b, j) in free.enumerated() { c[i, j] = scaleSquared * curvature.inverse[a, b] }
            }
            cov = c
            if let held = (0..<n).first(where: { solution.activeBounds[$0] }) {
                issueParameter = held
                issue = "parameter '\(names[held])' is held at a bound (its gradient points out of the box): it has no uncertainty, and the covariance of the others is conditional on it"
            }
        }
        covariance = cov
        covarianceIssue = issue
        covarianceIssueParameter = issueParameter
        if laplace {
            let result = try LaplaceCovariance.compute(problem: problem, solution: solution, free: free,
                                                      loss: loss, lossScale: lossScale)
            if var h = result.covariance {
                for i in 0..<n { for j in 0..<n where !h[i, j].isNaN { h[i, j] *= scaleSquared } }
                laplaceCovariance = scaleSquared.isNaN ? nil : h
                laplaceIssue = scaleSquared.isNaN ? issue : nil
            } else {
                laplaceCovariance = nil
                laplaceIssue = result.issue
            }
        } else {
            laplaceCovariance = nil
            laplaceIssue = nil
        }
    }
}

/// (J_Fᵀ J_F)⁻¹ of the free columns F of a Jacobian by pivoted QR, with the numerical rank
/// (|R_kk| > ε max(m, n) |R₀₀|) and the culprit of a rank deficiency.
struct JacobianCurvature {
    let rank: Int
    let conditionNumber: Double
    /// Inverse of the Gram matrix of the free columns (free × free), when of full rank.
    let inverse: DenseMatrix
    /// Index (into all parameters) of a parameter the data do not determine.
    let deficientParameter: Int?
    /// True when that parameter's column is exactly zero.
    let columnIsZero: Bool

    init(jacobian: [Double], m: Int, n: Int, free: [Int], detailed: Bool, qr lent: JacobianQR? = nil) throws {
        let nf = free.count
        guard nf > 0 else {
            rank = 0; conditionNumber = .nan; inverse = DenseMatrix(rows: 0, cols: 0)
            deficientParameter = nil; columnIsZero = false
            return
        }
        let a: [Double]
        if nf == n {
            a = jacobian
        } else {
            a = [Double](unsafeUninitializedCapacity: m * nf) { b, initialized in
                jacobian.withUnsafeBufferPointer { j in
                    for (k, column) in free.enumerated() {
                        (b.baseAddress! + k * m).initialize(from: j.baseAddress! + column * m, count: m)
                    }
                }
                initialized = m * nf
            }
        }
        // A zero column first: the clearest reason.
        let zeroColumn = a.withUnsafeBufferPointer { b in
            (0..<nf).first { k in
                let column = b.baseAddress! + k * m
                // The sum of squares as a fast test, the elements themselves when it underflows.
                return dot(column, column, m) == 0 && (0..<m).allSatisfy { column[$0] == 0 }
            }
        }
        if let k = zeroColumn {
            let j = free[k]
            rank = nf - 1; conditionNumber = .infinity; inverse = DenseMatrix(rows: 0, cols: 0)
            deficientParameter = j; columnIsZero = true
            return
        }
        let qr = lent ?? JacobianQR(rows: m, cols: nf)
        try a.withUnsafeBufferPointer { try qr.factor($0.baseAddress!, columns: nf) }
        let threshold = Double.ulpOfOne * Double(Swift.max(m, nf)) * Swift.abs(qr.r(0, 0))
        var k = 0
        while k < nf && Swift.abs(qr.r(k, k)) > threshold { k += 1 }
        rank = k
        var upper = [Double](repeating: 0, count: nf * nf)
        for j in 0..<nf { for i in 0...j { upper[i + j * nf] = qr.r(i, j) } }
        if k < nf {
            var copy = upper
            var s = [Double](repeating: 0, count: nf)
            var u = [Double](repeating: 0, count: nf * nf), vt = [Double](repeating: 0, count: nf * nf)
            try LAPACK.gesdd(nf, nf, &copy, nf, &s, &u, nf, &vt, nf)
            conditionNumber = s[nf - 1] > 0 ? s[0] / s[nf - 1] : .infinity
            // The parameter with the largest share of the null direction (last right singular
            // vector, in pivoted order).
            var best = 0
            for c in 0..<nf where Swift.abs(vt[(nf - 1) + c * nf]) > Swift.abs(vt[(nf - 1) + best * nf]) { best = c }
            deficientParameter = free[qr.pivots[best]]
            columnIsZero = false
            inverse = DenseMatrix(rows: 0, cols: 0)
            return
        } else if detailed {
            var copy = upper
            let s = try LAPACK.singularValues(&copy, nf)
            conditionNumber = s[nf - 1] > 0 ? s[0] / s[nf - 1] : .infinity
        } else {
            var largest = 0.0, smallest = Double.infinity
            for j in 0..<nf {
                largest = Swift.max(largest, Swift.abs(upper[j + j * nf]))
                smallest = Swift.min(smallest, Swift.abs(upper[j + j * nf]))
            }
            conditionNumber = smallest > 0 ? largest / smallest : .infinity  // a cheap estimate
        }
        let gram = upper.withUnsafeBufferPointer { inverseGram(upper: $0.baseAddress!, ld: nf, nf) }
        var inv = DenseMatrix(rows: nf, cols: nf)
        for j in 0..<nf { for i in 0..<nf { inv[qr.pivots[i], qr.pivots[j]] = gram[i, j] } }
        inverse = inv
        deficientParameter = nil
        columnIsZero = false
    }
}

extension LAPACK {
    /// The singular values (descending) of the n × n column-major matrix `a` (destroyed), by
    /// dgesdd without vectors and with its workspace here.
    static func singularValues(_ a: inout [Double], _ n: Int) throws -> [Double] {
        var s = [Double](repeating: 0, count: n)
        var query = 0.0
        var iwork = [Int32](repeating: 0, count: 8 * n)
        try check(LAPACKE_dgesdd_work(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "N")), Int32(n), Int32(n), &a, Int32(n), &s,
                                      nil, 1, nil, 1, &query, -1, &iwork), "dgesdd")
        var work = [Double](repeating: 0, count: Swift.max(1, Int(query)))
        try check(LAPACKE_dgesdd_work(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "N")), Int32(n), Int32(n), &a, Int32(n), &s,
                                      nil, 1, nil, 1, &work, Int32(work.count), &iwork), "dgesdd")
        return s
    }
}
