import CInferKitABI
import InferKit

// The ik_model_* family: argument checks and conversions only; the language, the tape and
// the derivatives are in InferKit/AutoDiff.

/// A model owned by a C handle (ik_model_t*): a compiled formula or a caller's callbacks.
final class ModelBox {
    enum Kind {
        case formula(InferKit.Model)
        case callback(CallbackModel)
    }
    var kind: Kind
    init(_ kind: Kind) { self.kind = kind }

    /// The model as the fitters take it.
    var parametric: any ParametricModel {
        switch kind {
        case .formula(let m): return m
        case .callback(let m): return m
        }
    }

    /// The formula, when it is one.
    var formula: InferKit.Model? {
        if case .formula(let m) = kind { return m }
        return nil
    }
}

func modelBox(_ h: OpaquePointer?) throws -> ModelBox {
    try HandleTable.shared.object(h, as: ModelBox.self, name: "model", cType: "ik_model_t")
}

/// n C strings (`names[0..<n]`), each non-NULL; `names` may be NULL only when n is 0.
func names(_ names: UnsafePointer<UnsafePointer<CChar>?>?, _ n: Int, _ name: String,
                   _ lengthName: String) throws -> [String] {
    let n = try length(n, lengthName)
    guard n > 0 else { return [] }
    let list = try requireNonNull(names, name)
    return try (0..<n).map { i in String(cString: try requireNonNull(list[i], "\(name)[\(i)]")) }
}

/// The parameter vector: its length (the argument `lengthName`) must equal the model's number
/// of parameters, every value finite.
func parameterVector(_ model: any ParametricModel, _ p: UnsafePointer<Double>?, _ nParams: Int,
                     name: String = "p", lengthName: String = "n_params") throws -> [Double] {
    let n = try length(nParams, lengthName)
    let names = model.parameterNames
    guard n == names.count else {
        throw ArgumentError(status: .dimension,
                            message: "\(lengthName) is \(n) but the model has \(names.count) parameters")
    }
    guard n > 0 else { return [] }
    let values = Array(UnsafeBufferPointer(start: try requireNonNull(p, name), count: n))
    for (j, v) in values.enumerated() where !v.isFinite {
        throw ArgumentError(status: .nonFinite, message: "\(name)[\(j)] (parameter '\(names[j])') is \(v)")
    }
    return values
}

/// The n_points points of the row-major n_points x n_inputs matrix x (every value finite; x
/// may be NULL when the model has no inputs). One input is used in place, so the result must
/// not outlive the call; several are copied into columns.
func dataPoints(_ model: any ParametricModel, _ x: UnsafePointer<Double>?, _ nPoints: Int,
                name: String = "x") throws -> DataPointStorage {
    let n = try length(nPoints, "n_points")
    guard n > 0 else { throw ArgumentError(status: .dimension, message: "n_points is 0: at least one point is needed") }
    let k = model.inputCount
    guard k > 0 else { return DataPointStorage(rowMajor: UnsafeBufferPointer(start: nil, count: 0), count: n, inputCount: 0) }
    let xs = try requireNonNull(x, name)
    let total = try product(n, k, name)
    let all = UnsafeBufferPointer(start: xs, count: total)
    if !isAllFinite(all) {
        let names = (model as? InferKit.Model)?.inputs
        for i in 0..<n {
            for j in 0..<k where !xs[i * k + j].isFinite {
                let label = names.map { " (input '\($0[j])')" } ?? ""
                throw ArgumentError(status: .nonFinite, message: "\(name)[\(i),\(j)]\(label) is \(xs[i * k + j])")
            }
        }
    }
    // One input: the caller's array itself (it lives for the whole call); several: columns.
    if k == 1 { return DataPointStorage(borrowing: all) }
    return DataPointStorage(rowMajor: all, count: n, inputCount: k)
}

/// IK_ERR_INVALID_ARGUMENT naming `function` and the argument `name` unless the model has no
/// inputs; `hint` says what to do instead.
func requireInputFree(_ model: any ParametricModel, _ function: String, name: String = "model",
                      hint: String = "use ik_model_evaluate or ik_model_jacobian") throws {
    guard model.inputCount == 0 else {
        let inputs = (model as? InferKit.Model).map { "inputs \($0.inputs)" } ?? "\(model.inputCount) inputs"
        throw ArgumentError(status: .invalidArgument,
                            message: "\(function) needs a model without inputs, but \(name) has \(inputs): \(hint)")
    }
}

@_cdecl("ik_model_compile")
public func ik_model_compile(_ expression: UnsafePointer<CChar>?,
                             _ inputs: UnsafePointer<UnsafePointer<CChar>?>?, _ nInputs: Int,
                             _ params: UnsafePointer<UnsafePointer<CChar>?>?, _ nParams: Int,
                             _ model: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    guarded {
        let out = try requireNonNull(model, "model")
        out.pointee = nil
        let text = String(cString: try requireNonNull(expression, "expression"))
        let inputNames = try names(inputs, nInputs, "inputs", "n_inputs")
        let paramNames: [String]? = (params == nil && nParams == 0) ? nil : try names(params, nParams, "params", "n_params")
        HandleTable.shared.publish(ModelBox(.formula(try InferKit.Model(text, inputs: inputNames, params: paramNames))),
                                   into: out)
    }
}

