// The line searches shared by the minimisers and the root finder: a strong-Wolfe search
// (bracketing, then zoom with safeguarded cubic interpolation: Nocedal & Wright, Numerical
// Optimization, 2nd ed., Algorithms 3.5 and 3.6, eq. 3.59) and an Armijo backtracking search
// (Nocedal & Wright Algorithm 3.1 with quadratic interpolation, §3.5). Both treat a NaN or
// infinite value as "outside the domain" and back off toward the last good step. Where f has
// stopped resolving decreases (changes at its rounding level), the strong-Wolfe search also
// accepts Hager & Zhang's approximate Wolfe conditions (SIAM J. Optim. 16 (2005) 170), which
// rely on the slope instead, so that gradient tolerances near rounding level stay reachable.

/// A trial point x + α d of a line search: φ(α) = f(x + α d) and φ'(α) = ∇f(x + α d)ᵀ d.
struct LinePoint {
    var step: Double
    var value: Double
    var slope: Double
    /// The evaluated point, carried so that the caller need not evaluate it again.
    var iterate: Iterate

    var isFinite: Bool { value.isFinite && slope.isFinite }
}

/// Parameters of a line search; the searches themselves are methods.
struct LineSearch {
    /// c₁ of the sufficient-decrease (Armijo) condition φ(α) <= φ(0) + c₁ α φ'(0).
    var sufficientDecrease = 1e-4
    /// c₂ of the strong curvature condition |φ'(α)| <= c₂ |φ'(0)|.
    var curvature = 0.9
    /// Evaluations allowed in one search.
    var maxEvaluations = 20
    /// The largest step α (the edge of a box, say).
    var maxStep = Double.infinity

    /// The trial point evaluator along x + α d, with f and ∇f from `counter`.
    static func along(_ origin: Iterate, _ direction: [Double], _ counter: CountedObjective)
        -> (Double) throws -> LinePoint {
        { step in
            let x = Vector.adding(origin.x, step, direction)
            let (f, g) = try counter.valueAndGradient(x)
            return LinePoint(step: step, value: f, slope: Vector.dot(g, direction),
                             iterate: Iterate(x: x, value: f, gradient: g))
        }
    }

    /// A step satisfying the strong Wolfe conditions, or, when the evaluations run out after
    /// some step gave sufficient decrease, the lowest such step; nil when no step of
    /// (0, maxStep] gave sufficient decrease (or `origin.slope` >= 0: not a descent direction).
    func strongWolfe(origin: LinePoint, initialStep: Double,
                     evaluate: (Double) throws -> LinePoint) throws -> LinePoint? {
        guard origin.slope < 0, initialStep > 0, maxStep > 0 else { return nil }
        var evaluations = 0
        var previous = origin
        var ceiling = maxStep
        var step = Swift.min(initialStep, maxStep)
        while evaluations < maxEvaluations {
            let trial = try evaluate(step)
            evaluations += 1
            if !trial.isFinite {
                // Outside the domain: the acceptable steps lie below this one.
                ceiling = step
                step = previous.step + 0.5 * (step - previous.step)
                if step - previous.step <= 1e-16 * step { break }
                continue
            }
            if !decreases(trial, origin) || (previous.step > 0 && trial.value >= previous.value) {
                return try zoom(low: previous, high: trial, origin: origin, evaluations: evaluations, evaluate: evaluate)
            }
            if curvatureHolds(trial, origin) { return trial }
            if trial.slope >= 0 {
                return try zoom(low: trial, high: previous, origin: origin, evaluations: evaluations, evaluate: evaluate)
            }
            // Sufficient decrease and still descending: extrapolate (within 1.1 to 4 times
            // the last increment, as Moré & Thuente do), but not past the ceiling.
            if step >= ceiling { return trial }
            let increment = step - previous.step
            var next = step + 4 * increment
            if let cubic = cubicMinimizer(previous, trial), cubic > step + 1.1 * increment {
                next = Swift.min(cubic, next)
            }
            previous = trial
            step = Swift.min(next, ceiling)
        }
        return previous.step > 0 ? previous : nil
    }

