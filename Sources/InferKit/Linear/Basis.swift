/// The bases of design matrices: polynomials (monomial, Legendre, Chebyshev) and the
/// cosine/sine bases of least-squares spectral analysis.
public enum BasisKind: Int32, Sendable, CaseIterable {
    /// x^0 .. x^deg in the caller's own x.
    case monomial = 0
    /// Legendre polynomials P_0(u) .. P_deg(u), u = x mapped from the domain onto [-1, 1].
    case legendre = 1
    /// Chebyshev polynomials of the first kind T_0(u) .. T_deg(u), u as for Legendre.
    case chebyshev = 2
    /// 1, cos(2 pi k x / P), sin(2 pi k x / P) for k = 1 ... deg: 2 deg + 1 columns.
    case fourier = 3
    /// cos(2 pi k x / P) for k = 0 ... deg (the lecture's LSSA basis): deg + 1 columns.
    case cosine = 4

    /// The largest degree (or number of modes) accepted, to keep sizes far from overflow.
    public static let maximumDegree = 1 << 20

    /// Number of design-matrix columns for `degree`.
    public func columns(degree: Int) -> Int {
        self == .fourier ? 2 * degree + 1 : degree + 1
    }

    /// Whether the basis maps x onto [-1, 1] through a domain.
    public var usesDomain: Bool { self == .legendre || self == .chebyshev }
    /// Whether the basis needs a period.
    public var usesPeriod: Bool { self == .fourier || self == .cosine }
}

/// A fully specified basis: kind, degree, and the resolved domain or period. Built by
/// `BasisSpec.init(kind:degree:x:domain:period:)`, which validates everything.
public struct BasisSpec: Sendable, Equatable {
    /// The kind of basis.
    public let kind: BasisKind
    /// Polynomial degree or number of modes.
    public let degree: Int
    /// Domain mapped onto [-1, 1] (Legendre, Chebyshev); (0, 0) otherwise.
    public let domain: (lo: Double, hi: Double)
    /// Period (Fourier, cosine); 0 otherwise.
    public let period: Double

    public static func == (a: BasisSpec, b: BasisSpec) -> Bool {
        a.kind == b.kind && a.degree == b.degree && a.domain == b.domain && a.period == b.period
    }

    /// Number of columns.
    public var columns: Int { kind.columns(degree: degree) }

    /// Validates and resolves a basis. `x` must already be finite; `domain == nil` maps
    /// [min x, max x] for Legendre and Chebyshev.
    public init(kind: BasisKind, degree: Int, x: UnsafeBufferPointer<Double>,
                domain: (Double, Double)?, period: Double) throws {
        guard degree >= 0, degree <= BasisKind.maximumDegree else {
            throw InferKitError.invalidArgument(
                "degree is \(degree): it must be between 0 and \(BasisKind.maximumDegree)")
        }
        self.kind = kind
        self.degree = degree
        if kind.usesDomain {
            if let (lo, hi) = domain {
                guard lo.isFinite, hi.isFinite else {
                    throw InferKitError.nonFinite("domain is [\(describe(lo)), \(describe(hi))]: both ends must be finite")
                }
                guard lo < hi else {
                    throw InferKitError.invalidArgument("domain is [\(lo), \(hi)]: domain[0] must be < domain[1]")
                }
                self.domain = (lo, hi)
            } else {
                let (lo, hi) = minMax(x)
                guard lo < hi else {
                    throw InferKitError.invalidArgument(
                        "x has the single value \(lo): the domain [min x, max x] is empty; pass a domain")
                }
                self.domain = (lo, hi)
            }
        } else {
            self.domain = (0, 0)
        }
        if kind.usesPeriod {
            guard period.isFinite, period > 0 else {
                throw InferKitError.invalidArgument("period is \(describe(period)): it must be finite and > 0")
            }
            self.period = period
        } else {
            self.period = 0
        }
    }

    /// The affine map u = (x - mid) / half of the domain onto [-1, 1].
    var mapping: (mid: Double, half: Double) {
        ((domain.lo + domain.hi) / 2, (domain.hi - domain.lo) / 2)
    }

    /// Fills row `i` of the design at point `x` into `out[j * stride]` for every column j,
    /// each value multiplied by `scale` (the weight 1/sigma, or 1).
    @inline(__always)
    func fillRow(x: Double, scale: Double, _ out: UnsafeMutablePointer<Double>, stride: Int) {
        switch kind {
        case .monomial:
            var v = scale
            for j in 0...degree { out[j * stride] = v; v *= x }
        case .legendre, .chebyshev:
            let (mid, half) = mapping
            let u = (x - mid) / half
            var p0 = 1.0, p1 = u
            out[0] = scale
            if degree >= 1 { out[stride] = scale * u }
            if degree >= 2 {
                for k in 1..<degree {
                    let p2: Double
                    if kind == .legendre {
                        p2 = (Double(2 * k + 1) * u * p1 - Double(k) * p0) / Double(k + 1)
                    } else {
                        p2 = 2 * u * p1 - p0
                    }
                    out[(k + 1) * stride] = scale * p2
                    p0 = p1; p1 = p2
                }
            }
        case .fourier:
            let w = 2 * Double.pi * x / period
            out[0] = scale
            if degree >= 1 {
                for k in 1...degree {
                    let a = Double(k) * w
                    out[(2 * k - 1) * stride] = scale * cos(a)
                    out[(2 * k) * stride] = scale * sin(a)
                }
            }
        case .cosine:
            let w = 2 * Double.pi * x / period
            for k in 0...degree { out[k * stride] = scale * cos(Double(k) * w) }
        }
    }

    /// Fills the n x columns design matrix at `x` into `out` with the given strides.
    public func fill(x: UnsafeBufferPointer<Double>, into out: UnsafeMutablePointer<Double>,
                     rowStride: Int, colStride: Int) {
        for i in 0..<x.count {
            fillRow(x: x[i], scale: 1, out + i * rowStride, stride: colStride)
        }
    }
}

/// Smallest and largest element of a non-empty buffer.
func minMax(_ x: UnsafeBufferPointer<Double>) -> (Double, Double) {
    var lo = x[0], hi = x[0]
    for v in x { lo = min(lo, v); hi = max(hi, v) }
    return (lo, hi)
}

#if canImport(Glibc)
import Glibc
#endif
