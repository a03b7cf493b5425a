/// Tall-skinny QR (TSQR): the rows of diag(w) G are cut into blocks that fit in cache, each
/// block is factorised by Householder QR (LAPACK dgeqrf) on its own thread, the right-hand
/// sides are rotated with the same reflectors (dormqr), and the stacked triangular factors
/// are factorised once more. (Recursive compact-WY QR, dgeqrt3, was measured 1.6x slower on
/// 1638 x 20 blocks: its level-3 calls are too small to pay for their packing.) The block split depends only on the problem size, so the result is
/// bit-identical for every thread count. Nothing of size rows x cols is ever allocated.
struct TallSkinnyQR {
    /// Upper-triangular factor R, cols x cols, column-major.
    var r: [Double]
    /// Q^T (w y): the first cols rows, cols x rhs, column-major.
    var qty: [Double]
    /// True when some element of the design or the data was NaN or infinite.
    var sawNonFinite: Bool
    /// Per column: every value equals the column's non-zero value in row 0 (an intercept).
    var constantColumns: [Bool]

    /// Rows per block: about 256 KiB of design, and at least twice the column count.
    static func blockRows(cols: Int) -> Int { max(2 * cols, 32768 / max(cols, 1)) }

    /// Factorises. Requires design.rows >= design.cols >= 1.
    init(design: WeightedRowSource, data: WeightedRowSource,
         weight: UnsafeBufferPointer<Double>?, threads: Int) throws {
        let n = design.rows, p = design.cols, k = data.cols
        let blocks = max(1, n / TallSkinnyQR.blockRows(cols: p))
        let base = n / blocks, extra = n % blocks
        func start(_ b: Int) -> Int { b * base + min(b, extra) }
        let stackRows = blocks * p
        var stackR = [Double](repeating: 0, count: stackRows * p)
        var stackC = [Double](repeating: 0, count: stackRows * k)
        var checks = [Bool](repeating: true, count: blocks)
        var failures = [InferKitError?](repeating: nil, count: blocks)
        var constant = [UInt8](repeating: 1, count: blocks * p)
        let workers = Parallel.workers(chunks: blocks, threads: threads)
        let maxRows = base + 1
        let scratchA = UnsafeMutablePointer<Double>.allocate(capacity: workers * maxRows * p)
        let scratchY = UnsafeMutablePointer<Double>.allocate(capacity: workers * maxRows * k)
        let workSize = LAPACK.qrWorkspace(rows: maxRows, cols: p, rhs: k)
        let scratchT = UnsafeMutablePointer<Double>.allocate(capacity: workers * (p + workSize))
        defer { scratchA.deallocate(); scratchY.deallocate(); scratchT.deallocate() }
        let w = weight?.baseAddress
        stackR.withUnsafeMutableBufferPointer { sr in
        stackC.withUnsafeMutableBufferPointer { sc in
        checks.withUnsafeMutableBufferPointer { ck in
        failures.withUnsafeMutableBufferPointer { fl in
        constant.withUnsafeMutableBufferPointer { cf in
            Parallel.forEach(chunks: blocks, threads: threads) { b, worker in
                let s = start(b), m = start(b + 1) - s
                let a = scratchA + worker * maxRows * p
                let y = scratchY + worker * maxRows * k
                let tau = scratchT + worker * (p + workSize), work = tau + p
                let finiteDesign = design.fill(start: s, count: m, weight: w, into: a, ld: m,
                                               constant: cf.baseAddress! + b * p)
                let finiteData = data.fill(start: s, count: m, weight: w, into: y, ld: m)
                ck[b] = finiteDesign && finiteData
                do {
                    try LAPACK.geqrf(m, p, a, m, tau, work: work, workSize)
                    try LAPACK.ormqr(transpose: true, m, k, p, a, m, tau, y, m, work: work, workSize)
                } catch {
                    fl[b] = error as? InferKitError ?? .internal("\(error)")
                    return
                }
                for j in 0..<p {
                    for i in 0...j { sr[b * p + i + j * stackRows] = a[i + j * m] }
                }
                for j in 0..<k {
                    for i in 0..<p { sc[b * p + i + j * stackRows] = y[i + j * m] }
                }
            }
        }}}}}
        sawNonFinite = checks.contains(false)
        constantColumns = (0..<p).map { j in (0..<blocks).allSatisfy { constant[$0 * p + j] != 0 } }
        r = [Double](repeating: 0, count: p * p)
        qty = [Double](repeating: 0, count: p * k)
        if sawNonFinite { return }
        if let failure = failures.first(where: { $0 != nil }) { throw failure! }
        if blocks > 1 {
            var tau = [Double](repeating: 0, count: p)
            try stackR.withUnsafeMutableBufferPointer { sr in
                try stackC.withUnsafeMutableBufferPointer { sc in
                    try tau.withUnsafeMutableBufferPointer { t in
                        try LAPACK.geqrf(stackRows, p, sr.baseAddress!, stackRows, t.baseAddress!)
                        try LAPACK.ormqr(transpose: true, stackRows, k, p, sr.baseAddress!,
                                         stackRows, t.baseAddress!, sc.baseAddress!, stackRows)
                    }
                }
            }
        }
        for j in 0..<p { for i in 0...j { r[i + j * p] = stackR[i + j * stackRows] } }
        for j in 0..<k { for i in 0..<p { qty[i + j * p] = stackC[i + j * stackRows] } }
    }
}
