import CInferKitABI
import InferKit

// The ik_linear_* and ik_design_* families: argument checks and conversions only; the math is
// in InferKit/Linear.

/// A linear fit owned by a C handle (ik_linear_result_t*).
final class LinearResultBox {
    let fit: LinearFit
    init(_ fit: LinearFit) { self.fit = fit }
}

/// The live result behind a handle, or IK_ERR_INVALID_ARGUMENT.
private func linearResult(_ h: OpaquePointer?) throws -> LinearFit {
    try HandleTable.shared.object(h, as: LinearResultBox.self, name: "result", cType: "ik_linear_result_t").fit
}

/// Converts and checks the C options (NULL means defaults).
private func linearOptions(_ p: UnsafePointer<ik_linear_options_t>?) throws -> LinearOptions {
    var o = LinearOptions()
    guard let p else { return o }
    let c = p.pointee
    let size = MemoryLayout<ik_linear_options_t>.size
    guard c.struct_size == size else {
        throw ArgumentError(status: .invalidArgument,
                            message: "options->struct_size is \(c.struct_size) but this library expects \(size): fill the options with ik_linear_options_default()")
    }
    switch c.method {
    case 0: o.method = .qr
    case 1: o.method = .svd
    default:
        throw ArgumentError(status: .invalidArgument,
                            message: "options->method is \(c.method): use IK_LINEAR_QR (0) or IK_LINEAR_SVD (1)")
    }
    o.absoluteSigma = try flag(c.absolute_sigma, "options->absolute_sigma")
    o.allowRankDeficient = try flag(c.allow_rank_deficient, "options->allow_rank_deficient")
    o.refine = Int(c.refine)
    o.rcond = c.rcond
    o.threads = Int(c.n_threads)
    guard c.reserved == 0 else {
        throw ArgumentError(status: .invalidArgument, message: "options->reserved is \(c.reserved): it must be 0")
    }
    try o.validate()
    return o
}

private func basisKind(_ v: Int32) throws -> BasisKind {
    guard let k = BasisKind(rawValue: v) else {
        throw ArgumentError(status: .invalidArgument,
                            message: "basis is \(v): use one of IK_BASIS_MONOMIAL (0) .. IK_BASIS_COSINE (4)")
    }
    return k
}

/// Stores a new result handle in *out.
private func publish(_ fit: LinearFit, _ out: UnsafeMutablePointer<OpaquePointer?>) {
    HandleTable.shared.publish(LinearResultBox(fit), into: out)
}

// MARK: - Options

@_cdecl("ik_linear_options_default")
public func ik_linear_options_default(_ options: UnsafeMutablePointer<ik_linear_options_t>?) -> Int32 {
    guarded {
        let o = try requireNonNull(options, "options")
        let d = LinearOptions()
        o.pointee = ik_linear_options_t(
            struct_size: MemoryLayout<ik_linear_options_t>.size, method: d.method.rawValue,
            absolute_sigma: d.absoluteSigma ? 1 : 0, allow_rank_deficient: d.allowRankDeficient ? 1 : 0,
            refine: Int32(d.refine), rcond: d.rcond, n_threads: Int32(d.threads), reserved: 0)
    }
}

// MARK: - Fits

@_cdecl("ik_linear_fit")
public func ik_linear_fit(_ a: UnsafePointer<Double>?, _ rows: Int, _ cols: Int, _ layoutFlag: Int32,
                          _ y: UnsafePointer<Double>?, _ nRHS: Int, _ sigma: UnsafePointer<Double>?,
                          _ options: UnsafePointer<ik_linear_options_t>?,
                          _ result: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    guarded {
        let out = try requireNonNull(result, "result")
        out.pointee = nil
        let a = try requireNonNull(a, "a")
        let y = try requireNonNull(y, "y")
        let order = try layout(layoutFlag, "layout")
        let o = try linearOptions(options)
        let n = try length(rows, "rows"), p = try length(cols, "cols"), k = try length(nRHS, "n_rhs")
        guard n > 0 else { throw ArgumentError(status: .dimension, message: "rows is 0: a needs at least one row") }
        guard p > 0 else { throw ArgumentError(status: .dimension, message: "cols is 0: a needs at least one column") }
        guard k > 0 else { throw ArgumentError(status: .dimension, message: "n_rhs is 0: y needs at least one column") }
        _ = try product(n, p, "a")
        _ = try product(n, k, "y")
        let design = MatrixView(base: a, rows: n, cols: p, layout: order, name: "a")
        let data = MatrixView(base: y, rows: n, cols: k, layout: order, name: "y")
        let s = sigma.map { UnsafeBufferPointer(start: $0, count: n) }
        publish(try LinearLeastSquares.fit(design: design, data: data, sigma: s, options: o), out)
    }
}

