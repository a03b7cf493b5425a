// The minimisers that move along a search direction with a strong-Wolfe line search: Newton,
// BFGS and L-BFGS differ only in how they choose the direction and what they learn from a step.

/// How a line-search method chooses its direction.
protocol SearchDirection {
    /// A descent direction at `point`, or nil when the method cannot form one there (a NaN
    /// Hessian).
    mutating func direction(at point: Iterate) throws -> [Double]?
    /// The first trial step along `direction`.
    func initialStep(_ direction: [Double]) -> Double
    /// Learns from the accepted step from `old` to `new`.
    mutating func update(from old: Iterate, to new: Iterate)
    /// Forgets what was learned and falls back to steepest descent for the next direction;
    /// false when it already had (the line-search failure is then final).
    mutating func reset() -> Bool
    /// The inverse-Hessian estimate at `point`, when the method has a natural one.
    mutating func inverseHessian(at point: Iterate) throws -> DenseMatrix?
}

extension SearchDirection {
    func inverseHessian(at point: Iterate) throws -> DenseMatrix? { nil }
}

/// x_{k+1} = x_k + α_k d_k with a strong-Wolfe α_k (c₁ = 1e-4, c₂ = 0.9); after a failed line
/// search the direction is reset to steepest descent once before the run is given up.
struct LineSearchMinimizer<Direction: SearchDirection>: MinimizerIteration {
    private(set) var current: Iterate
    private var direction: Direction
    private let counter: CountedObjective
    private let lineSearch: LineSearch

    init(start: Iterate, direction: Direction, counter: CountedObjective, options: MinimizeOptions) {
        current = start
        self.direction = direction
        self.counter = counter
        lineSearch = LineSearch(maxEvaluations: options.maxLineSearchEvaluations)
    }

    var gradientNorm: Double? { current.gradient.map(Vector.infinityNorm) }

    mutating func advance() throws -> MinimizeStatus? {
        let gradient = current.gradient ?? []
        while true {
            guard let d = try direction.direction(at: current) else { return .nonFiniteValue }
            let origin = LinePoint(step: 0, value: current.value, slope: Vector.dot(gradient, d), iterate: current)
            if origin.slope < 0,
               let accepted = try lineSearch.strongWolfe(origin: origin, initialStep: direction.initialStep(d),
                                                         evaluate: LineSearch.along(current, d, counter)) {
                direction.update(from: current, to: accepted.iterate)
                current = accepted.iterate
                return nil
            }
            if !direction.reset() { return .lineSearchFailed }
        }
    }

    mutating func inverseHessian() throws -> DenseMatrix? {
        try direction.inverseHessian(at: current)
    }
}
