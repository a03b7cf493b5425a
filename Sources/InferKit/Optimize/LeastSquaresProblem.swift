// A weighted nonlinear least-squares problem: residuals r_i(p) = w_i (f(x_i; p) − y_i) of a
// model at data points, with w_i = 1/σ_i, and their Jacobian J_ij = w_i ∂f(x_i)/∂p_j.
// Without data (y absent) the model's values are the residuals themselves (scipy's
// least_squares(fun, x0)).

extension Bounds {
    /// True when no parameter has a finite bound.
    public var isUnbounded: Bool { !isConstraining }

    /// Throws `invalidArgument` naming the first parameter of `p` outside the bounds, with its
    /// name from `names` ("p0[1] (parameter 'mu') = 6.0 is outside its bounds [0.0, 5.0]"): a
    /// start outside the box is the caller's error, not something to clip silently.
    public func requireInside(_ p: [Double], names: [String], what: String = "p0") throws {
        for j in 0..<Swift.min(p.count, lower.count) where !(p[j] >= lower[j] && p[j] <= upper[j]) {
            let name = j < names.count ? " (parameter '\(names[j])')" : ""
            throw InferKitError.invalidArgument(
                "\(what)[\(j)]\(name) = \(describe(p[j])) is outside its bounds [\(describe(lower[j])), \(describe(upper[j]))]")
        }
    }
}

/// Residuals and Jacobian of a model at weighted data, the function the least-squares
/// solvers minimise. Not thread-safe by itself: it only reads the model and the data, so
/// distinct problems may run on distinct threads.
public struct LeastSquaresProblem {
    /// The model f(x; p).
    public let model: any ParametricModel
    /// The data points x_i.
    public let points: DataPoints
    /// Observations y_i (nil: zero, the model's values are the residuals).
    public let observations: UnsafeBufferPointer<Double>?
    /// Weights w_i = 1/σ_i (nil: all 1).
    public let weights: UnsafeBufferPointer<Double>?

    /// Number of residuals m.
    public var residualCount: Int { points.count }
    /// Number of parameters n.
    public var parameterCount: Int { model.parameterCount }

    /// The model when it is a formula: residuals and Jacobian then come from its tape in one
    /// pass, weighted as they are written.
    private let formula: Model?
    /// Threads for evaluating a formula at many points (1: the calling thread only). Points
    /// are cut into fixed chunks whatever the thread count, each written by one thread, so the
    /// results do not depend on it.
    public var evaluationThreads = 1
    /// Fewest points for which a formula's evaluation is split across threads.
    static let parallelThreshold = 32_768
    /// Points per chunk of a split evaluation.
    static let chunkSize = 8_192

    /// A problem over `points` with optional observations and weights (each `points.count`
    /// values when given; checked by the caller).
    public init(model: any ParametricModel, points: DataPoints, observations: UnsafeBufferPointer<Double>?,
                weights: UnsafeBufferPointer<Double>?) {
        self.model = model
        self.points = points
        self.observations = observations
        self.weights = weights
        formula = model as? Model
    }

    private var transform: ResidualTransform {
        ResidualTransform(observations: observations?.baseAddress, weights: weights?.baseAddress)
    }

    private func checkFormula(_ f: Model, _ p: UnsafeBufferPointer<Double>) throws {
        guard points.inputCount == f.inputs.count else {
            throw InferKitError.dimensionMismatch(
                "the data have \(points.inputCount) inputs but the model has \(f.inputs.count) inputs \(f.inputs)")
        }
        try f.checkParameterCount(p.count)
    }

    /// True when one pass giving residuals and Jacobian together costs little more than the
    /// residuals alone (formulas: the Jacobian is computed in the same sweep), so the solver
    /// evaluates both at every trial point.
    var prefersJointEvaluation: Bool { formula != nil }

    /// Turns model values in `r` into weighted residuals, in place.
    @inline(__always)
    private func weigh(_ r: UnsafeMutableBufferPointer<Double>) {
        let m = residualCount
        if let y = observations {
            if let w = weights {
                for i in 0..<m { r[i] = (r[i] - y[i]) * w[i] }
            } else {
                for i in 0..<m { r[i] -= y[i] }
            }
        } else if let w = weights {
            for i in 0..<m { r[i] *= w[i] }
        }
    }

