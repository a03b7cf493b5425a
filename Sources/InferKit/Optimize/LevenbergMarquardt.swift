// Levenberg-Marquardt of MINPACK quality (Moré 1978): a trust region ‖D s‖ ≤ Δ in the
// parameters scaled by the Jacobian's column norms, each step from a QR factorisation with
// column pivoting of the Jacobian and the damped subproblem solved on its triangular factor
// (DampedSubproblem), the radius updated from the ratio of actual to predicted reduction.
// Added to the classic loop:
// - box bounds by projection: parameters at a bound whose gradient points outward are held
//   (the step is solved for the free ones), the step is clipped to the box and judged by the
//   linear model's reduction of the clipped step;
// - robust losses by rescaling residuals and Jacobian (RobustLoss.rescale);
// - optional geodesic acceleration (Transtrum and Sethna 2012);
// - a model that turns NaN/inf at a trial point rejects that step (the radius shrinks), as if
//   the point lay outside the model's domain.

import CLapack

/// Buffers of one fit of m residuals and n parameters, reusable for many fits of that size.
public final class LeastSquaresWorkspace {
    let m: Int
    let n: Int
    // Current and trial buffers; accepting a trial point swaps them.
    var r: UnsafeMutablePointer<Double>
    var rTrial: UnsafeMutablePointer<Double>
    var jacobian: UnsafeMutablePointer<Double>
    var jacobianTrial: UnsafeMutablePointer<Double>
    /// Loss-rescaled or column-compacted copy of the Jacobian, m × n.
    let scaled: UnsafeMutablePointer<Double>
    let qtr: UnsafeMutablePointer<Double>
    let rowScale: UnsafeMutablePointer<Double>
    let probe: UnsafeMutablePointer<Double>
    /// [J r̃]ᵀ[J r̃], (n + 1) × (n + 1) column-major (upper triangle).
    let gram: UnsafeMutablePointer<Double>
    /// The Cholesky factor U of J_Fᵀ J_F (free columns), n × n.
    let cholesky: UnsafeMutablePointer<Double>
    let qr: JacobianQR
    let subproblem: DampedSubproblem

    /// Buffers for m residuals and n parameters.
    public init(residuals m: Int, parameters n: Int) {
        self.m = m
        self.n = n
        // The Jacobian buffers have one column more: linearise puts the residuals after J, so one
        // symmetric rank-k update gives JᵀJ, Jᵀr and ‖r‖² together.
        let mn = Swift.max(m * (n + 1), 1), mm = Swift.max(m, 1)
        r = .allocate(capacity: mm)
        rTrial = .allocate(capacity: mm)
        jacobian = .allocate(capacity: mn)
        jacobianTrial = .allocate(capacity: mn)
        scaled = .allocate(capacity: mn)
        gram = .allocate(capacity: (n + 1) * (n + 1))
        cholesky = .allocate(capacity: Swift.max(n * n, 1))

        qtr = .allocate(capacity: mm)
        rowScale = .allocate(capacity: mm)
        probe = .allocate(capacity: mm)
        qr = JacobianQR(rows: m, cols: n)
        subproblem = DampedSubproblem(capacity: n)
    }

    deinit {
        r.deallocate(); rTrial.deallocate(); jacobian.deallocate(); jacobianTrial.deallocate()
        scaled.deallocate(); qtr.deallocate(); rowScale.deallocate(); probe.deallocate()
        gram.deallocate(); cholesky.deallocate()
    }
}

