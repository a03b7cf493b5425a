/// A root of a square system F(x) = 0 by Newton's method with a backtracking line search on
/// φ(x) = ½‖F(x)‖² (Dennis & Schnabel, Numerical Methods for Unconstrained Optimization and
/// Nonlinear Equations, 1983, ch. 6; Nocedal & Wright, Numerical Optimization, §11.2).
///
/// Each iteration solves J dx = -F by LU with partial pivoting (LAPACK dgetrf/dgetrs) and takes
/// x + α dx with the first α of 1, then shrinking by safeguarded quadratic interpolation, that
/// satisfies the Armijo condition φ(x + α dx) <= φ(x) + 1e-4 α ∇φᵀdx (∇φ = JᵀF); NaN or
/// infinite values of F count as failures of the condition. When J is singular or
/// ill-conditioned (estimated reciprocal condition number below n·eps, dgecon), or the Newton
/// direction finds no acceptable step, a Levenberg-Marquardt direction
/// dx = argmin ‖J dx + F‖² + μ‖dx‖² (by QR of [J; √μ I], dgels) is tried instead, with
/// μ = 1e-3 · max_j (JᵀJ)_jj and ten times larger after each failure (eight tries). It stops
/// when ‖F‖∞ <= `residualTolerance` (tested at x0 too), when a full Newton step is at most
/// `absoluteStepTolerance + stepTolerance · ‖x‖∞`, or when no direction lowers ‖F‖: at a
/// stationary point of φ that is not a root (‖JᵀF‖∞ <= 1e-10 ‖J‖ ‖F‖) `localMinimumOfResidual`,
/// otherwise `lineSearchFailed`.
///
/// Throws `dimensionMismatch` when the system is not square, x0 does not have n values, or F or
/// J come back with the wrong sizes; `nonFinite` when x0 or F(x0) or J(x0) is not finite
/// ("F(x0)[1] is NaN"); `invalidArgument` for an option out of range; and passes on the
/// function's own errors unchanged.
public func findRoot(_ f: VectorFunction, x0: [Double], options: RootOptions = RootOptions()) throws -> RootResult {
    let n = f.inputDimension
    guard n > 0 else { throw InferKitError.dimensionMismatch("the function has no unknowns") }
    guard f.outputDimension == n else {
        throw InferKitError.dimensionMismatch(
            "the function has \(f.outputDimension) equations but \(n) unknowns: findRoot needs a square system")
    }
    guard x0.count == n else {
        throw InferKitError.dimensionMismatch("x0 has \(x0.count) values but the function has \(n) unknowns")
    }
    guard n <= 46340 else { throw InferKitError.outOfMemory("n = \(n) unknowns is too large for a dense Jacobian") }
    if let j = x0.firstIndex(where: { !$0.isFinite }) { throw InferKitError.nonFinite("x0[\(j)] is \(spelled(x0[j]))") }
    try options.check()
    var solver = NewtonSystem(function: f, options: options)
    return try solver.solve(x0)
}

/// A point of the iteration: x, F(x) and, once evaluated, J(x) (column-major).
private struct SystemPoint {
    var x: [Double]
    var values: [Double]
    var jacobian: [Double]?
    var merit: Double { 0.5 * Vector.dot(values, values) }
}

private struct NewtonSystem {
    let function: VectorFunction
    let options: RootOptions
    let n: Int
    var evaluations = 0
    var jacobianEvaluations = 0
    var iterations = 0

    init(function: VectorFunction, options: RootOptions) {
        self.function = function
        self.options = options
        n = function.inputDimension
    }

    var budgetSpent: Bool { evaluations >= (options.maxEvaluations ?? Int.max) }

    mutating func values(_ x: [Double]) throws -> [Double] {
        evaluations += 1
        let v = try function.values(x)
        guard v.count == n else {
            throw InferKitError.dimensionMismatch("the function returned \(v.count) values for \(n) equations")
        }
        return v
    }

    mutating func withJacobian(_ x: [Double]) throws -> SystemPoint {
        evaluations += 1
        jacobianEvaluations += 1
        let (v, j) = try function.valuesAndJacobian(x)
        guard v.count == n, j.count == n * n else {
            throw InferKitError.dimensionMismatch(
                "the function returned \(v.count) values and a Jacobian of \(j.count) for \(n) equations in \(n) unknowns")
        }
        return SystemPoint(x: x, values: v, jacobian: j)
    }

    func result(_ p: SystemPoint, _ status: RootStatus) -> RootResult {
        RootResult(x: p.x, values: p.values, residualNorm: Vector.infinityNorm(p.values), iterations: iterations,
                   functionEvaluations: evaluations, jacobianEvaluations: jacobianEvaluations, status: status)
    }

