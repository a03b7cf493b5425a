/// A B-spline s(x) = sum_j c_j B_{j,k;t}(x) of degree k with knots t (de Boor's normalised
/// B-splines; the representation of scipy.interpolate.BSpline and FITPACK). The base interval
/// is [t[k], t[n]] with n = number of coefficients.
public struct BSpline: Sendable, Equatable {
    /// Knots, non-decreasing.
    public let knots: [Double]
    /// Coefficients, `knots.count - degree - 1` of them.
    public let coefficients: [Double]
    /// Degree k.
    public let degree: Int

    /// The largest degree accepted.
    public static let maximumDegree = 20

    /// Validates and builds a spline (names in messages as in C: t, c, k).
    public init(knots t: [Double], coefficients c: [Double], degree k: Int) throws {
        try BSpline.validate(knots: t, degree: k)
        guard c.count == t.count - k - 1 else {
            throw InferKitError.dimensionMismatch(
                "c has \(c.count) values but \(t.count) knots of degree \(k) need \(t.count - k - 1)")
        }
        try c.withUnsafeBufferPointer { try requireFinite($0, name: "c") }
        knots = t; coefficients = c; degree = k
    }

    /// Checks a knot vector for degree k: finite, non-decreasing, at least 2k + 2 knots, a
    /// non-empty base interval, no knot inside it repeated more than k + 1 times.
    public static func validate(knots t: [Double], degree k: Int) throws {
        guard k >= 0, k <= maximumDegree else {
            throw InferKitError.invalidArgument("k is \(k): the degree must be between 0 and \(maximumDegree)")
        }
        guard t.count >= 2 * k + 2 else {
            throw InferKitError.dimensionMismatch(
                "t has \(t.count) knots but degree \(k) needs at least \(2 * k + 2)")
        }
        try t.withUnsafeBufferPointer { try requireFinite($0, name: "t") }
        for i in 1..<t.count where !(t[i] >= t[i - 1]) {
            throw InferKitError.invalidArgument("t[\(i)] = \(t[i]) < t[\(i - 1)] = \(t[i - 1]): knots must be non-decreasing")
        }
        let n = t.count - k - 1
        guard t[k] < t[n] else {
            throw InferKitError.invalidArgument("t[\(k)] = t[\(n)] = \(t[k]): the base interval is empty")
        }
        // Inside the base interval a knot of multiplicity above k + 1 would make the spline
        // discontinuous; at the ends extra copies only add B-splines of empty support (scipy's
        // k = 0 interpolation ends with x[n-1] twice).
        var run = 1
        for i in 1..<t.count {
            run = t[i] == t[i - 1] ? run + 1 : 1
            if run > k + 1 && t[i] > t[k] && t[i] < t[n] {
                throw InferKitError.invalidArgument(
                    "t[\(i)] = \(t[i]) is repeated \(run) times: at most k + 1 = \(k + 1) for degree \(k)")
            }
        }
    }

    /// Number of coefficients n.
    public var count: Int { knots.count - degree - 1 }
    /// The base interval [t[k], t[n]].
    public var baseInterval: (lo: Double, hi: Double) { (knots[degree], knots[count]) }