/// The outcome of a least-squares solve: the parameters and the residuals and weighted
/// Jacobian there (loss not applied), the stopping reason and the counts.
public struct LeastSquaresSolution {
    /// The best parameters found.
    public var parameters: [Double]
    /// Weighted residuals at `parameters`, m values.
    public var residuals: [Double]
    /// Weighted Jacobian at `parameters`, column-major m × n.
    public var jacobian: [Double]
    /// The cost ½ Σ c² ρ(r_i²/c²) at `parameters`.
    public var cost: Double
    /// Why the solver stopped.
    public var termination: LeastSquaresTermination
    /// Accepted steps.
    public var iterations: Int
    /// Model evaluations (residual vectors), finite-difference probes not included.
    public var evaluations: Int
    /// Jacobian evaluations.
    public var jacobianEvaluations: Int
    /// Parameters held at a bound at the end (their gradient points out of the box).
    public var activeBounds: [Bool]
}

/// Nonlinear least squares: minimises ½ Σ c² ρ(r_i(p)²/c²) (½‖r‖² for the linear loss).
public enum NonlinearLeastSquares {
    /// Solves `problem` from `start` with `options` in `workspace` (created when nil).
    /// Throws `dimensionMismatch` (start length, fewer residuals than parameters),
    /// `nonFinite` (the model or its Jacobian is NaN/inf at the start or at an accepted
    /// point), `invalidArgument` (a start outside the bounds, bad options) and what the model
    /// throws (a failed callback).
    /// From this many residuals on, a fit holds OpenBLAS to one thread (below it OpenBLAS does
    /// not split its level-1 and level-2 calls anyway).
    static let serialBLASResiduals = 2048

    public static func solve(_ problem: LeastSquaresProblem, start: [Double], bounds: Bounds? = nil,
                             options: LeastSquaresOptions = LeastSquaresOptions(),
                             workspace: LeastSquaresWorkspace? = nil) throws -> LeastSquaresSolution {
        let n = problem.parameterCount, m = problem.residualCount
        let names = problem.model.parameterNames
        guard start.count == n else {
            throw InferKitError.dimensionMismatch("p0 has \(start.count) values but the model has \(n) parameters")
        }
        guard n > 0 else { throw InferKitError.dimensionMismatch("the model has no parameters to fit") }
        guard m >= n else {
            throw InferKitError.dimensionMismatch(
                "there are \(m) residuals but \(n) parameters: a least-squares fit needs at least as many points as parameters")
        }
        for (j, v) in start.enumerated() where !v.isFinite {
            throw InferKitError.nonFinite("p0[\(j)] (parameter '\(names[j])') is \(describe(v))")
        }
        try options.validate(parameterCount: n)
        if let bounds {
            guard bounds.lower.count == n else {
                throw InferKitError.dimensionMismatch("bounds have \(bounds.lower.count) values but the model has \(n) parameters")
            }
            try bounds.requireInside(start, names: names)
        }
        let box = (bounds?.isUnbounded ?? true) ? nil : bounds
        let work = workspace.flatMap { $0.m == m && $0.n == n ? $0 : nil }
            ?? LeastSquaresWorkspace(residuals: m, parameters: n)
        var threaded = problem
        threaded.evaluationThreads = Parallel.threads(requested: options.threads)
        var solver = Solver(problem: threaded, bounds: box, options: options, work: work, start: start)
        func run() throws -> LeastSquaresSolution {
            switch options.method {
            case .levenbergMarquardt: try solver.levenbergMarquardt()
            case .gaussNewton: try solver.gaussNewton()
            }
            return try solver.finish()
        }
        // OpenBLAS on one thread for many residuals: its threaded ddot over them sums in
        // another order, which made the result depend on whatever else the process was running.
        // Small fits skip the switch (two OpenBLAS calls per fit), where OpenBLAS stays serial.
        return try m >= Self.serialBLASResiduals ? BLASThreads.singleThreaded(run) : run()
    }
}

