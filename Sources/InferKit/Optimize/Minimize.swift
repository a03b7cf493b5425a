// The entry point of minimisation: check the inputs, start the chosen method at x0, run the
// shared iteration loop and report.

/// Minimises a smooth scalar function from `x0` with `method`, within `bounds` when given.
///
/// The reference behaviour is scipy.optimize.minimize; `MinimizeMethod` lists the algorithms
/// and their references, `MinimizeOptions` the stopping rules. NaN or infinite values of the
/// objective away from x0 count as "outside the domain": line searches and trust regions back
/// off, Nelder-Mead ranks such vertices last.
///
/// Throws, before any iteration:
/// - `dimensionMismatch` when x0 does not have one value per parameter ("x0 has 3 values but
///   the objective has 2 parameters"), is empty, or `bounds` or `initialSimplex` do not fit it;
/// - `nonFinite` when x0[j] is NaN or infinite, or the objective (or, for the methods that use
///   them, its gradient or Hessian) is not finite at x0 ("the objective is NaN at x0");
/// - `invalidArgument` for an option out of range (naming it), bounds with a method that does
///   not support them (naming the method), or x0 outside the bounds ("x0[1] = 5 is outside its
///   bounds [0, 2]"; x0 is never clipped silently);
/// and during the run the objective's own errors (e.g. `callbackFailed`) and the progress
/// callback's, unchanged, or `dimensionMismatch` when the objective returns a gradient or
/// Hessian of the wrong size. Failing to converge is not an error: the result's `status` says
/// why the run stopped.
public func minimize(_ objective: ScalarObjective, x0: [Double], method: MinimizeMethod,
                     bounds: Bounds? = nil, options: MinimizeOptions = MinimizeOptions()) throws -> MinimizeResult {
    let n = objective.dimension
    try checkStart(x0, dimension: n, method: method, bounds: bounds, options: options)
    let limits = MethodLimits(method, dimension: n, options: options)
    let counter = CountedObjective(objective, maxEvaluations: limits.evaluations)
    let activeBounds = bounds.flatMap { $0.isConstraining ? $0 : nil }

    func run<Method: MinimizerIteration>(_ method: Method) throws -> MinimizeResult {
        var method = method
        let (status, iterations) = try runIterations(&method, counter: counter, options: options,
                                                     maxIterations: limits.iterations)
        var inverseHessian: DenseMatrix?
        do { inverseHessian = try method.inverseHessian() } catch is EvaluationBudgetExhausted {}
        return MinimizeResult(x: method.current.x, value: method.current.value, gradient: method.current.gradient,
                              gradientNorm: method.gradientNorm, iterations: iterations,
                              functionEvaluations: counter.functionEvaluations,
                              gradientEvaluations: counter.gradientEvaluations,
                              hessianEvaluations: counter.hessianEvaluations, status: status,
                              inverseHessian: inverseHessian)
    }

    switch method {
    case .newton:
        let (start, hessian) = try counter.startWithHessian(x0)
        let direction = NewtonDirection(counter: counter, hessian: hessian, at: x0)
        return try run(LineSearchMinimizer(start: start, direction: direction, counter: counter, options: options))
    case .newtonTrustRegion:
        let (start, hessian) = try counter.startWithHessian(x0)
        return try run(TrustRegionNewton(start: start, hessian: hessian, counter: counter, options: options))
    case .bfgs:
        let direction = BFGSDirection(dimension: n)
        return try run(LineSearchMinimizer(start: try counter.start(x0), direction: direction, counter: counter,
                                           options: options))
    case .lbfgs:
        let direction = LimitedMemoryBFGSDirection(pairs: CorrectionPairs(capacity: options.memory, keepsProducts: false))
        return try run(LineSearchMinimizer(start: try counter.start(x0), direction: direction, counter: counter,
                                           options: options))
    case .lbfgsb:
        return try run(LBFGSB(start: try counter.start(x0), counter: counter, bounds: bounds ?? .unbounded(n),
                              options: options))
    case .gradientDescent:
        return try run(GradientDescent(start: try counter.start(x0), counter: counter, bounds: activeBounds,
                                       options: options))
    case .adam:
        return try run(Adam(start: try counter.start(x0), counter: counter, bounds: activeBounds, options: options))
    case .nelderMead:
        return try run(try NelderMead(x0: x0, counter: counter, bounds: activeBounds, options: options))
    }
}

/// The iteration and evaluation budgets of a run: the options', or the method's defaults.
private struct MethodLimits {
    let iterations: Int
    let evaluations: Int

    init(_ method: MinimizeMethod, dimension n: Int, options: MinimizeOptions) {
        let scaled = n.multipliedReportingOverflow(by: 200)
        let perDimension = scaled.overflow ? Int.max : Swift.max(scaled.partialValue, 1)
        switch method {
        case .newton, .newtonTrustRegion, .bfgs:
            iterations = options.maxIterations ?? perDimension
            evaluations = options.maxEvaluations ?? Int.max
        case .lbfgs, .lbfgsb:
            iterations = options.maxIterations ?? 15000
            evaluations = options.maxEvaluations ?? 15000
        case .gradientDescent, .adam:
            iterations = options.maxIterations ?? 10000
            evaluations = options.maxEvaluations ?? Int.max
        case .nelderMead:
            // scipy: both default to 200 n; setting one leaves the other unlimited.
            let neither = options.maxIterations == nil && options.maxEvaluations == nil
            iterations = options.maxIterations ?? (neither ? perDimension : Int.max)
            evaluations = options.maxEvaluations ?? (neither ? perDimension : Int.max)
        }
    }
}
