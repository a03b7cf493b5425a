import CInferKitABI
import InferKit
#if canImport(Glibc)
import Glibc
#endif

// The ik_nlls_* family: argument checks and conversions only; the solvers and the statistics
// are in InferKit/Optimize.

/// A C string owned by a result (freed with it).
final class OwnedCString {
    let pointer: UnsafeMutablePointer<CChar>
    init(_ s: String) { pointer = strdup(s) ?? strdup("")! }
    deinit { free(pointer) }
    var c: UnsafePointer<CChar> { UnsafePointer(pointer) }
}

/// An empty C string with static storage.
let emptyCString: UnsafePointer<CChar> = {
    let s: StaticString = ""
    return UnsafeRawPointer(s.utf8Start).assumingMemoryBound(to: CChar.self)
}()

/// A fit owned by a C handle (ik_nlls_result_t*).
final class NonlinearResultBox {
    let fit: LeastSquaresFit
    let laplaceRequested: Bool
    let message: OwnedCString
    let covarianceIssue: OwnedCString
    let laplaceIssue: OwnedCString
    init(_ fit: LeastSquaresFit, laplace: Bool) {
        self.fit = fit
        laplaceRequested = laplace
        message = OwnedCString(fit.solution.termination.message)
        covarianceIssue = OwnedCString(fit.covarianceIssue ?? "")
        laplaceIssue = OwnedCString(fit.laplaceIssue ?? "")
    }
}

private func nonlinearResult(_ h: OpaquePointer?) throws -> NonlinearResultBox {
    try HandleTable.shared.object(h, as: NonlinearResultBox.self, name: "result", cType: "ik_nlls_result_t")
}

/// The options of a fit in Swift terms, with the C-only fields.
struct NonlinearSettings {
    var options = LeastSquaresOptions()
    var laplace = false
    var threads = 0
}

/// Converts and checks the C options (NULL means defaults) for a model of n parameters.
private func nonlinearSettings(_ p: UnsafePointer<ik_nlls_options_t>?, parameters n: Int) throws -> NonlinearSettings {
    var s = NonlinearSettings()
    guard let p else { return s }
    let c = p.pointee
    let size = MemoryLayout<ik_nlls_options_t>.size
    guard c.struct_size == size else {
        throw ArgumentError(status: .invalidArgument,
                            message: "options->struct_size is \(c.struct_size) but this library expects \(size): fill the options with ik_nlls_options_default()")
    }
    guard let method = LeastSquaresMethod(rawValue: Int(c.method)) else {
        throw ArgumentError(status: .invalidArgument,
                            message: "options->method is \(c.method): use IK_NLLS_LEVENBERG_MARQUARDT (0) or IK_NLLS_GAUSS_NEWTON (1)")
    }
    guard let loss = RobustLoss(rawValue: Int(c.loss)) else {
        throw ArgumentError(status: .invalidArgument,
                            message: "options->loss is \(c.loss): use one of IK_LOSS_LINEAR (0) .. IK_LOSS_ARCTAN (4)")
    }
    var o = LeastSquaresOptions()
    o.method = method
    o.loss = loss
    o.lossScale = c.f_scale
    o.ftol = c.ftol
    o.xtol = c.xtol
    o.gtol = c.gtol
    guard c.max_nfev >= 0, c.max_nfev <= Int64(Int32.max) else {
        throw ArgumentError(status: .invalidArgument, message: "options->max_nfev is \(c.max_nfev): it must be in [0, 2^31) (0 for the default)")
    }
    o.maxEvaluations = Int(c.max_nfev)
    o.initialStepBound = c.factor
    if let scales = c.x_scale {
        o.scaling = .fixed(Array(UnsafeBufferPointer(start: scales, count: n)))
    }
    o.geodesicAcceleration = try flag(c.geodesic, "options->geodesic")
    o.geodesicRatio = c.geodesic_ratio
    s.laplace = try flag(c.laplace, "options->laplace")
    guard c.n_threads >= 0 else {
        throw ArgumentError(status: .invalidArgument, message: "options->n_threads is \(c.n_threads): it must be >= 0 (0 for all cores)")
    }
    s.threads = Int(c.n_threads)
    o.threads = Int(c.n_threads)
    if let progress = c.progress { o.progress = progressReporter(progress, c.progress_data) }
    do {
        try o.validate(parameterCount: n)
    } catch let e as InferKitError {
        throw ArgumentError(status: Status(e), message: "options: " + e.message)
    }
    s.options = o
    return s
}