/// The state of one solve.
struct Solver {
    let problem: LeastSquaresProblem
    let bounds: Bounds?
    let options: LeastSquaresOptions
    let w: LeastSquaresWorkspace
    let m: Int
    let n: Int
    let joint: Bool
    var p: [Double]
    var cost = 0.0
    var haveJacobian = false
    var evaluations = 0
    var jacobianEvaluations = 0
    var iterations = 0
    var termination = LeastSquaresTermination.maximumEvaluations
    var active: [Bool]
    /// Free parameters (indices into p) of the current iteration.
    var free: [Int] = []
    /// Scaled-residual gradient Jᵀr̃ of the current iteration (all n parameters).
    var gradient: [Double]
    /// True when the current iteration's triangular factor is the Cholesky factor of JᵀJ
    /// (well-conditioned J), false when it is from the pivoted QR of J.
    var gramFactored = false
    /// The matrix whose free columns were factored (J or its loss-rescaled copy), m × (n + 1).
    var linearised: UnsafeMutablePointer<Double>? = nil

    init(problem: LeastSquaresProblem, bounds: Bounds?, options: LeastSquaresOptions,
         work: LeastSquaresWorkspace, start: [Double]) {
        self.problem = problem
        self.bounds = bounds
        self.options = options
        self.w = work
        m = problem.residualCount
        n = problem.parameterCount
        joint = problem.prefersJointEvaluation
        p = start
        active = [Bool](repeating: false, count: problem.parameterCount)
        gradient = [Double](repeating: 0, count: problem.parameterCount)
    }

    private var names: [String] { problem.model.parameterNames }

    // MARK: - Evaluations

    /// r (and J when evaluating jointly) at q into the trial buffers; false when non-finite.
    mutating func evaluateTrial(_ q: [Double]) throws -> Bool {
        evaluations += 1
        let r = UnsafeMutableBufferPointer(start: w.rTrial, count: m)
        try q.withUnsafeBufferPointer { qb in
            if joint {
                jacobianEvaluations += 1
                try problem.jacobian(qb, r, residualsKnown: false, bounds: bounds,
                                     UnsafeMutableBufferPointer(start: w.jacobianTrial, count: m * n))
            } else {
                try problem.residuals(qb, r)
            }
        }
        return allFinite(w.rTrial, m) && (!joint || allFinite(w.jacobianTrial, m * n))
    }

    /// Makes the trial point current.
    mutating func accept(_ q: [Double], cost trialCost: Double) {
        p = q
        cost = trialCost
        swap(&w.r, &w.rTrial)
        if joint {
            swap(&w.jacobian, &w.jacobianTrial)
            haveJacobian = true
        } else {
            haveJacobian = false
        }
    }

    /// The first point: residuals (and Jacobian), with non-finite values an error.
    mutating func evaluateStart() throws {
        let finite = try evaluateTrial(p)
        if !finite {
            for i in 0..<m where !w.rTrial[i].isFinite {
                throw InferKitError.nonFinite(
                    "the model is \(describe(w.rTrial[i])) at point \(i) for the starting parameters p0 = \(p)")
            }
            try throwNonFiniteJacobian(w.jacobianTrial, at: "the starting parameters p0 = \(p)")
        }
        accept(p, cost: options.loss.cost(w.rTrial, m, scale: options.lossScale))
    }

    /// The Jacobian at the current point when it is not known yet.
    mutating func ensureJacobian() throws {
        if haveJacobian { return }
        jacobianEvaluations += 1
        try p.withUnsafeBufferPointer { pb in
            try problem.jacobian(pb, UnsafeMutableBufferPointer(start: w.r, count: m), residualsKnown: true,
                                 bounds: bounds, UnsafeMutableBufferPointer(start: w.jacobian, count: m * n))
        }
        haveJacobian = true
        try throwNonFiniteJacobian(w.jacobian, at: "p = \(p)")
    }

    private func throwNonFiniteJacobian(_ jacobian: UnsafeMutablePointer<Double>, at point: String) throws {
        for j in 0..<n {
            for i in 0..<m where !jacobian[i + j * m].isFinite {
                throw InferKitError.nonFinite(
                    "the Jacobian d f/d \(names[j]) is \(describe(jacobian[i + j * m])) at point \(i) for \(point)")
            }
        }
    }

    // MARK: - The linearisation of one iteration