    mutating func solve(_ x0: [Double]) throws -> RootResult {
        var p = try withJacobian(x0)
        if let i = p.values.firstIndex(where: { !$0.isFinite }) {
            throw InferKitError.nonFinite("F(x0)[\(i)] is \(spelled(p.values[i]))")
        }
        if let k = p.jacobian?.firstIndex(where: { !$0.isFinite }) {
            throw InferKitError.nonFinite("the Jacobian at x0 is \(spelled(p.jacobian?[k] ?? .nan)) at [\(k % n), \(k / n)]")
        }
        while true {
            if Vector.infinityNorm(p.values) <= options.residualTolerance { return result(p, .residualTolerance) }
            if iterations >= options.maxIterations { return result(p, .maxIterations) }
            if budgetSpent { return result(p, .maxEvaluations) }
            let jacobian = p.jacobian ?? []
            guard Vector.isFinite(jacobian) else { return result(p, .nonFiniteValue) }
            let gradient = transposeTimes(jacobian, p.values)
            var next: SystemPoint?
            var newtonStep: Double?
            if let dx = try newtonDirection(jacobian, p.values) {
                newtonStep = Vector.infinityNorm(dx)
                next = try lineSearch(p, dx, gradient)
            }
            if next == nil {
                newtonStep = nil
                var mu = 1e-3 * Swift.max(maximumColumnNormSquared(jacobian), Double.leastNormalMagnitude)
                for _ in 0..<8 where next == nil {
                    if let dx = try dampedDirection(jacobian, p.values, mu) { next = try lineSearch(p, dx, gradient) }
                    mu *= 10
                }
            }
            guard let accepted = next else {
                if budgetSpent { return result(p, .maxEvaluations) }
                let jNorm = maximumColumnNormSquared(jacobian).squareRoot()
                let stationary = Vector.infinityNorm(gradient) <= 1e-10 * jNorm * Vector.norm(p.values)
                return result(p, stationary ? .localMinimumOfResidual : .lineSearchFailed)
            }
            iterations += 1
            p = try withJacobian(accepted.x)
            let residual = Vector.infinityNorm(p.values)
            if try options.reportStops(iterations, p.x, residual) { return result(p, .stoppedByCallback) }
            if residual > options.residualTolerance, let step = newtonStep,
               step <= options.stepTolerance(at: Vector.infinityNorm(p.x)) {
                return result(p, .stepTolerance)
            }
        }
    }

    /// -J⁻¹F, or nil when J is singular or its reciprocal condition number is below n·eps.
    func newtonDirection(_ jacobian: [Double], _ values: [Double]) throws -> [Double]? {
        var lu = jacobian
        var pivots = [Int32](repeating: 0, count: n)
        let norm = LAPACK.oneNorm(n, jacobian)
        guard norm > 0, try LAPACK.getrf(n, &lu, &pivots) else { return nil }
        guard try LAPACK.gecon(n, lu, oneNorm: norm) >= Double(n) * Double.ulpOfOne else { return nil }
        var dx = Vector.scaled(values, -1)
        try LAPACK.getrs(n, 1, lu, pivots, &dx)
        return Vector.isFinite(dx) ? dx : nil
    }

    /// argmin ‖J dx + F‖² + μ‖dx‖², by QR of the stacked [J; √μ I].
    func dampedDirection(_ jacobian: [Double], _ values: [Double], _ mu: Double) throws -> [Double]? {
        let rows = 2 * n
        var a = [Double](repeating: 0, count: rows * n)
        let root = mu.squareRoot()
        for j in 0..<n {
            for i in 0..<n { a[i + j * rows] = jacobian[i + j * n] }
            a[n + j + j * rows] = root
        }
        var b = Vector.scaled(values, -1) + [Double](repeating: 0, count: n)
        guard try LAPACK.gels(rows, n, &a, &b) else { return nil }
        let dx = Array(b[0..<n])
        return Vector.isFinite(dx) ? dx : nil
    }

    /// The Armijo backtracking of `LineSearch` on φ along dx.
    mutating func lineSearch(_ p: SystemPoint, _ dx: [Double], _ gradient: [Double]) throws -> SystemPoint? {
        let slope = Vector.dot(gradient, dx)
        guard slope < 0 else { return nil }
        let search = LineSearch(maxEvaluations: 30)
        return try search.backtracking(originValue: p.merit, initialStep: 1) { step in
            if self.budgetSpent { return (Double.nan, step * slope, SystemPoint(x: [], values: [])) }
            let x = Vector.adding(p.x, step, dx)
            let trial = SystemPoint(x: x, values: try self.values(x))
            return (trial.merit, step * slope, trial)
        }?.point
    }

    /// Jᵀv for the column-major n x n J.
    func transposeTimes(_ jacobian: [Double], _ v: [Double]) -> [Double] {
        (0..<n).map { j in
            var s = 0.0
            for i in 0..<n { s += jacobian[i + j * n] * v[i] }
            return s
        }
    }

    /// max_j Σ_i J_ij², the largest diagonal element of JᵀJ.
    func maximumColumnNormSquared(_ jacobian: [Double]) -> Double {
        var m = 0.0
        for j in 0..<n {
            var s = 0.0
            for i in 0..<n { s += jacobian[i + j * n] * jacobian[i + j * n] }
            m = Swift.max(m, s)
        }
        return m
    }
}
