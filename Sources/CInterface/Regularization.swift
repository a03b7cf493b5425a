import CInferKitABI
import InferKit

// The ik_convolution_*, ik_tikhonov_*, ik_deconvolve, ik_tsvd_*, ik_nnls and ik_bvls
// families: argument checks and conversions only; the math is in InferKit/Regularization.

/// A Tikhonov result owned by a C handle (ik_tikhonov_result_t*).
final class TikhonovResultBox {
    let fit: TikhonovFit
    init(_ fit: TikhonovFit) { self.fit = fit }
}

/// A truncated-SVD result owned by a C handle (ik_tsvd_result_t*).
final class TruncatedSVDResultBox {
    let fit: TruncatedSVDFit
    init(_ fit: TruncatedSVDFit) { self.fit = fit }
}

private func tikhonovResult(_ h: OpaquePointer?) throws -> TikhonovFit {
    try HandleTable.shared.object(h, as: TikhonovResultBox.self, name: "result", cType: "ik_tikhonov_result_t").fit
}

private func tsvdResult(_ h: OpaquePointer?) throws -> TruncatedSVDFit {
    try HandleTable.shared.object(h, as: TruncatedSVDResultBox.self, name: "result", cType: "ik_tsvd_result_t").fit
}

private func invalid(_ message: String) -> ArgumentError {
    ArgumentError(status: .invalidArgument, message: message)
}

private func dimension(_ message: String) -> ArgumentError {
    ArgumentError(status: .dimension, message: message)
}

private func convolutionMode(_ v: Int32) throws -> ConvolutionMatrix.Mode {
    guard let mode = ConvolutionMatrix.Mode(rawValue: v) else {
        throw invalid("mode is \(v): use IK_CONVOLUTION_FULL (0) or IK_CONVOLUTION_SAME (1)")
    }
    return mode
}

private func convolutionBoundary(_ v: Int32) throws -> ConvolutionMatrix.Boundary {
    guard let boundary = ConvolutionMatrix.Boundary(rawValue: v) else {
        throw invalid("boundary is \(v): use IK_BOUNDARY_ZERO (0) or IK_BOUNDARY_REFLECT (1)")
    }
    return boundary
}

private func method(_ v: Int32, _ name: String) throws -> ParameterChoice {
    guard let m = ParameterChoice(rawValue: v) else {
        throw invalid("\(name) is \(v): use IK_REG_GCV (0), IK_REG_LCURVE (1), IK_REG_DISCREPANCY (2) or IK_REG_FIXED (3)")
    }
    return m
}

/// The checked (a, rows, cols, layout) matrix argument.
private func matrixArgument(_ a: UnsafePointer<Double>?, _ rows: Int, _ cols: Int, _ layoutFlag: Int32) throws -> MatrixView {
    let a = try requireNonNull(a, "a")
    let order = try layout(layoutFlag, "layout")
    let m = try length(rows, "rows"), n = try length(cols, "cols")
    guard m > 0 else { throw dimension("rows is 0: a needs at least one row") }
    guard n > 0 else { throw dimension("cols is 0: a needs at least one column") }
    _ = try product(m, n, "a")
    return MatrixView(base: a, rows: m, cols: n, layout: order, name: "a")
}

/// The lam grid argument: NULL with n_lam 0 (automatic), or n_lam > 0 values.
private func lamGrid(_ grid: UnsafePointer<Double>?, _ n: Int) throws -> UnsafeBufferPointer<Double>? {
    let count = try length(n, "n_lam")
    guard let grid else {
        guard count == 0 else { throw invalid("lam_grid is NULL but n_lam is \(count): pass NULL with 0 for the automatic grid") }
        return nil
    }
    guard count > 0 else { throw dimension("n_lam is 0 but lam_grid is not NULL: give at least one lam (or NULL for the automatic grid)") }
    return UnsafeBufferPointer(start: grid, count: count)
}

// MARK: - Convolution

