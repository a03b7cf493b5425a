/// Steepest descent x_{k+1} = P(x_k - α_k ∇f(x_k)) with P the projection onto the bounds (the
/// identity without bounds) and α_k from Armijo backtracking along the projection arc:
/// f(x(α)) <= f(x_k) + c₁ ∇f(x_k)ᵀ(x(α) - x_k), c₁ = 1e-4 (Nocedal & Wright §3.1; Bertsekas,
/// IEEE Trans. Automat. Control 21 (1976) 174 for the arc). The first trial step is
/// `learningRate`, by default 1/‖∇f(x0)‖∞; each later one is the last accepted step, doubled
/// when that step was accepted at its first trial.
struct GradientDescent: MinimizerIteration {
    private(set) var current: Iterate
    private let counter: CountedObjective
    private let bounds: Bounds?
    private let lineSearch: LineSearch
    private var trialStep: Double

    init(start: Iterate, counter: CountedObjective, bounds: Bounds?, options: MinimizeOptions) {
        current = start
        self.counter = counter
        self.bounds = bounds
        lineSearch = LineSearch(maxEvaluations: options.maxLineSearchEvaluations)
        let norm = Vector.infinityNorm(start.gradient ?? [])
        trialStep = options.learningRate ?? (norm > 0 ? 1 / norm : 1)
    }

    var gradientNorm: Double? { projectedGradientNorm(current, bounds) }

    mutating func advance() throws -> MinimizeStatus? {
        let origin = current
        let gradient = origin.gradient ?? []
        let counter = self.counter, bounds = self.bounds
        let found = try lineSearch.backtracking(originValue: origin.value, initialStep: trialStep) { step in
            var x = Vector.adding(origin.x, -step, gradient)
            if let bounds { x = bounds.project(x) }
            let (f, g) = try counter.valueAndGradient(x)
            let value = Vector.isFinite(g) ? f : .nan
            return (value, Vector.dot(gradient, Vector.difference(x, origin.x)), Iterate(x: x, value: f, gradient: g))
        }
        guard let (step, point) = found else { return .lineSearchFailed }
        trialStep = step == trialStep ? 2 * step : step
        current = point
        return nil
    }
}

/// ‖x - P(x - ∇f)‖∞ with bounds, ‖∇f‖∞ without: the measure of the gradient test.
func projectedGradientNorm(_ point: Iterate, _ bounds: Bounds?) -> Double? {
    guard let g = point.gradient else { return nil }
    guard let bounds else { return Vector.infinityNorm(g) }
    return Vector.infinityNorm(bounds.projectedGradient(point.x, g))
}
