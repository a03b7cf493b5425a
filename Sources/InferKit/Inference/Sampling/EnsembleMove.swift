#if canImport(Glibc)
import Glibc
#endif

// The proposals of the affine-invariant ensemble sampler (emcee 3's moves). Each moves one
// walker x_k of the active half using the walkers c_j of the complementary half, with the
// walker's own random stream, and returns log of the proposal's Jacobian factor (the stretch
// move's (d - 1) log z; 0 for the symmetric moves).

/// A move of the ensemble sampler, as emcee's `moves` module defines them.
public enum EnsembleMove: Sendable, Equatable {
    /// Goodman & Weare's stretch move: y = c + z (x - c) for a random complementary walker c,
    /// z drawn from g(z) ∝ 1/√z on [1/a, a] (emcee's `StretchMove(a=2.0)`).
    case stretch(a: Double = 2)
    /// Differential evolution (ter Braak 2006; emcee's `DEMove`): y = x + γ (c_j - c_i) for two
    /// distinct complementary walkers, γ = γ₀ (1 + σ N(0, 1)), γ₀ = 2.38 / √(2d) when nil.
    case differentialEvolution(sigma: Double = 1e-5, gamma0: Double? = nil)
    /// Goodman & Weare's walk move (emcee's `WalkMove(s=None)`): y = x + Σ_j z_j (c_j - c̄) /
    /// √(s - 1) over a random subset of s complementary walkers (all of them when nil), i.e. a
    /// Gaussian step with the subset's covariance.
    case walk(subsetSize: Int? = nil)

    /// The move's name and parameters, for messages.
    public var description: String {
        switch self {
        case .stretch(let a): return "stretch move (a = \(a))"
        case .differentialEvolution(let s, let g):
            return "differential-evolution move (sigma = \(s), gamma0 = \(g.map { "\($0)" } ?? "2.38/sqrt(2 d)"))"
        case .walk(let s): return "walk move (s = \(s.map { "\($0)" } ?? "all"))"
        }
    }

    /// Throws `invalidArgument` naming the move when its parameters are out of range for an
    /// ensemble whose smaller half has `complement` walkers.
    func validate(complement: Int) throws {
        switch self {
        case .stretch(let a):
            guard a.isFinite, a > 1 else {
                throw InferKitError.invalidArgument("the stretch move's a is \(describe(a)): it must be finite and > 1")
            }
        case .differentialEvolution(let sigma, let gamma0):
            guard sigma.isFinite, sigma >= 0 else {
                throw InferKitError.invalidArgument("the differential-evolution move's sigma is \(describe(sigma)): it must be finite and >= 0")
            }
            if let g = gamma0, !(g.isFinite && g > 0) {
                throw InferKitError.invalidArgument("the differential-evolution move's gamma0 is \(describe(g)): it must be finite and > 0")
            }
            guard complement >= 2 else {
                throw InferKitError.invalidArgument(
                    "the differential-evolution move needs two walkers in each half of the ensemble, but the smaller half has \(complement): use at least 4 walkers")
            }
        case .walk(let s):
            if let s {
                guard s >= 2, s <= complement else {
                    throw InferKitError.invalidArgument(
                        "the walk move's subset size s is \(s): it must be between 2 and the \(complement) walkers of the smaller half of the ensemble")
                }
            } else if complement < 2 {
                throw InferKitError.invalidArgument(
                    "the walk move needs two walkers in each half of the ensemble, but the smaller half has \(complement): use at least 4 walkers")
            }
        }
    }
}

/// Scratch space and the fixed shapes for making proposals (no allocation per step).
struct ProposalContext {
    let dimension: Int
    /// Walker positions, walkers × dimension.
    let positions: UnsafeMutableBufferPointer<Double>
    /// Indices of the complementary walkers.
    let complement: UnsafeBufferPointer<Int>
    /// Room for `complement.count` indices (the walk move's subset) and `dimension` doubles.
    let indexScratch: UnsafeMutableBufferPointer<Int>
    let meanScratch: UnsafeMutableBufferPointer<Double>

    /// Writes the proposal for the walker at `x` into `y` (dimension values) and returns log of
    /// its acceptance factor.
    @inline(__always)
    func propose(_ move: EnsembleMove, x: UnsafeMutablePointer<Double>, y: UnsafeMutablePointer<Double>,
                 stream: inout RandomStream) -> Double {
        let d = dimension, nc = complement.count
        let base = positions.baseAddress!
        switch move {
        case .stretch(let a):
            let u = stream.uniform()
            let z = ((a - 1) * u + 1) * ((a - 1) * u + 1) / a
            let c = base + complement[stream.integer(below: nc)] * d
            for k in 0..<d { y[k] = c[k] - (c[k] - x[k]) * z }
            return Double(d - 1) * log(z)
        case .differentialEvolution(let sigma, let gamma0):
            let i = stream.integer(below: nc)
            var j = stream.integer(below: nc - 1)
            if j >= i { j += 1 }
            let g0 = gamma0 ?? 2.38 / (2 * Double(d)).squareRoot()
            let gamma = g0 * (1 + sigma * stream.normal())
            let ci = base + complement[i] * d, cj = base + complement[j] * d
            for k in 0..<d { y[k] = x[k] + gamma * (cj[k] - ci[k]) }
            return 0
        case .walk(let subsetSize):
            let s = subsetSize ?? nc
            // A uniformly random s-subset of the complement: a partial Fisher-Yates shuffle.
            for t in 0..<nc { indexScratch[t] = complement[t] }
            for t in 0..<s {
                let r = t + stream.integer(below: nc - t)
                indexScratch.swapAt(t, r)
            }
            for k in 0..<d { meanScratch[k] = 0 }
            for t in 0..<s {
                let c = base + indexScratch[t] * d
                for k in 0..<d { meanScratch[k] += c[k] }
            }
            for k in 0..<d { meanScratch[k] /= Double(s); y[k] = x[k] }
            let norm = 1 / Double(s - 1).squareRoot()
            for t in 0..<s {
                let z = stream.normal() * norm
                let c = base + indexScratch[t] * d
                for k in 0..<d { y[k] += z * (c[k] - meanScratch[k]) }
            }
            return 0
        }
    }
}
