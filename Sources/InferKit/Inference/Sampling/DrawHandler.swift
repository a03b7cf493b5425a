#if canImport(Glibc)
import Glibc
#endif

// Draws streamed out of a run as they are made (the C layer's ik_draws_fn, Python's
// incremental readers), and the one way a sampler evaluates log p at a batch of points across
// threads.

/// Called with each kept draw, on the thread that called the sampler, in draw order: the draw
/// index (0, 1, ... over the sampler's whole history), the positions of all chains or walkers
/// (chains × dimension, row-major) and their log-probabilities. The buffers are valid during
/// the call only. Throwing aborts the run with that error.
public typealias MCMCDrawHandler = (_ draw: Int, _ positions: UnsafeBufferPointer<Double>,
                                    _ logProbabilities: UnsafeBufferPointer<Double>) throws -> Void

/// The most values a sampler stores (positions of all kept draws): 2^31 doubles, 16 GiB.
let maximumStoredValues = 1 << 31

/// The most values of one working array of a sampler (walkers' positions, chains' covariance
/// factors): 2^27 doubles, 1 GiB.
let maximumWorkspaceValues = 1 << 27

/// Throws `outOfMemory` unless a × b × c values (naming `what`) fit `limit` (2^31 or 2^27).
func requireStorable(_ a: Int, _ b: Int, _ c: Int, _ what: String, limit: Int = maximumStoredValues) throws {
    let (ab, o1) = a.multipliedReportingOverflow(by: b)
    let (abc, o2) = ab.multipliedReportingOverflow(by: c)
    guard !o1, !o2, abc <= limit else {
        throw InferKitError.outOfMemory(
            "\(what) would need \(a) x \(b) x \(c) values, more than the \(limit == maximumStoredValues ? "2^31" : "2^27") a sampler allows")
    }
}

/// log p at a batch of points, in one `values` call per chunk. With one thread the whole batch is
/// one call (a formula runs vectorised over all of it). With more, the points are cut into
/// contiguous chunks evaluated concurrently: with `team` (its size is then the thread count)
/// into up to `chunksPerWorker` chunks per worker, which the workers take as they come free
/// (`forEachDynamic`: with several chunks each, a worker slowed by another process does fewer),
/// and otherwise into `min(count, threads)` chunks for `Parallel.forEach`. Each value depends
/// only on its own point (the `LogDensity` contract), so the split never changes the results.
/// The first failing chunk's error (lowest chunk) is rethrown.
func evaluateBatch(_ density: any LogDensity, points: UnsafeBufferPointer<Double>, count: Int, dimension: Int,
                   into values: UnsafeMutableBufferPointer<Double>, threads: Int, team: WorkerTeam? = nil,
                   chunksPerWorker: Int = 1) throws {
    let threads = team?.size ?? threads
    let chunks = team == nil || threads <= 1 ? Parallel.workers(chunks: count, threads: threads)
                                               : Swift.min(count, Swift.max(1, chunksPerWorker) * threads)
    if chunks <= 1 {
        try density.values(UnsafeBufferPointer(rebasing: points[0..<(count * dimension)]), count: count,
                           into: UnsafeMutableBufferPointer(rebasing: values[0..<count]))
        return
    }
    var errors = [Error?](repeating: nil, count: chunks)
    errors.withUnsafeMutableBufferPointer { buffer in
        let failures = buffer
        let body = { (chunk: Int, _: Int) in
            let lo = chunk * count / chunks, hi = (chunk + 1) * count / chunks
            do {
                try density.values(UnsafeBufferPointer(rebasing: points[(lo * dimension)..<(hi * dimension)]), count: hi - lo,
                                   into: UnsafeMutableBufferPointer(rebasing: values[lo..<hi]))
            } catch {
                failures[chunk] = error
            }
        }
        if let team {
            team.forEachDynamic(chunks: chunks) { body($0, 0) }
        } else {
            Parallel.forEach(chunks: chunks, threads: threads, body)
        }
    }
    for case let error? in errors { throw error }
}