@_cdecl("ik_model_info")
public func ik_model_info(_ model: OpaquePointer?, _ nInputs: UnsafeMutablePointer<Int>?,
                          _ nParams: UnsafeMutablePointer<Int>?) -> Int32 {
    guarded {
        let m = try modelBox(model).parametric
        let a = try requireNonNull(nInputs, "n_inputs")
        let b = try requireNonNull(nParams, "n_params")
        a.pointee = m.inputCount
        b.pointee = m.parameterCount
    }
}

@_cdecl("ik_model_param_name")
public func ik_model_param_name(_ model: OpaquePointer?, _ index: Int, _ out: UnsafeMutablePointer<CChar>?,
                                _ len: Int) -> Int32 {
    guarded {
        try copyParameterName(try modelBox(model).parametric.parameterNames, index, out, len, owner: "the model")
    }
}

/// Copies `names[index]` with its NUL into out[0..<len] (the ik_*_param_name getters); `owner`
/// ("the model") goes into the message when index is out of range.
func copyParameterName(_ names: [String], _ index: Int, _ out: UnsafeMutablePointer<CChar>?, _ len: Int,
                       owner: String) throws {
    let o = try requireNonNull(out, "out")
    let len = try length(len, "len")
    guard index >= 0, index < names.count else {
        throw ArgumentError(status: .invalidArgument,
                            message: "index is \(UInt(bitPattern: index)) but \(owner) has \(names.count) parameters")
    }
    let bytes = Array(names[index].utf8CString)
    guard len >= bytes.count else {
        throw ArgumentError(status: .dimension,
                            message: "len is \(len) but the name of parameter \(index) needs \(bytes.count) bytes with its NUL")
    }
    for (i, b) in bytes.enumerated() { o[i] = b }
}

@_cdecl("ik_model_evaluate")
public func ik_model_evaluate(_ model: OpaquePointer?, _ x: UnsafePointer<Double>?, _ nPoints: Int,
                              _ p: UnsafePointer<Double>?, _ nParams: Int, _ out: UnsafeMutablePointer<Double>?) -> Int32 {
    guarded {
        let m = try modelBox(model).parametric
        let storage = try dataPoints(m, x, nPoints)
        let ps = try parameterVector(m, p, nParams)
        let o = try requireNonNull(out, "out")
        try storage.withPoints { points in
            try ps.withUnsafeBufferPointer { try m.evaluate(points, $0, UnsafeMutableBufferPointer(start: o, count: nPoints)) }
        }
    }
}

@_cdecl("ik_model_jacobian")
public func ik_model_jacobian(_ model: OpaquePointer?, _ x: UnsafePointer<Double>?, _ nPoints: Int,
                              _ p: UnsafePointer<Double>?, _ nParams: Int, _ values: UnsafeMutablePointer<Double>?,
                              _ jacobian: UnsafeMutablePointer<Double>?) -> Int32 {
    guarded {
        let m = try modelBox(model).parametric
        let storage = try dataPoints(m, x, nPoints)
        let ps = try parameterVector(m, p, nParams)
        let jac = try requireNonNull(jacobian, "jacobian")
        let count = try product(nPoints, ps.count, "jacobian")
        var v = [Double](repeating: 0, count: nPoints)
        var columns = [Double](repeating: 0, count: count)
        try storage.withPoints { points in
            try ps.withUnsafeBufferPointer { pb in
                try v.withUnsafeMutableBufferPointer { vb in
                    try columns.withUnsafeMutableBufferPointer {
                        try m.jacobian(points, pb, values: vb, valuesKnown: false, $0)
                    }
                }
            }
        }
        for i in 0..<nPoints {
            values?[i] = v[i]
            for j in 0..<ps.count { jac[i * ps.count + j] = columns[j * nPoints + i] }
        }
    }
}

/// The objective of a model without inputs (IK_ERR_INVALID_ARGUMENT naming `function` otherwise).
private func objective(_ model: OpaquePointer?, _ function: String) throws -> ModelObjective {
    let m = try modelBox(model).parametric
    try requireInputFree(m, function)
    return try ModelObjective(m)
}

@_cdecl("ik_model_value")
public func ik_model_value(_ model: OpaquePointer?, _ p: UnsafePointer<Double>?, _ nParams: Int,
                           _ value: UnsafeMutablePointer<Double>?) -> Int32 {
    guarded {
        let f = try objective(model, "ik_model_value")
        let ps = try parameterVector(f.model, p, nParams)
        let o = try requireNonNull(value, "value")
        o.pointee = try f.value(ps)
    }
}