@_cdecl("ik_convolution_rows")
public func ik_convolution_rows(_ nKernel: Int, _ n: Int, _ mode: Int32, _ rows: UnsafeMutablePointer<Int>?) -> Int32 {
    guarded {
        let out = try requireNonNull(rows, "rows")
        let m = try convolutionMode(mode)
        out.pointee = try ConvolutionMatrix.rows(kernelLength: try length(nKernel, "n_kernel"),
                                                 signalLength: try length(n, "n"), mode: m)
    }
}

@_cdecl("ik_convolution_matrix")
public func ik_convolution_matrix(_ kernel: UnsafePointer<Double>?, _ nKernel: Int, _ n: Int, _ mode: Int32,
                                  _ boundary: Int32, _ layoutFlag: Int32, _ out: UnsafeMutablePointer<Double>?,
                                  _ outLen: Int) -> Int32 {
    guarded {
        let h = try vector(kernel, nKernel, "kernel", "n_kernel")
        let o = try requireNonNull(out, "out")
        let m = try convolutionMode(mode)
        let b = try convolutionBoundary(boundary)
        let order = try layout(layoutFlag, "layout")
        let cols = try length(n, "n")
        let rows = try ConvolutionMatrix.rows(kernelLength: h.count, signalLength: cols, mode: m)
        try requireLength(try length(outLen, "out_len"), try product(rows, cols, "out"), "out", "the rows x n matrix")
        switch order {
        case .rowMajor:
            try ConvolutionMatrix.fill(kernel: h, signalLength: cols, mode: m, boundary: b, into: o,
                                       rowStride: cols, colStride: 1)
        case .columnMajor:
            try ConvolutionMatrix.fill(kernel: h, signalLength: cols, mode: m, boundary: b, into: o,
                                       rowStride: 1, colStride: rows)
        }
    }
}

// MARK: - Tikhonov

/// Converts and checks the C options (NULL means defaults).
private func tikhonovOptions(_ p: UnsafePointer<ik_tikhonov_options_t>?) throws -> TikhonovOptions {
    var o = TikhonovOptions()
    guard let p else { return o }
    let c = p.pointee
    let size = MemoryLayout<ik_tikhonov_options_t>.size
    guard c.struct_size == size else {
        throw invalid("options->struct_size is \(c.struct_size) but this library expects \(size): fill the options with ik_tikhonov_options_default()")
    }
    o.method = try method(c.method, "options->method")
    o.absoluteSigma = try flag(c.absolute_sigma, "options->absolute_sigma")
    o.lambda = c.lam
    o.discrepancyFactor = c.discrepancy_factor
    guard c.n_grid >= 1 && c.n_grid <= 1_000_000 else {
        throw invalid("options->n_grid is \(UInt(bitPattern: c.n_grid)): it must be between 1 and 1000000")
    }
    o.gridCount = c.n_grid
    o.refine = Int(c.refine)
    o.nonnegative = try flag(c.nonnegative, "options->nonnegative")
    o.rcond = c.rcond
    o.threads = Int(c.n_threads)
    o.stackedSolve = try flag(c.stacked_qr, "options->stacked_qr")
    try o.validate()
    return o
}

@_cdecl("ik_tikhonov_options_default")
public func ik_tikhonov_options_default(_ options: UnsafeMutablePointer<ik_tikhonov_options_t>?) -> Int32 {
    guarded {
        let o = try requireNonNull(options, "options")
        let d = TikhonovOptions()
        o.pointee = ik_tikhonov_options_t(
            struct_size: MemoryLayout<ik_tikhonov_options_t>.size, method: d.method.rawValue,
            absolute_sigma: d.absoluteSigma ? 1 : 0, lam: d.lambda, discrepancy_factor: d.discrepancyFactor,
            n_grid: d.gridCount, refine: Int32(d.refine), nonnegative: d.nonnegative ? 1 : 0, rcond: d.rcond,
            n_threads: Int32(d.threads), stacked_qr: d.stackedSolve ? 1 : 0)
    }
}