/// Evaluates the batches of one run: with `threads` 0 ("all cores when it pays") it measures
/// which is faster. Parallel batches run on a `WorkerTeam` that lives as long as the evaluator
/// (one run). The first batch runs on one thread untimed (warm-up); batches 1 to
/// `trialBatches` alternate between one thread and all cores, each timed; from then on every
/// batch uses the cores only when their fastest timed batch beat the fastest one-thread batch
/// by `requiredGain` (a cheap formula over 16 walkers takes a microsecond or two; a model over
/// 1000 points is worth splitting unless the cores are busy). The fastest of several batches is
/// used because a shared machine adds noise only upwards. An explicit thread count is always
/// used after its first batch, which runs on one thread and is timed. The timings also set the split: a density that takes
/// more than `finePointSeconds` a point is cut into `chunksPerWorker` chunks per worker, taken
/// as workers come free; a cheaper one into one chunk per worker (each `values` call then
/// vectorises over more points). The values depend on neither choice, so neither do the chains.
final class BatchEvaluator {
    let density: any LogDensity
    let dimension: Int
    let threads: Int
    let automatic: Bool
    /// Timed batches of the automatic mode (half on one thread, half on the cores).
    static let trialBatches = 6
    /// The cores are used when their time is below this fraction of the one-thread time.
    static let requiredGain = 0.9
    /// Batches shorter than this (seconds) on one thread stay there without trying the cores.
    static let parallelThreshold = 4e-6
    /// Seconds of one point's log p above which a batch is cut finely.
    static let finePointSeconds = 1e-6
    /// Chunks per worker of a finely cut batch.
    static let chunksPerWorker = 8
    private var calls = 0
    private var parallel = false
    private var fine = false
    private var fastestSerial = Double.infinity
    private var fastestParallel = Double.infinity
    /// The threads of the parallel batches, started at the first one and kept spinning between
    /// batches (`WorkerTeam`); released when the automatic mode settles on one thread.
    private var storedTeam: WorkerTeam?

    private var team: WorkerTeam {
        if let storedTeam { return storedTeam }
        let team = WorkerTeam(size: threads)
        storedTeam = team
        return team
    }

    /// An evaluator for `requested` threads (0 = automatic).
    init(_ density: any LogDensity, requested: Int) {
        self.density = density
        dimension = density.dimension
        automatic = requested == 0
        threads = Parallel.threads(requested: requested)
        parallel = !automatic
    }

    /// log p of `count` points (count × dimension, row-major) into `values`.
    func evaluate(_ points: UnsafeBufferPointer<Double>, count: Int, into values: UnsafeMutableBufferPointer<Double>) throws {
        if threads <= 1 || (automatic && calls > Self.trialBatches && !parallel) {
            try evaluateBatch(density, points: points, count: count, dimension: dimension, into: values, threads: 1)
            return
        }
        let call = calls
        if automatic && call <= Self.trialBatches {
            calls += 1
            if call == 0 {
                try evaluateBatch(density, points: points, count: count, dimension: dimension, into: values, threads: 1)
                return
            }
            // Odd trials on one thread, even ones on the cores (skipped once one thread is
            // known to be too fast for the split to pay).
            let onCores = call % 2 == 0 && fastestSerial >= Self.parallelThreshold
            let team = onCores ? self.team : nil   // started outside the timing
            let seconds = try timed {
                try evaluateBatch(density, points: points, count: count, dimension: dimension, into: values,
                                  threads: 1, team: team, chunksPerWorker: fine ? Self.chunksPerWorker : 1)
            }
            if onCores {
                fastestParallel = Swift.min(fastestParallel, seconds)
            } else {
                fastestSerial = Swift.min(fastestSerial, seconds)
                fine = fastestSerial > Self.finePointSeconds * Double(Swift.max(count, 1))
            }
            if call == Self.trialBatches {
                parallel = fastestParallel < Self.requiredGain * fastestSerial
                if !parallel { storedTeam = nil }
            }
            return
        }
        if !automatic && call == 0 {
            // An explicit thread count: the first batch runs on this thread, timed, to choose
            // the split of the others (timed on the team it would include the threads' start).
            calls += 1
            _ = team   // started meanwhile
            let seconds = try timed {
                try evaluateBatch(density, points: points, count: count, dimension: dimension, into: values, threads: 1)
            }
            fine = seconds > Self.finePointSeconds * Double(Swift.max(count, 1))
            return
        }
        try evaluateBatch(density, points: points, count: count, dimension: dimension, into: values, threads: threads,
                          team: team, chunksPerWorker: fine ? Self.chunksPerWorker : 1)
    }

    /// The seconds `body` takes.
    private func timed(_ body: () throws -> Void) rethrows -> Double {
        var start = timespec(), end = timespec()
        clock_gettime(CLOCK_MONOTONIC, &start)
        try body()
        clock_gettime(CLOCK_MONOTONIC, &end)
        return Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) * 1e-9
    }
}
