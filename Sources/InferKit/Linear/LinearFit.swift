/// Options of a linear least-squares fit (the C struct `ik_linear_options_t`).
public struct LinearOptions: Sendable, Equatable {
    /// Solution method.
    public enum Method: Int32, Sendable {
        /// Householder QR of the weighted, column-equilibrated design, rank from QR with
        /// column pivoting of the triangular factor.
        case qr = 0
        /// Truncated SVD: singular values below rcond * s_max are dropped.
        case svd = 1
    }
    /// Solution method (default QR).
    public var method: Method = .qr
    /// When true, sigma are absolute 1-sigma errors and the covariance is (A^T W A)^-1;
    /// otherwise it is scaled by chi2 / dof (scipy's `absolute_sigma=False`).
    public var absoluteSigma = false
    /// When false (default) a rank-deficient design is an error with the QR method; when true
    /// the minimum-norm solution (in the column-equilibrated parametrisation) is returned.
    public var allowRankDeficient = false
    /// Extended-precision refinement: -1 automatic (condition number > 1e4, and always for
    /// monomial basis fits), 0 never, k > 0 always, up to k steps.
    public var refine = -1
    /// Relative rank cut-off; <= 0 means eps * max(rows, cols).
    public var rcond = 0.0
    /// Threads; 0 means all cores. Results do not depend on it.
    public var threads = 0

    /// Default options.
    public init() {}

    /// Throws `invalidArgument` naming the first option out of range (names as in C).
    public func validate() throws {
        guard refine >= -1 else {
            throw InferKitError.invalidArgument("options->refine is \(refine): use -1 (auto), 0 (never) or a step count > 0")
        }
        guard !rcond.isNaN, rcond < 1 else {
            throw InferKitError.invalidArgument("options->rcond is \(describe(rcond)): it must be < 1 (<= 0 for the default)")
        }
        guard threads >= 0 else {
            throw InferKitError.invalidArgument("options->n_threads is \(threads): it must be >= 0 (0 = all cores)")
        }
    }
}

/// The result of a linear least-squares fit: parameters, covariance and diagnostics for one or
/// several right-hand sides that share one design.
public struct LinearFit: Sendable {
    /// Observations.
    public let rows: Int
    /// Parameters.
    public let cols: Int
    /// Right-hand sides.
    public let rightHandSides: Int
    /// Parameters, column-major cols x rightHandSides: theta_jk at `j + k * cols`.
    public let parameters: [Double]
    /// (A^T W A)^-1 (the pseudo-inverse when rank-deficient), cols x cols column-major, before
    /// the chi2/dof scaling.
    public let unscaledCovariance: DenseMatrix
    /// Per right-hand side: the factor applied to `unscaledCovariance` (1 for absolute sigma,
    /// chi2/dof otherwise, NaN when dof = 0).
    public let covarianceScale: [Double]
    /// Residuals y - A theta, row-major rows x rightHandSides: residual (i, k) at
    /// `i * rightHandSides + k`.
    public let residuals: [Double]
    /// chi2 = sum ((y - A theta)/sigma)^2 per right-hand side.
    public let chiSquared: [Double]
    /// Weighted coefficient of determination per right-hand side (centred when the design has
    /// a constant column, uncentred otherwise).
    public let rSquared: [Double]
    /// Whether R² is centred (the design has a constant column) or uncentred.
    public let rSquaredCentered: Bool
    /// Numerical rank.
    public let rank: Int
    /// Degrees of freedom rows - rank.
    public let degreesOfFreedom: Int
    /// 2-norm condition number of the weighted, column-equilibrated design.
    public let conditionNumber: Double
    /// Singular values of the weighted, column-equilibrated design, descending.
    public let singularValues: [Double]
    /// Extended-precision refinement steps taken (0 when not refined).
    public let refinementSteps: Int
    /// The method used.
    public let method: LinearOptions.Method
    /// Whether sigma were absolute.
    public let absoluteSigma: Bool
    /// The basis of a basis fit (nil for a caller's matrix).
    public let basis: BasisSpec?
    /// For basis fits: the well-conditioned basis that was factorised, with the coefficients and
    /// covariance in it (used for accurate predictions).
    let factoredBasis: BasisSpec?
    let factoredParameters: [Double]?
    let factoredCovariance: DenseMatrix?

    /// The condition number above which half the digits are at risk: 1/sqrt(eps).
    public static let illConditionedThreshold = 1 / Double.ulpOfOne.squareRoot()

