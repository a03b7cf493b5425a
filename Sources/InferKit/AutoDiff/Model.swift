// The public entry point of the model language: a formula over named inputs and parameters,
// compiled once, evaluated and differentiated exactly over many data points.

/// A formula compiled to a tape, e.g. `Model("A*exp(-0.5*((x-mu)/sig)^2) + B")`.
///
/// The language: `+ - * / ^` (also `**`), unary minus with Fortran/Python precedence (`-x^2`
/// is `-(x^2)`, `^` right-associative, `2^-1` allowed), parentheses, numbers (`1`, `1.5`, `.5`,
/// `1e-3`), `pi`, the functions `exp log log10 sqrt abs sin cos tan asin acos atan atan2(y, x)
/// sinh cosh tanh erf erfc lgamma pow(a, b) min(a, b) max(a, b)`, the line shapes
/// `gaussian(x, mu, sigma)` (unit-area normal density), `lorentzian(x, x0, gamma)` (unit-area
/// Cauchy density, gamma the half width at half maximum), `voigt(x, sigma, gamma)` (their
/// convolution, the unit-area Voigt profile Re w(z)/(sigma sqrt(2 pi)) with
/// z = (x + i gamma)/(sigma sqrt 2), as scipy.special.voigt_profile; centred at 0, so a peak at
/// x0 is `voigt(x - x0, sigma, gamma)`; sigma = 0 gives the Cauchy density, gamma = 0 the
/// normal one, a negative width NaN) and `sinc(x)` (sin(x)/x, 1 at 0),
/// comparisons `< <= > >= == !=` (1 or 0), `where(cond, a, b)` and `cond ? a : b`, and local
/// definitions `s = (x - mu)/sig; A*exp(-s^2/2) + B` (the last item is the result).
public struct Model: Sendable {
    /// The formula as given.
    public let expression: String
    /// Names of the inputs (the independent variables), in the order `evaluate` takes them.
    public let inputs: [String]
    /// Names of the parameters, in the order `evaluate` takes them.
    public let parameters: [String]
    let tape: Tape

    /// Parses and compiles `expression` over the named `inputs`.
    ///
    /// When `params` is nil the parameters are every other name that is not a local
    /// definition, a function or `pi`, in order of first appearance. Throws
    /// `InferKitError.parse` on a syntax error, unknown function or wrong argument count (the
    /// message gives the 0-based character offset and what was expected), and
    /// `InferKitError.invalidArgument` on a duplicate name, a name that is both an input and a
    /// parameter, a reserved name used as a variable, a name not in an explicit `params` list,
    /// or an explicit parameter that does not appear in the formula.
    public init(_ expression: String, inputs: [String] = ["x"], params: [String]? = nil) throws {
        let formula = try Parser.parse(expression)
        var known = Set<String>()
        func claim(_ name: String, as role: String) throws {
            if BuiltinFunction.isReserved(name) {
                throw InferKitError.invalidArgument("\(role) '\(name)' is a reserved function or constant name")
            }
            guard known.insert(name).inserted else {
                let both = inputs.contains(name) && (params ?? []).contains(name)
                throw InferKitError.invalidArgument(both
                    ? "'\(name)' is named both as an input and as a parameter"
                    : "\(role) '\(name)' is defined more than once")
            }
        }
        for name in inputs { try claim(name, as: "input") }
        for name in params ?? [] { try claim(name, as: "parameter") }
        let localNames = Set(formula.definitions.map(\.name))
        var defined = Set<String>()
        var discovered: [String] = []
        var used = Set<String>()
        func visit(_ name: String, _ offset: Int) throws {
            used.insert(name)
            if inputs.contains(name) || defined.contains(name) || discovered.contains(name) { return }
            if let params, params.contains(name) { return }
            if localNames.contains(name) {
                throw InferKitError.invalidArgument(
                    "'\(name)' at character \(offset) of '\(expression)' is used before its definition")
            }
            guard params == nil else {
                throw InferKitError.invalidArgument(
                    "unknown name '\(name)' at character \(offset) of '\(expression)': not an input, parameter or definition")
            }
            discovered.append(name)
        }
        for definition in formula.definitions {
            try definition.value.forEachName(visit)
            try claim(definition.name, as: "local definition")
            defined.insert(definition.name)
        }
        try formula.result.forEachName(visit)
        let parameters = params ?? discovered
        if params != nil {
            for name in parameters where !used.contains(name) {
                throw InferKitError.invalidArgument("parameter '\(name)' does not appear in '\(expression)'")
            }
        }
        self.expression = expression
        self.inputs = inputs
        self.parameters = parameters
        self.tape = try TapeCompiler.compile(formula, inputs: inputs, parameters: parameters)
    }

