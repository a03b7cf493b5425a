/// Options of the truncated SVD.
public struct TruncatedSVDOptions: Sendable {
    /// How the truncation k is chosen: GCV (default), the discrepancy principle, or fixed.
    public var method: ParameterChoice = .gcv
    /// The truncation of `ParameterChoice.fixed` (1 <= k <= rank).
    public var truncation = 0
    /// As in `TikhonovOptions`.
    public var absoluteSigma = false
    /// tau of the discrepancy principle ||r_k||^2 <= tau^2 m.
    public var discrepancyFactor = 1.0
    /// Singular values below rcond * s_1 count as zero (the rank); <= 0 means eps max(m, n).
    public var rcond = 0.0
    /// Threads for the large matrix products; 0 = all cores. Results do not depend on it.
    public var threads = 0

    /// The defaults: k by GCV, relative sigma.
    public init() {}

    /// Throws `invalidArgument` naming the first option out of range.
    public func validate() throws {
        guard method != .lCurve else {
            throw InferKitError.invalidArgument("options->method is IK_REG_LCURVE (1): the truncated SVD chooses k by GCV (0), the discrepancy principle (2) or a fixed k (3)")
        }
        guard discrepancyFactor.isFinite, discrepancyFactor > 0 else {
            throw InferKitError.invalidArgument("options->discrepancy_factor is \(describe(discrepancyFactor)): it must be finite and > 0")
        }
        guard !rcond.isNaN, rcond < 1 else {
            throw InferKitError.invalidArgument("options->rcond is \(describe(rcond)): it must be < 1 (<= 0 for the default)")
        }
        guard threads >= 0 else {
            throw InferKitError.invalidArgument("options->n_threads is \(threads): it must be >= 0 (0 = all cores)")
        }
        if method == .fixed && truncation < 1 {
            throw InferKitError.invalidArgument("options->k is \(truncation): a fixed truncation needs k >= 1")
        }
    }
}

/// Truncated SVD regularisation: with W^1/2 A = U S V^T, the solution keeps the k largest
/// singular values, f_k = sum_(i<=k) (beta_i / s_i) v_i, beta_i = u_i^T W^1/2 y (filter factors
/// 1 for i <= k, 0 beyond). k is chosen by GCV(k) = m ||r_k||^2 / (m - k)^2 (the influence
/// matrix U_k U_k^T has trace k), by the discrepancy principle (the smallest k with
/// ||r_k||^2 <= tau^2 m), or given. Hansen, "Rank-Deficient and Discrete Ill-Posed Problems".
public enum TruncatedSVD {
    /// The truncated-SVD solution of the caller's problem (`design` m x n, `data` and `sigma`
    /// m values, sigma nil for all 1).
    public static func fit(design: MatrixView, data: UnsafeBufferPointer<Double>,
                           sigma: UnsafeBufferPointer<Double>?,
                           options: TruncatedSVDOptions = TruncatedSVDOptions()) throws -> TruncatedSVDFit {
        try options.validate()
        let pr = try WeightedProblem(design: design, data: data, sigma: sigma, threads: options.threads)
        if options.method == .discrepancy && sigma == nil {
            throw InferKitError.invalidArgument(
                "sigma is NULL: the discrepancy principle needs the absolute errors sigma of y")
        }
        return try BLASThreads.singleThreaded { try solve(pr, options) }
    }