    /// Loss-rescaled residuals into `qtr` and Jacobian into `scaled`, the gradient, the active
    /// set, the column norms, and the QR factorisation of the free columns (Qᵀr̃ in `qtr`).
    /// Returns √(2C) (‖r‖ for the linear loss) and the column norms of all n columns.
    mutating func linearise(columnNorms: inout [Double]) throws -> Double {
        // [J r̃] with the (loss-rescaled) residuals in the column after J.
        let source: UnsafeMutablePointer<Double>
        if options.loss == .linear {
            source = w.jacobian
            (source + n * m).update(from: w.r, count: m)
        } else {
            source = w.scaled
            source.update(from: w.jacobian, count: m * n)
            (source + n * m).update(from: w.r, count: m)
            options.loss.rescale(source + n * m, source, m, n, scale: options.lossScale, rowScale: w.rowScale)
        }
        linearised = source
        let rs = source + n * m
        w.qtr.update(from: rs, count: m)
        // Gram matrix, gradient and column norms: the (n + 1)(n + 2)/2 column products (BLAS
        // ddot; dsyrk packs its operands and costs ten times more for so few columns).
        let ld = n + 1
        for j in 0..<ld {
            for i in 0...j { w.gram[i + j * ld] = dot(source + i * m, source + j * m, m) }
        }
        var gramFinite = true
        for j in 0..<ld { for i in 0...j where !w.gram[i + j * ld].isFinite { gramFinite = false } }
        for j in 0..<n {
            if gramFinite {
                gradient[j] = w.gram[j + n * ld]
                columnNorms[j] = w.gram[j + j * ld].squareRoot()
            } else {
                let column = source + j * m
                gradient[j] = dot(column, rs, m)
                columnNorms[j] = dot(column, column, m).squareRoot()
            }
        }
        free.removeAll(keepingCapacity: true)
        for j in 0..<n {
            var held = false
            if let bounds {
                held = (p[j] <= bounds.lower[j] && gradient[j] > 0) || (p[j] >= bounds.upper[j] && gradient[j] < 0)
            }
            active[j] = held
            if !held { free.append(j) }
        }
        let nf = free.count
        gramFactored = false
        if nf > 0 && gramFinite && factorGram(nf) { return (2 * cost).squareRoot() }
        if nf > 0 {
            if nf == n {
                try w.qr.factor(source, columns: n)
            } else {
                // Compact the free columns in front (into `scaled`, which may be the source:
                // columns only move left).
                for (k, j) in free.enumerated() where source + j * m != w.scaled + k * m {
                    (w.scaled + k * m).update(from: source + j * m, count: m)
                }
                try w.qr.factor(w.scaled, columns: nf)
            }
            try w.qr.applyQTranspose(w.qtr, columns: nf)
            w.subproblem.load(w.qr, columns: nf)
        }
        // The reference length of the residuals: √(2C). For the linear loss that is ‖r‖; for a
        // robust loss ‖r̃‖ can be far larger (the rescaled residuals of points beyond the
        // loss's threshold grow where its curvature vanishes), which would make every cosine
        // look converged.
        return (2 * cost).squareRoot()
    }

