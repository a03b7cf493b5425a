// The full-Hessian (Laplace) covariance of a least-squares fit: the inverse of
// ∇²C = Σ_i [(ρ'_i + 2 z_i ρ''_i) J_iᵀJ_i + ρ'_i r_i ∇²r_i] at the optimum, the Gauss-Newton
// curvature plus the residual-weighted second derivatives of the model that the Gauss-Newton
// covariance leaves out (exact for formulas by automatic differentiation; by differences of
// the caller's Jacobian, or second differences of its values, for callbacks).
import CLapack

extension LAPACK {
    /// The inverse of a symmetric positive-definite n × n matrix in place (column-major, full
    /// storage) by Cholesky (dpotrf + dpotri); false when it is not positive definite.
    static func inverseSymmetricPositiveDefinite(_ a: inout [Double], _ n: Int) throws -> Bool {
        let info = a.withUnsafeMutableBufferPointer {
            LAPACKE_dpotrf_work(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "U")), Int32(n), $0.baseAddress, Int32(n))
        }
        if info > 0 { return false }
        try check(info, "dpotrf")
        try check(a.withUnsafeMutableBufferPointer {
            LAPACKE_dpotri_work(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "U")), Int32(n), $0.baseAddress, Int32(n))
        }, "dpotri")
        for j in 0..<n { for i in (j + 1)..<Swift.max(j + 1, n) { a[i + j * n] = a[j + i * n] } }
        return true
    }
}

enum LaplaceCovariance {
    /// The unscaled inverse Hessian (n × n, NaN for held parameters) or the reason it is missing.
    static func compute(problem: LeastSquaresProblem, solution: LeastSquaresSolution, free: [Int],
                        loss: RobustLoss, lossScale c: Double) throws -> (covariance: DenseMatrix?, issue: String?) {
        let m = solution.residuals.count, n = problem.parameterCount
        let names = problem.model.parameterNames
        let r = solution.residuals, jac = solution.jacobian
        // Per-point weights of the Gauss-Newton term (a_i) and of the model curvature (b_i).
        var a = [Double](repeating: 1, count: m)
        var b = [Double](repeating: 0, count: m)
        for i in 0..<m {
            let z = r[i] * r[i] / (c * c)
            let (_, d1, d2) = loss.rho(z)
            a[i] = d1 + 2 * z * d2
            b[i] = d1 * r[i] * (problem.weights?[i] ?? 1)
        }
        let curvature = try modelCurvature(problem, solution.parameters, weights: b)
        let nf = free.count
        guard nf > 0 else { return (nil, "every parameter is held at a bound") }
        var h = [Double](repeating: 0, count: nf * nf)
        for (u, j) in free.enumerated() {
            for (v, k) in free.enumerated() {
                var s = 0.0
                for i in 0..<m { s += a[i] * jac[i + j * m] * jac[i + k * m] }
                h[u + v * nf] = s + curvature[j * n + k]
            }
        }
        for k in 0..<(nf * nf) where !h[k].isFinite {
            return (nil, "the Hessian of the cost is not finite at the optimum")
        }
        guard try LAPACK.inverseSymmetricPositiveDefinite(&h, nf) else {
            let worst = free.min { curvature[$0 * n + $0] < curvature[$1 * n + $1] } ?? free[0]
            return (nil, "the Hessian of the cost is not positive definite at the optimum (a saddle point or a flat direction, perhaps along parameter '\(names[worst])'): no Laplace covariance")
        }
        var cov = DenseMatrix(rows: n, cols: n)
        for i in 0..<n { for j in 0..<n { cov[i, j] = .nan } }
        for (u, j) in free.enumerated() { for (v, k) in free.enumerated() { cov[j, k] = h[u + v * nf] } }
        return (cov, nil)
    }

    /// Σ_i b_i ∇²f(x_i; p), row-major n × n: exact for formulas, else by differences.
    static func modelCurvature(_ problem: LeastSquaresProblem, _ p: [Double], weights b: [Double]) throws -> [Double] {
        let n = problem.parameterCount, m = problem.residualCount
        let points = problem.points
        if let formula = problem.model as? Model {
            return p.withUnsafeBufferPointer { pb in
                b.withUnsafeBufferPointer {
                    formula.tape.weightedHessian(inputs: points.columns, parameters: pb, count: m, weights: $0)
                }
            }
        }
        var total = [Double](repeating: 0, count: n * n)
        var probe = p
        let model = problem.model
        if model.hasExactJacobian {
            // Central differences of the exact Jacobian, h = ε^(1/3) max(1, |p_k|).
            var up = [Double](repeating: 0, count: m * n), down = up
            for k in 0..<n {
                let h = 6.0554544523933395e-06 * Swift.max(1, Swift.abs(p[k]))
                probe[k] = p[k] + h
                try jacobianOfModel(model, points, probe, &up)
                probe[k] = p[k] - h
                try jacobianOfModel(model, points, probe, &down)
                probe[k] = p[k]
                for j in 0..<n {
                    var s = 0.0
                    for i in 0..<m { s += b[i] * (up[i + j * m] - down[i + j * m]) }
                    total[j * n + k] = s / (2 * h)
                }
            }
        } else {
            // Second differences of the values, h = ε^(1/4) max(1, |p_j|).
            func values(_ q: [Double]) throws -> [Double] {
                var out = [Double](repeating: 0, count: m)
                try q.withUnsafeBufferPointer { qb in
                    try out.withUnsafeMutableBufferPointer { try model.evaluate(points, qb, $0) }
                }
                return out
            }
            let f0 = try values(p)
            let steps = p.map { 1.220703125e-04 * Swift.max(1, Swift.abs($0)) }
            for j in 0..<n {
                for k in j..<n {
                    var s = 0.0
                    if j == k {
                        probe[j] = p[j] + 2 * steps[j]; let fp = try values(probe)
                        probe[j] = p[j] - 2 * steps[j]; let fm = try values(probe)
                        probe[j] = p[j]
                        for i in 0..<m { s += b[i] * (fp[i] - 2 * f0[i] + fm[i]) }
                        s /= 4 * steps[j] * steps[j]
                    } else {
                        var corners = [[Double]]()
                        for (sj, sk) in [(1.0, 1.0), (1.0, -1.0), (-1.0, 1.0), (-1.0, -1.0)] {
                            probe[j] = p[j] + sj * steps[j]
                            probe[k] = p[k] + sk * steps[k]
                            corners.append(try values(probe))
                        }
                        probe[j] = p[j]; probe[k] = p[k]
                        for i in 0..<m { s += b[i] * (corners[0][i] - corners[1][i] - corners[2][i] + corners[3][i]) }
                        s /= 4 * steps[j] * steps[k]
                    }
                    total[j * n + k] = s
                    total[k * n + j] = s
                }
            }
            return total
        }
        for j in 0..<n {
            for k in (j + 1)..<Swift.max(j + 1, n) {
                let s = 0.5 * (total[j * n + k] + total[k * n + j])
                total[j * n + k] = s
                total[k * n + j] = s
            }
        }
        return total
    }

    private static func jacobianOfModel(_ model: any ParametricModel, _ points: DataPoints, _ p: [Double],
                                        _ out: inout [Double]) throws {
        try p.withUnsafeBufferPointer { pb in
            try out.withUnsafeMutableBufferPointer {
                try model.jacobian(points, pb, values: nil, valuesKnown: false, $0)
            }
        }
    }
}