/// The penalty argument; `matrix` reads L (l_rows x cols in the layout) for IK_PENALTY_MATRIX.
private func penaltyArgument(_ v: Int32, _ l: UnsafePointer<Double>?, _ lRows: Int, cols: Int,
                             order: MatrixLayout, allowMatrix: Bool) throws -> Penalty {
    switch v {
    case 0: return .identity
    case 1: return .firstDifference
    case 2: return .secondDifference
    case 3 where allowMatrix:
        let base = try requireNonNull(l, "l")
        let rows = try length(lRows, "l_rows")
        guard rows > 0 else { throw dimension("l_rows is 0: L needs at least one row") }
        _ = try product(rows, cols, "l")
        return .matrix(MatrixView(base: base, rows: rows, cols: cols, layout: order, name: "l"))
    case 3:
        throw invalid("penalty is IK_PENALTY_MATRIX (3): ik_deconvolve takes IK_PENALTY_IDENTITY (0), IK_PENALTY_FIRST_DIFFERENCE (1) or IK_PENALTY_SECOND_DIFFERENCE (2); use ik_tikhonov with ik_convolution_matrix for a matrix L")
    default:
        throw invalid("penalty is \(v): use IK_PENALTY_IDENTITY (0), IK_PENALTY_FIRST_DIFFERENCE (1), IK_PENALTY_SECOND_DIFFERENCE (2) or IK_PENALTY_MATRIX (3)")
    }
}

private func publish(_ fit: TikhonovFit, _ out: UnsafeMutablePointer<OpaquePointer?>) {
    HandleTable.shared.publish(TikhonovResultBox(fit), into: out)
}

@_cdecl("ik_tikhonov")
public func ik_tikhonov(_ a: UnsafePointer<Double>?, _ rows: Int, _ cols: Int, _ layoutFlag: Int32,
                        _ y: UnsafePointer<Double>?, _ sigma: UnsafePointer<Double>?, _ penalty: Int32,
                        _ l: UnsafePointer<Double>?, _ lRows: Int, _ lamGridPointer: UnsafePointer<Double>?,
                        _ nLam: Int, _ options: UnsafePointer<ik_tikhonov_options_t>?,
                        _ result: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    guarded {
        let out = try requireNonNull(result, "result")
        out.pointee = nil
        let design = try matrixArgument(a, rows, cols, layoutFlag)
        let data = UnsafeBufferPointer(start: try requireNonNull(y, "y"), count: design.rows)
        let s = sigma.map { UnsafeBufferPointer(start: $0, count: design.rows) }
        let order = try layout(layoutFlag, "layout")
        let pen = try penaltyArgument(penalty, l, lRows, cols: design.cols, order: order, allowMatrix: true)
        let grid = try lamGrid(lamGridPointer, nLam)
        let o = try tikhonovOptions(options)
        publish(try Tikhonov.fit(design: design, data: data, sigma: s, penalty: pen, grid: grid, options: o), out)
    }
}

@_cdecl("ik_deconvolve")
public func ik_deconvolve(_ y: UnsafePointer<Double>?, _ nY: Int, _ kernel: UnsafePointer<Double>?, _ nKernel: Int,
                          _ mode: Int32, _ boundary: Int32, _ sigma: UnsafePointer<Double>?, _ penalty: Int32,
                          _ lamGridPointer: UnsafePointer<Double>?, _ nLam: Int,
                          _ options: UnsafePointer<ik_tikhonov_options_t>?,
                          _ result: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    guarded {
        let out = try requireNonNull(result, "result")
        out.pointee = nil
        let data = try vector(y, nY, "y", "n_y")
        let h = try vector(kernel, nKernel, "kernel", "n_kernel")
        let m = try convolutionMode(mode)
        let b = try convolutionBoundary(boundary)
        let s = sigma.map { UnsafeBufferPointer(start: $0, count: data.count) }
        let pen = try penaltyArgument(penalty, nil, 0, cols: 0, order: .rowMajor, allowMatrix: false)
        let grid = try lamGrid(lamGridPointer, nLam)
        let o = try tikhonovOptions(options)
        publish(try Deconvolution.deconvolve(data: data, kernel: h, mode: m, boundary: b, sigma: s, penalty: pen,
                                             grid: grid, options: o), out)
    }
}

