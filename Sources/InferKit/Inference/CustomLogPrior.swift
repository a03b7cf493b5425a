// A caller's joint log-prior, added to the per-parameter priors: a formula of the parameter
// names (exact derivatives) or a function of the parameter vector (its gradient, or
// differences). Both are run as models without inputs evaluated at one point, so their
// gradient is the model's Jacobian and their Hessian the least-squares machinery's curvature.

/// A caller's log-prior over several parameters at once, added to the per-parameter priors.
/// Its normalisation is the caller's: the Laplace evidence takes it to be a normalised density.
/// Returning −∞ means outside the support.
public enum CustomLogPrior {
    /// A formula of (some of) the posterior's parameter names, e.g.
    /// "-0.5*((A - 2*B)/0.1)^2 - log(0.1) - 0.5*log(2*pi)"; exact gradient and Hessian.
    case formula(String)
    /// A function of the whole parameter vector, with an optional function returning its value
    /// and gradient; without it the gradient is by central differences, and the Hessian is
    /// always by differences.
    case function(([Double]) throws -> Double, gradient: (([Double]) throws -> (Double, [Double]))?)
}

/// A compiled `CustomLogPrior`: a model without inputs over a subset of the parameters.
struct CompiledLogPrior {
    /// The log-prior as a model without inputs (one point).
    let model: any ParametricModel
    /// `indices[j]` is the posterior's index of the model's parameter j.
    let indices: [Int]

    /// Compiles `prior` over the posterior's parameters `names`. Throws the model language's
    /// errors, and `invalidArgument` for a name in the formula that is not a parameter.
    init(_ prior: CustomLogPrior, names: [String]) throws {
        switch prior {
        case .formula(let expression):
            let formula = try Model(expression, inputs: [])
            for name in formula.parameters where !names.contains(name) {
                throw InferKitError.invalidArgument(
                    "the log-prior '\(expression)' uses '\(name)', which is not a parameter of the posterior (its parameters are \(names.joined(separator: ", ")))")
            }
            model = formula
            indices = formula.parameters.map { names.firstIndex(of: $0)! }
        case .function(let value, let gradient):
            let n = names.count
            let jacobian: CallbackModel.Jacobian? = gradient.map { g in
                { _, p, out in
                    let (_, d) = try g(Array(p))
                    guard d.count == n else {
                        throw InferKitError.dimensionMismatch("the log-prior's gradient has \(d.count) values for \(n) parameters")
                    }
                    for j in 0..<n { out[j] = d[j] }
                }
            }
            model = CallbackModel(inputCount: 0, parameterNames: names, evaluate: { _, p, out in out[0] = try value(Array(p)) },
                                  jacobian: jacobian, finiteDifferences: FiniteDifferences(scheme: .central))
            indices = Array(0..<n)
        }
    }

    /// True when the gradient is exact, and `hasExactHessian` when the Hessian is.
    var hasExactGradient: Bool { model.hasExactJacobian }
    /// True for formulas.
    var hasExactHessian: Bool { model is Model }

    /// The model's parameters taken from θ.
    private func own(_ theta: UnsafeBufferPointer<Double>) -> [Double] { indices.map { theta[$0] } }

    /// The log-prior at θ.
    func value(_ theta: UnsafeBufferPointer<Double>) throws -> Double {
        var out = [0.0]
        try own(theta).withUnsafeBufferPointer { p in
            try out.withUnsafeMutableBufferPointer { try model.evaluate(DataPoints(count: 1), p, $0) }
        }
        return out[0]
    }

    /// The log-prior at θ, its gradient added into `gradient`.
    func addGradient(_ theta: UnsafeBufferPointer<Double>, into gradient: UnsafeMutableBufferPointer<Double>) throws -> Double {
        var out = [0.0]
        var d = [Double](repeating: 0, count: indices.count)
        try own(theta).withUnsafeBufferPointer { p in
            try out.withUnsafeMutableBufferPointer { v in
                try d.withUnsafeMutableBufferPointer {
                    try model.jacobian(DataPoints(count: 1), p, values: v, valuesKnown: false, $0)
                }
            }
        }
        if out[0].isFinite { for (j, index) in indices.enumerated() { gradient[index] += d[j] } }
        return out[0]
    }

    /// Its Hessian added into the row-major p × p `hessian`.
    func addHessian(_ theta: UnsafeBufferPointer<Double>, into hessian: inout [Double], dimension p: Int) throws {
        let problem = LeastSquaresProblem(model: model, points: DataPoints(count: 1), observations: nil, weights: nil)
        let h = try LaplaceCovariance.modelCurvature(problem, own(theta), weights: [1])
        let m = indices.count
        for (a, i) in indices.enumerated() {
            for (b, j) in indices.enumerated() { hessian[i * p + j] += h[a * m + b] }
        }
    }
}