@_cdecl("ik_linear_polyfit")
public func ik_linear_polyfit(_ x: UnsafePointer<Double>?, _ n: Int, _ y: UnsafePointer<Double>?,
                              _ nRHS: Int, _ yLayout: Int32, _ sigma: UnsafePointer<Double>?,
                              _ degree: Int, _ basis: Int32, _ domain: UnsafePointer<Double>?,
                              _ period: Double, _ options: UnsafePointer<ik_linear_options_t>?,
                              _ result: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    guarded {
        let out = try requireNonNull(result, "result")
        out.pointee = nil
        let x = try requireNonNull(x, "x")
        let y = try requireNonNull(y, "y")
        let order = try layout(yLayout, "y_layout")
        let kind = try basisKind(basis)
        let o = try linearOptions(options)
        let n = try length(n, "n"), k = try length(nRHS, "n_rhs")
        guard n > 0 else { throw ArgumentError(status: .dimension, message: "n is 0: x needs at least one point") }
        guard k > 0 else { throw ArgumentError(status: .dimension, message: "n_rhs is 0: y needs at least one column") }
        _ = try product(n, k, "y")
        let data = MatrixView(base: y, rows: n, cols: k, layout: order, name: "y")
        let s = sigma.map { UnsafeBufferPointer(start: $0, count: n) }
        let d = domain.map { ($0[0], $0[1]) }
        let fit = try LinearLeastSquares.fit(x: UnsafeBufferPointer(start: x, count: n), data: data,
                                             sigma: s, basis: kind, degree: try length(degree, "degree"),
                                             domain: d, period: period, options: o)
        publish(fit, out)
    }
}

// MARK: - Results

@_cdecl("ik_linear_result_info")
public func ik_linear_result_info(_ result: OpaquePointer?, _ info: UnsafeMutablePointer<ik_linear_info_t>?) -> Int32 {
    guarded {
        let fit = try linearResult(result)
        let info = try requireNonNull(info, "info")
        let size = MemoryLayout<ik_linear_info_t>.size
        guard info.pointee.struct_size == size else {
            throw ArgumentError(status: .invalidArgument,
                                message: "info->struct_size is \(info.pointee.struct_size) but this library expects \(size): set it to sizeof(ik_linear_info_t)")
        }
        var flags: Int32 = 0
        if fit.isRankDeficient { flags |= 1 }
        if fit.isIllConditioned { flags |= 2 }
        if fit.hasNoDegreesOfFreedom { flags |= 4 }
        if fit.refinementSteps > 0 { flags |= 8 }
        info.pointee = ik_linear_info_t(
            struct_size: size, rows: fit.rows, cols: fit.cols, n_rhs: fit.rightHandSides,
            rank: fit.rank, dof: fit.degreesOfFreedom, cond: fit.conditionNumber, flags: flags,
            method: fit.method.rawValue, refinement_steps: Int32(fit.refinementSteps),
            basis: fit.basis.map { $0.kind.rawValue } ?? -1,
            absolute_sigma: fit.absoluteSigma ? 1 : 0, r2_centered: fit.rSquaredCentered ? 1 : 0)
    }
}

@_cdecl("ik_linear_result_params")
public func ik_linear_result_params(_ result: OpaquePointer?, _ out: UnsafeMutablePointer<Double>?, _ len: Int) -> Int32 {
    guarded {
        let f = try linearResult(result)
        let k = f.rightHandSides
        try write(out, len, f.cols * k, "params (cols x n_rhs)") { f.parameters[($0 / k) + ($0 % k) * f.cols] }
    }
}