    /// The triangular factor of a well-conditioned Jacobian from its Gram matrix: U with
    /// J_Fᵀ J_F = UᵀU (Cholesky) and Q₁ᵀr̃ = U⁻ᵀ J_Fᵀ r̃, as GSL's fastest solver does. Used only when
    /// every column keeps at least 1e-4 of its norm outside the span of the others (U then carries
    /// at least 6 digits, plenty
    /// for a trust-region step; otherwise (and for the final covariance) the pivoted QR of J
    /// decides. Returns false to fall back. (A few columns: plain loops; LAPACK's call overhead
    /// exceeds the arithmetic here.)
    mutating func factorGram(_ nf: Int) -> Bool {
        let ld = n + 1
        let u = w.cholesky
        for (b, j) in free.enumerated() {
            for (a, i) in free.enumerated() where a <= b { u[a + b * nf] = w.gram[Swift.min(i, j) + Swift.max(i, j) * ld] }
        }
        // Cholesky, column by column. The pivot u_jj is the part of column j outside the span of
        // the ones before it; below 1e-4 of the column's norm (a near-dependence: the condition
        // number of the column-scaled J is then ≳ 1e4, and Cholesky, invariant to that scaling,
        // would lose too many digits) the QR takes over.
        for j in 0..<nf {
            for i in 0..<j {
                var t = u[i + j * nf]
                for k in 0..<i { t -= u[k + i * nf] * u[k + j * nf] }
                u[i + j * nf] = t / u[i + i * nf]
            }
            var d = u[j + j * nf]
            for k in 0..<j { d -= u[k + j * nf] * u[k + j * nf] }
            guard d > 1e-8 * u[j + j * nf] else { return false }  // u_jj² > (1e-4)² G_jj
            u[j + j * nf] = d.squareRoot()
        }
        for (k, j) in free.enumerated() { w.qtr[k] = w.gram[j + n * ld] }
        cblas_dtrsv(CblasColMajor, CblasUpper, CblasTrans, CblasNonUnit, Int32(nf), u, Int32(nf), w.qtr, 1)
        w.subproblem.load(upper: u, ld: nf, columns: nf)
        gramFactored = true
        return true
    }

    /// The first nf entries of Qᵀv (v an m-vector, overwritten there) for the current factor.
    mutating func rotate(_ v: UnsafeMutablePointer<Double>, _ nf: Int) throws {
        guard gramFactored, let source = linearised else {
            try w.qr.applyQTranspose(v, columns: nf)
            return
        }
        var g = [Double](repeating: 0, count: nf)
        for (k, j) in free.enumerated() { g[k] = dot(source + j * m, v, m) }
        cblas_dtrsv(CblasColMajor, CblasUpper, CblasTrans, CblasNonUnit, Int32(nf), w.cholesky, Int32(nf), &g, 1)
        for k in 0..<nf { v[k] = g[k] }
    }

    // MARK: - Levenberg-Marquardt

