/// The checks `minimize` makes before it evaluates anything: the start point, the bounds
/// against the method, and every option's range.
func checkStart(_ x0: [Double], dimension n: Int, method: MinimizeMethod, bounds: Bounds?,
                options: MinimizeOptions) throws {
    guard n > 0 else { throw InferKitError.dimensionMismatch("the objective has no parameters") }
    guard x0.count == n else {
        throw InferKitError.dimensionMismatch("x0 has \(x0.count) values but the objective has \(n) parameters")
    }
    if let j = x0.firstIndex(where: { !$0.isFinite }) {
        throw InferKitError.nonFinite("x0[\(j)] is \(spelled(x0[j]))")
    }
    if let bounds {
        guard method.supportsBounds || !bounds.isConstraining else {
            throw InferKitError.invalidArgument(
                "method \(method.name) does not support bounds: use lbfgsb, gradientDescent, adam or nelderMead")
        }
        guard bounds.count == n else {
            throw InferKitError.dimensionMismatch("the bounds have \(bounds.count) values but x0 has \(n)")
        }
        try bounds.checkContains(x0, name: "x0")
    }
    if method == .newton || method == .newtonTrustRegion || method == .bfgs {
        guard !n.multipliedReportingOverflow(by: n).overflow, n <= Int(Int32.max) else {
            throw InferKitError.outOfMemory("\(method.name) needs an n x n matrix and n = \(n) is too large")
        }
    }
    try checkOptions(options, method: method, dimension: n)
}

private func checkOptions(_ o: MinimizeOptions, method: MinimizeMethod, dimension n: Int) throws {
    func require(_ holds: Bool, _ message: @autoclosure () -> String) throws {
        if !holds { throw InferKitError.invalidArgument(message()) }
    }
    try require(o.gtol >= 0, "options.gtol = \(o.gtol) must be >= 0")
    try require(o.ftol >= 0, "options.ftol = \(o.ftol) must be >= 0")
    try require(o.xtol >= 0, "options.xtol = \(o.xtol) must be >= 0")
    if let m = o.maxIterations { try require(m >= 0, "options.maxIterations = \(m) must be >= 0") }
    if let m = o.maxEvaluations { try require(m >= 1, "options.maxEvaluations = \(m) must be >= 1") }
    if let rate = o.learningRate {
        try require(rate > 0 && rate.isFinite, "options.learningRate = \(rate) must be > 0 and finite")
    }
    try require(o.beta1 >= 0 && o.beta1 < 1, "options.beta1 = \(o.beta1) must be in [0, 1)")
    try require(o.beta2 >= 0 && o.beta2 < 1, "options.beta2 = \(o.beta2) must be in [0, 1)")
    try require(o.epsilon > 0 && o.epsilon.isFinite, "options.epsilon = \(o.epsilon) must be > 0 and finite")
    try require(o.memory >= 1, "options.memory = \(o.memory) must be at least 1")
    try require(o.maxLineSearchEvaluations >= 1,
                "options.maxLineSearchEvaluations = \(o.maxLineSearchEvaluations) must be at least 1")
    try require(o.initialTrustRadius > 0 && o.initialTrustRadius.isFinite,
                "options.initialTrustRadius = \(o.initialTrustRadius) must be > 0 and finite")
    try require(o.maxTrustRadius >= o.initialTrustRadius && !o.maxTrustRadius.isNaN,
                "options.maxTrustRadius = \(o.maxTrustRadius) must be >= initialTrustRadius = \(o.initialTrustRadius)")
    try require(o.initialSimplexStep.isFinite && o.initialSimplexStep != 0,
                "options.initialSimplexStep = \(o.initialSimplexStep) must be finite and nonzero")
    try require(o.initialSimplexZeroStep.isFinite && o.initialSimplexZeroStep != 0,
                "options.initialSimplexZeroStep = \(o.initialSimplexZeroStep) must be finite and nonzero")
    try require(o.simplexXTolerance >= 0, "options.simplexXTolerance = \(o.simplexXTolerance) must be >= 0")
    try require(o.simplexFTolerance >= 0, "options.simplexFTolerance = \(o.simplexFTolerance) must be >= 0")
    if method == .nelderMead, let simplex = o.initialSimplex {
        guard simplex.count == n + 1 else {
            throw InferKitError.dimensionMismatch(
                "options.initialSimplex has \(simplex.count) points but \(n) parameters need \(n + 1)")
        }
        for (k, point) in simplex.enumerated() {
            guard point.count == n else {
                throw InferKitError.dimensionMismatch(
                    "options.initialSimplex[\(k)] has \(point.count) values but the objective has \(n) parameters")
            }
            if let j = point.firstIndex(where: { !$0.isFinite }) {
                throw InferKitError.nonFinite("options.initialSimplex[\(k)][\(j)] is \(spelled(point[j]))")
            }
        }
    }
}

/// A value as the error messages spell it: "NaN", "+infinity", "-infinity" or the number.
func spelled(_ v: Double) -> String {
    if v.isNaN { return "NaN" }
    if v.isInfinite { return v > 0 ? "+infinity" : "-infinity" }
    return "\(v)"
}
