// Models without inputs as the equations of a root-finding problem: one model whose n values
// are the n equations (a caller's callback), or one model per equation (formulas, whose value
// does not depend on the point). The root finders and the C layer take systems this way.

/// The system F(x) = 0 given by one `ParametricModel` with no inputs and n parameters, evaluated
/// at n points: F_i(x) is the model's value at point i, dF_i/dx_j its Jacobian there.
///
/// Meant for callback models, which write the n equations; a formula without inputs has the
/// same value at every point (use `ModelEquationList` for formulas).
public struct ModelEquations: VectorFunction {
    /// The model; it has no inputs.
    public let model: any ParametricModel

    /// Wraps `model`; throws `invalidArgument` when it has inputs.
    public init(_ model: any ParametricModel) throws {
        guard model.inputCount == 0 else {
            throw InferKitError.invalidArgument(
                "the system has \(model.inputCount) inputs: its equations must be functions of the unknowns only")
        }
        self.model = model
    }

    public var inputDimension: Int { model.parameterCount }
    public var outputDimension: Int { model.parameterCount }
    public var hasExactJacobian: Bool { model.hasExactJacobian }

    private func check(_ x: [Double]) throws {
        guard x.count == inputDimension else {
            throw InferKitError.dimensionMismatch("x has \(x.count) values but the system has \(inputDimension) unknowns")
        }
    }

    public func values(_ x: [Double]) throws -> [Double] {
        try check(x)
        var out = [Double](repeating: 0, count: outputDimension)
        try x.withUnsafeBufferPointer { xb in
            try out.withUnsafeMutableBufferPointer { try model.evaluate(DataPoints(count: outputDimension), xb, $0) }
        }
        return out
    }

    public func valuesAndJacobian(_ x: [Double]) throws -> (values: [Double], jacobian: [Double]) {
        try check(x)
        let n = outputDimension
        var values = [Double](repeating: 0, count: n)
        var jacobian = [Double](repeating: 0, count: n * n)
        try x.withUnsafeBufferPointer { xb in
            try values.withUnsafeMutableBufferPointer { vb in
                try jacobian.withUnsafeMutableBufferPointer {
                    try model.jacobian(DataPoints(count: n), xb, values: vb, valuesKnown: false, $0)
                }
            }
        }
        return (values, jacobian)
    }
}

/// The system F(x) = 0 with one model per equation: F_i(x) is the value of model i (no inputs)
/// at its parameters, row i of the Jacobian its gradient (exact for formulas, by
/// `ModelObjective` otherwise).
///
/// The unknowns are named: each equation's parameters are some of them, matched by name, so an
/// equation need not involve every unknown.
public struct ModelEquationList: VectorFunction {
    /// The equations as objectives.
    public let equations: [ModelObjective]
    /// The names of the unknowns, in the order of x.
    public let unknowns: [String]
    /// For each equation, the position in x of each of its parameters.
    private let positions: [[Int]]

    /// One equation per model. `unknowns` names the unknowns in the order of x; nil takes the
    /// first equation's parameter names, and then every equation must have the same names in
    /// the same order (formulas name their parameters in order of appearance, so "x + y" and
    /// "y - x" would otherwise pair different unknowns silently).
    ///
    /// Throws `dimensionMismatch` without equations; `invalidArgument` naming the equation when
    /// one has inputs, a parameter that is not an unknown, or names that differ from the first
    /// equation's (`unknowns` nil), and for a repeated unknown.
    public init(_ models: [any ParametricModel], unknowns: [String]? = nil) throws {
        guard let first = models.first else {
            throw InferKitError.dimensionMismatch("the system has no equations")
        }
        let names = unknowns ?? first.parameterNames
        var index: [String: Int] = [:]
        for (j, name) in names.enumerated() {
            guard index.updateValue(j, forKey: name) == nil else {
                throw InferKitError.invalidArgument("unknown '\(name)' is named more than once in unknowns")
            }
        }
        var objectives: [ModelObjective] = []
        var positions: [[Int]] = []
        for (i, model) in models.enumerated() {
            guard model.inputCount == 0 else {
                throw InferKitError.invalidArgument(
                    "equations[\(i)] has \(model.inputCount) inputs: an equation must be a function of the unknowns only")
            }
            if unknowns == nil && model.parameterNames != names {
                throw InferKitError.invalidArgument(
                    "equations[\(i)] has parameters \(model.parameterNames) but equations[0] has \(names): name the unknowns to match them by name")
            }
            positions.append(try model.parameterNames.map { name in
                guard let j = index[name] else {
                    throw InferKitError.invalidArgument(
                        "equations[\(i)] has parameter '\(name)', which is not one of the unknowns \(names)")
                }
                return j
            })
            objectives.append(try ModelObjective(model))
        }
        self.equations = objectives
        self.unknowns = names
        self.positions = positions
    }

    public var inputDimension: Int { unknowns.count }
    public var outputDimension: Int { equations.count }
    public var hasExactJacobian: Bool { equations.allSatisfy(\.hasExactGradient) }

    /// The parameters of equation i taken from x.
    private func arguments(_ i: Int, _ x: [Double]) throws -> [Double] {
        guard x.count == inputDimension else {
            throw InferKitError.dimensionMismatch("x has \(x.count) values but the system has \(inputDimension) unknowns")
        }
        return positions[i].map { x[$0] }
    }

    public func values(_ x: [Double]) throws -> [Double] {
        try equations.indices.map { try equations[$0].value(try arguments($0, x)) }
    }

    public func valuesAndJacobian(_ x: [Double]) throws -> (values: [Double], jacobian: [Double]) {
        let m = outputDimension
        var values = [Double](repeating: 0, count: m)
        var jacobian = [Double](repeating: 0, count: m * inputDimension)
        for i in equations.indices {
            let (value, gradient) = try equations[i].valueAndGradient(try arguments(i, x))
            guard gradient.count == positions[i].count else {
                throw InferKitError.dimensionMismatch(
                    "equations[\(i)] returned a gradient of \(gradient.count) values for \(positions[i].count) parameters")
            }
            values[i] = value
            for (k, j) in positions[i].enumerated() { jacobian[i + j * m] = gradient[k] }
        }
        return (values, jacobian)
    }
}