/// The caller's ik_progress_fn as a closure (iteration, parameters, cost) -> go on: true while
/// the callback returns 0.
func progressReporter(_ progress: ik_progress_fn, _ data: UnsafeMutableRawPointer?) -> (Int, [Double], Double) -> Bool {
    let context = CallbackContext(data)
    return { iteration, params, cost in
        params.withUnsafeBufferPointer {
            progress(Int64(iteration), $0.baseAddress, $0.count, cost, context.pointer) == 0
        }
    }
}

/// IK_SIGMA_RELATIVE (0) or IK_SIGMA_ABSOLUTE (1).
private func sigmaKind(_ v: Int32) throws -> Bool {
    switch v {
    case 0: return false
    case 1: return true
    default:
        throw ArgumentError(status: .invalidArgument,
                            message: "sigma_kind is \(v): use IK_SIGMA_RELATIVE (0) or IK_SIGMA_ABSOLUTE (1)")
    }
}

/// n finite values of `name` (NULL allowed when `optional`), copied.
func finiteValues(_ p: UnsafePointer<Double>?, _ n: Int, _ name: String, optional: Bool) throws -> [Double]? {
    guard let p else {
        if optional { return nil }
        throw ArgumentError(status: .invalidArgument, message: "\(name) is NULL")
    }
    let buffer = UnsafeBufferPointer(start: p, count: n)
    if !isAllFinite(buffer) {
        for (i, v) in buffer.enumerated() where !v.isFinite {
            throw ArgumentError(status: .nonFinite, message: "\(name)[\(i)] is \(v)")
        }
    }
    return Array(buffer)
}

/// Weights 1/σ from n uncertainties (NULL: none), every σ finite and > 0.
private func weights(_ sigma: UnsafePointer<Double>?, _ n: Int, _ name: String = "sigma") throws -> [Double]? {
    guard var w = try finiteValues(sigma, n, name, optional: true) else { return nil }
    var smallest = Double.infinity
    for v in w { smallest = Swift.min(smallest, v) }
    if !(smallest > 0) {
        for (i, v) in w.enumerated() where !(v > 0) {
            throw ArgumentError(status: .invalidArgument, message: "\(name)[\(i)] is \(v): every sigma must be > 0")
        }
    }
    w.withUnsafeMutableBufferPointer { b in for i in 0..<b.count { b[i] = 1 / b[i] } }
    return w
}

/// The box from optional lower/upper arrays of n values (NaN rejected, ±inf allowed).
func bounds(_ lower: UnsafePointer<Double>?, _ upper: UnsafePointer<Double>?, _ n: Int) throws -> Bounds? {
    if lower == nil && upper == nil { return nil }
    let lo = lower.map { Array(UnsafeBufferPointer(start: $0, count: n)) } ?? [Double](repeating: -.infinity, count: n)
    let hi = upper.map { Array(UnsafeBufferPointer(start: $0, count: n)) } ?? [Double](repeating: .infinity, count: n)
    return try Bounds(lower: lo, upper: hi)
}

// MARK: - Options

@_cdecl("ik_nlls_options_default")
public func ik_nlls_options_default(_ options: UnsafeMutablePointer<ik_nlls_options_t>?) -> Int32 {
    guarded {
        let o = try requireNonNull(options, "options")
        let d = LeastSquaresOptions()
        o.pointee = ik_nlls_options_t(
            struct_size: MemoryLayout<ik_nlls_options_t>.size, method: Int32(d.method.rawValue),
            loss: Int32(d.loss.rawValue), f_scale: d.lossScale, ftol: d.ftol, xtol: d.xtol, gtol: d.gtol,
            max_nfev: Int64(d.maxEvaluations), factor: d.initialStepBound, x_scale: nil,
            geodesic: d.geodesicAcceleration ? 1 : 0, geodesic_ratio: d.geodesicRatio, laplace: 0,
            n_threads: 0, progress: nil, progress_data: nil)
    }
}