    /// Checks the shapes of `inputs` (one array per input, all of the same length n) and
    /// `params`, and returns n.
    private func pointCount(_ inputs: [[Double]], _ params: [Double]) throws -> Int {
        guard inputs.count == self.inputs.count else {
            throw InferKitError.dimensionMismatch(
                "inputs has \(inputs.count) arrays but the model has \(self.inputs.count) inputs")
        }
        guard params.count == parameters.count else {
            throw InferKitError.dimensionMismatch(
                "params has \(params.count) values but the model has \(parameters.count) parameters")
        }
        let n = inputs.first?.count ?? 1
        for (k, input) in inputs.enumerated() where input.count != n {
            throw InferKitError.dimensionMismatch(
                "input '\(self.inputs[k])' has \(input.count) points, input '\(self.inputs[0])' has \(n)")
        }
        return n
    }

    /// Runs `body` with unsafe views of the inputs and parameters.
    private func withBuffers<R>(_ inputs: [[Double]], _ params: [Double],
                                _ body: ([UnsafeBufferPointer<Double>], UnsafeBufferPointer<Double>) -> R) -> R {
        func nest(_ k: Int, _ acquired: [UnsafeBufferPointer<Double>]) -> R {
            if k == inputs.count { return params.withUnsafeBufferPointer { body(acquired, $0) } }
            return inputs[k].withUnsafeBufferPointer { nest(k + 1, acquired + [$0]) }
        }
        return nest(0, [])
    }

    /// The model's values at n points: `inputs[k][i]` is input k at point i; returns n values.
    /// A model without inputs gives one value. Throws `dimensionMismatch` on wrong sizes.
    public func evaluate(inputs: [[Double]], params: [Double]) throws -> [Double] {
        let n = try pointCount(inputs, params)
        return [Double](unsafeUninitializedCapacity: n) { out, initialized in
            withBuffers(inputs, params) { tape.evaluate(inputs: $0, parameters: $1, count: n, output: out) }
            initialized = n
        }
    }

    /// The values and the exact Jacobian d f(x_i) / d p_j at n points, column-major n x p
    /// (`jacobian[j * n + i]`), by forward-mode differentiation of the tape.
    public func jacobian(inputs: [[Double]], params: [Double]) throws -> (values: [Double], jacobian: [Double]) {
        let n = try pointCount(inputs, params)
        var values = [Double](repeating: 0, count: n)
        let jacobian = [Double](unsafeUninitializedCapacity: n * parameters.count) { j, initialized in
            values.withUnsafeMutableBufferPointer { v in
                withBuffers(inputs, params) {
                    tape.jacobian(inputs: $0, parameters: $1, count: n, values: v, jacobian: j)
                }
            }
            initialized = n * parameters.count
        }
        return (values, jacobian)
    }

    /// Throws `dimensionMismatch` unless `count` equals the number of parameters.
    func checkParameterCount(_ count: Int) throws {
        guard count == parameters.count else {
            throw InferKitError.dimensionMismatch(
                "params has \(count) values but the model has \(parameters.count) parameters")
        }
    }

    private func requireScalar(_ params: [Double]) throws {
        guard inputs.isEmpty else {
            throw InferKitError.invalidArgument(
                "'\(expression)' has inputs \(inputs): gradient and hessian need a formula of parameters only")
        }
        _ = try pointCount([], params)
    }

    /// The value of a formula without inputs (a log-probability, say) at `params`.
    public func value(params: [Double]) throws -> Double {
        try requireScalar(params)
        return params.withUnsafeBufferPointer { tape.gradient(parameters: $0).value }
    }

    /// The exact gradient of a formula without inputs at `params`, by reverse mode (one
    /// backward sweep). Throws `invalidArgument` when the model has inputs.
    public func gradient(params: [Double]) throws -> [Double] {
        try requireScalar(params)
        return params.withUnsafeBufferPointer { tape.gradient(parameters: $0).gradient }
    }

    /// The exact p x p Hessian (row-major, symmetric) of a formula without inputs at
    /// `params`, by a second-order forward pass. Throws `invalidArgument` when the model has inputs.
    public func hessian(params: [Double]) throws -> [Double] {
        try requireScalar(params)
        return params.withUnsafeBufferPointer { tape.hessian(parameters: $0).hessian }
    }
}
