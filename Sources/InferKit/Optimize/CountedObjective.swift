/// Thrown by `CountedObjective` instead of evaluating past the budget; the iteration loop
/// turns it into `MinimizeStatus.maxEvaluations`.
struct EvaluationBudgetExhausted: Error {}

/// The objective as the optimisers see it: every call counted, the evaluation budget
/// enforced, and the sizes of what the objective returns checked (a wrong-sized gradient or
/// Hessian is `dimensionMismatch`, never an out-of-range index).
final class CountedObjective {
    let objective: ScalarObjective
    let dimension: Int
    let maxEvaluations: Int
    private(set) var functionEvaluations = 0
    private(set) var gradientEvaluations = 0
    private(set) var hessianEvaluations = 0

    init(_ objective: ScalarObjective, maxEvaluations: Int) {
        self.objective = objective
        self.dimension = objective.dimension
        self.maxEvaluations = maxEvaluations
    }

    private func spend() throws {
        guard functionEvaluations < maxEvaluations else { throw EvaluationBudgetExhausted() }
        functionEvaluations += 1
    }

    private func checkGradient(_ g: [Double]) throws {
        guard g.count == dimension else {
            throw InferKitError.dimensionMismatch(
                "the objective returned a gradient of \(g.count) values for \(dimension) parameters")
        }
    }

    /// f(x).
    func value(_ x: [Double]) throws -> Double {
        try spend()
        return try objective.value(x)
    }

    /// f(x) and ∇f(x).
    func valueAndGradient(_ x: [Double]) throws -> (value: Double, gradient: [Double]) {
        try spend()
        gradientEvaluations += 1
        let r = try objective.valueAndGradient(x)
        try checkGradient(r.gradient)
        return r
    }

    /// f(x), ∇f(x) and the row-major (symmetric) Hessian.
    func valueGradientHessian(_ x: [Double]) throws -> (value: Double, gradient: [Double], hessian: [Double]) {
        try spend()
        gradientEvaluations += 1
        hessianEvaluations += 1
        let r = try objective.valueGradientHessian(x)
        try checkGradient(r.gradient)
        guard r.hessian.count == dimension * dimension else {
            throw InferKitError.dimensionMismatch(
                "the objective returned a Hessian of \(r.hessian.count) values for \(dimension) parameters (expected \(dimension * dimension))")
        }
        return r
    }

    /// f and ∇f at the start; throws `nonFinite` unless both are finite ("the objective is
    /// NaN at x0").
    func start(_ x0: [Double]) throws -> Iterate {
        let (f, g) = try valueAndGradient(x0)
        try requireFinite(value: f, gradient: g)
        return Iterate(x: x0, value: f, gradient: g)
    }

    /// f, ∇f and the Hessian at the start, all checked to be finite.
    func startWithHessian(_ x0: [Double]) throws -> (Iterate, hessian: [Double]) {
        let (f, g, h) = try valueGradientHessian(x0)
        try requireFinite(value: f, gradient: g)
        if let k = h.firstIndex(where: { !$0.isFinite }) {
            throw InferKitError.nonFinite(
                "the Hessian of the objective is \(spelled(h[k])) at x0 (entry [\(k / dimension), \(k % dimension)])")
        }
        return (Iterate(x: x0, value: f, gradient: g), h)
    }

    /// f at the start, checked to be finite.
    func startValue(_ x0: [Double]) throws -> Double {
        let f = try value(x0)
        try requireFinite(value: f, gradient: nil)
        return f
    }

    private func requireFinite(value: Double, gradient: [Double]?) throws {
        guard value.isFinite else { throw InferKitError.nonFinite("the objective is \(spelled(value)) at x0") }
        if let gradient, let j = gradient.firstIndex(where: { !$0.isFinite }) {
            throw InferKitError.nonFinite("the gradient of the objective is \(spelled(gradient[j])) at x0 (component \(j))")
        }
    }
}
