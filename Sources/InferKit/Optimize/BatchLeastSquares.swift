// One model fitted to many spectra (rows of Y) in one call, the rows spread over threads.
// Each row is an independent fit with its own workspace per worker, so the results do not
// depend on the thread count. A row that fails (NaN in its data, a start outside the
// bounds) records its error and the others go on; a failing callback stops the batch.
#if canImport(Glibc)
import Glibc
#endif

/// What varies between the rows of a batch: one shared value or one per row.
public enum PerRow<T> {
    /// The same for every row.
    case shared(T)
    /// Row r uses element r.
    case perRow([T])

    func value(_ r: Int) -> T {
        switch self {
        case .shared(let v): return v
        case .perRow(let v): return v[r]
        }
    }
}

/// The outcome of a batch: per-row parameters, covariances, χ² and status.
public struct BatchLeastSquaresResult: Sendable {
    /// Number of rows (spectra).
    public let rows: Int
    /// Number of parameters n.
    public let parameterCount: Int
    /// Row-major rows × n best parameters (the start where the row failed).
    public var parameters: [Double]
    /// rows × n × n covariances, NaN where unavailable (see `covarianceIssues`).
    public var covariances: [Double]
    /// χ² per row (NaN where the row failed).
    public var chiSquared: [Double]
    /// Why each row stopped (nil where it failed with an error).
    public var terminations: [LeastSquaresTermination?]
    /// The error of each failed row, nil where the fit ran.
    public var errors: [InferKitError?]
    /// Why a row's covariance is missing or partial, nil when complete.
    public var covarianceIssues: [String?]
    /// Model evaluations per row.
    public var evaluations: [Int]
    /// Accepted steps per row.
    public var iterations: [Int]

    /// √diag of row r's covariance.
    public func standardErrors(row r: Int) -> [Double] {
        let n = parameterCount
        return (0..<n).map { covariances[r * n * n + $0 * n + $0].squareRoot() }
    }
}

/// The batch fitter.
public enum BatchLeastSquares {
    /// Fits `model` to each of `rows` spectra of m points: `observations` is the row-major
    /// rows × m matrix Y; `points(r)` gives row r's data points (shared or per row, see
    /// `DataPointSource`); `weights` (1/σ, m values shared or per row, nil for none),
    /// `starts` (n values shared or per row). Rows run on `threads` threads (0 = all cores).
    public static func fit(model: any ParametricModel, points: DataPointSource, observations: UnsafeBufferPointer<Double>,
                           rows: Int, weights: PerRow<UnsafeBufferPointer<Double>>?, starts: PerRow<[Double]>,
                           bounds: Bounds?, options: LeastSquaresOptions, absoluteSigma: Bool,
                           threads: Int) throws -> BatchLeastSquaresResult {
        let n = model.parameterCount
        let m = points.count
        guard observations.count >= rows * m else {
            throw InferKitError.dimensionMismatch("Y has \(observations.count) values but \(rows) rows of \(m) points need \(rows * m)")
        }
        try options.validate(parameterCount: n)
        var result = BatchLeastSquaresResult(
            rows: rows, parameterCount: n, parameters: [Double](repeating: .nan, count: rows * n),
            covariances: [Double](repeating: .nan, count: rows * n * n),
            chiSquared: [Double](repeating: .nan, count: rows), terminations: Array(repeating: nil, count: rows),
            errors: Array(repeating: nil, count: rows), covarianceIssues: Array(repeating: nil, count: rows),
            evaluations: [Int](repeating: 0, count: rows), iterations: [Int](repeating: 0, count: rows))
        let rowsPerChunk = 16
        let chunks = (rows + rowsPerChunk - 1) / rowsPerChunk
        let workerCount = Parallel.workers(chunks: chunks, threads: Parallel.threads(requested: threads))
        let workspaces = (0..<workerCount).map { _ in LeastSquaresWorkspace(residuals: m, parameters: n) }
        // Rows write disjoint parts of the result arrays; a callback failure is kept and thrown.
        let abort = AbortFlag()
        var rowOptions = options
        rowOptions.progress = nil
        rowOptions.threads = 1  // the rows are the parallel work
        let optionsForRows = rowOptions
        result.parameters.withUnsafeMutableBufferPointer { params in
            result.covariances.withUnsafeMutableBufferPointer { covs in
                result.chiSquared.withUnsafeMutableBufferPointer { chi2 in
                    result.evaluations.withUnsafeMutableBufferPointer { nfev in
                        result.iterations.withUnsafeMutableBufferPointer { iters in
                            let out = BatchOutput(params: params, covs: covs, chi2: chi2, nfev: nfev, iterations: iters)
                            let terminations = UnsafeMutableBufferPointer<LeastSquaresTermination?>.allocate(capacity: Swift.max(rows, 1))
                            let errors = UnsafeMutableBufferPointer<InferKitError?>.allocate(capacity: Swift.max(rows, 1))
                            let issues = UnsafeMutableBufferPointer<String?>.allocate(capacity: Swift.max(rows, 1))
                            _ = terminations.initialize(from: Array(repeating: nil, count: Swift.max(rows, 1)))
                            _ = errors.initialize(from: Array(repeating: nil, count: Swift.max(rows, 1)))
                            _ = issues.initialize(from: Array(repeating: nil, count: Swift.max(rows, 1)))
                            defer { terminations.deallocate(); errors.deallocate(); issues.deallocate() }
                            BLASThreads.singleThreaded {
                            Parallel.forEach(chunks: chunks, threads: Parallel.threads(requested: threads)) { chunk, worker in
                                let workspace = workspaces[worker]
                                for r in (chunk * rowsPerChunk)..<Swift.min(rows, (chunk + 1) * rowsPerChunk) {
                                    if abort.isSet { return }
                                    let start = starts.value(r)
                                    for j in 0..<n { out.params[r * n + j] = j < start.count ? start[j] : .nan }
                                    do {
                                        let y = UnsafeBufferPointer(rebasing: observations[(r * m)..<(r * m + m)])
                                        try requireFinite(y, name: "Y[\(r)]")
                                        let fit: LeastSquaresFit = try points.withPoints(row: r) { pts in
                                            let problem = LeastSquaresProblem(model: model, points: pts, observations: y,
                                                                              weights: weights?.value(r))
                                            let solution = try NonlinearLeastSquares.solve(problem, start: start, bounds: bounds,
                                                                                           options: optionsForRows, workspace: workspace)
                                            return try LeastSquaresFit(solution: solution, problem: problem,
                                                                       absoluteSigma: absoluteSigma, loss: options.loss,
                                                                       lossScale: options.lossScale, detailed: false,
                                                                       workspace: workspace)
                                        }
                                        for j in 0..<n { out.params[r * n + j] = fit.parameters[j] }
                                        if let c = fit.covariance {
                                            for i in 0..<n { for j in 0..<n { out.covs[r * n * n + i * n + j] = c[i, j] } }
                                        }
                                        out.chi2[r] = fit.chiSquared
                                        out.nfev[r] = fit.solution.evaluations
                                        out.iterations[r] = fit.solution.iterations
                                        terminations[r] = fit.solution.termination
                                        issues[r] = fit.covarianceIssue
                                    } catch let error as InferKitError {
                                        if case .callbackFailed = error { abort.set(error) }
                                        errors[r] = error
                                    } catch {
                                        errors[r] = .internal("unexpected error in row \(r): \(error)")
                                    }
                                }
                            }
                            }
                            result.terminations = Array(terminations.prefix(rows))
                            result.errors = Array(errors.prefix(rows))
                            result.covarianceIssues = Array(issues.prefix(rows))
                        }
                    }
                }
            }
        }
        if let error = abort.error { throw error }
        return result
    }
}