    static func solve(_ pr: WeightedProblem, _ options: TruncatedSVDOptions) throws -> TruncatedSVDFit {
        let m = pr.m, n = pr.n
        let threads = Parallel.threads(requested: options.threads)
        let factors = try pr.a.withUnsafeBufferPointer { a in
            try SpectralFactors(abar: a.baseAddress!, ld: m, rows: m, cols: n, b: pr.b, threads: threads)
        }
        let s = factors.values
        let rcond = options.rcond > 0 ? options.rcond : Double.ulpOfOne * Double(max(m, n))
        guard let first = s.first, first > 0 else {
            throw InferKitError.singular("A is zero: the truncated SVD has no singular value to keep")
        }
        var rank = 0
        while rank < s.count && s[rank] > rcond * first { rank += 1 }
        // Residuals ||r_k||^2 = sum_(i>k) beta_i^2 + outside, accumulated from the end.
        var residual = [Double](repeating: 0, count: rank + 1)
        var tail = factors.outside
        for i in stride(from: s.count - 1, through: rank, by: -1) { tail += factors.beta[i] * factors.beta[i] }
        residual[rank] = tail
        for k in stride(from: rank - 1, through: 0, by: -1) {
            residual[k] = residual[k + 1] + factors.beta[k] * factors.beta[k]
        }
        var points = [TruncationPoint]()
        var norm2 = 0.0
        for k in 1...rank {
            let c = factors.beta[k - 1] / s[k - 1]
            norm2 += c * c
            let dof = Double(m - k)
            points.append(TruncationPoint(k: k, residualNorm: residual[k].squareRoot(),
                                          solutionNorm: norm2.squareRoot(),
                                          gcv: dof > 0 ? Double(m) * residual[k] / (dof * dof) : .infinity))
        }
        var flags: RegularizationFlags = factors.lowRank ? [.lowRank] : []
        var k: Int
        switch options.method {
        case .fixed:
            guard options.truncation <= rank else {
                throw InferKitError.invalidArgument("options->k is \(options.truncation) but the numerical rank of A is \(rank)")
            }
            k = options.truncation
        case .gcv:
            k = 1
            for p in points where p.gcv < points[k - 1].gcv { k = p.k }
            if !points[k - 1].gcv.isFinite {
                throw InferKitError.singular("GCV is undefined for every truncation (no residual degrees of freedom)")
            }
            if rank > 1 && (k == 1 || k == rank) { flags.insert(.atGridEdge) }
        case .discrepancy:
            let target = options.discrepancyFactor * options.discrepancyFactor * Double(m)
            if let p = points.first(where: { $0.residualNorm * $0.residualNorm <= target }) {
                k = p.k
                if k == 1 && residual[0] <= target { flags.insert(.discrepancyNotBracketed) }
            } else {
                k = rank
                flags.insert(.discrepancyNotBracketed)
            }
        case .lCurve:
            throw InferKitError.internal("the L-curve is not a truncated-SVD method")
        }
        let coefficients = (0..<k).map { factors.beta[$0] / s[$0] }
        let f = factors.combine(coefficients, terms: k)
        let chosen = points[k - 1]
        var variance = 1.0
        if !options.absoluteSigma {
            variance = m > k ? residual[k] / Double(m - k) : .nan
            if m <= k { flags.insert(.noDegreesOfFreedom) }
        }
        return TruncatedSVDFit(parameters: f, truncation: k, rank: rank, chosen: chosen, curve: points,
                               singularValues: s, picard: factors.beta,
                               vt: factors.rightVectorsTransposed(terms: k), cols: n,
                               noiseVariance: variance, flags: flags, method: options.method, rows: m,
                               absoluteSigma: options.absoluteSigma)
    }
}

/// The truncated-SVD curve at one truncation k.
public struct TruncationPoint: Sendable, Equatable {
    /// Number of singular values kept.
    public var k: Int
    /// ||W^1/2 (y - A f_k)||.
    public var residualNorm: Double
    /// ||f_k||.
    public var solutionNorm: Double
    /// GCV(k) = m ||r_k||^2 / (m - k)^2.
    public var gcv: Double
}

/// The result of `TruncatedSVD.fit`.
public struct TruncatedSVDFit: Sendable {
    /// The solution f_k (n values).
    public let parameters: [Double]
    /// The truncation k used.
    public let truncation: Int
    /// The numerical rank (singular values above rcond s_1): the largest k allowed.
    public let rank: Int
    /// The curve at k.
    public let chosen: TruncationPoint
    /// The curve for k = 1 ... rank.
    public let curve: [TruncationPoint]
    /// Singular values of W^1/2 A, descending.
    public let singularValues: [Double]
    /// beta_i = u_i^T W^1/2 y (Picard plot: |beta_i| against s_i).
    public let picard: [Double]
    /// V_k^T, k x n (leading dimension k).
    let vt: [Double]
    /// Unknowns n.
    public let cols: Int
    /// The factor of the covariance: 1 with absolute sigma, else ||r_k||^2 / (m - k).
    public let noiseVariance: Double
    /// Warnings.
    public let flags: RegularizationFlags
    /// How k was chosen.
    public let method: ParameterChoice
    /// Observations m.
    public let rows: Int
    /// Whether sigma were absolute (the covariance not scaled).
    public let absoluteSigma: Bool

    /// Covariance of f_k: V_k S_k^-2 V_k^T times `noiseVariance`, n x n.
    public func covariance() -> DenseMatrix {
        let n = cols, ld = truncation, k = truncation
        var scaled = [Double](repeating: 0, count: k * n)  // S_k^-1 V_k^T
        for j in 0..<n { for i in 0..<k { scaled[i + j * k] = vt[i + j * ld] / singularValues[i] } }
        var cov = DenseMatrix(rows: n, cols: n)
        scaled.withUnsafeBufferPointer { sp in
            cov.elements.withUnsafeMutableBufferPointer { c in
                LAPACK.gemm(transposeA: true, transposeB: false, n, n, k, noiseVariance, sp.baseAddress!, k,
                            sp.baseAddress!, k, 0, c.baseAddress!, n)
            }
        }
        return cov
    }
}
