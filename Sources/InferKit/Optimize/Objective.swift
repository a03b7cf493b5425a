// The functions the optimisers work on: a smooth scalar objective (minimisation) and a vector
// function of parameters (root finding). Formulas (exact derivatives by automatic
// differentiation) and callers' callbacks (their derivatives, or finite differences) conform.

/// A scalar function f: Rⁿ → R to be minimised (a negative log-posterior, a formula, a
/// caller's callback).
///
/// Evaluation may fail (a callback asks to stop): the functions throw, and the optimiser
/// passes the error on. A non-finite value is not an error here: optimisers treat it as
/// "outside the domain" (a line search backs off) and report it when they cannot.
public protocol ScalarObjective {
    /// Number of parameters n.
    var dimension: Int { get }
    /// True when `valueAndGradient` is exact (automatic differentiation or the caller's own
    /// gradient), false when it is by finite differences.
    var hasExactGradient: Bool { get }
    /// True when `valueGradientHessian` is exact.
    var hasExactHessian: Bool { get }
    /// f(x).
    func value(_ x: [Double]) throws -> Double
    /// f(x) and ∇f(x).
    func valueAndGradient(_ x: [Double]) throws -> (value: Double, gradient: [Double])
    /// f(x), ∇f(x) and the n × n Hessian, row-major and symmetric.
    func valueGradientHessian(_ x: [Double]) throws -> (value: Double, gradient: [Double], hessian: [Double])
}

/// A vector function F: Rⁿ → Rᵐ (the equations of a root-finding problem).
public protocol VectorFunction {
    /// Number of unknowns n.
    var inputDimension: Int { get }
    /// Number of equations m.
    var outputDimension: Int { get }
    /// True when `valuesAndJacobian` is exact.
    var hasExactJacobian: Bool { get }
    /// F(x), m values.
    func values(_ x: [Double]) throws -> [Double]
    /// F(x) and the m × n Jacobian dF_i/dx_j, column-major (`jacobian[i + j * m]`).
    func valuesAndJacobian(_ x: [Double]) throws -> (values: [Double], jacobian: [Double])
}

extension ScalarObjective {
    /// The Hessian by central differences of the gradient, symmetrised: for objectives with an
    /// exact gradient but no exact Hessian. Step h_j = eps^(1/3) max(|x_j|, 1).
    public func finiteDifferenceHessian(_ x: [Double]) throws -> (value: Double, gradient: [Double], hessian: [Double]) {
        let n = dimension
        try checkArgumentCount(x.count, n, "parameters")
        let (f, g) = try valueAndGradient(x)
        var h = [Double](repeating: 0, count: n * n)
        let scale = 6.0554544523933395e-06  // eps^(1/3)
        var probe = x
        for j in 0..<n {
            let step = scale * Swift.max(Swift.abs(x[j]), 1)
            probe[j] = x[j] + step
            let up = try valueAndGradient(probe).gradient
            probe[j] = x[j] - step
            let down = try valueAndGradient(probe).gradient
            probe[j] = x[j]
            guard up.count == n, down.count == n else {
                throw InferKitError.dimensionMismatch(
                    "the objective returned a gradient of \(Swift.min(up.count, down.count)) values for \(n) parameters")
            }
            let width = 2 * step
            for i in 0..<n { h[i * n + j] = (up[i] - down[i]) / width }
        }
        for i in 0..<n {
            for j in (i + 1)..<Swift.max(i + 1, n) {
                let s = 0.5 * (h[i * n + j] + h[j * n + i])
                h[i * n + j] = s
                h[j * n + i] = s
            }
        }
        return (f, g, h)
    }
}

/// A formula without inputs as an objective: value, gradient (reverse mode) and Hessian
/// (second-order forward mode), all exact.
public struct FormulaObjective: ScalarObjective, Sendable {
    /// The compiled formula; it must have no inputs.
    public let model: Model

    /// Wraps `model`; throws `invalidArgument` when it has inputs.
    public init(_ model: Model) throws {
        guard model.inputs.isEmpty else {
            throw InferKitError.invalidArgument(
                "'\(model.expression)' has inputs \(model.inputs): an objective must be a formula of its parameters only")
        }
        self.model = model
    }

    public var dimension: Int { model.parameters.count }
    public var hasExactGradient: Bool { true }
    public var hasExactHessian: Bool { true }

    public func value(_ x: [Double]) throws -> Double {
        try model.value(params: x)
    }

    public func valueAndGradient(_ x: [Double]) throws -> (value: Double, gradient: [Double]) {
        try model.checkParameterCount(x.count)
        return x.withUnsafeBufferPointer { model.tape.gradient(parameters: $0) }
    }

