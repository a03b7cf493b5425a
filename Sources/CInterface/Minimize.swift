import CInferKitABI
import InferKit

// The ik_minimize_* and ik_root_* families: argument checks and conversions only; the methods
// are in InferKit/Optimize, models as objectives and equations in InferKit/Models.

// MARK: - Shared

/// A model handle argument named `name` (NULL, freed or foreign handles are
/// IK_ERR_INVALID_ARGUMENT naming it) that must have no inputs; `function` and `hint` go into
/// the message when it has some.
private func inputFreeModel(_ h: OpaquePointer?, _ name: String, _ function: String) throws -> any ParametricModel {
    let m = try HandleTable.shared.object(h, as: ModelBox.self, name: name, cType: "ik_model_t").parametric
    try requireInputFree(m, function, name: name,
                         hint: "compile it with n_inputs 0, or create the callback model with n_inputs 0")
    return m
}

/// The Swift names of the core's options as the C structs spell them, longest first (so that a
/// name is never replaced inside a longer one).
let minimizeOptionNames: [(swift: String, c: String)] = [
    ("options.maxLineSearchEvaluations", "options->max_line_search"),
    ("options.initialSimplexZeroStep", "options->simplex_zero_step"),
    ("options.initialTrustRadius", "options->initial_trust_radius"),
    ("options.simplexXTolerance", "options->xatol"),
    ("options.simplexFTolerance", "options->fatol"),
    ("options.initialSimplexStep", "options->simplex_step"),
    ("options.maxTrustRadius", "options->max_trust_radius"),
    ("options.initialSimplex", "options->initial_simplex"),
    ("options.maxEvaluations", "options->max_fev"),
    ("options.maxIterations", "options->max_iter"),
    ("options.learningRate", "options->learning_rate"),
    (">= initialTrustRadius", ">= options->initial_trust_radius"),
    ("options.", "options->"),
]

private let rootOptionNames: [(swift: String, c: String)] = [
    ("options.absoluteStepTolerance", "options->xtol"),
    ("options.residualTolerance", "options->fatol"),
    ("options.stepTolerance", "options->rtol"),
    ("options.maxEvaluations", "options->max_fev"),
    ("options.maxIterations", "options->max_iter"),
    ("bracket.lower", "bracket[0]"),
    ("bracket.upper", "bracket[1]"),
    ("options.", "options->"),
]

/// Runs a core call, rewriting the Swift option names in its error messages to the C fields.
func withCNames<R>(_ names: [(swift: String, c: String)], _ body: () throws -> R) throws -> R {
    do {
        return try body()
    } catch let e as InferKitError {
        var message = e.message
        for (swift, c) in names { message = message.replacing(swift, with: c) }
        throw ArgumentError(status: Status(e), message: message)
    }
}

/// `value` of the int64 option `name`, where 0 means the method's default (nil); negative
/// values are IK_ERR_INVALID_ARGUMENT.
private func countOption(_ value: Int64, _ name: String) throws -> Int? {
    guard value >= 0 else {
        throw ArgumentError(status: .invalidArgument, message: "\(name) is \(value): it must be >= 0 (0 for the default)")
    }
    return value == 0 ? nil : Int(value)
}

/// Checks `struct_size` of a caller's options or info struct named `name`; `remedy` says how to
/// set it.
private func requireStructSize(_ size: Int, _ expected: Int, _ name: String, _ remedy: String) throws {
    guard size == expected else {
        throw ArgumentError(status: .invalidArgument,
                            message: "\(name)->struct_size is \(size) but this library expects \(expected): \(remedy)")
    }
}

/// The caller's info struct `info` of C type `cType`: non-NULL, its struct_size (at `size`) set
/// to the library's.
private func infoStruct<T>(_ info: UnsafeMutablePointer<T>?, _ size: KeyPath<T, Int>, _ cType: String) throws
    -> UnsafeMutablePointer<T> {
    let p = try requireNonNull(info, "info")
    try requireStructSize(p.pointee[keyPath: size], MemoryLayout<T>.size, "info", "set it to sizeof(\(cType))")
    return p
}