// MARK: - Single fits

@_cdecl("ik_nlls_fit")
public func ik_nlls_fit(_ model: OpaquePointer?, _ x: UnsafePointer<Double>?, _ nPoints: Int,
                        _ y: UnsafePointer<Double>?, _ sigma: UnsafePointer<Double>?, _ sigmaKindFlag: Int32,
                        _ p0: UnsafePointer<Double>?, _ nParams: Int, _ lower: UnsafePointer<Double>?,
                        _ upper: UnsafePointer<Double>?, _ options: UnsafePointer<ik_nlls_options_t>?,
                        _ result: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    guarded {
        let out = try requireNonNull(result, "result")
        out.pointee = nil
        let m = try modelBox(model).parametric
        let storage = try dataPoints(m, x, nPoints)
        let start = try parameterVector(m, p0, nParams, name: "p0")
        let absolute = try sigmaKind(sigmaKindFlag)
        let observations = try finiteValues(y, nPoints, "y", optional: true)
        let w = try weights(sigma, nPoints)
        let box = try bounds(lower, upper, start.count)
        let settings = try nonlinearSettings(options, parameters: start.count)
        let fit: LeastSquaresFit = try storage.withPoints { points in
            try withOptionalBuffer(observations) { yb in
                try withOptionalBuffer(w) { wb in
                    let problem = LeastSquaresProblem(model: m, points: points, observations: yb, weights: wb)
                    let workspace = LeastSquaresWorkspace(residuals: problem.residualCount, parameters: start.count)
                    let solution = try NonlinearLeastSquares.solve(problem, start: start, bounds: box, options: settings.options,
                                                                   workspace: workspace)
                    if solution.termination == .nonFiniteModel {
                        throw ArgumentError(status: .nonFinite,
                                            message: "the model was NaN or infinite at every step tried from p = \(solution.parameters) (after \(solution.evaluations) evaluations): the fit cannot continue")
                    }
                    return try LeastSquaresFit(solution: solution, problem: problem, absoluteSigma: absolute,
                                               loss: settings.options.loss, lossScale: settings.options.lossScale,
                                               laplace: settings.laplace, workspace: workspace)
                }
            }
        }
        HandleTable.shared.publish(NonlinearResultBox(fit, laplace: settings.laplace), into: out)
    }
}

/// Runs `body` with a buffer view of `values`, or nil.
func withOptionalBuffer<R>(_ values: [Double]?, _ body: (UnsafeBufferPointer<Double>?) throws -> R) rethrows -> R {
    guard let values else { return try body(nil) }
    return try values.withUnsafeBufferPointer { try body($0) }
}

// MARK: - Results

@_cdecl("ik_nlls_result_info")
public func ik_nlls_result_info(_ result: OpaquePointer?, _ info: UnsafeMutablePointer<ik_nlls_info_t>?) -> Int32 {
    guarded {
        let fit = try nonlinearResult(result).fit
        let info = try requireNonNull(info, "info")
        let size = MemoryLayout<ik_nlls_info_t>.size
        guard info.pointee.struct_size == size else {
            throw ArgumentError(status: .invalidArgument,
                                message: "info->struct_size is \(info.pointee.struct_size) but this library expects \(size): set it to sizeof(ik_nlls_info_t)")
        }
        let s = fit.solution
        var flags: Int32 = 0
        if fit.covariance == nil { flags |= 1 }
        if s.activeBounds.contains(true) { flags |= 2 }
        if !(fit.conditionNumber <= 1 / Double.ulpOfOne.squareRoot()) { flags |= 4 }
        if fit.laplaceIssue != nil { flags |= 8 }
        if !s.termination.converged { flags |= 16 }
        let gradient = fit.gradient
        var gnorm = 0.0
        for (j, g) in gradient.enumerated() where !s.activeBounds[j] { gnorm = Swift.max(gnorm, Swift.abs(g)) }
        info.pointee = ik_nlls_info_t(
            struct_size: size, status: Int32(s.termination.rawValue), converged: s.termination.converged ? 1 : 0,
            flags: flags, rank: Int32(fit.rank), iterations: Int64(s.iterations), nfev: Int64(s.evaluations),
            njev: Int64(s.jacobianEvaluations), dof: Int64(fit.degreesOfFreedom), cost: s.cost, chi2: fit.chiSquared,
            reduced_chi2: fit.reducedChiSquared, aic: fit.aic, bic: fit.bic, gradient_norm: gnorm,
            condition_number: fit.conditionNumber)
    }
}

