// The one loop every minimiser runs: iterate, report progress, test for convergence, respect
// the iteration and evaluation budgets.

/// A point of a run: x, f(x) and, for gradient methods, ∇f(x).
struct Iterate {
    var x: [Double]
    var value: Double
    var gradient: [Double]?
}

/// The state of one method between iterations, driven by `runIterations`.
protocol MinimizerIteration {
    /// The last accepted point.
    var current: Iterate { get }
    /// The infinity norm of the (projected) gradient at `current`; nil without a gradient.
    var gradientNorm: Double? { get }
    /// Takes one iteration: either moves `current` on and returns nil, or leaves `current`
    /// as it was and returns the status that ends the run (a failed line search, say).
    /// Throws `EvaluationBudgetExhausted` (caught by the loop) or the objective's errors.
    mutating func advance() throws -> MinimizeStatus?
    /// The tolerance test after an iteration that started at `previous` (nil: at the start).
    func convergence(after previous: Iterate?, _ options: MinimizeOptions) -> MinimizeStatus?
    /// The inverse-Hessian estimate at `current`, where the method has a natural one.
    mutating func inverseHessian() throws -> DenseMatrix?
}

extension MinimizerIteration {
    /// The gradient, function-reduction and step tests of `MinimizeOptions`.
    func convergence(after previous: Iterate?, _ options: MinimizeOptions) -> MinimizeStatus? {
        if let norm = gradientNorm, norm <= options.gtol { return .gradientTolerance }
        guard let previous else { return nil }
        let reduction = previous.value - current.value
        let scale = Swift.max(Swift.abs(previous.value), Swift.abs(current.value), 1)
        if options.ftol > 0, reduction <= options.ftol * scale { return .functionTolerance }
        if options.xtol > 0 {
            let step = Vector.infinityNorm(Vector.difference(current.x, previous.x))
            if step <= options.xtol * Swift.max(1, Vector.infinityNorm(current.x)) { return .stepTolerance }
        }
        return nil
    }

    func inverseHessian() throws -> DenseMatrix? { nil }
}

/// Runs `method` until a tolerance test, a failure, the callback or a budget stops it.
func runIterations<Method: MinimizerIteration>(_ method: inout Method, counter: CountedObjective,
                                               options: MinimizeOptions, maxIterations: Int) throws
    -> (status: MinimizeStatus, iterations: Int) {
    if let status = method.convergence(after: nil, options) { return (status, 0) }
    var iterations = 0
    while true {
        if iterations >= maxIterations { return (.maxIterations, iterations) }
        if counter.functionEvaluations >= counter.maxEvaluations { return (.maxEvaluations, iterations) }
        let previous = method.current
        do {
            if let status = try method.advance() { return (status, iterations) }
        } catch is EvaluationBudgetExhausted {
            return (.maxEvaluations, iterations)
        }
        iterations += 1
        if let progress = options.progress {
            let report = MinimizeProgress(iteration: iterations, x: method.current.x, value: method.current.value,
                                          gradientNorm: method.gradientNorm,
                                          functionEvaluations: counter.functionEvaluations)
            if try !progress(report) { return (.stoppedByCallback, iterations) }
        }
        if let status = method.convergence(after: previous, options) { return (status, iterations) }
    }
}