@_cdecl("ik_tikhonov_result_info")
public func ik_tikhonov_result_info(_ result: OpaquePointer?, _ info: UnsafeMutablePointer<ik_tikhonov_info_t>?) -> Int32 {
    guarded {
        let f = try tikhonovResult(result)
        let info = try requireNonNull(info, "info")
        let size = MemoryLayout<ik_tikhonov_info_t>.size
        guard info.pointee.struct_size == size else {
            throw invalid("info->struct_size is \(info.pointee.struct_size) but this library expects \(size): set it to sizeof(ik_tikhonov_info_t)")
        }
        let c = f.chosen
        info.pointee = ik_tikhonov_info_t(
            struct_size: size, rows: f.rows, cols: f.cols, penalty_rows: f.penaltyRows,
            null_dim: f.nullDimension, n_singular: f.singularValues.count, n_grid: f.curve.count,
            lam: f.lambda, edf: c.edf, residual_norm: c.residualNorm, solution_norm: c.solutionNorm,
            gcv: c.gcv, curvature: c.curvature, noise_variance: f.noiseVariance, flags: f.flags.rawValue,
            method: f.method.rawValue, nonnegative: f.nonnegative ? 1 : 0,
            absolute_sigma: f.absoluteSigma ? 1 : 0)
    }
}

@_cdecl("ik_tikhonov_result_params")
public func ik_tikhonov_result_params(_ result: OpaquePointer?, _ out: UnsafeMutablePointer<Double>?, _ len: Int) -> Int32 {
    guarded {
        let f = try tikhonovResult(result)
        try write(out, len, f.cols, "params (cols)") { f.parameters[$0] }
    }
}

@_cdecl("ik_tikhonov_result_cov")
public func ik_tikhonov_result_cov(_ result: OpaquePointer?, _ out: UnsafeMutablePointer<Double>?, _ len: Int) -> Int32 {
    guarded {
        let f = try tikhonovResult(result)
        let o = try requireNonNull(out, "out")
        let n = f.cols
        try requireLength(len, try product(n, n, "cov"), "out", "cov (cols x cols)")
        let c = try f.covariance()
        for i in 0..<(n * n) { o[i] = c.elements[i] }
    }
}

@_cdecl("ik_tikhonov_result_curve")
public func ik_tikhonov_result_curve(_ result: OpaquePointer?, _ lam: UnsafeMutablePointer<Double>?,
                                     _ residualNorm: UnsafeMutablePointer<Double>?,
                                     _ solutionNorm: UnsafeMutablePointer<Double>?, _ gcv: UnsafeMutablePointer<Double>?,
                                     _ curvature: UnsafeMutablePointer<Double>?, _ len: Int) -> Int32 {
    guarded {
        let f = try tikhonovResult(result)
        let c = f.curve, k = c.count, what = "the curve (n_grid)"
        try writeOptional(lam, "lam", len, k, what) { c[$0].lambda }
        try writeOptional(residualNorm, "residual_norm", len, k, what) { c[$0].residualNorm }
        try writeOptional(solutionNorm, "solution_norm", len, k, what) { c[$0].solutionNorm }
        try writeOptional(gcv, "gcv", len, k, what) { c[$0].gcv }
        try writeOptional(curvature, "curvature", len, k, what) { c[$0].curvature }
    }
}

@_cdecl("ik_tikhonov_result_spectrum")
public func ik_tikhonov_result_spectrum(_ result: OpaquePointer?, _ singularValues: UnsafeMutablePointer<Double>?,
                                        _ picard: UnsafeMutablePointer<Double>?,
                                        _ filterFactors: UnsafeMutablePointer<Double>?, _ len: Int) -> Int32 {
    guarded {
        let f = try tikhonovResult(result)
        let k = f.singularValues.count, what = "the spectrum (n_singular)"
        try writeOptional(singularValues, "singular_values", len, k, what) { f.singularValues[$0] }
        try writeOptional(picard, "picard", len, k, what) { f.picard[$0] }
        let factors = f.filterFactors
        try writeOptional(filterFactors, "filter_factors", len, k, what) { factors[$0] }
    }
}