    mutating func levenbergMarquardt() throws {
        try evaluateStart()
        let limit = options.evaluationLimit(n)
        let eps = Double.ulpOfOne
        var diag = [Double](repeating: 0, count: n)
        var columnNorms = [Double](repeating: 0, count: n)
        var delta = 0.0, xnorm = 0.0, lambda = 0.0
        var initialized = false
        var lastTrialFinite = true
        var x = [Double](repeating: 0, count: n)
        var scale = [Double](repeating: 0, count: n)
        var step = [Double](repeating: 0, count: n)
        var rs = [Double](repeating: 0, count: n)
        outer: while true {
            try ensureJacobian()
            let rnorm = try linearise(columnNorms: &columnNorms)
            let nf = free.count
            if !initialized {
                initialized = true
                for j in 0..<n {
                    switch options.scaling {
                    case .jacobian: diag[j] = columnNorms[j] == 0 ? 1 : columnNorms[j]
                    case .fixed(let s): diag[j] = 1 / s[j]
                    }
                }
                xnorm = scaledNorm(diag, p)
                delta = options.initialStepBound * xnorm
                if delta == 0 { delta = options.initialStepBound }
            }
            let fnorm = (2 * cost).squareRoot()
            // The gradient test: the largest cosine between r̃ and a free column.
            var gnorm = 0.0
            if rnorm > 0 {
                for j in free where columnNorms[j] > 0 {
                    gnorm = Swift.max(gnorm, Swift.abs(gradient[j]) / (columnNorms[j] * rnorm))
                }
            }
            if nf == 0 || gnorm <= options.gtol || fnorm == 0 {
                termination = .gradientTolerance
                return
            }
            // The full Gauss-Newton step predicts a relative reduction ‖Q₁ᵀr̃‖²/‖r̃‖² (the
            // squared cosine between the residuals and the range of J): when that is within ftol,
            // no step can do better and the fit has converged without another evaluation.
            var gaussNewtonReduction = 0.0
            for k in 0..<w.subproblem.rank { gaussNewtonReduction += w.qtr[k] * w.qtr[k] }
            if gaussNewtonReduction <= options.ftol * rnorm * rnorm && iterations > 0 {
                termination = .costTolerance
                return
            }
            if case .jacobian = options.scaling {
                for j in 0..<n { diag[j] = Swift.max(diag[j], columnNorms[j]) }
            }
            for (k, j) in free.enumerated() { scale[k] = diag[j] }
            // The inner loop: trial steps until one reduces the cost enough.
            while true {
                let qtb = UnsafePointer(w.qtr)
                scale.withUnsafeBufferPointer { d in
                    x.withUnsafeMutableBufferPointer { xb in
                        w.subproblem.solve(scaling: d.baseAddress!, qtb, radius: delta, lambda: &lambda, xb.baseAddress!)
                    }
                }
                for k in 0..<nf { step[k] = -x[k] }
                var plainStep = true
                if options.geodesicAcceleration, options.loss == .linear {
                    plainStep = try !accelerate(&step, lambda: lambda, scale: scale, nf: nf) && plainStep
                }
                // Project onto the box.
                var trial = p
                for (k, j) in free.enumerated() {
                    var v = p[j] + step[k]
                    if let bounds {
                        let clipped = Swift.min(Swift.max(v, bounds.lower[j]), bounds.upper[j])
                        if clipped != v { plainStep = false; v = clipped }
                    }
                    trial[j] = v
                    step[k] = v - p[j]
                }
                var pnorm2 = 0.0
                for k in 0..<nf { pnorm2 += (scale[k] * step[k]) * (scale[k] * step[k]) }
                let pnorm = pnorm2.squareRoot()
                if iterations == 0 { delta = Swift.min(delta, pnorm) }
                let finite = try evaluateTrial(trial)
                lastTrialFinite = finite
                let trialCost = finite ? options.loss.cost(w.rTrial, m, scale: options.lossScale) : .infinity
                let fnorm1 = (2 * trialCost).squareRoot()
                let actred = 0.1 * fnorm1 < fnorm ? 1 - (fnorm1 / fnorm) * (fnorm1 / fnorm) : -1
                // Predicted reduction of the linear model, relative to ‖r‖².
                let prered: Double, dirder: Double
                let jnorm2 = step.withUnsafeBufferPointer { s in
                    rs.withUnsafeMutableBufferPointer { w.subproblem.multiplyR(s.baseAddress!, $0.baseAddress!) }
                }
                let f2 = fnorm * fnorm
                if plainStep {
                    let t2 = lambda * pnorm2
                    prered = (jnorm2 + 2 * t2) / f2
                    dirder = -(jnorm2 + t2) / f2
                } else {
                    var gs = 0.0
                    for k in 0..<nf { gs += w.qtr[k] * rs[k] }
                    prered = -(2 * gs + jnorm2) / f2
                    dirder = gs / f2
                }
                let ratio = prered != 0 ? actred / prered : 0
                if ratio <= 0.25 {
                    var t = actred >= 0 ? 0.5 : 0.5 * dirder / (dirder + 0.5 * actred)
                    if 0.1 * fnorm1 >= fnorm || t < 0.1 || !t.isFinite { t = 0.1 }
                    delta = t * Swift.min(delta, pnorm / 0.1)
                    lambda /= t
                } else if lambda == 0 || ratio >= 0.75 {
                    delta = pnorm / 0.5
                    lambda *= 0.5
                }
                if ratio >= 1e-4 {
                    accept(trial, cost: trialCost)
                    xnorm = scaledNorm(diag, p)
                    iterations += 1
                    if let progress = options.progress, !progress(iterations, p, cost) {
                        termination = .stoppedByCallback
                        return
                    }
                }
                // Convergence tests.
                let costConverged = Swift.abs(actred) <= options.ftol && prered <= options.ftol && 0.5 * ratio <= 1
                   
                let stepConverged = delta <= options.xtol * xnorm
                if costConverged || stepConverged {
                    termination = costConverged && stepConverged ? .costAndStepTolerance
                        : (costConverged ? .costTolerance : .stepTolerance)
                    if !lastTrialFinite && ratio < 1e-4 { termination = .nonFiniteModel }
                    return
                }
                if evaluations >= limit {
                    termination = .maximumEvaluations
                    return
                }
                // A Gauss-Newton step (inside the region, λ = 0) that predicts less than ftol and
                // does not reduce the cost has hit the rounding noise of the cost itself.
                let noiseFloor = lambda == 0 && plainStep && prered <= options.ftol && actred < 0 && lastTrialFinite
                if (Swift.abs(actred) <= eps && prered <= eps && 0.5 * ratio <= 1) || delta <= eps * xnorm || noiseFloor {
                    termination = lastTrialFinite || ratio >= 1e-4 ? .machinePrecision : .nonFiniteModel
                    return
                }
                if ratio >= 1e-4 { continue outer }
            }
        }
    }

