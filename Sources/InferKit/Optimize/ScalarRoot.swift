/// A root of a smooth scalar function by Newton's method, safeguarded by bisection inside a
/// bracket (Numerical Recipes' `rtsafe`; scipy's `root_scalar(method="newton")` with a
/// bracket's guarantee).
///
/// `f(x)` returns the value and the derivative. With `bracket` (its ends in either order, f of
/// opposite signs or zero at them) the iteration always converges: it starts at `x0` (which
/// must lie in the bracket) or at the end with the smaller |f|, keeps a bracket with a sign
/// change, and bisects whenever the Newton step leaves the bracket, is not finite (f' = 0),
/// or would be longer than half the step before last (the bracket is not shrinking fast
/// enough). Without a bracket it runs Newton from `x0` with step halving until |f| decreases;
/// as soon as two iterates show a sign change it continues as with that bracket. It stops
/// when f is exactly 0 or |f| <= `residualTolerance`, or a step (in bracket mode also the
/// bracket) is at most `absoluteStepTolerance + stepTolerance · |x|`. The evaluations at x0
/// and the bracket ends always happen; `maxEvaluations` limits the rest.
///
/// Throws `invalidArgument` when neither a bracket nor x0 is given, the bracket has no sign
/// change ("the bracket [1, 2] has no sign change: f(1) = 0.5, f(2) = 0.25"), x0 lies outside
/// it, or an option is out of range; `nonFinite` when x0, a bracket end, or f there is NaN or
/// infinite; and passes on the errors `f` throws unchanged.
public func findRoot(_ f: (Double) throws -> (value: Double, derivative: Double),
                     bracket: (lower: Double, upper: Double)? = nil, x0: Double? = nil,
                     options: RootOptions = RootOptions()) throws -> ScalarRootResult {
    try options.check()
    return try withoutActuallyEscaping(f) { f in
        var solver = ScalarNewton(function: f, options: options)
        return try solver.solve(bracket: bracket, x0: x0)
    }
}

/// A point of the scalar iteration: x, f(x), f'(x).
private struct ScalarPoint {
    var x: Double
    var value: Double
    var derivative: Double
}

private struct ScalarNewton {
    let function: (Double) throws -> (value: Double, derivative: Double)
    let options: RootOptions
    var evaluations = 0
    var iterations = 0

    init(function: @escaping (Double) throws -> (value: Double, derivative: Double), options: RootOptions) {
        self.function = function
        self.options = options
    }

    mutating func evaluate(_ x: Double) throws -> ScalarPoint {
        evaluations += 1
        let (v, d) = try function(x)
        return ScalarPoint(x: x, value: v, derivative: d)
    }

    /// The start: a finite point where f is finite, or an error naming it.
    mutating func start(_ x: Double, _ name: String) throws -> ScalarPoint {
        guard x.isFinite else { throw InferKitError.nonFinite("\(name) is \(spelled(x))") }
        let p = try evaluate(x)
        guard p.value.isFinite else { throw InferKitError.nonFinite("f is \(spelled(p.value)) at \(name) = \(x)") }
        return p
    }

    var budgetSpent: Bool { evaluations >= (options.maxEvaluations ?? Int.max) }

    func result(_ p: ScalarPoint, _ status: RootStatus, bracket: (ScalarPoint, ScalarPoint)? = nil) -> ScalarRootResult {
        let ends = bracket.map { (Swift.min($0.0.x, $0.1.x), Swift.max($0.0.x, $0.1.x)) }
        return ScalarRootResult(root: p.x, value: p.value, derivative: p.derivative, bracket: ends,
                                iterations: iterations, evaluations: evaluations, status: status)
    }

    func isRoot(_ p: ScalarPoint) -> Bool { Swift.abs(p.value) <= options.residualTolerance }