@_cdecl("ik_linear_result_stderr")
public func ik_linear_result_stderr(_ result: OpaquePointer?, _ out: UnsafeMutablePointer<Double>?, _ len: Int) -> Int32 {
    guarded {
        let f = try linearResult(result)
        let k = f.rightHandSides
        try write(out, len, f.cols * k, "stderr (cols x n_rhs)") {
            (f.unscaledCovariance[$0 / k, $0 / k] * f.covarianceScale[$0 % k]).squareRoot()
        }
    }
}

@_cdecl("ik_linear_result_cov")
public func ik_linear_result_cov(_ result: OpaquePointer?, _ rhs: Int, _ out: UnsafeMutablePointer<Double>?, _ len: Int) -> Int32 {
    guarded {
        let f = try linearResult(result)
        guard rhs >= 0 && rhs < f.rightHandSides else {
            throw ArgumentError(status: .invalidArgument,
                                message: "rhs is \(rhs) but the fit has \(f.rightHandSides) right-hand sides")
        }
        let c = f.covariance(rhs: rhs), p = f.cols
        try write(out, len, p * p, "cov (cols x cols)") { c[$0 / p, $0 % p] }
    }
}

@_cdecl("ik_linear_result_cov_unscaled")
public func ik_linear_result_cov_unscaled(_ result: OpaquePointer?, _ out: UnsafeMutablePointer<Double>?, _ len: Int) -> Int32 {
    guarded {
        let f = try linearResult(result)
        let c = f.unscaledCovariance, p = f.cols
        try write(out, len, p * p, "cov (cols x cols)") { c[$0 / p, $0 % p] }
    }
}

@_cdecl("ik_linear_result_cov_scale")
public func ik_linear_result_cov_scale(_ result: OpaquePointer?, _ out: UnsafeMutablePointer<Double>?, _ len: Int) -> Int32 {
    guarded {
        let f = try linearResult(result)
        try write(out, len, f.rightHandSides, "cov scale (n_rhs)") { f.covarianceScale[$0] }
    }
}

@_cdecl("ik_linear_result_corr")
public func ik_linear_result_corr(_ result: OpaquePointer?, _ out: UnsafeMutablePointer<Double>?, _ len: Int) -> Int32 {
    guarded {
        let f = try linearResult(result)
        let c = f.correlation(), p = f.cols
        try write(out, len, p * p, "corr (cols x cols)") { c[$0 / p, $0 % p] }
    }
}

@_cdecl("ik_linear_result_residuals")
public func ik_linear_result_residuals(_ result: OpaquePointer?, _ out: UnsafeMutablePointer<Double>?, _ len: Int) -> Int32 {
    guarded {
        let f = try linearResult(result)
        try write(out, len, f.rows * f.rightHandSides, "residuals (rows x n_rhs)") { f.residuals[$0] }
    }
}

@_cdecl("ik_linear_result_chi2")
public func ik_linear_result_chi2(_ result: OpaquePointer?, _ out: UnsafeMutablePointer<Double>?, _ len: Int) -> Int32 {
    guarded {
        let f = try linearResult(result)
        try write(out, len, f.rightHandSides, "chi2 (n_rhs)") { f.chiSquared[$0] }
    }
}

@_cdecl("ik_linear_result_r2")
public func ik_linear_result_r2(_ result: OpaquePointer?, _ out: UnsafeMutablePointer<Double>?, _ len: Int) -> Int32 {
    guarded {
        let f = try linearResult(result)
        try write(out, len, f.rightHandSides, "r2 (n_rhs)") { f.rSquared[$0] }
    }
}

@_cdecl("ik_linear_result_singular_values")
public func ik_linear_result_singular_values(_ result: OpaquePointer?, _ out: UnsafeMutablePointer<Double>?, _ len: Int) -> Int32 {
    guarded {
        let f = try linearResult(result)
        try write(out, len, f.singularValues.count, "singular values (min(rows, cols))") { f.singularValues[$0] }
    }
}

/// Copies a column-major m x k core array into a row-major caller buffer.
private func writeRowMajor(_ values: [Double], rows m: Int, cols k: Int, _ out: UnsafeMutablePointer<Double>) {
    for i in 0..<m { for j in 0..<k { out[i * k + j] = values[i + j * m] } }
}

