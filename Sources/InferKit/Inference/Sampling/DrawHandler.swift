// Draws streamed out of a run as they are made (the C layer's ik_draws_fn, Python's
// incremental readers), and the one way a sampler evaluates log p at a batch of points across
// threads.

/// Called with each kept draw, on the thread that called the sampler, in draw order: the draw
/// index (0, 1, ... over the sampler's whole history), the positions of all chains or walkers
/// (chains × dimension, row-major) and their log-probabilities. The buffers are valid during
/// the call only. Throwing aborts the run with that error.
public typealias MCMCDrawHandler = (_ draw: Int, _ positions: UnsafeBufferPointer<Double>,
                                    _ logProbabilities: UnsafeBufferPointer<Double>) throws -> Void

/// log p at a batch of points, in one `values` call per chunk. With one thread the whole batch is
/// one call (a formula runs vectorised over all of it); with more, the points are cut into
/// `min(count, threads)` contiguous chunks evaluated concurrently by `Parallel.forEach`. Each
/// value depends only on its own point (the `LogDensity` contract), so the split never changes
/// the results. The first failing chunk's error (lowest chunk) is rethrown.
func evaluateBatch(_ density: any LogDensity, points: UnsafeBufferPointer<Double>, count: Int, dimension: Int,
                   into values: UnsafeMutableBufferPointer<Double>, threads: Int) throws {
    let chunks = Parallel.workers(chunks: count, threads: threads)
    if chunks <= 1 {
        try density.values(UnsafeBufferPointer(rebasing: points[0..<(count * dimension)]), count: count,
                           into: UnsafeMutableBufferPointer(rebasing: values[0..<count]))
        return
    }
    var errors = [Error?](repeating: nil, count: chunks)
    errors.withUnsafeMutableBufferPointer { failures in
        Parallel.forEach(chunks: chunks, threads: threads) { chunk, _ in
            let lo = chunk * count / chunks, hi = (chunk + 1) * count / chunks
            do {
                try density.values(UnsafeBufferPointer(rebasing: points[(lo * dimension)..<(hi * dimension)]), count: hi - lo,
                                   into: UnsafeMutableBufferPointer(rebasing: values[lo..<hi]))
            } catch {
                failures[chunk] = error
            }
        }
    }
    for case let error? in errors { throw error }
}