    public func valueGradientHessian(_ x: [Double]) throws -> (value: Double, gradient: [Double], hessian: [Double]) {
        try model.checkParameterCount(x.count)
        return x.withUnsafeBufferPointer { model.tape.hessian(parameters: $0) }
    }
}

/// A closure-backed objective: what the C layer builds from a caller's callbacks and what
/// tests use. Without a gradient closure the gradient is by central differences
/// (step eps^(1/3) max(|x_j|, 1)); without a Hessian closure the Hessian is by differences of
/// the gradient.
public struct ClosureObjective: ScalarObjective {
    public let dimension: Int
    private let f: ([Double]) throws -> Double
    private let g: (([Double]) throws -> (Double, [Double]))?
    private let h: (([Double]) throws -> [Double])?

    /// `value` computes f; `gradient` (optional) f and ∇f; `hessian` (optional) the row-major
    /// n × n Hessian.
    public init(dimension: Int, value: @escaping ([Double]) throws -> Double,
                gradient: (([Double]) throws -> (Double, [Double]))? = nil,
                hessian: (([Double]) throws -> [Double])? = nil) {
        self.dimension = dimension
        self.f = value
        self.g = gradient
        self.h = hessian
    }

    public var hasExactGradient: Bool { g != nil }
    public var hasExactHessian: Bool { h != nil }

    public func value(_ x: [Double]) throws -> Double { try f(x) }

    public func valueAndGradient(_ x: [Double]) throws -> (value: Double, gradient: [Double]) {
        if let g { return try g(x) }
        try checkArgumentCount(x.count, dimension, "parameters")
        let fx = try f(x)
        var probe = x
        var gradient = [Double](repeating: 0, count: dimension)
        for j in 0..<dimension {
            let step = 6.0554544523933395e-06 * Swift.max(Swift.abs(x[j]), 1)
            probe[j] = x[j] + step
            let up = try f(probe)
            probe[j] = x[j] - step
            let down = try f(probe)
            probe[j] = x[j]
            gradient[j] = (up - down) / (2 * step)
        }
        return (fx, gradient)
    }

    public func valueGradientHessian(_ x: [Double]) throws -> (value: Double, gradient: [Double], hessian: [Double]) {
        if let h {
            let (fx, gx) = try valueAndGradient(x)
            return (fx, gx, try h(x))
        }
        return try finiteDifferenceHessian(x)
    }
}

/// A closure-backed vector function (the C layer's callbacks, tests). Without a Jacobian
/// closure the Jacobian is by forward differences with step sqrt(eps) max(|x_j|, 1).
public struct ClosureVectorFunction: VectorFunction {
    public let inputDimension: Int
    public let outputDimension: Int
    private let f: ([Double]) throws -> [Double]
    private let jac: (([Double]) throws -> ([Double], [Double]))?

    /// `values` computes F (m values); `jacobian` (optional) F and the column-major m × n
    /// Jacobian.
    public init(inputDimension: Int, outputDimension: Int, values: @escaping ([Double]) throws -> [Double],
                jacobian: (([Double]) throws -> ([Double], [Double]))? = nil) {
        self.inputDimension = inputDimension
        self.outputDimension = outputDimension
        self.f = values
        self.jac = jacobian
    }

    public var hasExactJacobian: Bool { jac != nil }

    public func values(_ x: [Double]) throws -> [Double] { try f(x) }

    public func valuesAndJacobian(_ x: [Double]) throws -> (values: [Double], jacobian: [Double]) {
        if let jac { return try jac(x) }
        let m = outputDimension, n = inputDimension
        try checkArgumentCount(x.count, n, "unknowns")
        let fx = try f(x)
        var jacobian = [Double](repeating: 0, count: m * n)
        var probe = x
        for j in 0..<n {
            let step = 1.4901161193847656e-08 * Swift.max(Swift.abs(x[j]), 1)
            probe[j] = x[j] + step
            let up = try f(probe)
            probe[j] = x[j]
            guard fx.count == m, up.count == m else {
                throw InferKitError.dimensionMismatch(
                    "the function returned \(fx.count == m ? up.count : fx.count) values for \(m) equations")
            }
            for i in 0..<m { jacobian[i + j * m] = (up[i] - fx[i]) / step }
        }
        return (fx, jacobian)
    }
}

/// Throws `dimensionMismatch` unless a point has one value per parameter (a finite-difference
/// probe would index past it otherwise).
private func checkArgumentCount(_ count: Int, _ dimension: Int, _ what: String) throws {
    guard count == dimension else {
        throw InferKitError.dimensionMismatch("x has \(count) values but the function has \(dimension) \(what)")
    }
}