// MARK: - Minimisation

/// The C spelling of a method, for messages: "IK_MINIMIZE_NEWTON (0)".
private func cName(_ method: MinimizeMethod) -> String {
    let names: [MinimizeMethod: String] = [
        .newton: "IK_MINIMIZE_NEWTON", .newtonTrustRegion: "IK_MINIMIZE_NEWTON_TRUST_REGION",
        .gradientDescent: "IK_MINIMIZE_GRADIENT_DESCENT", .adam: "IK_MINIMIZE_ADAM", .lbfgs: "IK_MINIMIZE_LBFGS",
        .lbfgsb: "IK_MINIMIZE_LBFGSB", .nelderMead: "IK_MINIMIZE_NELDER_MEAD", .bfgs: "IK_MINIMIZE_BFGS",
    ]
    return "\(names[method] ?? method.name) (\(method.rawValue))"
}

/// A minimisation owned by a C handle (ik_minimize_result_t*).
final class MinimizeResultBox {
    let result: MinimizeResult
    let method: MinimizeMethod
    let message: OwnedCString
    init(_ result: MinimizeResult, method: MinimizeMethod) {
        self.result = result
        self.method = method
        message = OwnedCString(result.message)
    }
}

private func minimizeResult(_ h: OpaquePointer?) throws -> MinimizeResultBox {
    try HandleTable.shared.object(h, as: MinimizeResultBox.self, name: "result", cType: "ik_minimize_result_t")
}

/// The C options (NULL: defaults) in Swift terms for n unknowns, and the caller's Hessian.
func minimizeOptions(_ p: UnsafePointer<ik_minimize_options_t>?, n: Int) throws
    -> (options: MinimizeOptions, hessian: ((([Double]) throws -> [Double]))?) {
    var o = MinimizeOptions()
    guard let p else { return (o, nil) }
    let c = p.pointee
    try requireStructSize(c.struct_size, MemoryLayout<ik_minimize_options_t>.size, "options",
                          "fill the options with ik_minimize_options_default()")
    o.gtol = c.gtol
    o.ftol = c.ftol
    o.xtol = c.xtol
    o.maxIterations = try countOption(c.max_iter, "options->max_iter")
    o.maxEvaluations = try countOption(c.max_fev, "options->max_fev")
    guard c.learning_rate >= 0 && c.learning_rate.isFinite else {
        throw ArgumentError(status: .invalidArgument,
                            message: "options->learning_rate is \(c.learning_rate): it must be finite and >= 0 (0 for the default)")
    }
    o.learningRate = c.learning_rate == 0 ? nil : c.learning_rate
    o.beta1 = c.beta1
    o.beta2 = c.beta2
    o.epsilon = c.epsilon
    o.memory = Int(c.memory)
    o.maxLineSearchEvaluations = Int(c.max_line_search)
    o.initialTrustRadius = c.initial_trust_radius
    o.maxTrustRadius = c.max_trust_radius
    o.initialSimplexStep = c.simplex_step
    o.initialSimplexZeroStep = c.simplex_zero_step
    if let simplex = c.initial_simplex {
        let all = UnsafeBufferPointer(start: simplex, count: try product(n + 1, n, "options->initial_simplex"))
        o.initialSimplex = (0...n).map { Array(all[($0 * n)..<($0 * n + n)]) }
    }
    o.adaptive = try flag(c.adaptive, "options->adaptive")
    o.simplexXTolerance = c.xatol
    o.simplexFTolerance = c.fatol
    if let progress = c.progress {
        let report = progressReporter(progress, c.progress_data)
        o.progress = { report($0.iteration, $0.x, $0.value) }
    }
    var hessian: (([Double]) throws -> [Double])?
    if let callback = c.hessian {
        let context = CallbackContext(c.hessian_data)
        hessian = { x in
            var h = [Double](repeating: .nan, count: x.count * x.count)
            let status = x.withUnsafeBufferPointer { xb in
                h.withUnsafeMutableBufferPointer { callback(xb.baseAddress, xb.count, $0.baseAddress, context.pointer) }
            }
            if status != 0 { throw InferKitError.callbackFailed("the Hessian callback returned \(status)") }
            return h
        }
    }
    return (o, hessian)
}

