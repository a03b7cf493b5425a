/// Newton's method in a trust region (Nocedal & Wright, Numerical Optimization, Algorithm
/// 4.1): the exact-Hessian model is minimised exactly in the ball of radius Δ
/// (`TrustRegionSubproblem`); a step is accepted when the actual reduction is more than 0.15
/// of the predicted one (scipy's η); Δ shrinks to ‖p‖/4 when that ratio is below 1/4 (or the
/// trial value is NaN or infinite) and doubles, up to `maxTrustRadius`, when it is above 3/4
/// and the step reached the boundary. One iteration is one accepted step.
struct TrustRegionNewton: MinimizerIteration {
    private(set) var current: Iterate
    /// The Hessian at `current`, row-major.
    private var hessian: [Double]
    private var radius: Double
    private let maxRadius: Double
    private let counter: CountedObjective

    init(start: Iterate, hessian: [Double], counter: CountedObjective, options: MinimizeOptions) {
        current = start
        self.hessian = hessian
        self.counter = counter
        radius = options.initialTrustRadius
        maxRadius = options.maxTrustRadius
    }

    var gradientNorm: Double? { current.gradient.map(Vector.infinityNorm) }

    mutating func advance() throws -> MinimizeStatus? {
        guard Vector.isFinite(hessian) else { return .nonFiniteValue }
        let gradient = current.gradient ?? []
        let model = try TrustRegionSubproblem(hessian: hessian, gradient: gradient, dimension: counter.dimension)
        let roundingLevel = 10 * Double.ulpOfOne * Swift.max(1, Swift.abs(current.value))
        while radius > Double.ulpOfOne * Swift.max(1, Vector.norm(current.x)) {
            let (step, predicted, onBoundary) = model.solve(radius: radius)
            let stepNorm = Vector.norm(step)
            let trial = Vector.adding(current.x, 1, step)
            let value = try counter.value(trial)
            let actual = current.value - value
            var ratio = value.isFinite && predicted > 0 ? actual / predicted : -Double.infinity
            if value.isFinite, predicted <= roundingLevel, Swift.abs(actual) <= roundingLevel {
                ratio = 1  // both reductions are rounding noise: the model is as good as f
            }
            if ratio < 0.25 {
                radius = 0.25 * Swift.min(stepNorm, radius)
            } else if ratio > 0.75 && onBoundary {
                radius = Swift.min(2 * radius, maxRadius)
            }
            if ratio > 0.15 {
                let (f, g, h) = try counter.valueGradientHessian(trial)
                guard f.isFinite, Vector.isFinite(g) else {
                    radius = 0.25 * Swift.min(stepNorm, radius)
                    continue
                }
                current = Iterate(x: trial, value: f, gradient: g)
                hessian = h
                return nil
            }
        }
        return .trustRegionCollapsed
    }

    /// The inverse of the exact Hessian at the solution when it is positive definite.
    func inverseHessian() throws -> DenseMatrix? {
        try exactInverseHessian(hessian, dimension: counter.dimension)
    }
}
