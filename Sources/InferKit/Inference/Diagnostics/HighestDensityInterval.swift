/// The highest-density interval of a unimodal sample, as ArviZ's `hdi` (not multimodal, not
/// circular): of the n sorted values x, with k = floor(prob n), the narrowest of the intervals
/// [x_i, x_{i+k}], i = 0 ..< n - k (the first one on ties).
public enum HighestDensityInterval {
    /// (lower, upper) of ascending `sorted` values (at least one) for 0 < prob < 1.
    public static func interval(sorted x: UnsafeBufferPointer<Double>, prob: Double) -> (lower: Double, upper: Double) {
        let n = x.count
        let k = min(Int((prob * Double(n)).rounded(.down)), n - 1)
        var best = 0
        var width = x[k] - x[0]
        if n - k > 1 {
            for i in 1..<(n - k) {
                let w = x[i + k] - x[i]
                if w < width { width = w; best = i }
            }
        }
        return (x[best], x[best + k])
    }

    /// Checks 0 < prob < 1 for an argument `name`.
    static func requireProbability(_ prob: Double, _ name: String) throws {
        guard prob > 0, prob < 1 else {
            throw InferKitError.invalidArgument("\(name) is \(prob): it must be > 0 and < 1")
        }
    }

    /// The HDI of every parameter of `samples` (n x parameters, row-major: any chain layout
    /// flattened), as (lower, upper) pairs.
    /// - Throws: `dimensionMismatch` (no samples or parameters), `invalidArgument` (prob not in
    ///   (0, 1)), `nonFinite`.
    public static func intervals(samples: UnsafeBufferPointer<Double>, count n: Int, parameters: Int,
                                 prob: Double) throws -> [(lower: Double, upper: Double)] {
        guard n > 0 else { throw InferKitError.dimensionMismatch("n_samples is 0: samples needs at least one value") }
        guard parameters > 0 else { throw InferKitError.dimensionMismatch("n_dim is 0: samples needs at least one parameter") }
        try requireProbability(prob, "prob")
        for i in 0..<(n * parameters) where !samples[i].isFinite {
            throw InferKitError.nonFinite("samples[\(i / parameters),\(i % parameters)] is \(samples[i])")
        }
        return (0..<parameters).map { d in
            let sorted = (0..<n).map { samples[$0 * parameters + d] }.sorted()
            return sorted.withUnsafeBufferPointer { interval(sorted: $0, prob: prob) }
        }
    }
}