@_cdecl("ik_minimize_options_default")
public func ik_minimize_options_default(_ options: UnsafeMutablePointer<ik_minimize_options_t>?) -> Int32 {
    guarded {
        let o = try requireNonNull(options, "options")
        let d = MinimizeOptions()
        o.pointee = ik_minimize_options_t(
            struct_size: MemoryLayout<ik_minimize_options_t>.size, gtol: d.gtol, ftol: d.ftol, xtol: d.xtol,
            max_iter: 0, max_fev: 0, learning_rate: 0, beta1: d.beta1, beta2: d.beta2, epsilon: d.epsilon,
            memory: Int32(d.memory), max_line_search: Int32(d.maxLineSearchEvaluations),
            initial_trust_radius: d.initialTrustRadius, max_trust_radius: d.maxTrustRadius,
            simplex_step: d.initialSimplexStep, simplex_zero_step: d.initialSimplexZeroStep, initial_simplex: nil,
            adaptive: d.adaptive ? 1 : 0, xatol: d.simplexXTolerance, fatol: d.simplexFTolerance, hessian: nil,
            hessian_data: nil, progress: nil, progress_data: nil)
    }
}

@_cdecl("ik_minimize")
public func ik_minimize(_ objective: OpaquePointer?, _ x0: UnsafePointer<Double>?, _ n: Int,
                        _ lower: UnsafePointer<Double>?, _ upper: UnsafePointer<Double>?, _ methodValue: Int32,
                        _ options: UnsafePointer<ik_minimize_options_t>?,
                        _ result: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    guarded {
        let out = try requireNonNull(result, "result")
        out.pointee = nil
        let m = try inputFreeModel(objective, "objective", "ik_minimize")
        let start = try parameterVector(m, x0, n, name: "x0", lengthName: "n")
        guard !start.isEmpty else {
            throw ArgumentError(status: .dimension, message: "n is 0: the objective needs at least one parameter")
        }
        guard let method = MinimizeMethod(rawValue: methodValue) else {
            throw ArgumentError(status: .invalidArgument,
                                message: "method is \(methodValue): use IK_MINIMIZE_NEWTON (0) .. IK_MINIMIZE_BFGS (7)")
        }
        let box = try bounds(lower, upper, start.count)
        if let box, box.isConstraining, !method.supportsBounds {
            throw ArgumentError(status: .invalidArgument,
                                message: "method \(cName(method)) does not support bounds: use IK_MINIMIZE_LBFGSB (5), IK_MINIMIZE_GRADIENT_DESCENT (2), IK_MINIMIZE_ADAM (3) or IK_MINIMIZE_NELDER_MEAD (6), or pass NULL bounds")
        }
        let (settings, hessian) = try minimizeOptions(options, n: start.count)
        let model = try ModelObjective(m)
        let f: ScalarObjective = hessian.map {
            ClosureObjective(dimension: model.dimension, value: { try model.value($0) },
                             gradient: { try model.valueAndGradient($0) }, hessian: $0)
        } ?? model
        let r = try withCNames(minimizeOptionNames) {
            try minimize(f, x0: start, method: method, bounds: box, options: settings)
        }
        HandleTable.shared.publish(MinimizeResultBox(r, method: method), into: out)
    }
}

@_cdecl("ik_minimize_result_info")
public func ik_minimize_result_info(_ result: OpaquePointer?, _ info: UnsafeMutablePointer<ik_minimize_info_t>?) -> Int32 {
    guarded {
        let box = try minimizeResult(result)
        let info = try infoStruct(info, \.struct_size, "ik_minimize_info_t")
        let size = MemoryLayout<ik_minimize_info_t>.size
        let r = box.result
        info.pointee = ik_minimize_info_t(
            struct_size: size, method: box.method.rawValue, status: r.status.rawValue, success: r.success ? 1 : 0,
            has_gradient: r.gradient == nil ? 0 : 1, has_inverse_hessian: r.inverseHessian == nil ? 0 : 1,
            n_params: r.x.count, iterations: Int64(r.iterations), nfev: Int64(r.functionEvaluations),
            ngev: Int64(r.gradientEvaluations), nhev: Int64(r.hessianEvaluations), value: r.value,
            gradient_norm: r.gradientNorm ?? .nan)
    }
}