    /// rank < cols: the solution is the minimum-norm one.
    public var isRankDeficient: Bool { rank < cols }
    /// conditionNumber > 1/sqrt(eps).
    public var isIllConditioned: Bool { !(conditionNumber <= LinearFit.illConditionedThreshold) }
    /// dof = 0 with relative sigma: the covariance is undefined.
    public var hasNoDegreesOfFreedom: Bool { !absoluteSigma && degreesOfFreedom == 0 }

    /// Parameters of right-hand side `rhs`.
    public func parameters(rhs: Int) -> ArraySlice<Double> {
        parameters[(rhs * cols)..<((rhs + 1) * cols)]
    }

    /// Covariance of right-hand side `rhs`: the unscaled covariance times its scale.
    public func covariance(rhs: Int) -> DenseMatrix {
        var c = unscaledCovariance
        let s = covarianceScale[rhs]
        for i in 0..<c.elements.count { c.elements[i] *= s }
        return c
    }

    /// Standard errors sqrt(diag(cov)) of right-hand side `rhs`.
    public func standardErrors(rhs: Int) -> [Double] {
        (0..<cols).map { (unscaledCovariance[$0, $0] * covarianceScale[rhs]).squareRoot() }
    }

    /// Correlation matrix cov_ij / sqrt(cov_ii cov_jj) (independent of the scale).
    public func correlation() -> DenseMatrix {
        var c = DenseMatrix(rows: cols, cols: cols)
        for j in 0..<cols {
            for i in 0..<cols {
                let d = (unscaledCovariance[i, i] * unscaledCovariance[j, j]).squareRoot()
                c[i, j] = unscaledCovariance[i, j] / d
            }
        }
        return c
    }

    /// Prediction at new design rows: mean = A theta and std = sqrt(diag(A cov A^T)), both
    /// column-major m x rightHandSides. `design.cols` must equal `cols`.
    public func predict(design: MatrixView) throws -> (mean: [Double], std: [Double]) {
        guard design.cols == cols else {
            throw InferKitError.dimensionMismatch(
                "\(design.name) has \(design.cols) columns but the fit has \(cols) parameters")
        }
        try design.requireFinite()
        let m = design.rows
        var mean = [Double](repeating: 0, count: m * rightHandSides)
        var std = [Double](repeating: 0, count: m * rightHandSides)
        var row = [Double](repeating: 0, count: cols)
        for i in 0..<m {
            for j in 0..<cols { row[j] = design[i, j] }
            let v = quadraticForm(row, unscaledCovariance)
            for k in 0..<rightHandSides {
                var s = 0.0
                for j in 0..<cols { s += row[j] * parameters[j + k * cols] }
                mean[i + k * m] = s
                std[i + k * m] = (v * covarianceScale[k]).squareRoot()
            }
        }
        return (mean, std)
    }

    /// Prediction of a basis fit at new points x (mean and std column-major n x rhs), evaluated
    /// in the well-conditioned basis the fit was computed in (for monomial fits, Chebyshev
    /// polynomials on the data's range), so no digits are lost to monomial cancellation.
    public func predict(x: UnsafeBufferPointer<Double>) throws -> (mean: [Double], std: [Double]) {
        guard let factoredBasis, let factoredParameters, let factoredCovariance else {
            throw InferKitError.invalidArgument(
                "result is not a basis fit: predict at x needs a result of ik_linear_polyfit")
        }
        try requireFinite(x, name: "x")
        let m = x.count, q = factoredBasis.columns
        var mean = [Double](repeating: 0, count: m * rightHandSides)
        var std = [Double](repeating: 0, count: m * rightHandSides)
        var row = [Double](repeating: 0, count: q)
        for i in 0..<m {
            row.withUnsafeMutableBufferPointer { factoredBasis.fillRow(x: x[i], scale: 1, $0.baseAddress!, stride: 1) }
            let v = quadraticForm(row, factoredCovariance)
            for k in 0..<rightHandSides {
                var s: Extended = 0
                for j in 0..<q { s += Extended(row[j]) * Extended(factoredParameters[j + k * q]) }
                mean[i + k * m] = Double(s)
                std[i + k * m] = (v * covarianceScale[k]).squareRoot()
            }
        }
        return (mean, std)
    }
}

/// a^T M a for a symmetric matrix M, clamped at 0 against rounding.
func quadraticForm(_ a: [Double], _ m: DenseMatrix) -> Double {
    var s = 0.0
    for j in 0..<m.cols {
        var t = 0.0
        for i in 0..<m.rows { t += m[i, j] * a[i] }
        s += t * a[j]
    }
    return max(s, 0)
}
