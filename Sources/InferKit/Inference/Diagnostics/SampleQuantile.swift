/// Sample quantiles of sorted values, with the exact arithmetic of the reference libraries
/// (so that the results, and indicators such as x <= q built on them, agree bit for bit).
public enum SampleQuantile {
    /// numpy's default `quantile(x, p)` ("linear", Hyndman and Fan type 7) of ascending
    /// `sorted` values (at least one) and 0 <= p <= 1: with h = (n - 1) p, i = floor(h) and
    /// g = h - i, the value x_i + (x_{i+1} - x_i) g (for g < 1/2) or x_{i+1} - (x_{i+1} - x_i)(1 - g).
    public static func linear(sorted x: UnsafeBufferPointer<Double>, _ p: Double) -> Double {
        let n = x.count
        let h = Double(n - 1) * p
        if h >= Double(n - 1) { return x[n - 1] }
        if h < 0 { return x[0] }
        let lower = h.rounded(.down)
        let i = Int(lower)
        let g = h - lower
        let a = x[i], b = x[i + 1]
        let d = b - a
        return g >= 0.5 ? b - d * (1 - g) : a + d * g
    }

    /// scipy's `mstats.mquantiles(x, p, alphap=1, betap=1)` (type 7, ArviZ's `_quantile`) of
    /// ascending `sorted` values (at least one): with a = n p + (1 - p), k = floor(clip(a, 1,
    /// n - 1)) and g = clip(a - k, 0, 1), the value (1 - g) x_{k-1} + g x_k.
    public static func type7(sorted x: UnsafeBufferPointer<Double>, _ p: Double) -> Double {
        let n = x.count
        if n == 1 { return x[0] }
        let m = 1.0 + p * (1.0 - 1.0 - 1.0)
        let aleph = Double(n) * p + m
        let k = Int(min(max(aleph, 1), Double(n - 1)).rounded(.down))
        let g = min(max(aleph - Double(k), 0), 1)
        return (1.0 - g) * x[k - 1] + g * x[k]
    }

    /// numpy's `median`: the middle value of an odd count, the mean of the two middle values
    /// of an even count (at least one value).
    public static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        let n = sorted.count
        if n % 2 == 1 { return sorted[n / 2] }
        return (sorted[n / 2 - 1] + sorted[n / 2]) / 2
    }
}