@_cdecl("ik_minimize_result_x")
public func ik_minimize_result_x(_ result: OpaquePointer?, _ out: UnsafeMutablePointer<Double>?, _ len: Int) -> Int32 {
    guarded {
        let x = try minimizeResult(result).result.x
        try write(out, len, x.count, "x (n)") { x[$0] }
    }
}

@_cdecl("ik_minimize_result_gradient")
public func ik_minimize_result_gradient(_ result: OpaquePointer?, _ out: UnsafeMutablePointer<Double>?, _ len: Int) -> Int32 {
    guarded {
        let box = try minimizeResult(result)
        guard let g = box.result.gradient else {
            throw ArgumentError(status: .invalidArgument,
                                message: "result is of method \(cName(box.method)), which uses no gradient: it has none to return")
        }
        try write(out, len, g.count, "gradient (n)") { g[$0] }
    }
}

@_cdecl("ik_minimize_result_inverse_hessian")
public func ik_minimize_result_inverse_hessian(_ result: OpaquePointer?, _ out: UnsafeMutablePointer<Double>?,
                                               _ len: Int) -> Int32 {
    guarded {
        let box = try minimizeResult(result)
        let n = box.result.x.count
        let what = "the inverse Hessian (n x n)"
        switch box.method {
        case .bfgs, .newton, .newtonTrustRegion: break
        default:
            throw ArgumentError(status: .invalidArgument,
                                message: "result is of method \(cName(box.method)), which keeps no dense inverse Hessian: use IK_MINIMIZE_BFGS (7), IK_MINIMIZE_NEWTON (0) or IK_MINIMIZE_NEWTON_TRUST_REGION (1)")
        }
        guard let h = box.result.inverseHessian else {
            try write(out, len, try product(n, n, what), what) { _ in .nan }
            throw ArgumentError(status: .singular,
                                message: "no inverse Hessian: the Hessian at x is not positive definite, or max_fev ran out before it could be evaluated there")
        }
        try write(out, len, try product(n, n, what), what) { h[$0 / n, $0 % n] }
    }
}

@_cdecl("ik_minimize_result_message")
public func ik_minimize_result_message(_ result: OpaquePointer?) -> UnsafePointer<CChar> {
    (try? minimizeResult(result).message.c) ?? emptyCString
}

@_cdecl("ik_minimize_result_free")
public func ik_minimize_result_free(_ result: OpaquePointer?) {
    HandleTable.shared.release(result.map { UnsafeRawPointer($0) }, as: MinimizeResultBox.self)
}

// MARK: - Root finding

/// The sentences of the IK_ROOT_* statuses, with static storage (indexed by raw value).
private let rootStatusMessages: [OwnedCString] = RootStatus.allCases.sorted { $0.rawValue < $1.rawValue }
    .map { OwnedCString($0.message) }

@_cdecl("ik_root_status_message")
public func ik_root_status_message(_ status: Int32) -> UnsafePointer<CChar> {
    guard status >= 0, Int(status) < rootStatusMessages.count else { return emptyCString }
    return rootStatusMessages[Int(status)].c
}

/// The C options (NULL: defaults) in Swift terms; findRoot checks their ranges.
private func rootOptions(_ p: UnsafePointer<ik_root_options_t>?) throws -> RootOptions {
    var o = RootOptions()
    guard let p else { return o }
    let c = p.pointee
    try requireStructSize(c.struct_size, MemoryLayout<ik_root_options_t>.size, "options",
                          "fill the options with ik_root_options_default()")
    o.residualTolerance = c.fatol
    o.absoluteStepTolerance = c.xtol
    o.stepTolerance = c.rtol
    if let m = try countOption(c.max_iter, "options->max_iter") { o.maxIterations = m }
    o.maxEvaluations = try countOption(c.max_fev, "options->max_fev")
    if let progress = c.progress {
        let report = progressReporter(progress, c.progress_data)
        o.progress = { report($0.iteration, $0.x, $0.residualNorm) }
    }
    return o  // range-checked by findRoot
}

