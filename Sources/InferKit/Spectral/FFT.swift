/// An in-place complex FFT of a power-of-two length with the positive exponent,
///     X_m = sum_l x_l exp(+2 pi i m l / n),
/// on split real and imaginary arrays: radix-2 decimation in time after a bit-reversal
/// permutation, with twiddle factors computed directly (not by recurrence), stored per stage
/// contiguously. The error is about eps log2(n) of sum |x|.
final class FFTPlan {
    /// The transform length, a power of two >= 2.
    let length: Int
    private let log2Length: Int
    /// Stage with half-size h uses twiddles at offset h: cos/sin(2 pi k / (2h)), k < h.
    private let twiddleCos: UnsafeMutablePointer<Double>
    private let twiddleSin: UnsafeMutablePointer<Double>
    private let reversed: UnsafeMutablePointer<Int32>

    /// A plan for `length` (a power of two, at least 2).
    init(length n: Int) {
        length = n
        log2Length = n.trailingZeroBitCount
        twiddleCos = .allocate(capacity: n)
        twiddleSin = .allocate(capacity: n)
        reversed = .allocate(capacity: n)
        var h = 1
        while h < n {
            for k in 0..<h {
                let v = SinCos.cycles(Double(k) / Double(2 * h))
                twiddleCos[h + k] = v.cos
                twiddleSin[h + k] = v.sin
            }
            h *= 2
        }
        let bits = log2Length
        for i in 0..<n {
            var r = 0, v = i
            for _ in 0..<bits { r = (r << 1) | (v & 1); v >>= 1 }
            reversed[i] = Int32(r)
        }
    }

    deinit {
        twiddleCos.deallocate()
        twiddleSin.deallocate()
        reversed.deallocate()
    }

    /// Transforms (re, im) of `length` values in place.
    func transform(re: UnsafeMutablePointer<Double>, im: UnsafeMutablePointer<Double>) {
        let n = length
        for i in 0..<n {
            let r = Int(reversed[i])
            if r > i {
                let a = re[i]; re[i] = re[r]; re[r] = a
                let b = im[i]; im[i] = im[r]; im[r] = b
            }
        }
        // Size-2 butterflies (twiddle 1).
        var i = 0
        while i < n {
            let ar = re[i], ai = im[i], br = re[i &+ 1], bi = im[i &+ 1]
            re[i] = ar + br; im[i] = ai + bi
            re[i &+ 1] = ar - br; im[i &+ 1] = ai - bi
            i &+= 2
        }
        var h = 2
        while h < n {
            let wc = twiddleCos + h, wsn = twiddleSin + h
            var start = 0
            while start < n {
                let a0 = re + start, a1 = im + start, b0 = re + (start &+ h), b1 = im + (start &+ h)
                for k in 0..<h {
                    let c = wc[k], s = wsn[k]
                    let xr = b0[k], xi = b1[k]
                    let tr = xr * c - xi * s
                    let ti = xr * s + xi * c
                    let ur = a0[k], ui = a1[k]
                    a0[k] = ur + tr; a1[k] = ui + ti
                    b0[k] = ur - tr; b1[k] = ui - ti
                }
                start &+= 2 &* h
            }
            h &*= 2
        }
    }
}
