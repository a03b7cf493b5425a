/// L-BFGS-B (Byrd, Lu, Nocedal & Zhu, SIAM J. Sci. Comput. 16 (1995) 1190; version 3.0,
/// Morales & Nocedal, ACM TOMS 38 (2011) 7), the algorithm of scipy's `L-BFGS-B`. Each
/// iteration:
/// 1. the generalised Cauchy point along the projected gradient path (`CauchyPoint`; skipped
///    when no bound is finite and pairs are stored);
/// 2. subspace minimisation over the variables free there (`SubspaceMinimization`), giving
///    a feasible x̄;
/// 3. a line search along d = x̄ - x, within the box (the largest feasible step bounds it;
///    the first iteration of a bounded problem takes at most the step to x̄), satisfying the
///    strong Wolfe conditions with c₁ = 1e-3 and c₂ = 0.9 (L-BFGS-B's), starting at step 1,
///    or at 1/‖d‖₂ on the first iteration unless every variable has both bounds;
/// 4. the pair (s, y) joins the memory unless sᵀy <= eps · (-gᵀs).
/// When the line search fails, or the middle matrices are singular, the memory is cleared and
/// the iteration restarts from the steepest-descent model; a failure without memory ends the
/// run (`lineSearchFailed`). The gradient test uses the projected gradient (scipy's pgtol).
struct LBFGSB: MinimizerIteration {
    private(set) var current: Iterate
    private var pairs: CorrectionPairs
    private let bounds: Bounds
    private let counter: CountedObjective
    private var lineSearch: LineSearch
    private let constrained: Bool
    private let boxed: Bool
    private var accepted = 0

    init(start: Iterate, counter: CountedObjective, bounds: Bounds, options: MinimizeOptions) {
        current = start
        self.bounds = bounds
        self.counter = counter
        pairs = CorrectionPairs(capacity: options.memory, keepsProducts: true)
        lineSearch = LineSearch(sufficientDecrease: 1e-3, curvature: 0.9,
                                maxEvaluations: options.maxLineSearchEvaluations)
        constrained = bounds.isConstraining
        boxed = zip(bounds.lower, bounds.upper).allSatisfy { $0 > -.infinity && $1 < .infinity }
    }

    var gradientNorm: Double? { projectedGradientNorm(current, bounds) }

    mutating func advance() throws -> MinimizeStatus? {
        while true {
            if let next = try step() {
                pairs.add(from: current, to: next)
                current = next
                accepted += 1
                return nil
            }
            if pairs.count == 0 { return .lineSearchFailed }
            pairs.clear()
        }
    }

    /// One attempt from the current memory: the accepted point, or nil on failure.
    private mutating func step() throws -> Iterate? {
        let x = current.x, g = current.gradient ?? []
        guard let memory = try CompactLimitedMemory(pairs) else { return nil }
        let cauchy = !constrained && memory.count > 0
            ? CauchyPoint(unconstrainedAt: x, pairs: memory.count)
            : try CauchyPoint(x: x, gradient: g, bounds: bounds, memory: memory)
        guard let target = try SubspaceMinimization.minimize(x: x, gradient: g, cauchy: cauchy,
                                                              bounds: bounds, memory: memory) else { return nil }
        let d = Vector.difference(target, x)
        let slope = Vector.dot(g, d)
        guard slope < 0 else { return nil }
        lineSearch.maxStep = constrained ? (accepted == 0 ? 1 : maximalStep(x, d)) : 1e10
        let initial = accepted == 0 && !boxed ? Swift.min(1 / Vector.norm(d), lineSearch.maxStep) : 1
        let bounds = self.bounds, counter = self.counter
        let evaluate: (Double) throws -> LinePoint = { step in
            let trial = bounds.project(step == 1 ? target : Vector.adding(x, step, d))
            let (f, gradient) = try counter.valueAndGradient(trial)
            return LinePoint(step: step, value: f, slope: Vector.dot(gradient, d),
                             iterate: Iterate(x: trial, value: f, gradient: gradient))
        }
        let origin = LinePoint(step: 0, value: current.value, slope: slope, iterate: current)
        return try lineSearch.strongWolfe(origin: origin, initialStep: initial, evaluate: evaluate)?.iterate
    }

    /// The largest t with x + t d in the box (1e10 when nothing bounds it).
    private func maximalStep(_ x: [Double], _ d: [Double]) -> Double {
        var t = 1e10
        for i in x.indices {
            if d[i] < 0, bounds.lower[i] > -.infinity {
                let gap = bounds.lower[i] - x[i]
                if gap >= 0 { return 0 }
                if t * d[i] < gap { t = gap / d[i] }
            } else if d[i] > 0, bounds.upper[i] < .infinity {
                let gap = bounds.upper[i] - x[i]
                if gap <= 0 { return 0 }
                if t * d[i] > gap { t = gap / d[i] }
            }
        }
        return t
    }
}
