/// xoshiro256** (Blackman and Vigna 2018), seeded from SplitMix64 outputs: a small, fast,
/// well-tested generator whose streams are fixed by (seed, stream) on every machine.
struct Xoshiro256StarStar {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    /// SplitMix64's output for the input x (its finaliser applied to x).
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }

    /// Stream `stream` of `seed`: its state is SplitMix64 outputs 4 stream .. 4 stream + 3 of
    /// the sequence started at seed, so distinct streams never share a state word.
    init(seed: UInt64, stream: UInt64) {
        let golden: UInt64 = 0x9E3779B97F4A7C15
        let base = seed &+ (stream &* 4) &* golden
        s0 = Self.mix(base &+ golden)
        s1 = Self.mix(base &+ 2 &* golden)
        s2 = Self.mix(base &+ 3 &* golden)
        s3 = Self.mix(base &+ 4 &* golden)
        if s0 | s1 | s2 | s3 == 0 { s0 = golden }
    }

    /// The next 64 random bits.
    @inline(__always)
    mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// A uniform integer in 0..<n (n > 0), without bias (Lemire 2019).
    @inline(__always)
    mutating func next(below n: UInt64) -> UInt64 {
        var m = next().multipliedFullWidth(by: n)
        if m.low < n {
            let threshold = (0 &- n) % n
            while m.low < threshold { m = next().multipliedFullWidth(by: n) }
        }
        return m.high
    }
}

extension LombScargle {
    /// Replicates per batch of the bootstrap (they share the times and the rotations).
    static let bootstrapBatch = 16

    /// The sorted maxima over `grid` of the periodograms of `fap.bootstraps` bootstrap
    /// resamples: replicate r draws n indices uniformly with replacement (xoshiro256** stream r
    /// of the seed) and takes those (y, dy) at the original t. The model settings are this
    /// periodogram's (astropy uses its defaults there). Replicates run in batches of 16 on the
    /// threads, each batch on one thread, so the result does not depend on the thread count.
    func bootstrapMaxima(grid: FrequencyGrid, options fap: FalseAlarmOptions) throws -> [Double] {
        let n = points, replicates = fap.bootstraps
        let cycles = grid.last * 2 * 0.5 * (spanOfTimes())
        guard cycles <= SinCos.maximumCycles else {
            throw InferKitError.invalidArgument("the bootstrap grid's last frequency \(describe(grid.last)) gives phases beyond 2^48 cycles")
        }
        var maxima = [Double](repeating: 0, count: replicates)
        let batches = (replicates + Self.bootstrapBatch - 1) / Self.bootstrapBatch
        var inner = options
        inner.threads = 1
        let nf = grid.count
        let (total, overflow) = nf.multipliedReportingOverflow(by: Self.bootstrapBatch)
        guard !overflow, total < 1 << 31 else {
            throw InferKitError.outOfMemory("the bootstrap grid has \(nf) frequencies: too many to hold \(Self.bootstrapBatch) periodograms")
        }
        try t.withUnsafeBufferPointer { tb in
            try y.withUnsafeBufferPointer { yb in
                try maxima.withUnsafeMutableBufferPointer { out in
                    let target = out.baseAddress!
                    var failure: Error?
                    let workers = Parallel.workers(chunks: batches, threads: Parallel.threads(requested: options.threads))
                    let buffers = (0..<workers).map { _ in UnsafeMutablePointer<Double>.allocate(capacity: total) }
                    let indices = (0..<workers).map { _ in UnsafeMutablePointer<Int>.allocate(capacity: n * Self.bootstrapBatch) }
                    defer {
                        buffers.forEach { $0.deallocate() }
                        indices.forEach { $0.deallocate() }
                    }
                    let errors = UnsafeMutablePointer<Error?>.allocate(capacity: batches)
                    errors.initialize(repeating: nil, count: batches)
                    defer { errors.deinitialize(count: batches); errors.deallocate() }
                    Parallel.forEach(chunks: batches, threads: Parallel.threads(requested: options.threads)) { b, worker in
                        let first = b * Self.bootstrapBatch
                        let count = min(Self.bootstrapBatch, replicates - first)
                        let index = indices[worker]
                        for r in 0..<count {
                            var rng = Xoshiro256StarStar(seed: fap.seed, stream: UInt64(first + r))
                            for i in 0..<n { index[r * n + i] = Int(rng.next(below: UInt64(n))) }
                        }
                        let data: PeriodogramData
                        if let dy {
                            data = dy.withUnsafeBufferPointer { db in
                                PeriodogramData(points: n, t: { tb[$0] }, seriesCount: count,
                                                y: { s, i in yb[index[s * n + i]] }, weightSetCount: count,
                                                dy: { a, i in db[index[a * n + i]] }, centers: options.centers)
                            }
                        } else {
                            data = PeriodogramData(points: n, t: { tb[$0] }, seriesCount: count,
                                                   y: { s, i in yb[index[s * n + i]] }, weightSetCount: 1,
                                                   dy: nil, centers: options.centers)
                        }
                        let power = buffers[worker]
                        do {
                            try PeriodogramEngine.power(data, frequencies: .grid(grid), options: inner, into: power)
                        } catch {
                            errors[b] = error
                            return
                        }
                        for r in 0..<count {
                            var best = -Double.infinity
                            for j in 0..<nf { best = max(best, power[r * nf + j]) }
                            target[first + r] = best
                        }
                    }
                    for b in 0..<batches where errors[b] != nil { failure = errors[b]; break }
                    if let failure { throw failure }
                }
            }
        }
        maxima.sort()
        return maxima
    }

    /// max t - min t.
    func spanOfTimes() -> Double {
        var lo = t[0], hi = t[0]
        for v in t { lo = min(lo, v); hi = max(hi, v) }
        return hi - lo
    }
}