    /// Adds the geodesic acceleration to the velocity `step` (free parameters, compacted)
    /// when its size passes the ratio test: a solves the damped system for the second
    /// directional derivative r_vv (by finite differences along the step, h = 0.1) and the step
    /// becomes v + a/2. Returns true when it was added.
    mutating func accelerate(_ step: inout [Double], lambda: Double, scale: [Double], nf: Int) throws -> Bool {
        let h = 0.1
        var probe = p
        for (k, j) in free.enumerated() { probe[j] = p[j] + h * step[k] }
        evaluations += 1
        let out = UnsafeMutableBufferPointer(start: w.probe, count: m)
        try probe.withUnsafeBufferPointer { try problem.residuals($0, out) }
        // r_vv = (2/h) ((r(p + h v) − r(p)) / h − J v), rotated by Qᵀ.
        for i in 0..<m {
            var jv = 0.0
            for (k, j) in free.enumerated() { jv += w.jacobian[i + j * m] * step[k] }
            w.probe[i] = (2 / h) * ((w.probe[i] - w.r[i]) / h - jv)
            if !w.probe[i].isFinite { return false }
        }
        try rotate(w.probe, nf)
        let root = lambda.squareRoot()
        var d = [Double](repeating: 0, count: nf)
        for k in 0..<nf { d[k] = root * scale[k] }
        var a = [Double](repeating: 0, count: nf)
        d.withUnsafeBufferPointer { db in
            a.withUnsafeMutableBufferPointer { w.subproblem.solveDamped(db.baseAddress!, w.probe, $0.baseAddress!) }
        }
        var anorm = 0.0, vnorm = 0.0
        for k in 0..<nf {
            anorm += (scale[k] * a[k]) * (scale[k] * a[k])
            vnorm += (scale[k] * step[k]) * (scale[k] * step[k])
        }
        guard vnorm > 0, 2 * anorm.squareRoot() <= options.geodesicRatio * vnorm.squareRoot() else { return false }
        for k in 0..<nf { step[k] -= 0.5 * a[k] }
        return true
    }

    // MARK: - Gauss-Newton