@_cdecl("ik_model_gradient")
public func ik_model_gradient(_ model: OpaquePointer?, _ p: UnsafePointer<Double>?, _ nParams: Int,
                              _ value: UnsafeMutablePointer<Double>?, _ grad: UnsafeMutablePointer<Double>?) -> Int32 {
    guarded {
        let f = try objective(model, "ik_model_gradient")
        let ps = try parameterVector(f.model, p, nParams)
        let g = try requireNonNull(grad, "grad")
        let (v, gradient) = try f.valueAndGradient(ps)
        value?.pointee = v
        for j in 0..<gradient.count { g[j] = gradient[j] }
    }
}

@_cdecl("ik_model_hessian")
public func ik_model_hessian(_ model: OpaquePointer?, _ p: UnsafePointer<Double>?, _ nParams: Int,
                             _ hessian: UnsafeMutablePointer<Double>?) -> Int32 {
    guarded {
        let f = try objective(model, "ik_model_hessian")
        let ps = try parameterVector(f.model, p, nParams)
        let h = try requireNonNull(hessian, "hessian")
        _ = try product(ps.count, ps.count, "hessian")
        let result = try f.valueGradientHessian(ps).hessian
        for i in 0..<result.count { h[i] = result[i] }
    }
}

@_cdecl("ik_model_create_callback")
public func ik_model_create_callback(_ nInputs: Int, _ nParams: Int,
                                     _ params: UnsafePointer<UnsafePointer<CChar>?>?,
                                     _ fn: ik_model_fn?, _ jacobian: ik_model_jacobian_fn?,
                                     _ userData: UnsafeMutableRawPointer?,
                                     _ model: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    guarded {
        let out = try requireNonNull(model, "model")
        out.pointee = nil
        let k = try length(nInputs, "n_inputs")
        let n = try length(nParams, "n_params")
        guard n > 0 else { throw ArgumentError(status: .dimension, message: "n_params is 0: a model needs at least one parameter") }
        let function = try requireNonNull(fn, "fn")
        let parameterNames = params == nil ? CallbackModel.defaultNames(n) : try names(params, n, "params", "n_params")
        var seen = Set<String>()
        for name in parameterNames where !seen.insert(name).inserted {
            throw ArgumentError(status: .invalidArgument, message: "parameter '\(name)' is named more than once in params")
        }
        let context = CallbackContext(userData)
        let evaluate: CallbackModel.Evaluate = { points, p, values in
            let status = function(points.rowMajor.baseAddress, points.count, k, p.baseAddress, p.count,
                                  values.baseAddress, context.pointer)
            if status != 0 {
                throw InferKitError.callbackFailed("the model callback returned \(status)")
            }
        }
        var derivative: CallbackModel.Jacobian? = nil
        if let jacobian {
            derivative = { points, p, columns in
                let m = points.count, np = p.count
                let rowMajor = UnsafeMutablePointer<Double>.allocate(capacity: Swift.max(m * np, 1))
                defer { rowMajor.deallocate() }
                rowMajor.initialize(repeating: .nan, count: Swift.max(m * np, 1))
                let status = jacobian(points.rowMajor.baseAddress, m, k, p.baseAddress, np, rowMajor, context.pointer)
                if status != 0 {
                    throw InferKitError.callbackFailed("the Jacobian callback returned \(status)")
                }
                for j in 0..<np { for i in 0..<m { columns[i + j * m] = rowMajor[i * np + j] } }
            }
        }
        let callbackModel = CallbackModel(inputCount: k, parameterNames: parameterNames, evaluate: evaluate,
                                          jacobian: derivative)
        HandleTable.shared.publish(ModelBox(.callback(callbackModel)), into: out)
    }
}

@_cdecl("ik_model_set_finite_differences")
public func ik_model_set_finite_differences(_ model: OpaquePointer?, _ scheme: Int32, _ relativeStep: Double) -> Int32 {
    guarded {
        let box = try modelBox(model)
        guard case .callback(var callbackModel) = box.kind else {
            throw ArgumentError(status: .invalidArgument,
                                message: "model is a compiled formula: its derivatives are exact, it has no finite differences to set")
        }
        let kind: FiniteDifferenceScheme
        switch scheme {
        case 0: kind = .forward
        case 1: kind = .central
        default:
            throw ArgumentError(status: .invalidArgument, message: "scheme is \(scheme): use IK_FD_FORWARD (0) or IK_FD_CENTRAL (1)")
        }
        guard relativeStep >= 0 && relativeStep < 1 else {
            throw ArgumentError(status: .invalidArgument,
                                message: "relative_step is \(relativeStep): it must be in [0, 1) (0 for the default)")
        }
        callbackModel.finiteDifferences = FiniteDifferences(scheme: kind, relativeStep: relativeStep == 0 ? nil : relativeStep)
        box.kind = .callback(callbackModel)
    }
}

/// The caller's user_data pointer, carried into the callbacks' closures.
final class CallbackContext: @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer?
    init(_ pointer: UnsafeMutableRawPointer?) { self.pointer = pointer }
}

@_cdecl("ik_model_free")
public func ik_model_free(_ model: OpaquePointer?) {
    HandleTable.shared.release(model.map { UnsafeRawPointer($0) }, as: ModelBox.self)
}
