#if canImport(Glibc)
import Glibc
#endif

// Counter-based random numbers (Salmon, Moraes, Dror & Shaw, "Parallel random numbers: as easy
// as 1, 2, 3", SC 2011): the n-th output of a stream is a pure function of (seed, stream, n),
// so every chain or walker owns its own stream and the draws never depend on which thread ran
// it or in which order. Philox4x32-10 is the generator numpy's `Philox` and Random123 use.

/// The Philox4x32-10 block function: 10 rounds of two 32 x 32 -> 64-bit multiplications and a
/// Weyl-sequence key schedule, mapping a 128-bit counter and a 64-bit key to 128 random bits.
@inline(__always)
func philox4x32(_ counter: (UInt32, UInt32, UInt32, UInt32), key: (UInt32, UInt32)) -> (UInt32, UInt32, UInt32, UInt32) {
    var (c0, c1, c2, c3) = counter
    var (k0, k1) = key
    for _ in 0..<10 {
        let p0 = UInt64(0xD251_1F53) &* UInt64(c0)
        let p1 = UInt64(0xCD9E_8D57) &* UInt64(c2)
        let n0 = UInt32(truncatingIfNeeded: p1 >> 32) ^ c1 ^ k0
        let n2 = UInt32(truncatingIfNeeded: p0 >> 32) ^ c3 ^ k1
        c1 = UInt32(truncatingIfNeeded: p1)
        c3 = UInt32(truncatingIfNeeded: p0)
        c0 = n0
        c2 = n2
        k0 = k0 &+ 0x9E37_79B9
        k1 = k1 &+ 0xBB67_AE85
    }
    return (c0, c1, c2, c3)
}

/// One reproducible stream of random numbers: Philox4x32-10 keyed by the run's seed, with the
/// stream number in the high half of the counter and the position in the low half. Streams with
/// different numbers are independent; a stream's state is four integers, so it can be saved and
/// restored exactly (`state`, `init(state:)`).
public struct RandomStream: Sendable, Equatable {
    /// The run's seed (the Philox key).
    public let seed: UInt64
    /// The stream number (a chain or walker index, say).
    public let stream: UInt64
    /// The next block of the counter to encrypt.
    private var block: UInt64 = 0
    /// The second 64-bit word of the last block, when not yet used.
    private var spare: UInt64 = 0
    private var hasSpare = false

    /// Stream `stream` of the generator seeded with `seed`.
    public init(seed: UInt64, stream: UInt64 = 0) {
        self.seed = seed
        self.stream = stream
    }

    /// The complete state as five integers: seed, stream, block, spare word, spare flag.
    public var state: [UInt64] { [seed, stream, block, spare, hasSpare ? 1 : 0] }

    /// Restores a state saved from `state`; nil unless it has five entries and a valid flag.
    public init?(state: [UInt64]) {
        guard state.count == 5, state[4] <= 1 else { return nil }
        seed = state[0]
        stream = state[1]
        block = state[2]
        spare = state[3]
        hasSpare = state[4] == 1
    }

    /// The next 64 uniformly random bits.
    @inline(__always)
    public mutating func nextUInt64() -> UInt64 {
        if hasSpare {
            hasSpare = false
            return spare
        }
        let r = philox4x32((UInt32(truncatingIfNeeded: block), UInt32(truncatingIfNeeded: block >> 32),
                            UInt32(truncatingIfNeeded: stream), UInt32(truncatingIfNeeded: stream >> 32)),
                           key: (UInt32(truncatingIfNeeded: seed), UInt32(truncatingIfNeeded: seed >> 32)))
        block &+= 1
        spare = UInt64(r.2) | UInt64(r.3) << 32
        hasSpare = true
        return UInt64(r.0) | UInt64(r.1) << 32
    }

    /// A uniform double in [0, 1) with 53 random bits.
    @inline(__always)
    public mutating func uniform() -> Double {
        Double(nextUInt64() >> 11) * 0x1p-53
    }

    /// A uniform double in (0, 1): never 0, so its logarithm is finite.
    @inline(__always)
    public mutating func openUniform() -> Double {
        (Double(nextUInt64() >> 11) + 0.5) * 0x1p-53
    }

    /// A standard normal deviate: the Box-Muller transform of two open uniforms (one normal
    /// per call, so the state stays the counter alone).
    @inline(__always)
    public mutating func normal() -> Double {
        let u1 = openUniform(), u2 = uniform()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// A uniformly random integer in 0..<bound, by Lemire's unbiased multiply-and-reject
    /// method (0 when bound <= 1).
    public mutating func integer(below bound: Int) -> Int {
        if bound <= 1 { return 0 }
        let b = UInt64(bound)
        var m = nextUInt64().multipliedFullWidth(by: b)
        if m.low < b {
            let threshold = (0 &- b) % b
            while m.low < threshold { m = nextUInt64().multipliedFullWidth(by: b) }
        }
        return Int(m.high)
    }

    /// Fills `out` with standard normal deviates.
    public mutating func fillNormal(_ out: UnsafeMutableBufferPointer<Double>) {
        for i in 0..<out.count { out[i] = normal() }
    }
}