    /// The interval index l with t[l] <= x < t[l+1], k <= l <= n - 1 (the last interval also
    /// takes x = t[n]; points outside take the end intervals, for extrapolation).
    @inline(__always)
    static func interval(_ t: UnsafeBufferPointer<Double>, _ k: Int, _ x: Double) -> Int {
        let n = t.count - k - 1
        // Binary search for the last l in [k, n-1] with t[l] <= x.
        var lo = k, hi = n - 1
        if x < t[lo + 1] { return lo }
        if x >= t[hi] {
            // For k >= 1, the last non-empty interval (an end knot may be repeated beyond
            // k + 1 times, which would leave an empty last interval and 0/0 in the basis).
            // Degree 0 keeps the last interval, as scipy: its constant is the value at t[n].
            if k > 0 { while hi > k && t[hi] >= t[hi + 1] { hi -= 1 } }
            return hi
        }
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if t[mid] <= x { lo = mid } else { hi = mid }
        }
        return lo
    }

    /// Values of the d + 1 B-splines of degree d that are non-zero on interval l,
    /// B_{l-d..l, d}(x), into `out` (de Boor's BSPLVB; valid for x outside the interval too,
    /// as the polynomial continuation).
    @inline(__always)
    static func basis(_ t: UnsafeBufferPointer<Double>, _ l: Int, _ d: Int, _ x: Double,
                      _ out: UnsafeMutablePointer<Double>, _ work: UnsafeMutablePointer<Double>) {
        let left = work, right = work + (d + 1)
        out[0] = 1
        if d == 0 { return }
        for j in 1...d {
            left[j] = x - t[l + 1 - j]
            right[j] = t[l + j] - x
            var saved = 0.0
            for r in 0..<j {
                let temp = out[r] / (right[r + 1] + left[j - r])
                out[r] = saved + right[r + 1] * temp
                saved = left[j - r] * temp
            }
            out[j] = saved
        }
    }

    /// The nu-th derivatives of the k + 1 B-splines B_{l-k..l, k} at x, into `out`: the
    /// coefficients are differenced nu times (the derivative of a spline is a spline of degree
    /// k - 1 with coefficients k (c_j - c_{j-1}) / (t_{j+k} - t_j); a zero-length support gives
    /// 0), then evaluated with the degree k - nu basis. `work` holds 4 (k + 1) values.
    static func basisDerivatives(_ t: UnsafeBufferPointer<Double>, _ k: Int, _ l: Int, _ nu: Int,
                                 _ x: Double, _ out: UnsafeMutablePointer<Double>,
                                 _ work: UnsafeMutablePointer<Double>) {
        if nu == 0 { basis(t, l, k, x, out, work); return }
        let m = k + 1
        for a in 0..<m { out[a] = 0 }
        if nu > k { return }
        let d = k - nu
        let values = work, scratch = work + m, coef = work + 3 * m
        basis(t, l, d, x, values, scratch)
        // For each unit coefficient vector e_a (a = 0..k, coefficient index l - k + a),
        // difference nu times over indices l-k..l and combine with the degree-d values.
        for a in 0..<m {
            for j in 0..<m { coef[j] = j == a ? 1 : 0 }
            for r in 1...nu {
                let deg = k - r + 1
                var j = k
                while j >= r {
                    let idx = l - k + j
                    let span = t[idx + deg] - t[idx]
                    coef[j] = span > 0 ? Double(deg) * (coef[j] - coef[j - 1]) / span : 0
                    j -= 1
                }
            }
            var s = 0.0
            for b in 0...d { s += coef[nu + b] * values[b] }
            out[a] = s
        }
    }

    /// The nu-th derivative at each x. Outside the base interval: the continued end pieces
    /// (`extrapolate`) or NaN. NaN in x gives NaN.
    public func evaluate(_ x: UnsafeBufferPointer<Double>, derivative nu: Int, extrapolate: Bool,
                         into out: UnsafeMutablePointer<Double>) throws {
        guard nu >= 0 else { throw InferKitError.invalidArgument("nu is \(nu): the derivative order must be >= 0") }
        let k = degree
        let (lo, hi) = baseInterval
        if nu > k {
            for i in 0..<x.count { out[i] = x[i].isNaN || (!extrapolate && !(x[i] >= lo && x[i] <= hi)) ? .nan : 0 }
            return
        }
        // Differentiated coefficients once, then plain evaluation of degree k - nu.
        var c = coefficients
        let d = k - nu
        knots.withUnsafeBufferPointer { t in
            for r in stride(from: 1, through: nu, by: 1) {
                let deg = k - r + 1
                var j = count - 1
                while j >= r {
                    let span = t[j + deg] - t[j]
                    c[j] = span > 0 ? Double(deg) * (c[j] - c[j - 1]) / span : 0
                    j -= 1
                }
            }
            let work = UnsafeMutablePointer<Double>.allocate(capacity: 4 * (k + 1))
            defer { work.deallocate() }
            let values = work + 2 * (k + 1)
            c.withUnsafeBufferPointer { cp in
                for i in 0..<x.count {
                    let xi = x[i]
                    if xi.isNaN || (!extrapolate && !(xi >= lo && xi <= hi)) { out[i] = .nan; continue }
                    let l = BSpline.interval(t, k, xi)
                    BSpline.basis(t, l, d, xi, values, work)
                    var s = 0.0
                    for b in 0...d { s += cp[l - d + b] * values[b] }
                    out[i] = s
                }
            }
        }
    }

    /// The antiderivative spline (degree k + 1, knots extended by one at each end), exactly as
    /// FITPACK's splantider: its value at t[k] is 0.
    public func antiderivative() -> BSpline {
        let k = degree, t = knots, n = count
        var c = [Double](repeating: 0, count: t.count + 2 - (k + 1) - 1)
        var sum = 0.0
        for j in 0..<n {
            sum += coefficients[j] * (t[j + k + 1] - t[j])
            c[j + 1] = sum / Double(k + 1)
        }
        for j in (n + 1)..<c.count { c[j] = c[n] }
        return BSpline(uncheckedKnots: [t[0]] + t + [t[t.count - 1]], coefficients: c, degree: k + 1)
    }

    /// The integral from a to b. Without extrapolation the limits are first clipped to the base
    /// interval (an interval entirely outside integrates to 0).
    public func integrate(from a: Double, to b: Double, extrapolate: Bool) throws -> Double {
        guard a.isFinite, b.isFinite else {
            throw InferKitError.nonFinite("the integration limits are [\(describe(a)), \(describe(b))]: both must be finite")
        }
        var lo = min(a, b), hi = max(a, b)
        let sign: Double = b < a ? -1 : 1
        if !extrapolate {
            lo = max(lo, baseInterval.lo)
            hi = min(hi, baseInterval.hi)
            if lo >= hi { return 0 }
        }
        if degree == 0 {
            // A step function: exact sum of pieces; outside, the end values that evaluation
            // uses (c[0] on the left, c[n-1] on the right).
            let t = knots, c = coefficients, n = count
            func overlap(_ a: Double, _ b: Double) -> Double { max(0, min(b, hi) - max(a, lo)) }
            var sum = c[0] * overlap(-.infinity, t[0]) + c[n - 1] * overlap(t[n], .infinity)
            for j in 0..<n { sum += c[j] * overlap(t[j], t[j + 1]) }
            return sign * sum
        }
        let f = antiderivative()
        var ends = [lo, hi], values = [0.0, 0.0]
        try ends.withUnsafeMutableBufferPointer { e in
            try values.withUnsafeMutableBufferPointer { v in
                try f.evaluate(UnsafeBufferPointer(e), derivative: 0, extrapolate: true, into: v.baseAddress!)
            }
        }
        _ = ends
        return sign * (values[1] - values[0])
    }

    /// Builds without validation (for results of this file's own constructions).
    init(uncheckedKnots t: [Double], coefficients c: [Double], degree k: Int) {
        knots = t; coefficients = c; degree = k
    }
}