    mutating func solve(bracket: (lower: Double, upper: Double)?, x0: Double?) throws -> ScalarRootResult {
        guard let bracket else {
            guard let x0 else { throw InferKitError.invalidArgument("findRoot needs a bracket or x0") }
            return try unbracketed(try start(x0, "x0"))
        }
        let a = try start(bracket.lower, "bracket.lower"), b = try start(bracket.upper, "bracket.upper")
        if isRoot(a) { return result(a, .residualTolerance) }
        if isRoot(b) { return result(b, .residualTolerance) }
        guard (a.value < 0) != (b.value < 0) else {
            throw InferKitError.invalidArgument(
                "the bracket [\(a.x), \(b.x)] has no sign change: f(\(a.x)) = \(a.value), f(\(b.x)) = \(b.value)")
        }
        var first = Swift.abs(a.value) <= Swift.abs(b.value) ? a : b
        if let x0 {
            guard x0 >= Swift.min(a.x, b.x) && x0 <= Swift.max(a.x, b.x) else {
                throw InferKitError.invalidArgument("x0 = \(x0) is outside the bracket [\(a.x), \(b.x)]")
            }
            first = try start(x0, "x0")
        }
        return try bracketed(a.value < 0 ? (a, b) : (b, a), from: first)
    }

    /// Newton safeguarded by bisection inside [negative.x, positive.x] (f < 0 at `negative`,
    /// f > 0 at `positive`), from `p`.
    mutating func bracketed(_ ends: (negative: ScalarPoint, positive: ScalarPoint), from start: ScalarPoint) throws
        -> ScalarRootResult {
        var (negative, positive) = ends
        var p = start
        var lastStep = Swift.abs(positive.x - negative.x), stepBeforeLast = lastStep
        while true {
            if isRoot(p) { return result(p, .residualTolerance, bracket: (negative, positive)) }
            if iterations >= options.maxIterations { return result(p, .maxIterations, bracket: (negative, positive)) }
            if budgetSpent { return result(p, .maxEvaluations, bracket: (negative, positive)) }
            let low = Swift.min(negative.x, positive.x), high = Swift.max(negative.x, positive.x)
            var next = p.x - p.value / p.derivative
            if !(next > low && next < high) || Swift.abs(next - p.x) > 0.5 * stepBeforeLast {
                next = low + 0.5 * (high - low)
            }
            stepBeforeLast = lastStep
            lastStep = Swift.abs(next - p.x)
            let trial = try evaluate(next)
            iterations += 1
            guard trial.value.isFinite else { return result(p, .nonFiniteValue, bracket: (negative, positive)) }
            if trial.value < 0 { negative = trial } else if trial.value > 0 { positive = trial }
            p = trial
            if try options.reportStops(iterations, [p.x], Swift.abs(p.value)) {
                return result(p, .stoppedByCallback, bracket: (negative, positive))
            }
            let tolerance = options.stepTolerance(at: Swift.abs(p.x))
            if !isRoot(p) && (lastStep <= tolerance || Swift.abs(positive.x - negative.x) <= tolerance) {
                return result(p, .stepTolerance, bracket: (negative, positive))
            }
        }
    }

    /// Newton with step halving from `start`, switching to `bracketed` at the first sign change.
    mutating func unbracketed(_ start: ScalarPoint) throws -> ScalarRootResult {
        var p = start
        while true {
            if isRoot(p) { return result(p, .residualTolerance) }
            if iterations >= options.maxIterations { return result(p, .maxIterations) }
            let full = -p.value / p.derivative
            guard full.isFinite else { return result(p, .localMinimumOfResidual) }
            var scale = 1.0
            var accepted: ScalarPoint?
            for _ in 0..<60 {
                if budgetSpent { return result(p, .maxEvaluations) }
                let trial = try evaluate(p.x + scale * full)
                if trial.value.isFinite && (trial.value < 0) != (p.value < 0) {
                    // A sign change: p and trial bracket a root.
                    iterations += 1
                    if try options.reportStops(iterations, [trial.x], Swift.abs(trial.value)) {
                        return result(trial, .stoppedByCallback, bracket: (p, trial))
                    }
                    return try bracketed(p.value < 0 ? (p, trial) : (trial, p), from: trial)
                }
                if trial.value.isFinite && Swift.abs(trial.value) < Swift.abs(p.value) {
                    accepted = trial
                    break
                }
                scale *= 0.5
            }
            guard let next = accepted else { return result(p, .lineSearchFailed) }
            iterations += 1
            p = next
            if try options.reportStops(iterations, [p.x], Swift.abs(p.value)) { return result(p, .stoppedByCallback) }
            if scale == 1 && Swift.abs(full) <= options.stepTolerance(at: Swift.abs(p.x)) {
                return result(p, .stepTolerance)
            }
        }
    }
}