@_cdecl("ik_linear_predict")
public func ik_linear_predict(_ result: OpaquePointer?, _ aNew: UnsafePointer<Double>?, _ rows: Int,
                              _ cols: Int, _ layoutFlag: Int32, _ mean: UnsafeMutablePointer<Double>?,
                              _ std: UnsafeMutablePointer<Double>?) -> Int32 {
    guarded {
        let f = try linearResult(result)
        let a = try requireNonNull(aNew, "a_new")
        let mean = try requireNonNull(mean, "mean")
        let order = try layout(layoutFlag, "layout")
        let m = try length(rows, "rows"), p = try length(cols, "cols")
        guard m > 0 else { throw ArgumentError(status: .dimension, message: "rows is 0: a_new needs at least one row") }
        guard p == f.cols else {
            throw ArgumentError(status: .dimension, message: "cols is \(p) but the fit has \(f.cols) parameters")
        }
        _ = try product(m, p, "a_new")
        let (mu, sd) = try f.predict(design: MatrixView(base: a, rows: m, cols: p, layout: order, name: "a_new"))
        writeRowMajor(mu, rows: m, cols: f.rightHandSides, mean)
        if let std { writeRowMajor(sd, rows: m, cols: f.rightHandSides, std) }
    }
}

@_cdecl("ik_linear_predict_x")
public func ik_linear_predict_x(_ result: OpaquePointer?, _ x: UnsafePointer<Double>?, _ n: Int,
                                _ mean: UnsafeMutablePointer<Double>?, _ std: UnsafeMutablePointer<Double>?) -> Int32 {
    guarded {
        let f = try linearResult(result)
        let x = try requireNonNull(x, "x")
        let mean = try requireNonNull(mean, "mean")
        let m = try length(n, "n")
        guard m > 0 else { throw ArgumentError(status: .dimension, message: "n is 0: x needs at least one point") }
        let (mu, sd) = try f.predict(x: UnsafeBufferPointer(start: x, count: m))
        writeRowMajor(mu, rows: m, cols: f.rightHandSides, mean)
        if let std { writeRowMajor(sd, rows: m, cols: f.rightHandSides, std) }
    }
}

@_cdecl("ik_linear_result_free")
public func ik_linear_result_free(_ result: OpaquePointer?) {
    HandleTable.shared.release(result.map { UnsafeRawPointer($0) }, as: LinearResultBox.self)
}

// MARK: - Design matrices

@_cdecl("ik_design_columns")
public func ik_design_columns(_ basis: Int32, _ degree: Int, _ cols: UnsafeMutablePointer<Int>?) -> Int32 {
    guarded {
        let kind = try basisKind(basis)
        let out = try requireNonNull(cols, "cols")
        guard degree >= 0, degree <= BasisKind.maximumDegree else {
            throw ArgumentError(status: .invalidArgument,
                                message: "degree is \(UInt(bitPattern: degree)): it must be at most \(BasisKind.maximumDegree)")
        }
        out.pointee = kind.columns(degree: degree)
    }
}

@_cdecl("ik_design_matrix")
public func ik_design_matrix(_ basis: Int32, _ x: UnsafePointer<Double>?, _ n: Int, _ degree: Int,
                             _ domain: UnsafePointer<Double>?, _ period: Double, _ layoutFlag: Int32,
                             _ out: UnsafeMutablePointer<Double>?, _ outLen: Int) -> Int32 {
    guarded {
        let kind = try basisKind(basis)
        let x = try requireNonNull(x, "x")
        let out = try requireNonNull(out, "out")
        let order = try layout(layoutFlag, "layout")
        let m = try length(n, "n")
        guard m > 0 else { throw ArgumentError(status: .dimension, message: "n is 0: x needs at least one point") }
        let xs = UnsafeBufferPointer(start: x, count: m)
        try InferKit.requireFiniteVector(xs, name: "x")
        let spec = try BasisSpec(kind: kind, degree: try length(degree, "degree"), x: xs,
                                 domain: domain.map { ($0[0], $0[1]) }, period: period)
        let cols = spec.columns
        try requireLength(try length(outLen, "out_len"), try product(m, cols, "out"), "out", "the n x cols design")
        switch order {
        case .rowMajor: spec.fill(x: xs, into: out, rowStride: cols, colStride: 1)
        case .columnMajor: spec.fill(x: xs, into: out, rowStride: 1, colStride: m)
        }
    }
}