@_cdecl("ik_root_options_default")
public func ik_root_options_default(_ options: UnsafeMutablePointer<ik_root_options_t>?) -> Int32 {
    guarded {
        let o = try requireNonNull(options, "options")
        let d = RootOptions()
        o.pointee = ik_root_options_t(
            struct_size: MemoryLayout<ik_root_options_t>.size, fatol: d.residualTolerance,
            xtol: d.absoluteStepTolerance, rtol: d.stepTolerance, max_iter: 0, max_fev: 0, progress: nil,
            progress_data: nil)
    }
}

@_cdecl("ik_root_scalar")
public func ik_root_scalar(_ f: OpaquePointer?, _ x0: UnsafePointer<Double>?, _ bracket: UnsafePointer<Double>?,
                           _ options: UnsafePointer<ik_root_options_t>?,
                           _ info: UnsafeMutablePointer<ik_root_scalar_info_t>?) -> Int32 {
    guarded {
        let info = try infoStruct(info, \.struct_size, "ik_root_scalar_info_t")
        let size = MemoryLayout<ik_root_scalar_info_t>.size
        let m = try inputFreeModel(f, "f", "ik_root_scalar")
        guard m.parameterCount == 1 else {
            throw ArgumentError(status: .dimension,
                                message: "f has \(m.parameterCount) parameters \(m.parameterNames): ik_root_scalar solves for one unknown (use ik_root for a system)")
        }
        guard x0 != nil || bracket != nil else {
            throw ArgumentError(status: .invalidArgument,
                                message: "x0 and bracket are both NULL: give a starting value, a bracket or both")
        }
        let settings = try rootOptions(options)
        let objective = try ModelObjective(m)
        let r = try withCNames(rootOptionNames) {
            try findRoot({ x in
                let (value, gradient) = try objective.valueAndGradient([x])
                return (value, gradient.first ?? .nan)
            }, bracket: bracket.map { ($0[0], $0[1]) }, x0: x0?.pointee, options: settings)
        }
        info.pointee = ik_root_scalar_info_t(
            struct_size: size, root: r.root, value: r.value, derivative: r.derivative,
            bracket_lower: r.bracket?.lower ?? .nan, bracket_upper: r.bracket?.upper ?? .nan,
            iterations: Int64(r.iterations), evaluations: Int64(r.evaluations), status: r.status.rawValue,
            success: r.success ? 1 : 0)
    }
}

/// A root search owned by a C handle (ik_root_result_t*).
final class RootResultBox {
    let result: RootResult
    let message: OwnedCString
    init(_ result: RootResult) {
        self.result = result
        message = OwnedCString(result.message)
    }
}

private func rootResult(_ h: OpaquePointer?) throws -> RootResult {
    try HandleTable.shared.object(h, as: RootResultBox.self, name: "result", cType: "ik_root_result_t").result
}

/// Solves `system` from x0 and publishes the result into `out`.
private func solveSystem(_ system: VectorFunction, _ x0: [Double], _ options: UnsafePointer<ik_root_options_t>?,
                         into out: UnsafeMutablePointer<OpaquePointer?>) throws {
    let settings = try rootOptions(options)
    let r = try withCNames(rootOptionNames) { try findRoot(system, x0: x0, options: settings) }
    HandleTable.shared.publish(RootResultBox(r), into: out)
}

