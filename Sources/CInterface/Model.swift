import CInferKitABI
import InferKit

// The ik_model_* family: argument checks and conversions only; the language, the tape and
// the derivatives are in InferKit/AutoDiff.

/// A compiled model owned by a C handle (ik_model_t*).
final class ModelBox {
    let model: InferKit.Model
    init(_ model: InferKit.Model) { self.model = model }
}

private func modelBox(_ h: OpaquePointer?) throws -> ModelBox {
    try HandleTable.shared.object(h, as: ModelBox.self, name: "model", cType: "ik_model_t")
}

/// n C strings (`names[0..<n]`), each non-NULL; `names` may be NULL only when n is 0.
private func names(_ names: UnsafePointer<UnsafePointer<CChar>?>?, _ n: Int, _ name: String,
                   _ lengthName: String) throws -> [String] {
    let n = try length(n, lengthName)
    guard n > 0 else { return [] }
    let list = try requireNonNull(names, name)
    return try (0..<n).map { i in String(cString: try requireNonNull(list[i], "\(name)[\(i)]")) }
}

/// The parameter vector: n_params must equal the model's, every value finite.
private func parameterVector(_ model: InferKit.Model, _ p: UnsafePointer<Double>?, _ nParams: Int) throws -> [Double] {
    let n = try length(nParams, "n_params")
    guard n == model.parameters.count else {
        throw ArgumentError(status: .dimension,
                            message: "n_params is \(n) but the model has \(model.parameters.count) parameters")
    }
    guard n > 0 else { return [] }
    let values = Array(UnsafeBufferPointer(start: try requireNonNull(p, "p"), count: n))
    for (j, v) in values.enumerated() where !v.isFinite {
        throw ArgumentError(status: .nonFinite, message: "p[\(j)] (parameter '\(model.parameters[j])') is \(v)")
    }
    return values
}

/// The inputs of n_points points from the row-major n_points x n_inputs matrix x, one array
/// per input, every value finite.
private func inputColumns(_ model: InferKit.Model, _ x: UnsafePointer<Double>?, _ nPoints: Int) throws -> [[Double]] {
    let n = try length(nPoints, "n_points")
    guard n > 0 else { throw ArgumentError(status: .dimension, message: "n_points is 0: at least one point is needed") }
    let k = model.inputs.count
    guard k > 0 else { return [] }
    let xs = try requireNonNull(x, "x")
    _ = try product(n, k, "x")
    var columns = [[Double]](repeating: [Double](repeating: 0, count: n), count: k)
    for i in 0..<n {
        for j in 0..<k {
            let v = xs[i * k + j]
            guard v.isFinite else {
                throw ArgumentError(status: .nonFinite, message: "x[\(i),\(j)] (input '\(model.inputs[j])') is \(v)")
            }
            columns[j][i] = v
        }
    }
    return columns
}

/// IK_ERR_INVALID_ARGUMENT naming `function` unless the model has no inputs.
private func requireInputFree(_ model: InferKit.Model, _ function: String) throws {
    guard model.inputs.isEmpty else {
        throw ArgumentError(status: .invalidArgument,
                            message: "\(function) needs a model without inputs, but model has inputs \(model.inputs): use ik_model_evaluate or ik_model_jacobian")
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
        HandleTable.shared.publish(ModelBox(try InferKit.Model(text, inputs: inputNames, params: paramNames)), into: out)
    }
}

@_cdecl("ik_model_info")
public func ik_model_info(_ model: OpaquePointer?, _ nInputs: UnsafeMutablePointer<Int>?,
                          _ nParams: UnsafeMutablePointer<Int>?) -> Int32 {
    guarded {
        let m = try modelBox(model).model
        let a = try requireNonNull(nInputs, "n_inputs")
        let b = try requireNonNull(nParams, "n_params")
        a.pointee = m.inputs.count
        b.pointee = m.parameters.count
    }
}

