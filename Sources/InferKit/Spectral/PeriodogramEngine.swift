/// Frequencies at which a periodogram is evaluated: a regular grid (fast recurrences, and the
/// fast method) or any list.
enum FrequencySource {
    /// f_j = start + j step.
    case grid(FrequencyGrid)
    /// Any positive frequencies.
    case list(UnsafeBufferPointer<Double>)

    /// Number of frequencies.
    var count: Int {
        switch self {
        case .grid(let g): return g.count
        case .list(let l): return l.count
        }
    }

    /// Frequency j.
    @inline(__always)
    func frequency(_ j: Int) -> Double {
        switch self {
        case .grid(let g): return g.frequency(j)
        case .list(let l): return l[j]
        }
    }
}

/// Evaluates periodograms of prepared data: splits the series into passes (bounded memory),
/// the frequencies into blocks, runs the blocks on threads through `Parallel.forEach` and
/// turns each frequency's sums into powers. Chunks depend only on the problem, so results are
/// bit-identical for every thread count.
enum PeriodogramEngine {
    /// Series evaluated together by the exact method (they share the rotations).
    static let exactSeriesPerPass = 16

    /// The powers of every series of `data` at `frequencies` into out (series x frequency,
    /// row-major). The fast method needs a grid (`invalidArgument` otherwise).
    static func power(_ data: PeriodogramData, frequencies: FrequencySource, options: LombScargleOptions,
                      into out: UnsafeMutablePointer<Double>) throws {
        switch options.method {
        case .exact:
            exact(data, frequencies, options, out)
        case .fast:
            guard case .grid(let grid) = frequencies else {
                throw InferKitError.invalidArgument("frequency is not a regular grid: the fast method needs f0 + j df")
            }
            // The sums of one series and its weights at every frequency are held at once.
            let (needed, overflow) = grid.count.multipliedReportingOverflow(by: 6 * options.nterms)
            guard !overflow, needed <= FastSums.memoryLimit else {
                throw InferKitError.outOfMemory(
                    "the fast method would hold \(grid.count) frequencies x \(6 * options.nterms) sums (nterms = \(options.nterms)): more than \(FastSums.memoryLimit) doubles; use fewer frequencies or the exact method")
            }
            FastSums.power(data, grid: grid, options: options, into: out)
        }
    }

    /// The passes: contiguous ranges of at most `perPass` series.
    static func passes(_ seriesCount: Int, perPass: Int) -> [Range<Int>] {
        stride(from: 0, to: seriesCount, by: perPass).map { $0..<min(seriesCount, $0 + perPass) }
    }

    private static func exact(_ data: PeriodogramData, _ frequencies: FrequencySource,
                              _ options: LombScargleOptions, _ out: UnsafeMutablePointer<Double>) {
        let nf = frequencies.count
        guard nf > 0 else { return }
        let k = options.nterms
        // Blocks: up to 64 frequencies, but at least ~32 blocks so that small grids still
        // spread over the cores.
        let blockLength = max(1, min(ExactSums.maximumBlock, nf / 32))
        let blocks = (nf + blockLength - 1) / blockLength
        var rotation: (cos: UnsafeMutablePointer<SIMD4<Double>>, sin: UnsafeMutablePointer<SIMD4<Double>>)?
        if case .grid(let grid) = frequencies, grid.count > 1 {
            let rc = UnsafeMutablePointer<SIMD4<Double>>.allocate(capacity: data.groups)
            let rs = UnsafeMutablePointer<SIMD4<Double>>.allocate(capacity: data.groups)
            let step = SIMD4<Double>(repeating: grid.step)
            for g in 0..<data.groups {
                let v = SinCos.cycles(step * data.tau[g])
                rc[g] = v.cos
                rs[g] = v.sin
            }
            rotation = (rc, rs)
        }
        defer {
            rotation?.cos.deallocate()
            rotation?.sin.deallocate()
        }
        let fixedRotation = rotation.map { (cos: UnsafePointer($0.cos), sin: UnsafePointer($0.sin)) }
        // Series with their own weights share only the rotations; for K = 1 the single-series
        // kernel (all sums in registers) is faster than sharing them.
        let perPass = data.weightSetCount > 1 && k == 1 ? 1 : exactSeriesPerPass
        let passes = passes(data.seriesCount, perPass: perPass)
        let layouts = passes.map { SumLayout(terms: k, sets: data.weightSets(of: $0), series: $0) }
        let maxWidth = layouts.map(\.width).max() ?? 0
        let threads = Parallel.threads(requested: options.threads)
        let chunks = passes.count * blocks
        let workers = Parallel.workers(chunks: chunks, threads: threads)
        let spaces = (0..<workers).map { _ in ExactSums.Workspace(width: maxWidth, terms: k) }
        let solvers = (0..<workers).map { _ in GramSolver(terms: k, fitMean: options.fitMean) }
        Parallel.forEach(chunks: chunks, threads: threads) { chunk, worker in
            let layout = layouts[chunk / blocks]
            let first = (chunk % blocks) * blockLength
            let count = min(blockLength, nf - first)
            let ws = spaces[worker]
            ExactSums.accumulate(data, layout, count: count, frequency: { frequencies.frequency(first + $0) },
                                 rotation: fixedRotation, ws)
            evaluate(data, layout, sums: ws.sums, first: first, count: count, frequencies: frequencies,
                     solver: solvers[worker], options.normalization, out)
        }
    }

    /// Powers of the series of `layout` for frequencies first..<first+count from their sums
    /// (row j of `sums` is frequency first + j); ill-conditioned frequencies are recomputed by
    /// `DirectFit`.
    static func evaluate(_ data: PeriodogramData, _ layout: SumLayout, sums: UnsafePointer<Double>,
                         first: Int, count: Int, frequencies: FrequencySource, solver: GramSolver,
                         _ normalization: PeriodogramNormalization, _ out: UnsafeMutablePointer<Double>) {
        let width = layout.width, nf = frequencies.count
        for s in layout.series {
            let a = data.weightSet(of: s)
            let setOffset = layout.setOffset(a), seriesOffset = layout.seriesOffset(s)
            let c0 = data.weightSum[a], y0 = data.weightedSum[s]
            let reference = data.reference[s], total = data.weightTotal[a]
            let target = out + s * nf + first
            for j in 0..<count {
                let row = sums + j * width
                var r = solver.reduction(set: row + setOffset, series: row + seriesOffset, c0: c0, y0: y0)
                if r.pivot < GramSolver.wellConditioned && data.points * solver.columns <= DirectFit.sizeLimit {
                    r.value = DirectFit.reduction(data, series: s, frequency: frequencies.frequency(first + j),
                                                  terms: solver.terms, fitMean: solver.fitMean)
                }
                target[j] = GramSolver.normalize(r.value, reference: reference, weightTotal: total, normalization)
            }
        }
    }
}