@_cdecl("ik_root")
public func ik_root(_ system: OpaquePointer?, _ x0: UnsafePointer<Double>?, _ n: Int,
                    _ options: UnsafePointer<ik_root_options_t>?, _ result: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    guarded {
        let out = try requireNonNull(result, "result")
        out.pointee = nil
        let m = try inputFreeModel(system, "system", "ik_root")
        if m is InferKit.Model && m.parameterCount > 1 {
            throw ArgumentError(status: .invalidArgument,
                                message: "system is a compiled formula of \(m.parameterCount) parameters, which is one equation: use ik_root_formulas with one formula per equation")
        }
        let start = try parameterVector(m, x0, n, name: "x0", lengthName: "n")
        guard !start.isEmpty else {
            throw ArgumentError(status: .dimension, message: "n is 0: the system needs at least one unknown")
        }
        try solveSystem(try ModelEquations(m), start, options, into: out)
    }
}

@_cdecl("ik_root_formulas")
public func ik_root_formulas(_ equations: UnsafePointer<OpaquePointer?>?, _ nEquations: Int,
                             _ unknowns: UnsafePointer<UnsafePointer<CChar>?>?, _ x0: UnsafePointer<Double>?,
                             _ n: Int, _ options: UnsafePointer<ik_root_options_t>?,
                             _ result: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    guarded {
        let out = try requireNonNull(result, "result")
        out.pointee = nil
        let count = try length(nEquations, "n_equations")
        guard count > 0 else {
            throw ArgumentError(status: .dimension, message: "n_equations is 0: the system needs at least one equation")
        }
        let handles = try requireNonNull(equations, "equations")
        let models = try (0..<count).map { try inputFreeModel(handles[$0], "equations[\($0)]", "ik_root_formulas") }
        let unknownCount = try length(n, "n")
        guard count == unknownCount else {
            throw ArgumentError(status: .dimension,
                                message: "n_equations is \(count) but n is \(unknownCount): the system must be square")
        }
        let unknownNames: [String]? = unknowns == nil ? nil : try names(unknowns, unknownCount, "unknowns", "n")
        let list = try ModelEquationList(models, unknowns: unknownNames)
        guard list.inputDimension == unknownCount else {
            throw ArgumentError(status: .dimension,
                                message: "n is \(unknownCount) but the equations have \(list.inputDimension) unknowns \(list.unknowns)")
        }
        let start = try finiteValues(x0, unknownCount, "x0", optional: false) ?? []
        try solveSystem(list, start, options, into: out)
    }
}

@_cdecl("ik_root_result_info")
public func ik_root_result_info(_ result: OpaquePointer?, _ info: UnsafeMutablePointer<ik_root_info_t>?) -> Int32 {
    guarded {
        let r = try rootResult(result)
        let info = try infoStruct(info, \.struct_size, "ik_root_info_t")
        let size = MemoryLayout<ik_root_info_t>.size
        info.pointee = ik_root_info_t(
            struct_size: size, status: r.status.rawValue, success: r.success ? 1 : 0, n: r.x.count,
            iterations: Int64(r.iterations), nfev: Int64(r.functionEvaluations), njev: Int64(r.jacobianEvaluations),
            residual_norm: r.residualNorm)
    }
}

@_cdecl("ik_root_result_x")
public func ik_root_result_x(_ result: OpaquePointer?, _ out: UnsafeMutablePointer<Double>?, _ len: Int) -> Int32 {
    guarded {
        let x = try rootResult(result).x
        try write(out, len, x.count, "x (n)") { x[$0] }
    }
}

@_cdecl("ik_root_result_values")
public func ik_root_result_values(_ result: OpaquePointer?, _ out: UnsafeMutablePointer<Double>?, _ len: Int) -> Int32 {
    guarded {
        let v = try rootResult(result).values
        try write(out, len, v.count, "values (n)") { v[$0] }
    }
}

@_cdecl("ik_root_result_message")
public func ik_root_result_message(_ result: OpaquePointer?) -> UnsafePointer<CChar> {
    (try? HandleTable.shared.object(result, as: RootResultBox.self, name: "result", cType: "ik_root_result_t").message.c)
        ?? emptyCString
}

@_cdecl("ik_root_result_free")
public func ik_root_result_free(_ result: OpaquePointer?) {
    HandleTable.shared.release(result.map { UnsafeRawPointer($0) }, as: RootResultBox.self)
}
