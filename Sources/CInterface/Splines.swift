import CInferKitABI
import InferKit

// The ik_spline_* and ik_interp_* families: argument checks and conversions only; the math is
// in InferKit/Splines.

/// A spline owned by a C handle (ik_spline_t*), with its least-squares fit when it has one.
final class SplineBox {
    let spline: BSpline
    let fit: LeastSquaresSpline?
    init(_ spline: BSpline, fit: LeastSquaresSpline? = nil) { self.spline = spline; self.fit = fit }
}

private func splineBox(_ h: OpaquePointer?) throws -> SplineBox {
    try HandleTable.shared.object(h, as: SplineBox.self, name: "spline", cType: "ik_spline_t")
}

private func publish(_ box: SplineBox, _ out: UnsafeMutablePointer<OpaquePointer?>) {
    HandleTable.shared.publish(box, into: out)
}

private func extrapolation(_ v: Int32) throws -> Bool {
    switch v {
    case 0: return false
    case 1: return true
    default:
        throw ArgumentError(status: .invalidArgument,
                            message: "extrapolate is \(v): use IK_SPLINE_NAN_OUTSIDE (0) or IK_SPLINE_EXTRAPOLATE (1)")
    }
}

@_cdecl("ik_spline_create")
public func ik_spline_create(_ t: UnsafePointer<Double>?, _ nT: Int, _ c: UnsafePointer<Double>?, _ nC: Int,
                             _ k: Int32, _ spline: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    guarded {
        let out = try requireNonNull(spline, "spline")
        out.pointee = nil
        let knots = try vector(t, nT, "t", "n_t")
        let coefficients = try vector(c, nC, "c", "n_c")
        publish(SplineBox(try BSpline(knots: Array(knots), coefficients: Array(coefficients), degree: Int(k))), out)
    }
}

/// The (x, y, optional w) triple of a fit: x non-NULL with n > 0 values, y non-NULL, w NULL
/// or n values.
private func weightedData(_ x: UnsafePointer<Double>?, _ n: Int, _ y: UnsafePointer<Double>?,
                          _ w: UnsafePointer<Double>?) throws
    -> (UnsafeBufferPointer<Double>, UnsafeBufferPointer<Double>, UnsafeBufferPointer<Double>?) {
    let xs = try vector(x, n, "x", "n")
    let ys = UnsafeBufferPointer(start: try requireNonNull(y, "y"), count: xs.count)
    return (xs, ys, w.map { UnsafeBufferPointer(start: $0, count: xs.count) })
}

@_cdecl("ik_spline_lsq")
public func ik_spline_lsq(_ x: UnsafePointer<Double>?, _ n: Int, _ y: UnsafePointer<Double>?,
                          _ w: UnsafePointer<Double>?, _ t: UnsafePointer<Double>?, _ nT: Int,
                          _ k: Int32, _ spline: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    guarded {
        let out = try requireNonNull(spline, "spline")
        out.pointee = nil
        let (xs, ys, ws) = try weightedData(x, n, y, w)
        let knots = try vector(t, nT, "t", "n_t")
        let fit = try SplineFit.leastSquares(x: xs, y: ys, weights: ws, knots: Array(knots), degree: Int(k))
        publish(SplineBox(fit.spline, fit: fit), out)
    }
}

@_cdecl("ik_spline_interp")
public func ik_spline_interp(_ x: UnsafePointer<Double>?, _ n: Int, _ y: UnsafePointer<Double>?,
                             _ k: Int32, _ bc: Int32, _ spline: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    guarded {
        let out = try requireNonNull(spline, "spline")
        out.pointee = nil
        let xs = try vector(x, n, "x", "n")
        let ys = UnsafeBufferPointer(start: try requireNonNull(y, "y"), count: xs.count)
        guard let end = SplineFit.EndCondition(rawValue: bc) else {
            throw ArgumentError(status: .invalidArgument,
                                message: "bc is \(bc): use IK_SPLINE_NOT_A_KNOT (0), IK_SPLINE_NATURAL (1) or IK_SPLINE_CLAMPED (2)")
        }
        publish(SplineBox(try SplineFit.interpolating(x: xs, y: ys, degree: Int(k), end: end)), out)
    }
}