@_cdecl("ik_nlls_result_message")
public func ik_nlls_result_message(_ result: OpaquePointer?) -> UnsafePointer<CChar> {
    (try? nonlinearResult(result).message.c) ?? emptyCString
}

@_cdecl("ik_nlls_result_covariance_issue")
public func ik_nlls_result_covariance_issue(_ result: OpaquePointer?) -> UnsafePointer<CChar> {
    (try? nonlinearResult(result).covarianceIssue.c) ?? emptyCString
}

@_cdecl("ik_nlls_result_laplace_issue")
public func ik_nlls_result_laplace_issue(_ result: OpaquePointer?) -> UnsafePointer<CChar> {
    (try? nonlinearResult(result).laplaceIssue.c) ?? emptyCString
}

@_cdecl("ik_nlls_result_params")
public func ik_nlls_result_params(_ result: OpaquePointer?, _ out: UnsafeMutablePointer<Double>?, _ len: Int) -> Int32 {
    guarded {
        let p = try nonlinearResult(result).fit.parameters
        try write(out, len, p.count, "params (n_params)") { p[$0] }
    }
}

/// The covariance of a fit, or IK_ERR_SINGULAR with its issue after filling `out` with NaN.
private func covarianceOrFail(_ fit: LeastSquaresFit, _ out: UnsafeMutablePointer<Double>?, _ len: Int,
                              count: Int, what: String) throws -> DenseMatrix {
    try covarianceOrFail(fit.covariance, issue: fit.covarianceIssue, out, len, count: count, what: what)
}

@_cdecl("ik_nlls_result_stderr")
public func ik_nlls_result_stderr(_ result: OpaquePointer?, _ out: UnsafeMutablePointer<Double>?, _ len: Int) -> Int32 {
    guarded {
        let fit = try nonlinearResult(result).fit
        let n = fit.parameterNames.count
        _ = try covarianceOrFail(fit, out, len, count: n, what: "stderr (n_params)")
        let se = fit.standardErrors
        try write(out, len, n, "stderr (n_params)") { se[$0] }
    }
}

@_cdecl("ik_nlls_result_covariance")
public func ik_nlls_result_covariance(_ result: OpaquePointer?, _ out: UnsafeMutablePointer<Double>?, _ len: Int) -> Int32 {
    guarded {
        let fit = try nonlinearResult(result).fit
        let n = fit.parameterNames.count
        let c = try covarianceOrFail(fit, out, len, count: n * n, what: "covariance (n_params x n_params)")
        try write(out, len, n * n, "covariance (n_params x n_params)") { c[$0 / n, $0 % n] }
    }
}

@_cdecl("ik_nlls_result_correlation")
public func ik_nlls_result_correlation(_ result: OpaquePointer?, _ out: UnsafeMutablePointer<Double>?, _ len: Int) -> Int32 {
    guarded {
        let fit = try nonlinearResult(result).fit
        let n = fit.parameterNames.count
        _ = try covarianceOrFail(fit, out, len, count: n * n, what: "correlation (n_params x n_params)")
        guard let c = fit.correlation else { return }
        try write(out, len, n * n, "correlation (n_params x n_params)") { c[$0 / n, $0 % n] }
    }
}

