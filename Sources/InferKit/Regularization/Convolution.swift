/// The matrix R of a discrete convolution with a sampled response kernel: y = R f is
/// y_i = sum_k h_k f_(i + offset - k), the lecture's F_i = R_ij f_j.
///
/// Modes follow numpy.convolve and scipy.linalg.convolution_matrix: `full` gives all
/// n + m - 1 overlaps (R_ij = h_(i-j)), `same` the n central ones (offset (m - 1) / 2, as
/// scipy). Outside the signal, f is zero (`zero`) or mirrored about its ends
/// (`reflect`: ... f1 f0 | f0 f1 ... f_(n-1) | f_(n-1) f_(n-2) ..., scipy.ndimage's "reflect").
public enum ConvolutionMatrix {
    /// Which outputs of the convolution are rows of R.
    public enum Mode: Int32, Sendable {
        /// All n + m - 1 outputs.
        case full = 0
        /// The n outputs centred on the signal.
        case same = 1
    }

    /// How the signal continues outside its n samples.
    public enum Boundary: Int32, Sendable {
        /// Zero outside.
        case zero = 0
        /// Mirrored about its end points (half-sample symmetric).
        case reflect = 1
    }

    /// Number of rows of R for a kernel of m values and a signal of n values.
    public static func rows(kernelLength m: Int, signalLength n: Int, mode: Mode) throws -> Int {
        try validate(kernelLength: m, signalLength: n)
        switch mode {
        case .full:
            let (r, o) = n.addingReportingOverflow(m - 1)
            guard !o else { throw InferKitError.outOfMemory("n + m - 1 overflows") }
            return r
        case .same: return n
        }
    }

    /// Checks the sizes: a non-empty kernel no longer than a non-empty signal.
    static func validate(kernelLength m: Int, signalLength n: Int) throws {
        guard m > 0 else { throw InferKitError.dimensionMismatch("n_kernel is 0: the kernel needs at least one value") }
        guard n > 0 else { throw InferKitError.dimensionMismatch("n is 0: the signal needs at least one value") }
        guard m <= n else {
            throw InferKitError.dimensionMismatch(
                "kernel has \(m) values but the signal has only n = \(n): a kernel longer than the signal is not supported")
        }
    }

    /// Writes R (rows x n, see `rows`) into `out` with the given element strides
    /// (row-major: rowStride n, colStride 1). The kernel must be finite.
    public static func fill(kernel h: UnsafeBufferPointer<Double>, signalLength n: Int, mode: Mode,
                            boundary: Boundary, into out: UnsafeMutablePointer<Double>,
                            rowStride: Int, colStride: Int) throws {
        let m = h.count
        let rows = try rows(kernelLength: m, signalLength: n, mode: mode)
        try requireFinite(h, name: "kernel")
        let offset = mode == .same ? (m - 1) / 2 : 0
        for i in 0..<rows { for j in 0..<n { out[i * rowStride + j * colStride] = 0 } }
        for i in 0..<rows {
            let centre = i + offset
            for k in 0..<m {
                var j = centre - k
                if j < 0 || j >= n {
                    guard boundary == .reflect else { continue }
                    // m <= n, so one reflection brings every index inside.
                    j = j < 0 ? -j - 1 : 2 * n - 1 - j
                }
                out[i * rowStride + j * colStride] += h[k]
            }
        }
    }

    /// R as a column-major DenseMatrix.
    public static func matrix(kernel h: UnsafeBufferPointer<Double>, signalLength n: Int, mode: Mode,
                              boundary: Boundary) throws -> DenseMatrix {
        let rows = try rows(kernelLength: h.count, signalLength: n, mode: mode)
        _ = try checkedProduct(rows, n, "the convolution matrix")
        var r = DenseMatrix(rows: rows, cols: n)
        try r.elements.withUnsafeMutableBufferPointer { e in
            try fill(kernel: h, signalLength: n, mode: mode, boundary: boundary, into: e.baseAddress!,
                     rowStride: 1, colStride: rows)
        }
        return r
    }
}

/// a * b, or `outOfMemory` naming `what` when the product overflows.
func checkedProduct(_ a: Int, _ b: Int, _ what: String) throws -> Int {
    let (r, o) = a.multipliedReportingOverflow(by: b)
    guard !o else { throw InferKitError.outOfMemory("\(what) has \(a) x \(b) elements: the size overflows") }
    return r
}
