/// Double-double arithmetic: an unevaluated sum hi + lo of two doubles with |lo| <= ulp(hi)/2,
/// about 32 significant digits, built from error-free transformations (Knuth's TwoSum and an
/// FMA-based TwoProduct; Dekker 1971, Bailey's QD library). Used where residuals must be
/// formed without cancellation error: iterative refinement and basis conversions. Portable:
/// it needs only IEEE double and fused multiply-add.
public struct DoubleDouble: Sendable, Equatable, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral {
    /// Leading part.
    public var hi: Double
    /// Trailing part.
    public var lo: Double

    /// hi + lo, assumed normalised.
    @inline(__always) public init(hi: Double, lo: Double) { self.hi = hi; self.lo = lo }
    /// The exact value of a double.
    @inline(__always) public init(_ v: Double) { hi = v; lo = 0 }
    /// The value of an integer (exact up to 2^53, and to 106 bits beyond).
    @inline(__always) public init(_ v: Int) {
        let h = Double(v)
        hi = h
        lo = Double(v - Int(h))
    }
    public init(integerLiteral v: Int) { self.init(v) }
    public init(floatLiteral v: Double) { self.init(v) }

    /// a + b exactly, as (sum, error).
    @inline(__always) static func twoSum(_ a: Double, _ b: Double) -> DoubleDouble {
        let s = a + b
        let bb = s - a
        return DoubleDouble(hi: s, lo: (a - (s - bb)) + (b - bb))
    }

    /// a + b exactly when |a| >= |b|.
    @inline(__always) static func quickTwoSum(_ a: Double, _ b: Double) -> DoubleDouble {
        let s = a + b
        return DoubleDouble(hi: s, lo: b - (s - a))
    }

    /// a * b exactly, as (product, error), with one FMA.
    @inline(__always) static func twoProduct(_ a: Double, _ b: Double) -> DoubleDouble {
        let p = a * b
        return DoubleDouble(hi: p, lo: (-p).addingProduct(a, b))
    }

    @inline(__always) public static func + (a: DoubleDouble, b: DoubleDouble) -> DoubleDouble {
        let s = twoSum(a.hi, b.hi)
        let t = twoSum(a.lo, b.lo)
        let u = quickTwoSum(s.hi, s.lo + t.hi)
        return quickTwoSum(u.hi, u.lo + t.lo)
    }

    @inline(__always) public static prefix func - (a: DoubleDouble) -> DoubleDouble {
        DoubleDouble(hi: -a.hi, lo: -a.lo)
    }

    @inline(__always) public static func - (a: DoubleDouble, b: DoubleDouble) -> DoubleDouble { a + (-b) }

    @inline(__always) public static func * (a: DoubleDouble, b: DoubleDouble) -> DoubleDouble {
        let p = twoProduct(a.hi, b.hi)
        return quickTwoSum(p.hi, p.lo + (a.hi * b.lo + a.lo * b.hi))
    }

    @inline(__always) public static func / (a: DoubleDouble, b: DoubleDouble) -> DoubleDouble {
        let q1 = a.hi / b.hi
        let r = a - b * DoubleDouble(q1)
        let q2 = r.hi / b.hi
        let r2 = r - b * DoubleDouble(q2)
        let q3 = r2.hi / b.hi
        return quickTwoSum(q1, q2) + DoubleDouble(q3)
    }

    @inline(__always) public static func += (a: inout DoubleDouble, b: DoubleDouble) { a = a + b }
    @inline(__always) public static func -= (a: inout DoubleDouble, b: DoubleDouble) { a = a - b }
    @inline(__always) public static func *= (a: inout DoubleDouble, b: DoubleDouble) { a = a * b }
}

extension Double {
    /// The double nearest a double-double.
    @inline(__always) public init(_ v: DoubleDouble) { self = v.hi + v.lo }
}

/// The extended type of residual computations.
public typealias Extended = DoubleDouble