@_cdecl("ik_nlls_result_laplace_covariance")
public func ik_nlls_result_laplace_covariance(_ result: OpaquePointer?, _ out: UnsafeMutablePointer<Double>?, _ len: Int) -> Int32 {
    guarded {
        let box = try nonlinearResult(result)
        let n = box.fit.parameterNames.count
        guard box.laplaceRequested else {
            throw ArgumentError(status: .invalidArgument,
                                message: "the fit was made with options.laplace = 0: set it to 1 to compute the Laplace covariance")
        }
        guard let c = box.fit.laplaceCovariance else {
            try write(out, len, n * n, "laplace covariance (n_params x n_params)") { _ in .nan }
            throw ArgumentError(status: .singular, message: "no Laplace covariance: " + (box.fit.laplaceIssue ?? "it could not be computed"))
        }
        try write(out, len, n * n, "laplace covariance (n_params x n_params)") { c[$0 / n, $0 % n] }
    }
}

@_cdecl("ik_nlls_result_residuals")
public func ik_nlls_result_residuals(_ result: OpaquePointer?, _ out: UnsafeMutablePointer<Double>?, _ len: Int) -> Int32 {
    guarded {
        let r = try nonlinearResult(result).fit.solution.residuals
        try write(out, len, r.count, "residuals (n_points)") { r[$0] }
    }
}

@_cdecl("ik_nlls_result_jacobian")
public func ik_nlls_result_jacobian(_ result: OpaquePointer?, _ out: UnsafeMutablePointer<Double>?, _ len: Int) -> Int32 {
    guarded {
        let fit = try nonlinearResult(result).fit
        let m = fit.pointCount, n = fit.parameterNames.count
        let jac = fit.solution.jacobian
        try write(out, len, m * n, "jacobian (n_points x n_params)") { jac[($0 / n) + ($0 % n) * m] }
    }
}

@_cdecl("ik_nlls_result_active_bounds")
public func ik_nlls_result_active_bounds(_ result: OpaquePointer?, _ out: UnsafeMutablePointer<Int32>?, _ len: Int) -> Int32 {
    guarded {
        let fit = try nonlinearResult(result).fit
        let n = fit.parameterNames.count
        let o = try requireNonNull(out, "out")
        try requireLength(len, n, "out", "active bounds (n_params)")
        let g = fit.gradient
        for j in 0..<n {
            o[j] = fit.solution.activeBounds[j] ? (g[j] > 0 ? -1 : 1) : 0
        }
    }
}

@_cdecl("ik_nlls_result_free")
public func ik_nlls_result_free(_ result: OpaquePointer?) {
    HandleTable.shared.release(result.map { UnsafeRawPointer($0) }, as: NonlinearResultBox.self)
}

// MARK: - Batches

/// A batch result owned by a C handle (ik_nlls_batch_t*), with its per-row messages.
final class NonlinearBatchBox {
    let result: BatchLeastSquaresResult
    let messages: [OwnedCString]
    init(_ result: BatchLeastSquaresResult) {
        self.result = result
        messages = (0..<result.rows).map { r in
            OwnedCString(result.errors[r]?.message ?? result.terminations[r]?.message ?? "")
        }
    }
}

private func nonlinearBatch(_ h: OpaquePointer?) throws -> BatchLeastSquaresResult {
    try HandleTable.shared.object(h, as: NonlinearBatchBox.self, name: "batch", cType: "ik_nlls_batch_t").result
}