@_cdecl("ik_model_param_name")
public func ik_model_param_name(_ model: OpaquePointer?, _ index: Int, _ out: UnsafeMutablePointer<CChar>?,
                                _ len: Int) -> Int32 {
    guarded {
        let m = try modelBox(model).model
        let o = try requireNonNull(out, "out")
        let len = try length(len, "len")
        guard index >= 0, index < m.parameters.count else {
            throw ArgumentError(status: .invalidArgument,
                                message: "index is \(UInt(bitPattern: index)) but the model has \(m.parameters.count) parameters")
        }
        let bytes = Array(m.parameters[index].utf8CString)
        guard len >= bytes.count else {
            throw ArgumentError(status: .dimension,
                                message: "len is \(len) but the name of parameter \(index) needs \(bytes.count) bytes with its NUL")
        }
        for (i, b) in bytes.enumerated() { o[i] = b }
    }
}

@_cdecl("ik_model_evaluate")
public func ik_model_evaluate(_ model: OpaquePointer?, _ x: UnsafePointer<Double>?, _ nPoints: Int,
                              _ p: UnsafePointer<Double>?, _ nParams: Int, _ out: UnsafeMutablePointer<Double>?) -> Int32 {
    guarded {
        let m = try modelBox(model).model
        let columns = try inputColumns(m, x, nPoints)
        let ps = try parameterVector(m, p, nParams)
        let o = try requireNonNull(out, "out")
        let values = try m.evaluate(inputs: columns, params: ps)
        for i in 0..<nPoints { o[i] = values[m.inputs.isEmpty ? 0 : i] }
    }
}

@_cdecl("ik_model_jacobian")
public func ik_model_jacobian(_ model: OpaquePointer?, _ x: UnsafePointer<Double>?, _ nPoints: Int,
                              _ p: UnsafePointer<Double>?, _ nParams: Int, _ values: UnsafeMutablePointer<Double>?,
                              _ jacobian: UnsafeMutablePointer<Double>?) -> Int32 {
    guarded {
        let m = try modelBox(model).model
        let columns = try inputColumns(m, x, nPoints)
        let ps = try parameterVector(m, p, nParams)
        let jac = try requireNonNull(jacobian, "jacobian")
        _ = try product(nPoints, ps.count, "jacobian")
        let result = try m.jacobian(inputs: columns, params: ps)
        let computed = result.values.count  // n_points, or 1 for a model without inputs
        for i in 0..<nPoints {
            let src = m.inputs.isEmpty ? 0 : i
            values?[i] = result.values[src]
            for j in 0..<ps.count { jac[i * ps.count + j] = result.jacobian[j * computed + src] }
        }
    }
}

@_cdecl("ik_model_value")
public func ik_model_value(_ model: OpaquePointer?, _ p: UnsafePointer<Double>?, _ nParams: Int,
                           _ value: UnsafeMutablePointer<Double>?) -> Int32 {
    guarded {
        let m = try modelBox(model).model
        try requireInputFree(m, "ik_model_value")
        let ps = try parameterVector(m, p, nParams)
        let o = try requireNonNull(value, "value")
        o.pointee = try m.value(params: ps)
    }
}

@_cdecl("ik_model_gradient")
public func ik_model_gradient(_ model: OpaquePointer?, _ p: UnsafePointer<Double>?, _ nParams: Int,
                              _ value: UnsafeMutablePointer<Double>?, _ grad: UnsafeMutablePointer<Double>?) -> Int32 {
    guarded {
        let m = try modelBox(model).model
        try requireInputFree(m, "ik_model_gradient")
        let ps = try parameterVector(m, p, nParams)
        let g = try requireNonNull(grad, "grad")
        let gradient = try m.gradient(params: ps)
        if let value { value.pointee = try m.value(params: ps) }
        for j in 0..<gradient.count { g[j] = gradient[j] }
    }
}

@_cdecl("ik_model_hessian")
public func ik_model_hessian(_ model: OpaquePointer?, _ p: UnsafePointer<Double>?, _ nParams: Int,
                             _ hessian: UnsafeMutablePointer<Double>?) -> Int32 {
    guarded {
        let m = try modelBox(model).model
        try requireInputFree(m, "ik_model_hessian")
        let ps = try parameterVector(m, p, nParams)
        let h = try requireNonNull(hessian, "hessian")
        _ = try product(ps.count, ps.count, "hessian")
        let result = try m.hessian(params: ps)
        for i in 0..<result.count { h[i] = result[i] }
    }
}

@_cdecl("ik_model_free")
public func ik_model_free(_ model: OpaquePointer?) {
    HandleTable.shared.release(model.map { UnsafeRawPointer($0) }, as: ModelBox.self)
}
