/// Newton directions d = -(H + τI)⁻¹ g from the exact Hessian H, modified to be positive
/// definite (`ModifiedCholesky`; steepest descent in the unlikely case that no finite shift
/// does it). After a failed line search the next direction is steepest descent; the Newton
/// direction returns after the next accepted step.
struct NewtonDirection: SearchDirection {
    private let counter: CountedObjective
    /// The Hessian (row-major) and the point it belongs to.
    private var hessian: (x: [Double], values: [Double])
    private var steepestDescent = false

    init(counter: CountedObjective, hessian: [Double], at x0: [Double]) {
        self.counter = counter
        self.hessian = (x0, hessian)
    }

    /// The Hessian at x, evaluated (f, ∇f and H: one counted call) unless known.
    private mutating func hessian(at x: [Double]) throws -> [Double] {
        if hessian.x != x { hessian = (x, try counter.valueGradientHessian(x).hessian) }
        return hessian.values
    }

    mutating func direction(at point: Iterate) throws -> [Double]? {
        let minusGradient = Vector.scaled(point.gradient ?? [], -1)
        if steepestDescent { return minusGradient }
        let h = try hessian(at: point.x)
        guard Vector.isFinite(h) else { return nil }
        guard let cholesky = try ModifiedCholesky(h, dimension: counter.dimension) else { return minusGradient }
        return try cholesky.solve(minusGradient)
    }

    func initialStep(_ direction: [Double]) -> Double {
        steepestDescent ? 1 / Vector.norm(direction) : 1
    }

    mutating func update(from old: Iterate, to new: Iterate) { steepestDescent = false }

    mutating func reset() -> Bool {
        if steepestDescent { return false }
        steepestDescent = true
        return true
    }

    /// The inverse of the exact Hessian at `point` when it is positive definite.
    mutating func inverseHessian(at point: Iterate) throws -> DenseMatrix? {
        try exactInverseHessian(try hessian(at: point.x), dimension: counter.dimension)
    }
}