/// The data points of the rows of a batch.
public enum DataPointSource {
    /// Every row has the same points.
    case shared(DataPoints)
    /// Row r's points are the row-major m × k block r of `rowMajor` (rows × m × k).
    case perRow(rowMajor: UnsafeBufferPointer<Double>, count: Int, inputCount: Int)

    /// Number of points per row.
    public var count: Int {
        switch self {
        case .shared(let p): return p.count
        case .perRow(_, let count, _): return count
        }
    }

    func withPoints<R>(row r: Int, _ body: (DataPoints) throws -> R) rethrows -> R {
        switch self {
        case .shared(let p):
            return try body(p)
        case .perRow(let all, let m, let k):
            let block = UnsafeBufferPointer(rebasing: all[(r * m * k)..<((r + 1) * m * k)])
            if k == 0 { return try body(DataPoints(count: m)) }
            if k == 1 { return try body(DataPoints(count: m, columns: [block], rowMajor: block)) }
            return try DataPointStorage(rowMajor: block, count: m, inputCount: k).withPoints(body)
        }
    }
}

/// The per-row output arrays of a batch (disjoint writes from the workers).
private struct BatchOutput: @unchecked Sendable {
    let params: UnsafeMutableBufferPointer<Double>
    let covs: UnsafeMutableBufferPointer<Double>
    let chi2: UnsafeMutableBufferPointer<Double>
    let nfev: UnsafeMutableBufferPointer<Int>
    let iterations: UnsafeMutableBufferPointer<Int>
}

/// A thread-safe "stop" with the error that caused it.
final class AbortFlag: @unchecked Sendable {
    private var lock = pthread_mutex_t()
    private var stored: InferKitError? = nil
    init() { pthread_mutex_init(&lock, nil) }
    deinit { pthread_mutex_destroy(&lock) }
    var isSet: Bool { error != nil }
    var error: InferKitError? {
        pthread_mutex_lock(&lock); defer { pthread_mutex_unlock(&lock) }
        return stored
    }
    func set(_ e: InferKitError) {
        pthread_mutex_lock(&lock)
        if stored == nil { stored = e }
        pthread_mutex_unlock(&lock)
    }
}