@_cdecl("ik_tikhonov_result_free")
public func ik_tikhonov_result_free(_ result: OpaquePointer?) {
    HandleTable.shared.release(result.map { UnsafeRawPointer($0) }, as: TikhonovResultBox.self)
}

// MARK: - Truncated SVD

private func tsvdOptions(_ p: UnsafePointer<ik_tsvd_options_t>?) throws -> TruncatedSVDOptions {
    var o = TruncatedSVDOptions()
    guard let p else { return o }
    let c = p.pointee
    let size = MemoryLayout<ik_tsvd_options_t>.size
    guard c.struct_size == size else {
        throw invalid("options->struct_size is \(c.struct_size) but this library expects \(size): fill the options with ik_tsvd_options_default()")
    }
    o.method = try method(c.method, "options->method")
    o.absoluteSigma = try flag(c.absolute_sigma, "options->absolute_sigma")
    guard c.k >= 0 else { throw invalid("options->k is \(UInt(bitPattern: c.k)): it is too large") }
    o.truncation = c.k
    o.discrepancyFactor = c.discrepancy_factor
    o.rcond = c.rcond
    o.threads = Int(c.n_threads)
    guard c.reserved == 0 else { throw invalid("options->reserved is \(c.reserved): it must be 0") }
    try o.validate()
    return o
}

@_cdecl("ik_tsvd_options_default")
public func ik_tsvd_options_default(_ options: UnsafeMutablePointer<ik_tsvd_options_t>?) -> Int32 {
    guarded {
        let o = try requireNonNull(options, "options")
        let d = TruncatedSVDOptions()
        o.pointee = ik_tsvd_options_t(
            struct_size: MemoryLayout<ik_tsvd_options_t>.size, method: d.method.rawValue,
            absolute_sigma: d.absoluteSigma ? 1 : 0, k: d.truncation, discrepancy_factor: d.discrepancyFactor,
            rcond: d.rcond, n_threads: Int32(d.threads), reserved: 0)
    }
}

@_cdecl("ik_tsvd")
public func ik_tsvd(_ a: UnsafePointer<Double>?, _ rows: Int, _ cols: Int, _ layoutFlag: Int32,
                    _ y: UnsafePointer<Double>?, _ sigma: UnsafePointer<Double>?,
                    _ options: UnsafePointer<ik_tsvd_options_t>?,
                    _ result: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    guarded {
        let out = try requireNonNull(result, "result")
        out.pointee = nil
        let design = try matrixArgument(a, rows, cols, layoutFlag)
        let data = UnsafeBufferPointer(start: try requireNonNull(y, "y"), count: design.rows)
        let s = sigma.map { UnsafeBufferPointer(start: $0, count: design.rows) }
        let o = try tsvdOptions(options)
        let fit = try TruncatedSVD.fit(design: design, data: data, sigma: s, options: o)
        HandleTable.shared.publish(TruncatedSVDResultBox(fit), into: out)
    }
}

@_cdecl("ik_tsvd_result_info")
public func ik_tsvd_result_info(_ result: OpaquePointer?, _ info: UnsafeMutablePointer<ik_tsvd_info_t>?) -> Int32 {
    guarded {
        let f = try tsvdResult(result)
        let info = try requireNonNull(info, "info")
        let size = MemoryLayout<ik_tsvd_info_t>.size
        guard info.pointee.struct_size == size else {
            throw invalid("info->struct_size is \(info.pointee.struct_size) but this library expects \(size): set it to sizeof(ik_tsvd_info_t)")
        }
        info.pointee = ik_tsvd_info_t(
            struct_size: size, rows: f.rows, cols: f.cols, rank: f.rank, k: f.truncation,
            n_singular: f.singularValues.count, residual_norm: f.chosen.residualNorm,
            solution_norm: f.chosen.solutionNorm, gcv: f.chosen.gcv, noise_variance: f.noiseVariance,
            flags: f.flags.rawValue, method: f.method.rawValue, absolute_sigma: f.absoluteSigma ? 1 : 0,
            reserved: 0)
    }
}

