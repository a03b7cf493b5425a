// What the samplers draw from: a log-probability density log p(θ) up to a constant, evaluated
// at one parameter vector or at many together (the walkers of an ensemble half-step, the
// chains of a batch: a formula then runs one tape instruction over all of them), with its
// gradient where a sampler needs one (HMC/NUTS). Formulas (exact gradients by automatic
// differentiation), posteriors of models and data, and callers' callbacks conform.

/// An unnormalised log density on Rⁿ. A value of −∞ means "outside the support" (the
/// sampler rejects the point); NaN and +∞ are errors the samplers report. Evaluation may throw
/// (a failing callback): the sampler stops and passes the error on.
public protocol LogDensity {
    /// Number of parameters n.
    var dimension: Int { get }
    /// Parameter names, for messages and results.
    var parameterNames: [String] { get }
    /// True when `valueAndGradient` is exact (automatic differentiation or the caller's own).
    var hasExactGradient: Bool { get }
    /// log p at `count` points: `points` is row-major count × n; `values` receives count values.
    func values(_ points: UnsafeBufferPointer<Double>, count: Int, into values: UnsafeMutableBufferPointer<Double>) throws
    /// log p and its gradient (n values into `gradient`) at one point.
    func valueAndGradient(_ point: UnsafeBufferPointer<Double>, gradient: UnsafeMutableBufferPointer<Double>) throws -> Double
}

extension LogDensity {
    /// log p at one point.
    public func value(_ point: [Double]) throws -> Double {
        var out = [0.0]
        try point.withUnsafeBufferPointer { p in
            try out.withUnsafeMutableBufferPointer { try values(p, count: 1, into: $0) }
        }
        return out[0]
    }

    /// log p and its gradient at one point.
    public func valueAndGradient(_ point: [Double]) throws -> (value: Double, gradient: [Double]) {
        var g = [Double](repeating: 0, count: dimension)
        let v = try point.withUnsafeBufferPointer { p in
            try g.withUnsafeMutableBufferPointer { try valueAndGradient(p, gradient: $0) }
        }
        return (v, g)
    }
}

/// A log-probability formula of the parameters (no data), e.g. "-0.5*(a^2 + (b - a^2)^2/0.01)".
/// Many points are evaluated together as the "points" of a copy compiled with the parameters as
/// its inputs (vectorised over walkers); the gradient is by reverse mode.
public struct FormulaLogDensity: LogDensity, Sendable {
    /// The formula with the parameters as parameters (gradient, Hessian).
    public let model: Model
    /// The same formula with the parameters as inputs (values at many points at once).
    let overPoints: Model

    /// Compiles `expression`; `params` orders the parameters (nil: order of appearance).
    /// Throws the model language's errors.
    public init(_ expression: String, params: [String]? = nil) throws {
        model = try Model(expression, inputs: [], params: params)
        overPoints = try Model(expression, inputs: model.parameters, params: [])
    }

    public var dimension: Int { model.parameters.count }
    public var parameterNames: [String] { model.parameters }
    public var hasExactGradient: Bool { true }

    public func values(_ points: UnsafeBufferPointer<Double>, count: Int, into values: UnsafeMutableBufferPointer<Double>) throws {
        let n = dimension
        guard points.count >= count * n, values.count >= count else {
            throw InferKitError.dimensionMismatch("\(count) points of \(n) parameters need \(count * n) values, got \(points.count)")
        }
        guard count > 0, let base = points.baseAddress else { return }
        let none = UnsafeBufferPointer<Double>(start: nil, count: 0)
        overPoints.tape.evaluate(rowMajor: base, parameters: none, count: count, output: values)
    }

    public func valueAndGradient(_ point: UnsafeBufferPointer<Double>, gradient: UnsafeMutableBufferPointer<Double>) throws -> Double {
        try model.checkParameterCount(point.count)
        let (value, g) = model.tape.gradient(parameters: point)
        for j in 0..<g.count { gradient[j] = g[j] }
        return value
    }
}

/// A closure-backed log density (the C layer's callbacks, Python callables, tests). Without a
/// gradient closure the gradient is by central differences (step ε^(1/3) max(1, |θ_j|)).
public struct ClosureLogDensity: LogDensity {
    public let dimension: Int
    public let parameterNames: [String]
    private let batch: (UnsafeBufferPointer<Double>, Int, UnsafeMutableBufferPointer<Double>) throws -> Void
    private let gradientClosure: ((UnsafeBufferPointer<Double>, UnsafeMutableBufferPointer<Double>) throws -> Double)?

    /// `values(points, count, out)` fills count log densities of the row-major count × n points;
    /// `gradient(point, g)` (optional) returns log p and fills g.
    public init(dimension: Int, parameterNames: [String]? = nil,
                values: @escaping (UnsafeBufferPointer<Double>, Int, UnsafeMutableBufferPointer<Double>) throws -> Void,
                gradient: ((UnsafeBufferPointer<Double>, UnsafeMutableBufferPointer<Double>) throws -> Double)? = nil) {
        self.dimension = dimension
        self.parameterNames = parameterNames ?? (0..<dimension).map { "p\($0)" }
        batch = values
        gradientClosure = gradient
    }

    public var hasExactGradient: Bool { gradientClosure != nil }

    public func values(_ points: UnsafeBufferPointer<Double>, count: Int, into values: UnsafeMutableBufferPointer<Double>) throws {
        try batch(points, count, values)
    }

    public func valueAndGradient(_ point: UnsafeBufferPointer<Double>, gradient: UnsafeMutableBufferPointer<Double>) throws -> Double {
        if let gradientClosure { return try gradientClosure(point, gradient) }
        let n = dimension
        var probe = Array(point)
        var pair = [0.0, 0.0]
        let center = try value(probe)
        for j in 0..<n {
            let h = 6.0554544523933395e-06 * Swift.max(1, Swift.abs(point[j]))
            probe[j] = point[j] + h
            pair[0] = try value(probe)
            probe[j] = point[j] - h
            pair[1] = try value(probe)
            probe[j] = point[j]
            gradient[j] = (pair[0] - pair[1]) / (2 * h)
        }
        return center
    }
}