@_cdecl("ik_nlls_fit_batch")
public func ik_nlls_fit_batch(_ model: OpaquePointer?, _ x: UnsafePointer<Double>?, _ nPoints: Int, _ xPerRow: Int32,
                              _ y: UnsafePointer<Double>?, _ nRows: Int, _ sigma: UnsafePointer<Double>?,
                              _ sigmaPerRow: Int32, _ sigmaKindFlag: Int32, _ p0: UnsafePointer<Double>?,
                              _ p0PerRow: Int32, _ nParams: Int, _ lower: UnsafePointer<Double>?,
                              _ upper: UnsafePointer<Double>?, _ options: UnsafePointer<ik_nlls_options_t>?,
                              _ batch: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    guarded {
        let out = try requireNonNull(batch, "batch")
        out.pointee = nil
        let m = try modelBox(model).parametric
        let n = try length(nParams, "n_params")
        guard n == m.parameterCount else {
            throw ArgumentError(status: .dimension, message: "n_params is \(n) but the model has \(m.parameterCount) parameters")
        }
        let rows = try length(nRows, "n_rows")
        guard rows > 0 else { throw ArgumentError(status: .dimension, message: "n_rows is 0: at least one spectrum is needed") }
        let points = try length(nPoints, "n_points")
        guard points > 0 else { throw ArgumentError(status: .dimension, message: "n_points is 0: at least one point is needed") }
        let xRows = try flag(xPerRow, "x_per_row")
        let sigmaRows = try flag(sigmaPerRow, "sigma_per_row")
        let startRows = try flag(p0PerRow, "p0_per_row")
        let absolute = try sigmaKind(sigmaKindFlag)
        let yValues = UnsafeBufferPointer(start: try requireNonNull(y, "y"), count: try product(rows, points, "y"))
        // Per-row data are checked by each row's fit (a NaN fails that row only); shared ones here.
        let k = m.inputCount
        var shared: DataPointStorage? = nil
        var xAll: UnsafeBufferPointer<Double>? = nil
        if k > 0 {
            if xRows {
                let xs = try requireNonNull(x, "x")
                let total = try product(try product(rows, points, "x"), k, "x")
                for i in 0..<total where !xs[i].isFinite {
                    throw ArgumentError(status: .nonFinite, message: "x[\(i / (points * k)),\((i / k) % points),\(i % k)] is \(xs[i])")
                }
                xAll = UnsafeBufferPointer(start: xs, count: total)
            } else {
                shared = try dataPoints(m, x, points)
            }
        }
        var weightRows: [[Double]] = []
        if sigma != nil {
            if sigmaRows {
                let all = try requireNonNull(sigma, "sigma")
                weightRows = try (0..<rows).map { r in
                    try weights(all + r * points, points, "sigma[\(r)]") ?? []
                }
            } else {
                weightRows = [try weights(sigma, points) ?? []]
            }
        }
        var starts: PerRow<[Double]>
        if startRows {
            let all = try requireNonNull(p0, "p0")
            _ = try product(rows, n, "p0")
            starts = .perRow((0..<rows).map { Array(UnsafeBufferPointer(start: all + $0 * n, count: n)) })
        } else {
            starts = .shared(try parameterVector(m, p0, n, name: "p0"))
        }
        let box = try bounds(lower, upper, n)
        let settings = try nonlinearSettings(options, parameters: n)
        let result: BatchLeastSquaresResult = try withWeightBuffers(weightRows, shared: !sigmaRows) { w in
            let source: DataPointSource
            if let xAll {
                source = .perRow(rowMajor: xAll, count: points, inputCount: k)
            } else if let shared {
                return try shared.withPoints { pts in
                    try BatchLeastSquares.fit(model: m, points: .shared(pts), observations: yValues, rows: rows, weights: w,
                                              starts: starts, bounds: box, options: settings.options,
                                              absoluteSigma: absolute, threads: settings.threads)
                }
            } else {
                source = .shared(DataPoints(count: points))
            }
            return try BatchLeastSquares.fit(model: m, points: source, observations: yValues, rows: rows, weights: w,
                                             starts: starts, bounds: box, options: settings.options,
                                             absoluteSigma: absolute, threads: settings.threads)
        }
        HandleTable.shared.publish(NonlinearBatchBox(result), into: out)
    }
}

/// Runs `body` with the weights as buffers: none, one shared row, or one per row.
private func withWeightBuffers<R>(_ rows: [[Double]], shared: Bool,
                                  _ body: (PerRow<UnsafeBufferPointer<Double>>?) throws -> R) rethrows -> R {
    if rows.isEmpty { return try body(nil) }
    if shared { return try rows[0].withUnsafeBufferPointer { try body(.shared($0)) } }
    // One contiguous copy, viewed row by row.
    let m = rows[0].count
    let flat = rows.flatMap { $0 }
    return try flat.withUnsafeBufferPointer { all in
        try body(.perRow((0..<rows.count).map { UnsafeBufferPointer(rebasing: all[($0 * m)..<($0 * m + m)]) }))
    }
}