@_cdecl("ik_spline_info")
public func ik_spline_info(_ spline: OpaquePointer?, _ nT: UnsafeMutablePointer<Int>?,
                           _ nC: UnsafeMutablePointer<Int>?, _ k: UnsafeMutablePointer<Int32>?) -> Int32 {
    guarded {
        let s = try splineBox(spline).spline
        try requireNonNull(nT, "n_t").pointee = s.knots.count
        try requireNonNull(nC, "n_c").pointee = s.count
        try requireNonNull(k, "k").pointee = Int32(s.degree)
    }
}

@_cdecl("ik_spline_knots")
public func ik_spline_knots(_ spline: OpaquePointer?, _ out: UnsafeMutablePointer<Double>?, _ len: Int) -> Int32 {
    guarded {
        let s = try splineBox(spline).spline
        let o = try requireNonNull(out, "out")
        try requireLength(len, s.knots.count, "out", "the knots (n_t)")
        for i in 0..<s.knots.count { o[i] = s.knots[i] }
    }
}

@_cdecl("ik_spline_coefficients")
public func ik_spline_coefficients(_ spline: OpaquePointer?, _ out: UnsafeMutablePointer<Double>?, _ len: Int) -> Int32 {
    guarded {
        let s = try splineBox(spline).spline
        let o = try requireNonNull(out, "out")
        try requireLength(len, s.count, "out", "the coefficients (n_c)")
        for i in 0..<s.count { o[i] = s.coefficients[i] }
    }
}

@_cdecl("ik_spline_evaluate")
public func ik_spline_evaluate(_ spline: OpaquePointer?, _ x: UnsafePointer<Double>?, _ n: Int,
                               _ nu: Int32, _ extrapolate: Int32, _ out: UnsafeMutablePointer<Double>?) -> Int32 {
    guarded {
        let s = try splineBox(spline).spline
        let xs = try vector(x, n, "x", "n")
        let o = try requireNonNull(out, "out")
        try s.evaluate(xs, derivative: Int(nu), extrapolate: try extrapolation(extrapolate), into: o)
    }
}

@_cdecl("ik_spline_integrate")
public func ik_spline_integrate(_ spline: OpaquePointer?, _ a: Double, _ b: Double, _ extrapolate: Int32,
                                _ out: UnsafeMutablePointer<Double>?) -> Int32 {
    guarded {
        let s = try splineBox(spline).spline
        let o = try requireNonNull(out, "out")
        o.pointee = try s.integrate(from: a, to: b, extrapolate: try extrapolation(extrapolate))
    }
}

/// The least-squares fit behind a handle, or IK_ERR_INVALID_ARGUMENT.
private func leastSquaresFit(_ spline: OpaquePointer?) throws -> LeastSquaresSpline {
    guard let fit = try splineBox(spline).fit else {
        throw ArgumentError(status: .invalidArgument,
                            message: "spline was not made by ik_spline_lsq: it has no covariance")
    }
    return fit
}

@_cdecl("ik_spline_covariance")
public func ik_spline_covariance(_ spline: OpaquePointer?, _ absoluteSigma: Int32,
                                 _ out: UnsafeMutablePointer<Double>?, _ len: Int) -> Int32 {
    guarded {
        let fit = try leastSquaresFit(spline)
        let absolute = try flag(absoluteSigma, "absolute_sigma")
        let o = try requireNonNull(out, "out")
        let n = fit.spline.count
        try requireLength(len, try product(n, n, "cov"), "out", "the covariance (n_c x n_c)")
        let cov = fit.covariance(absoluteSigma: absolute)
        for i in 0..<(n * n) { o[i] = cov[i] }
    }
}

@_cdecl("ik_spline_predict_std")
public func ik_spline_predict_std(_ spline: OpaquePointer?, _ x: UnsafePointer<Double>?, _ n: Int,
                                  _ absoluteSigma: Int32, _ out: UnsafeMutablePointer<Double>?) -> Int32 {
    guarded {
        let fit = try leastSquaresFit(spline)
        let absolute = try flag(absoluteSigma, "absolute_sigma")
        let xs = try vector(x, n, "x", "n")
        let o = try requireNonNull(out, "out")
        fit.predictionError(xs, absoluteSigma: absolute, into: o)
    }
}

