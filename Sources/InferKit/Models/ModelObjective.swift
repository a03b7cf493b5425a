// A model without inputs as a scalar objective: a formula (exact gradient and Hessian) or a
// caller's callback (its Jacobian or finite differences as the gradient, differences of the
// gradient as the Hessian). The optimisers and the C layer take objectives this way.

/// The objective f(p) given by a `ParametricModel` with no inputs, evaluated at one point.
public struct ModelObjective: ScalarObjective {
    /// The model; it has no inputs.
    public let model: any ParametricModel
    private let formula: FormulaObjective?

    /// Wraps `model`; throws `invalidArgument` when it has inputs.
    public init(_ model: any ParametricModel) throws {
        guard model.inputCount == 0 else {
            throw InferKitError.invalidArgument(
                "the objective has \(model.inputCount) inputs: an objective must be a function of its parameters only")
        }
        self.model = model
        formula = try (model as? Model).map { try FormulaObjective($0) }
    }

    public var dimension: Int { model.parameterCount }
    public var hasExactGradient: Bool { model.hasExactJacobian }
    public var hasExactHessian: Bool { formula != nil }

    private func check(_ x: [Double]) throws {
        guard x.count == dimension else {
            throw InferKitError.dimensionMismatch("x has \(x.count) values but the objective has \(dimension) parameters")
        }
    }

    public func value(_ x: [Double]) throws -> Double {
        if let formula { return try formula.value(x) }
        try check(x)
        var out = [0.0]
        try x.withUnsafeBufferPointer { xb in
            try out.withUnsafeMutableBufferPointer { try model.evaluate(DataPoints(count: 1), xb, $0) }
        }
        return out[0]
    }

    public func valueAndGradient(_ x: [Double]) throws -> (value: Double, gradient: [Double]) {
        if let formula { return try formula.valueAndGradient(x) }
        try check(x)
        if !model.hasExactJacobian {
            // Central differences (step ε^(1/3) max(1, |x_j|)): a gradient accurate enough to be
            // differenced once more for the Hessian.
            return try ClosureObjective(dimension: dimension, value: { try self.value($0) }).valueAndGradient(x)
        }
        var value = [0.0]
        var gradient = [Double](repeating: 0, count: dimension)
        try x.withUnsafeBufferPointer { xb in
            try value.withUnsafeMutableBufferPointer { vb in
                try gradient.withUnsafeMutableBufferPointer {
                    try model.jacobian(DataPoints(count: 1), xb, values: vb, valuesKnown: false, $0)
                }
            }
        }
        return (value[0], gradient)
    }

    public func valueGradientHessian(_ x: [Double]) throws -> (value: Double, gradient: [Double], hessian: [Double]) {
        if let formula { return try formula.valueGradientHessian(x) }
        return try finiteDifferenceHessian(x)
    }
}
