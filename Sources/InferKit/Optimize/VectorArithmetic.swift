// The few vector operations the optimisers share, as plain loops the compiler vectorises.

enum Vector {
    /// aᵀb.
    static func dot(_ a: [Double], _ b: [Double]) -> Double {
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                var s = 0.0
                for i in 0..<Swift.min(pa.count, pb.count) { s += pa[i] * pb[i] }
                return s
            }
        }
    }

    /// ‖a‖₂.
    static func norm(_ a: [Double]) -> Double { dot(a, a).squareRoot() }

    /// ‖a‖∞ (NaN when a holds a NaN).
    static func infinityNorm(_ a: [Double]) -> Double {
        var m = 0.0
        for v in a {
            if v.isNaN { return .nan }
            m = Swift.max(m, Swift.abs(v))
        }
        return m
    }

    /// a + t b.
    static func adding(_ a: [Double], _ t: Double, _ b: [Double]) -> [Double] {
        var r = a
        add(t, b, to: &r)
        return r
    }

    /// a += t b, in place.
    static func add(_ t: Double, _ b: [Double], to a: inout [Double]) {
        a.withUnsafeMutableBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                for i in 0..<Swift.min(pa.count, pb.count) { pa[i] += t * pb[i] }
            }
        }
    }

    /// aᵀb over the indices where `include` is true.
    static func dot(_ a: [Double], _ b: [Double], include: [Bool]) -> Double {
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                include.withUnsafeBufferPointer { pi in
                    var s = 0.0
                    for i in 0..<Swift.min(pa.count, pb.count, pi.count) where pi[i] { s += pa[i] * pb[i] }
                    return s
                }
            }
        }
    }

    /// a - b.
    static func difference(_ a: [Double], _ b: [Double]) -> [Double] { adding(a, -1, b) }

    /// t a.
    static func scaled(_ a: [Double], _ t: Double) -> [Double] { a.map { t * $0 } }

    /// True when every element is finite.
    static func isFinite(_ a: [Double]) -> Bool { a.allSatisfy(\.isFinite) }
}