@_cdecl("ik_spline_design_matrix")
public func ik_spline_design_matrix(_ t: UnsafePointer<Double>?, _ nT: Int, _ k: Int32,
                                    _ x: UnsafePointer<Double>?, _ n: Int, _ nu: Int32, _ layoutFlag: Int32,
                                    _ out: UnsafeMutablePointer<Double>?, _ outLen: Int) -> Int32 {
    guarded {
        let knots = try vector(t, nT, "t", "n_t")
        let xs = try vector(x, n, "x", "n")
        let o = try requireNonNull(out, "out")
        let order = try layout(layoutFlag, "layout")
        let matrix = try SplineDesign.matrix(knots: Array(knots), degree: Int(k), x: xs, derivative: Int(nu))
        let cols = matrix.cols
        try requireLength(try length(outLen, "out_len"), try product(xs.count, cols, "out"), "out", "the n x n_c design")
        for i in 0..<xs.count {
            for j in 0..<cols {
                let v = matrix.elements[i + j * xs.count]
                switch order {
                case .rowMajor: o[i * cols + j] = v
                case .columnMajor: o[i + j * xs.count] = v
                }
            }
        }
    }
}

@_cdecl("ik_spline_free")
public func ik_spline_free(_ spline: OpaquePointer?) {
    HandleTable.shared.release(spline.map { UnsafeRawPointer($0) }, as: SplineBox.self)
}

/// The shared checks of ik_interp_linear and ik_interp_nearest.
private func interpolateTable(_ xp: UnsafePointer<Double>?, _ fp: UnsafePointer<Double>?, _ nP: Int,
                              _ x: UnsafePointer<Double>?, _ n: Int, _ out: UnsafeMutablePointer<Double>?,
                              _ method: (UnsafeBufferPointer<Double>, UnsafeBufferPointer<Double>,
                                         UnsafeBufferPointer<Double>, UnsafeMutablePointer<Double>) throws -> Void) -> Int32 {
    guarded {
        let table = try vector(xp, nP, "xp", "n_p")
        let values = UnsafeBufferPointer(start: try requireNonNull(fp, "fp"), count: table.count)
        let xs = try vector(x, n, "x", "n")
        try method(table, values, xs, try requireNonNull(out, "out"))
    }
}

@_cdecl("ik_interp_linear")
public func ik_interp_linear(_ xp: UnsafePointer<Double>?, _ fp: UnsafePointer<Double>?, _ nP: Int,
                             _ x: UnsafePointer<Double>?, _ n: Int, _ out: UnsafeMutablePointer<Double>?) -> Int32 {
    interpolateTable(xp, fp, nP, x, n, out) { try TableInterpolation.linear(xp: $0, fp: $1, x: $2, into: $3) }
}

@_cdecl("ik_interp_nearest")
public func ik_interp_nearest(_ xp: UnsafePointer<Double>?, _ fp: UnsafePointer<Double>?, _ nP: Int,
                              _ x: UnsafePointer<Double>?, _ n: Int, _ out: UnsafeMutablePointer<Double>?) -> Int32 {
    interpolateTable(xp, fp, nP, x, n, out) { try TableInterpolation.nearest(xp: $0, fp: $1, x: $2, into: $3) }
}

@_cdecl("ik_spline_smoothing")
public func ik_spline_smoothing(_ x: UnsafePointer<Double>?, _ n: Int, _ y: UnsafePointer<Double>?,
                                _ w: UnsafePointer<Double>?, _ lam: Double,
                                _ spline: UnsafeMutablePointer<OpaquePointer?>?,
                                _ lamUsed: UnsafeMutablePointer<Double>?) -> Int32 {
    guarded {
        let out = try requireNonNull(spline, "spline")
        out.pointee = nil
        let (xs, ys, ws) = try weightedData(x, n, y, w)
        guard !lam.isNaN else { throw ArgumentError(status: .invalidArgument, message: "lam is NaN: use lam >= 0, or a negative value for GCV") }
        let problem = try SmoothingSpline(x: xs, y: ys, weights: ws)
        let (s, used) = try problem.fit(lambda: lam < 0 ? nil : lam)
        lamUsed?.pointee = used
        publish(SplineBox(s), out)
    }
}