/// Dense B-spline design matrices.
public enum SplineDesign {
    /// Element (i, j): the nu-th derivative of B_{j,k;t} at x_i (x inside the base interval),
    /// column-major n x (n_t - k - 1).
    public static func matrix(knots t: [Double], degree k: Int, x: UnsafeBufferPointer<Double>,
                              derivative nu: Int) throws -> DenseMatrix {
        try BSpline.validate(knots: t, degree: k)
        guard nu >= 0 else { throw InferKitError.invalidArgument("nu is \(nu): the derivative order must be >= 0") }
        try requireFinite(x, name: "x")
        let n = t.count - k - 1
        let lo = t[k], hi = t[n]
        for i in 0..<x.count where !(x[i] >= lo && x[i] <= hi) {
            throw InferKitError.invalidArgument("x[\(i)] = \(x[i]) is outside the base interval [t[\(k)], t[\(n)]] = [\(lo), \(hi)]")
        }
        var out = DenseMatrix(rows: x.count, cols: n)
        let work = UnsafeMutablePointer<Double>.allocate(capacity: 4 * (k + 1) * (k + 1) + 4 * (k + 1))
        defer { work.deallocate() }
        let values = UnsafeMutablePointer<Double>.allocate(capacity: k + 1)
        defer { values.deallocate() }
        t.withUnsafeBufferPointer { tp in
            for i in 0..<x.count {
                let l = BSpline.interval(tp, k, x[i])
                BSpline.basisDerivatives(tp, k, l, nu, x[i], values, work)
                for a in 0...k { out[i, l - k + a] = values[a] }
            }
        }
        return out
    }
}
