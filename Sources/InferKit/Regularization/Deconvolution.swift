/// Deconvolution by regularisation: recover f from y = R f + noise, R the convolution matrix
/// of a sampled response kernel (`ConvolutionMatrix`), by general-form Tikhonov
/// regularisation with lam chosen as the options say (the lecture's "Deconvolution and
/// Regularisation": minimise sum (y - R f)^2 + lam sum (D^1 f)^2).
public enum Deconvolution {
    /// The signal length n for `count` data in `mode`: n = count (same), count - m + 1 (full).
    public static func signalLength(dataCount: Int, kernelLength m: Int, mode: ConvolutionMatrix.Mode) throws -> Int {
        guard m > 0 else { throw InferKitError.dimensionMismatch("n_kernel is 0: the kernel needs at least one value") }
        guard dataCount > 0 else { throw InferKitError.dimensionMismatch("n_y is 0: y needs at least one value") }
        switch mode {
        case .same: return dataCount
        case .full:
            guard dataCount >= m, dataCount - m + 1 >= m else {
                throw InferKitError.dimensionMismatch(
                    "y has \(dataCount) values, so a full convolution with a kernel of \(m) values has a signal of only \(max(dataCount - m + 1, 0)): a kernel longer than the signal is not supported")
            }
            return dataCount - m + 1
        }
    }

    /// Deconvolves `data` (m values, sigma nil or m values) with `kernel`. The penalty acts on
    /// the n recovered values; `grid` and `options` are those of `Tikhonov.fit`.
    public static func deconvolve(data: UnsafeBufferPointer<Double>, kernel: UnsafeBufferPointer<Double>,
                                  mode: ConvolutionMatrix.Mode, boundary: ConvolutionMatrix.Boundary,
                                  sigma: UnsafeBufferPointer<Double>?, penalty: Penalty,
                                  grid: UnsafeBufferPointer<Double>?,
                                  options: TikhonovOptions = TikhonovOptions()) throws -> TikhonovFit {
        let n = try signalLength(dataCount: data.count, kernelLength: kernel.count, mode: mode)
        let r = try ConvolutionMatrix.matrix(kernel: kernel, signalLength: n, mode: mode, boundary: boundary)
        return try r.elements.withUnsafeBufferPointer { e in
            let view = MatrixView(base: e.baseAddress!, rows: r.rows, cols: n, layout: .columnMajor, name: "R")
            return try Tikhonov.fit(design: view, data: data, sigma: sigma, penalty: penalty, grid: grid,
                                    options: options)
        }
    }
}