    /// Full Gauss-Newton steps s = −(J P R⁻¹) Qᵀ r over the numerical rank, halved (up to 40
    /// times) until the cost decreases; the same projection on bounds as Levenberg-Marquardt.
    mutating func gaussNewton() throws {
        try evaluateStart()
        let limit = options.evaluationLimit(n)
        var columnNorms = [Double](repeating: 0, count: n)
        var x = [Double](repeating: 0, count: n)
        var diag = [Double](repeating: 1, count: n)
        while true {
            try ensureJacobian()
            let rnorm = try linearise(columnNorms: &columnNorms)
            for j in 0..<n { diag[j] = Swift.max(diag[j], columnNorms[j]) }
            var gnorm = 0.0
            if rnorm > 0 {
                for j in free where columnNorms[j] > 0 {
                    gnorm = Swift.max(gnorm, Swift.abs(gradient[j]) / (columnNorms[j] * rnorm))
                }
            }
            if free.isEmpty || gnorm <= options.gtol || cost == 0 {
                termination = .gradientTolerance
                return
            }
            x.withUnsafeMutableBufferPointer { w.subproblem.gaussNewton(w.qtr, $0.baseAddress!) }
            var t = 1.0
            var accepted = false
            var trial = p
            for _ in 0..<40 {
                for (k, j) in free.enumerated() {
                    var v = p[j] - t * x[k]
                    if let bounds { v = Swift.min(Swift.max(v, bounds.lower[j]), bounds.upper[j]) }
                    trial[j] = v
                }
                let finite = try evaluateTrial(trial)
                let trialCost = finite ? options.loss.cost(w.rTrial, m, scale: options.lossScale) : .infinity
                if trialCost < cost {
                    let reduction = (cost - trialCost) / cost
                    var snorm = 0.0, pnorm = 0.0
                    for j in 0..<n {
                        snorm += (diag[j] * (trial[j] - p[j])) * (diag[j] * (trial[j] - p[j]))
                        pnorm += (diag[j] * trial[j]) * (diag[j] * trial[j])
                    }
                    accept(trial, cost: trialCost)
                    iterations += 1
                    accepted = true
                    if let progress = options.progress, !progress(iterations, p, cost) {
                        termination = .stoppedByCallback
                        return
                    }
                    let costConverged = reduction <= options.ftol
                    let stepConverged = snorm.squareRoot() <= options.xtol * pnorm.squareRoot()
                    if costConverged || stepConverged {
                        termination = costConverged && stepConverged ? .costAndStepTolerance
                            : (costConverged ? .costTolerance : .stepTolerance)
                        return
                    }
                    break
                }
                if evaluations >= limit { break }
                t *= 0.5
            }
            if evaluations >= limit {
                termination = .maximumEvaluations
                return
            }
            if !accepted {
                termination = .machinePrecision
                return
            }
        }
    }

    // MARK: - Result

    /// The solution at the final point (with its Jacobian).
    mutating func finish() throws -> LeastSquaresSolution {
        try ensureJacobian()
        return LeastSquaresSolution(
            parameters: p, residuals: Array(UnsafeBufferPointer(start: w.r, count: m)),
            jacobian: Array(UnsafeBufferPointer(start: w.jacobian, count: m * n)), cost: cost,
            termination: termination, iterations: iterations, evaluations: evaluations,
            jacobianEvaluations: jacobianEvaluations, activeBounds: active)
    }
}

/// True when none of `count` values is NaN or ±inf: x − x is +0 exactly for finite x, so the OR
/// of the bits of x − x (an integer reduction the compiler vectorises) is zero exactly then.
func allFinite(_ v: UnsafePointer<Double>, _ count: Int) -> Bool {
    var bits: UInt64 = 0
    for i in 0..<count { bits |= (v[i] - v[i]).bitPattern }
    return bits == 0
}

/// True when no value of `values` is NaN or ±inf (one vectorised pass): the fast check that
/// callers run before searching for the culprit to name.
public func isAllFinite(_ values: UnsafeBufferPointer<Double>) -> Bool {
    guard let base = values.baseAddress else { return true }
    return allFinite(base, values.count)
}

/// ‖diag(d) v‖ of two n-vectors.
func scaledNorm(_ d: [Double], _ v: [Double]) -> Double {
    var s = 0.0
    for j in 0..<Swift.min(d.count, v.count) { s += (d[j] * v[j]) * (d[j] * v[j]) }
    return s.squareRoot()
}
