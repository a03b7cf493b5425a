import InferKitKernels

// exp over arrays, written so that the compiler vectorises the loop (glibc's exp is one
// scalar call per point and was 14% of a formula fit's time): the kernel of InferKitKernels
// (the method is described there) for the arguments where 2^k is a normal number, run as the
// x86-64-v3 build of that module on processors that have it (twice the points per
// instruction), and the others one by one here, with 2^k applied in two halves so that
// results down to the subnormals and up to the largest double are exact scalings. Error at
// most about 1 ulp (the tests compare against glibc over the whole range).

enum Exponential {
    private static let log2e = ExpKernel.log2e
    private static let ln2High = ExpKernel.ln2High
    private static let ln2Low = ExpKernel.ln2Low
    private static let shift = ExpKernel.shift
    /// Beyond this exp overflows; below `minimum` it rounds to 0.
    private static let maximum = 709.782712893383973096
    private static let minimum = -745.1332191019412076235
    private static let normalLow = ExpKernel.normalLow
    private static let normalHigh = ExpKernel.normalHigh

    /// out[i] = exp(a[i]) for i < m (`a` and `out` must not overlap): the vectorised kernel
    /// for arguments in [−708, 709], then the rare others one by one.
    @inline(__always)
    static func evaluate(_ a: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>, _ m: Int) {
        evaluate(a, out, m, wide: CPUFeatures.x86_64_v3)
    }

    /// The same with the build chosen: `wide` the x86-64-v3 kernel (only where the processor
    /// has it), else the baseline one (tests compare the two).
    @inline(__always)
    static func evaluate(_ a: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>, _ m: Int, wide: Bool) {
        if !(wide ? expInRangeV3(a, out, m) : ExpKernel.inRange(a, out, m)) {
            for i in 0..<m where !(a[i] >= normalLow && a[i] <= normalHigh) { out[i] = value(a[i]) }
        }
    }

    /// exp(x) for every x: 2^k applied in two halves so that results down to the subnormals and
    /// up to the largest double are exact scalings.
    static func value(_ x: Double) -> Double {
        if x.isNaN { return x }
        if x > maximum { return .infinity }
        if x < minimum { return 0 }
        let t = x * log2e + shift
        let kf = t - shift
        let r = (x - kf * ln2High) - kf * ln2Low
        let k = Int(kf)
        let k1 = k / 2, k2 = k - k1
        let s1 = Double(bitPattern: UInt64(k1 + 1023) << 52)
        let s2 = Double(bitPattern: UInt64(k2 + 1023) << 52)
        return ExpKernel.polynomial(r) * s1 * s2
    }
}
