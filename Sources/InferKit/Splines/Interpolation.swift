/// Piecewise-linear and nearest-neighbour interpolation of tabulated values.
public enum TableInterpolation {
    /// Checks a table: finite, xp strictly increasing, lengths equal and non-zero.
    static func validate(_ xp: UnsafeBufferPointer<Double>, _ fp: UnsafeBufferPointer<Double>) throws {
        guard xp.count > 0 else { throw InferKitError.dimensionMismatch("n_p is 0: the table needs at least one point") }
        guard fp.count == xp.count else { throw InferKitError.dimensionMismatch("fp has \(fp.count) values but xp has \(xp.count)") }
        try requireFinite(xp, name: "xp")
        try requireFinite(fp, name: "fp")
        for i in 1..<max(xp.count, 1) where !(xp[i] > xp[i - 1]) {
            throw InferKitError.invalidArgument("xp[\(i)] = \(xp[i]) <= xp[\(i - 1)] = \(xp[i - 1]): xp must be strictly increasing")
        }
    }

    /// Index i with xp[i] <= v < xp[i+1], clamped to 0 ... count - 2.
    @inline(__always)
    static func segment(_ xp: UnsafeBufferPointer<Double>, _ v: Double) -> Int {
        var lo = 0, hi = xp.count - 1
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if xp[mid] <= v { lo = mid } else { hi = mid }
        }
        return lo
    }

    /// numpy.interp: linear inside, end values outside, NaN for NaN.
    public static func linear(xp: UnsafeBufferPointer<Double>, fp: UnsafeBufferPointer<Double>,
                              x: UnsafeBufferPointer<Double>, into out: UnsafeMutablePointer<Double>) throws {
        try interpolate(xp, fp, x, out) { j, v in
            let s = (v - xp[j]) / (xp[j + 1] - xp[j])
            return fp[j] + s * (fp[j + 1] - fp[j])
        }
    }

    /// Nearest tabulated value (a tie takes the left neighbour), end values outside.
    public static func nearest(xp: UnsafeBufferPointer<Double>, fp: UnsafeBufferPointer<Double>,
                               x: UnsafeBufferPointer<Double>, into out: UnsafeMutablePointer<Double>) throws {
        try interpolate(xp, fp, x, out) { j, v in v <= (xp[j] + xp[j + 1]) / 2 ? fp[j] : fp[j + 1] }
    }

    /// The common frame: validation, NaN, the end values outside [xp[0], xp[n-1]], and
    /// `inside(j, v)` on the segment [xp[j], xp[j+1]] that holds v.
    private static func interpolate(_ xp: UnsafeBufferPointer<Double>, _ fp: UnsafeBufferPointer<Double>,
                                    _ x: UnsafeBufferPointer<Double>, _ out: UnsafeMutablePointer<Double>,
                                    inside: (Int, Double) -> Double) throws {
        try validate(xp, fp)
        let n = xp.count
        for i in 0..<x.count {
            let v = x[i]
            if v.isNaN { out[i] = .nan }
            else if v <= xp[0] { out[i] = fp[0] }
            else if v >= xp[n - 1] { out[i] = fp[n - 1] }
            else { out[i] = inside(segment(xp, v), v) }
        }
    }
}