@_cdecl("ik_nlls_batch_params")
public func ik_nlls_batch_params(_ batch: OpaquePointer?, _ out: UnsafeMutablePointer<Double>?, _ len: Int) -> Int32 {
    guarded {
        let b = try nonlinearBatch(batch)
        try write(out, len, b.parameters.count, "params (n_rows x n_params)") { b.parameters[$0] }
    }
}

@_cdecl("ik_nlls_batch_stderr")
public func ik_nlls_batch_stderr(_ batch: OpaquePointer?, _ out: UnsafeMutablePointer<Double>?, _ len: Int) -> Int32 {
    guarded {
        let b = try nonlinearBatch(batch)
        let n = b.parameterCount
        try write(out, len, b.rows * n, "stderr (n_rows x n_params)") {
            b.covariances[($0 / n) * n * n + ($0 % n) * (n + 1)].squareRoot()
        }
    }
}

@_cdecl("ik_nlls_batch_covariance")
public func ik_nlls_batch_covariance(_ batch: OpaquePointer?, _ out: UnsafeMutablePointer<Double>?, _ len: Int) -> Int32 {
    guarded {
        let b = try nonlinearBatch(batch)
        try write(out, len, b.covariances.count, "covariance (n_rows x n_params x n_params)") { b.covariances[$0] }
    }
}

@_cdecl("ik_nlls_batch_chi2")
public func ik_nlls_batch_chi2(_ batch: OpaquePointer?, _ out: UnsafeMutablePointer<Double>?, _ len: Int) -> Int32 {
    guarded {
        let b = try nonlinearBatch(batch)
        try write(out, len, b.rows, "chi2 (n_rows)") { b.chiSquared[$0] }
    }
}

/// Writes `count` Int32 values into a checked caller buffer.
private func writeInt32(_ out: UnsafeMutablePointer<Int32>?, _ len: Int, _ count: Int, _ what: String,
                        _ value: (Int) -> Int32) throws {
    let o = try requireNonNull(out, "out")
    try requireLength(len, count, "out", what)
    for i in 0..<count { o[i] = value(i) }
}

@_cdecl("ik_nlls_batch_status")
public func ik_nlls_batch_status(_ batch: OpaquePointer?, _ out: UnsafeMutablePointer<Int32>?, _ len: Int) -> Int32 {
    guarded {
        let b = try nonlinearBatch(batch)
        try writeInt32(out, len, b.rows, "status (n_rows)") { r in b.errors[r].map { Status($0).rawValue } ?? 0 }
    }
}

@_cdecl("ik_nlls_batch_termination")
public func ik_nlls_batch_termination(_ batch: OpaquePointer?, _ out: UnsafeMutablePointer<Int32>?, _ len: Int) -> Int32 {
    guarded {
        let b = try nonlinearBatch(batch)
        try writeInt32(out, len, b.rows, "termination (n_rows)") { r in Int32(b.terminations[r]?.rawValue ?? 0) }
    }
}

@_cdecl("ik_nlls_batch_nfev")
public func ik_nlls_batch_nfev(_ batch: OpaquePointer?, _ out: UnsafeMutablePointer<Int64>?, _ len: Int) -> Int32 {
    guarded {
        let b = try nonlinearBatch(batch)
        let o = try requireNonNull(out, "out")
        try requireLength(len, b.rows, "out", "nfev (n_rows)")
        for r in 0..<b.rows { o[r] = Int64(b.evaluations[r]) }
    }
}

@_cdecl("ik_nlls_batch_message")
public func ik_nlls_batch_message(_ batch: OpaquePointer?, _ row: Int) -> UnsafePointer<CChar> {
    guard let box = HandleTable.shared.lookup(batch.map { UnsafeRawPointer($0) }, as: NonlinearBatchBox.self),
          row >= 0, row < box.messages.count else { return emptyCString }
    return box.messages[row].c
}

@_cdecl("ik_nlls_batch_free")
public func ik_nlls_batch_free(_ batch: OpaquePointer?) {
    HandleTable.shared.release(batch.map { UnsafeRawPointer($0) }, as: NonlinearBatchBox.self)
}
