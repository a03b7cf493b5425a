// The tape's elementwise arithmetic over a block of points (Tape.execute), built twice like
// the exp kernel (see ExpKernel.swift): inlined into InferKit for the baseline, and here for
// x86-64-v3. Each output is one IEEE operation on its operands, so both builds give the same
// bits.

/// The elementwise operations of a tape instruction.
public enum Elementwise {
    /// The four arithmetic operations, by code.
    public static let add = 0, subtract = 1, multiply = 2, divide = 3

    /// `out[i] = a[i] op b[i]` for i < m, op by its code, reading a[0] (b[0]) alone when that
    /// operand is invariant (not both); a division by an invariant multiplies by its
    /// reciprocal (within an ulp of the quotient, and a fraction of its cost).
    @inlinable @inline(__always)
    public static func arithmetic(_ op: Int, _ a: UnsafePointer<Double>, _ aInvariant: Bool,
                                  _ b: UnsafePointer<Double>, _ bInvariant: Bool,
                                  _ out: UnsafeMutablePointer<Double>, _ m: Int) {
        if bInvariant {
            let s = b[0]
            switch op {
            case 0: for i in 0..<m { out[i] = a[i] + s }
            case 1: for i in 0..<m { out[i] = a[i] - s }
            case 2: for i in 0..<m { out[i] = a[i] * s }
            default:
                let reciprocal = 1 / s
                for i in 0..<m { out[i] = a[i] * reciprocal }
            }
        } else if aInvariant {
            let s = a[0]
            switch op {
            case 0: for i in 0..<m { out[i] = s + b[i] }
            case 1: for i in 0..<m { out[i] = s - b[i] }
            case 2: for i in 0..<m { out[i] = s * b[i] }
            default: for i in 0..<m { out[i] = s / b[i] }
            }
        } else {
            switch op {
            case 0: for i in 0..<m { out[i] = a[i] + b[i] }
            case 1: for i in 0..<m { out[i] = a[i] - b[i] }
            case 2: for i in 0..<m { out[i] = a[i] * b[i] }
            default: for i in 0..<m { out[i] = a[i] / b[i] }
            }
        }
    }

    /// `out[i] = a[i]²` for i < m.
    @inlinable @inline(__always)
    public static func square(_ a: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>, _ m: Int) {
        for i in 0..<m { out[i] = a[i] * a[i] }
    }
}

extension Elementwise {
    /// Σ_i r_i² with r_i = (y_i − f_i) v_i, v_i = w_i · inverse, and with `slopes` also
    /// slopes[i] = r_i v_i: a Gaussian log-likelihood's squares and slopes (w_i = 1/σ_i,
    /// inverse = 1/c), by products with reciprocals rather than quotients (each within about an
    /// ulp of the quotient). Point i goes to lane i mod 4, the lanes are added as
    /// (0 + 1) + (2 + 3), then the last n mod 4 points in order: four independent sums let the
    /// vector unit take several points at a time (a single running sum is one long chain of
    /// dependent additions), and the order depends only on n, so the value is the same on every
    /// machine and in both builds.
    @inlinable @inline(__always)
    public static func weightedSquares(_ f: UnsafePointer<Double>, _ y: UnsafePointer<Double>, _ w: UnsafePointer<Double>,
                                       _ inverse: Double, _ n: Int, _ slopes: UnsafeMutablePointer<Double>?) -> Double {
        let fp = UnsafeRawPointer(f), yp = UnsafeRawPointer(y), wp = UnsafeRawPointer(w)
        let iv = SIMD4<Double>(repeating: inverse)
        var lanes = SIMD4<Double>()
        let whole = n & ~3
        var i = 0
        while i < whole {
            let offset = i * MemoryLayout<Double>.stride
            let weight = wp.loadUnaligned(fromByteOffset: offset, as: SIMD4<Double>.self) * iv
            let r = (yp.loadUnaligned(fromByteOffset: offset, as: SIMD4<Double>.self)
                     - fp.loadUnaligned(fromByteOffset: offset, as: SIMD4<Double>.self)) * weight
            lanes += r * r
            if let slopes { UnsafeMutableRawPointer(slopes).storeBytes(of: r * weight, toByteOffset: offset, as: SIMD4<Double>.self) }
            i += 4
        }
        var total = (lanes[0] + lanes[1]) + (lanes[2] + lanes[3])
        while i < n {
            let weight = w[i] * inverse, r = (y[i] - f[i]) * weight
            total += r * r
            slopes?[i] = r * weight
            i += 1
        }
        return total
    }
}

/// `Elementwise.weightedSquares` in this module's build (x86-64-v3 on x86-64 hosts).
public func weightedSquaresV3(_ f: UnsafePointer<Double>, _ y: UnsafePointer<Double>, _ w: UnsafePointer<Double>,
                              _ inverse: Double, _ n: Int, _ slopes: UnsafeMutablePointer<Double>?) -> Double {
    Elementwise.weightedSquares(f, y, w, inverse, n, slopes)
}

/// `Elementwise.arithmetic` in this module's build (x86-64-v3 on x86-64 hosts). Call it only
/// where `CPUFeatures.x86_64_v3` holds (InferKit: `CPUFeatures.usesWideKernels`).
public func arithmeticV3(_ op: Int, _ a: UnsafePointer<Double>, _ aInvariant: Bool, _ b: UnsafePointer<Double>,
                         _ bInvariant: Bool, _ out: UnsafeMutablePointer<Double>, _ m: Int) {
    Elementwise.arithmetic(op, a, aInvariant, b, bInvariant, out, m)
}

/// `Elementwise.square` in this module's build (x86-64-v3 on x86-64 hosts).
public func squareV3(_ a: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>, _ m: Int) {
    Elementwise.square(a, out, m)
}