@_cdecl("ik_tsvd_result_params")
public func ik_tsvd_result_params(_ result: OpaquePointer?, _ out: UnsafeMutablePointer<Double>?, _ len: Int) -> Int32 {
    guarded {
        let f = try tsvdResult(result)
        try write(out, len, f.cols, "params (cols)") { f.parameters[$0] }
    }
}

@_cdecl("ik_tsvd_result_cov")
public func ik_tsvd_result_cov(_ result: OpaquePointer?, _ out: UnsafeMutablePointer<Double>?, _ len: Int) -> Int32 {
    guarded {
        let f = try tsvdResult(result)
        let o = try requireNonNull(out, "out")
        let n = f.cols
        try requireLength(len, try product(n, n, "cov"), "out", "cov (cols x cols)")
        let c = f.covariance()
        for i in 0..<(n * n) { o[i] = c.elements[i] }
    }
}

@_cdecl("ik_tsvd_result_curve")
public func ik_tsvd_result_curve(_ result: OpaquePointer?, _ residualNorm: UnsafeMutablePointer<Double>?,
                                 _ solutionNorm: UnsafeMutablePointer<Double>?, _ gcv: UnsafeMutablePointer<Double>?,
                                 _ len: Int) -> Int32 {
    guarded {
        let f = try tsvdResult(result)
        let c = f.curve, k = c.count, what = "the curve (rank)"
        try writeOptional(residualNorm, "residual_norm", len, k, what) { c[$0].residualNorm }
        try writeOptional(solutionNorm, "solution_norm", len, k, what) { c[$0].solutionNorm }
        try writeOptional(gcv, "gcv", len, k, what) { c[$0].gcv }
    }
}

@_cdecl("ik_tsvd_result_spectrum")
public func ik_tsvd_result_spectrum(_ result: OpaquePointer?, _ singularValues: UnsafeMutablePointer<Double>?,
                                    _ picard: UnsafeMutablePointer<Double>?, _ len: Int) -> Int32 {
    guarded {
        let f = try tsvdResult(result)
        let k = f.singularValues.count, what = "the spectrum (n_singular)"
        try writeOptional(singularValues, "singular_values", len, k, what) { f.singularValues[$0] }
        try writeOptional(picard, "picard", len, k, what) { f.picard[$0] }
    }
}

@_cdecl("ik_tsvd_result_free")
public func ik_tsvd_result_free(_ result: OpaquePointer?) {
    HandleTable.shared.release(result.map { UnsafeRawPointer($0) }, as: TruncatedSVDResultBox.self)
}

// MARK: - Non-negative and bounded least squares

private func activeSetOptions(_ p: UnsafePointer<ik_nnls_options_t>?) throws -> ActiveSetOptions {
    var o = ActiveSetOptions()
    guard let p else { return o }
    let c = p.pointee
    let size = MemoryLayout<ik_nnls_options_t>.size
    guard c.struct_size == size else {
        throw invalid("options->struct_size is \(c.struct_size) but this library expects \(size): fill the options with ik_nnls_options_default()")
    }
    o.maxIterations = Int(c.max_iter)
    o.tolerance = c.tol
    guard c.reserved == 0 else { throw invalid("options->reserved is \(c.reserved): it must be 0") }
    try o.validate()
    return o
}

@_cdecl("ik_nnls_options_default")
public func ik_nnls_options_default(_ options: UnsafeMutablePointer<ik_nnls_options_t>?) -> Int32 {
    guarded {
        let o = try requireNonNull(options, "options")
        let d = ActiveSetOptions()
        o.pointee = ik_nnls_options_t(struct_size: MemoryLayout<ik_nnls_options_t>.size,
                                      max_iter: Int32(d.maxIterations), reserved: 0, tol: d.tolerance)
    }
}