    /// r(p) into `r` (m values).
    public func residuals(_ p: UnsafeBufferPointer<Double>, _ r: UnsafeMutableBufferPointer<Double>) throws {
        if let formula {
            try checkFormula(formula, p)
            forEachChunk { range, columns, t in
                formula.tape.evaluate(inputs: columns, parameters: p, count: range.count,
                                      output: UnsafeMutableBufferPointer(rebasing: r[range]), residuals: t)
            }
            return
        }
        try model.evaluate(points, p, r)
        weigh(r)
    }

    /// The column-major m × n weighted Jacobian at p into `jacobian`. When `residualsKnown` the
    /// residuals r(p) are already in `r` (finite differences reuse them); otherwise they are
    /// computed into `r`. `bounds` keep finite-difference probes feasible.
    public func jacobian(_ p: UnsafeBufferPointer<Double>, _ r: UnsafeMutableBufferPointer<Double>,
                         residualsKnown: Bool, bounds: Bounds?,
                         _ jacobian: UnsafeMutableBufferPointer<Double>) throws {
        let m = residualCount, n = parameterCount
        if let formula {
            try checkFormula(formula, p)
            let scratch = residualsKnown ? UnsafeMutableBufferPointer<Double>.allocate(capacity: Swift.max(m, 1)) : r
            defer { if residualsKnown { scratch.deallocate() } }
            forEachChunk { range, columns, t in
                formula.tape.jacobian(inputs: columns, parameters: p, count: range.count,
                                      values: UnsafeMutableBufferPointer(rebasing: scratch[range]),
                                      jacobian: UnsafeMutableBufferPointer(start: jacobian.baseAddress.map { $0 + range.lowerBound },
                                                                           count: m * n - range.lowerBound),
                                      residuals: t, leadingDimension: m)
            }
            return
        }
        if let callback = model as? CallbackModel, !callback.hasExactJacobian {
            // Differences of the residuals themselves: w (f(p + h) - f(p)) / h, with r(p) reused.
            if !residualsKnown { try residuals(p, r) }
            try callback.finiteDifferences.jacobian(
                count: m, parameters: p, values: UnsafeBufferPointer(r), lower: bounds?.lower,
                upper: bounds?.upper, jacobian: jacobian) { probe, out in try residuals(probe, out) }
            return
        }
        try model.jacobian(points, p, values: residualsKnown ? nil : r, valuesKnown: false, jacobian)
        if !residualsKnown { weigh(r) }
        weighColumns(jacobian, m, n)
    }

    /// Runs `body(range, input columns of the range, residual transform of the range)` over the
    /// points: at once, or in fixed chunks across `evaluationThreads` threads for many points.
    private func forEachChunk(_ body: (Range<Int>, [UnsafeBufferPointer<Double>], ResidualTransform) -> Void) {
        let m = residualCount
        let whole = transform
        guard evaluationThreads > 1 && m >= LeastSquaresProblem.parallelThreshold else {
            body(0..<m, points.columns, whole)
            return
        }
        let size = LeastSquaresProblem.chunkSize
        let chunks = (m + size - 1) / size
        let columns = points.columns
        Parallel.forEach(chunks: chunks, threads: evaluationThreads) { c, _ in
            let range = (c * size)..<Swift.min(m, (c + 1) * size)
            let part = ResidualTransform(observations: whole.observations.map { $0 + range.lowerBound },
                                         weights: whole.weights.map { $0 + range.lowerBound })
            body(range, columns.map { UnsafeBufferPointer(rebasing: $0[range]) }, part)
        }
    }

    private func weighColumns(_ jacobian: UnsafeMutableBufferPointer<Double>, _ m: Int, _ n: Int) {
        guard let w = weights else { return }
        for j in 0..<n {
            for i in 0..<m { jacobian[i + j * m] *= w[i] }
        }
    }
}