    /// Nocedal & Wright's zoom: `low` satisfies sufficient decrease with the lowest value
    /// seen, and [low, high] (in either order) holds strong-Wolfe steps. The trial is the
    /// minimiser of the interpolating cubic (quadratic when φ' is unknown at `high`), kept a
    /// thousandth of the interval from its ends, and the midpoint when the interval has not
    /// shrunk to 2/3 of its width two trials before (Moré & Thuente's safeguard, ACM TOMS 20
    /// (1994) 286): an interpolant may put the minimiser very close to `low` (a first step
    /// that overshoots by orders of magnitude) without stalling the search.
    private func zoom(low: LinePoint, high: LinePoint, origin: LinePoint, evaluations: Int,
                      evaluate: (Double) throws -> LinePoint) throws -> LinePoint? {
        var low = low, high = high, evaluations = evaluations
        var widths = [Double]()
        while evaluations < maxEvaluations {
            let a = Swift.min(low.step, high.step), b = Swift.max(low.step, high.step)
            let width = b - a
            if width <= 1e-16 * b { break }
            var step = 0.5 * (a + b)
            let stalled = widths.count >= 2 && width > 2.0 / 3 * widths[widths.count - 2]
            widths.append(width)
            if stalled {
                // the midpoint
            } else if high.isFinite, let cubic = cubicMinimizer(low, high) {
                step = cubic
            } else if high.value.isFinite {
                let w = high.step - low.step
                let curvature = high.value - low.value - low.slope * w
                if curvature > 0 { step = low.step - low.slope * w * w / (2 * curvature) }
            }
            step = Swift.min(Swift.max(step, a + 1e-3 * width), b - 1e-3 * width)
            let trial = try evaluate(step)
            evaluations += 1
            if !trial.isFinite || !decreases(trial, origin) || trial.value >= low.value && !flatAndDescending(trial, origin) {
                high = trial
            } else {
                if curvatureHolds(trial, origin) { return trial }
                if trial.slope * (high.step - low.step) >= 0 { high = low }
                low = trial
            }
        }
        return low.step > 0 ? low : nil
    }

    /// A step with φ(α) <= φ(0) + c₁ · (first-order change at α), shrinking the step by
    /// safeguarded quadratic interpolation (to between 1/10 and 1/2 of the last one) after
    /// each failure and halving it after a non-finite value. `trial(α)` returns φ(α), the
    /// first-order change (α φ'(0) on a line; ∇fᵀ(x(α) - x) on a projection arc) and the
    /// evaluated point. Nil when the evaluations run out, or the first-order change is not
    /// negative (no descent).
    func backtracking<Point>(originValue: Double, initialStep: Double,
                             trial: (Double) throws -> (value: Double, firstOrderChange: Double, point: Point))
        rethrows -> (step: Double, point: Point)? {
        var step = initialStep
        for _ in 0..<maxEvaluations {
            guard step > 0 else { return nil }
            let t = try trial(step)
            guard t.firstOrderChange < 0 || !t.firstOrderChange.isFinite else { return nil }
            if t.value.isFinite, t.value <= originValue + sufficientDecrease * t.firstOrderChange {
                return (step, t.point)
            }
            if t.value.isFinite && t.firstOrderChange.isFinite {
                // Minimiser of the quadratic through φ(0), the first-order slope and φ(α).
                let excess = t.value - originValue - t.firstOrderChange
                let next = excess > 0 ? -t.firstOrderChange * step / (2 * excess) : 0.5 * step
                step = Swift.min(Swift.max(next, 0.1 * step), 0.5 * step)
            } else {
                step *= 0.5
            }
        }
        return nil
    }

    /// Sufficient decrease: the Armijo condition, or the approximate one of Hager & Zhang.
    private func decreases(_ p: LinePoint, _ origin: LinePoint) -> Bool {
        p.value <= origin.value + sufficientDecrease * p.step * origin.slope || flatAndDescending(p, origin)
    }

    /// Hager & Zhang's approximate sufficient decrease, φ'(α) <= (2c₁ - 1) φ'(0), for a value
    /// within 1e-12 |φ(0)| of φ(0) (where the Armijo test compares rounding errors). For a
    /// quadratic φ it is the Armijo condition in terms of slopes.
    private func flatAndDescending(_ p: LinePoint, _ origin: LinePoint) -> Bool {
        p.value <= origin.value + 1e-12 * Swift.abs(origin.value)
            && p.slope <= (2 * sufficientDecrease - 1) * origin.slope
    }

    private func curvatureHolds(_ p: LinePoint, _ origin: LinePoint) -> Bool {
        Swift.abs(p.slope) <= -curvature * origin.slope
    }
}

/// The minimiser of the cubic that interpolates φ and φ' at two trial points (Nocedal &
/// Wright eq. 3.59); nil when that cubic has no minimiser.
private func cubicMinimizer(_ p: LinePoint, _ q: LinePoint) -> Double? {
    let d1 = p.slope + q.slope - 3 * (p.value - q.value) / (p.step - q.step)
    let discriminant = d1 * d1 - p.slope * q.slope
    guard discriminant >= 0 else { return nil }
    let d2 = (q.step > p.step ? 1.0 : -1.0) * discriminant.squareRoot()
    let x = q.step - (q.step - p.step) * (q.slope + d2 - d1) / (q.slope - p.slope + 2 * d2)
    return x.isFinite ? x : nil
}