/// The shared body of ik_nnls and ik_bvls.
private func activeSet(_ a: UnsafePointer<Double>?, _ rows: Int, _ cols: Int, _ layoutFlag: Int32,
                       _ y: UnsafePointer<Double>?, lower: UnsafePointer<Double>?, upper: UnsafePointer<Double>?,
                       bounded: Bool, _ options: UnsafePointer<ik_nnls_options_t>?,
                       _ x: UnsafeMutablePointer<Double>?, _ xLen: Int, _ rnorm: UnsafeMutablePointer<Double>?) -> Int32 {
    guarded {
        let design = try matrixArgument(a, rows, cols, layoutFlag)
        let data = UnsafeBufferPointer(start: try requireNonNull(y, "y"), count: design.rows)
        let out = try requireNonNull(x, "x")
        try requireLength(try length(xLen, "x_len"), design.cols, "x", "the solution (cols)")
        let o = try activeSetOptions(options)
        let n = design.cols
        let result = try NonNegativeLeastSquares.bounded(
            design: design, data: data, lower: bounded ? lower.map { UnsafeBufferPointer(start: $0, count: n) } : nil,
            upper: bounded ? upper.map { UnsafeBufferPointer(start: $0, count: n) } : nil, options: o)
        for j in 0..<n { out[j] = result.x[j] }
        rnorm?.pointee = result.residualNorm
    }
}

@_cdecl("ik_nnls")
public func ik_nnls(_ a: UnsafePointer<Double>?, _ rows: Int, _ cols: Int, _ layoutFlag: Int32,
                    _ y: UnsafePointer<Double>?, _ options: UnsafePointer<ik_nnls_options_t>?,
                    _ x: UnsafeMutablePointer<Double>?, _ xLen: Int, _ rnorm: UnsafeMutablePointer<Double>?) -> Int32 {
    activeSet(a, rows, cols, layoutFlag, y, lower: nil, upper: nil, bounded: false, options, x, xLen, rnorm)
}

@_cdecl("ik_bvls")
public func ik_bvls(_ a: UnsafePointer<Double>?, _ rows: Int, _ cols: Int, _ layoutFlag: Int32,
                    _ y: UnsafePointer<Double>?, _ lower: UnsafePointer<Double>?, _ upper: UnsafePointer<Double>?,
                    _ options: UnsafePointer<ik_nnls_options_t>?, _ x: UnsafeMutablePointer<Double>?, _ xLen: Int,
                    _ rnorm: UnsafeMutablePointer<Double>?) -> Int32 {
    activeSet(a, rows, cols, layoutFlag, y, lower: lower, upper: upper, bounded: true, options, x, xLen, rnorm)
}

@_cdecl("ik_bvls_regularized")
public func ik_bvls_regularized(_ a: UnsafePointer<Double>?, _ rows: Int, _ cols: Int, _ layoutFlag: Int32,
                                _ y: UnsafePointer<Double>?, _ lower: UnsafePointer<Double>?,
                                _ upper: UnsafePointer<Double>?, _ penalty: Int32, _ l: UnsafePointer<Double>?,
                                _ lRows: Int, _ lam: Double, _ options: UnsafePointer<ik_nnls_options_t>?,
                                _ x: UnsafeMutablePointer<Double>?, _ xLen: Int,
                                _ rnorm: UnsafeMutablePointer<Double>?) -> Int32 {
    guarded {
        let design = try matrixArgument(a, rows, cols, layoutFlag)
        let data = UnsafeBufferPointer(start: try requireNonNull(y, "y"), count: design.rows)
        let out = try requireNonNull(x, "x")
        try requireLength(try length(xLen, "x_len"), design.cols, "x", "the solution (cols)")
        let o = try activeSetOptions(options)
        let order = try layout(layoutFlag, "layout")
        let p = try penaltyArgument(penalty, l, lRows, cols: design.cols, order: order, allowMatrix: true)
        guard !lam.isNaN else { throw invalid("lam is NaN: it must be finite and >= 0") }
        let n = design.cols
        let result = try NonNegativeLeastSquares.regularized(
            design: design, data: data, lower: lower.map { UnsafeBufferPointer(start: $0, count: n) },
            upper: upper.map { UnsafeBufferPointer(start: $0, count: n) }, penalty: p, lambda: lam, options: o)
        for j in 0..<n { out[j] = result.x[j] }
        rnorm?.pointee = result.residualNorm
    }
}
