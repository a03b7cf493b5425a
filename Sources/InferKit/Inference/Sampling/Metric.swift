// The Euclidean metric of Hamiltonian Monte Carlo: momenta p ~ N(0, M) and kinetic energy
// K(p) = ½ pᵀ M⁻¹ p. The sampler adapts the inverse metric M⁻¹ to the posterior covariance
// during warm-up (MetricAdaptation.swift), so that the Hamiltonian flow sees a roughly
// isotropic target (Stan Reference Manual, "Hamiltonian Monte Carlo", Euclidean metrics).

/// The form of the inverse metric M⁻¹.
public enum MetricKind: Int32, Sendable {
    /// M⁻¹ = I, never adapted.
    case unit = 0
    /// M⁻¹ = diag(σ²), adapted to the posterior variances.
    case diagonal = 1
    /// M⁻¹ = Σ, adapted to the whole posterior covariance.
    case dense = 2
}

/// An inverse metric M⁻¹ of `dimension` parameters: the identity, a diagonal of variances or a
/// dense symmetric positive-definite matrix. It also holds what drawing momenta needs: 1/σ_j for
/// a diagonal, the Cholesky factor U of Σ = UᵀU for a dense metric.
public struct InverseMetric: Sendable, Equatable {
    /// The form.
    public let kind: MetricKind
    /// Number of parameters n.
    public let dimension: Int
    /// unit: n ones; diagonal: the n variances; dense: Σ, n × n row-major (symmetric).
    public let values: [Double]
    /// diagonal and unit: 1/√values[j]; dense: U with Σ = UᵀU, column-major upper triangle.
    let factor: [Double]

    /// The identity of n parameters.
    public static func unit(_ n: Int) -> InverseMetric {
        InverseMetric(kind: .unit, dimension: n, values: [Double](repeating: 1, count: n),
                      factor: [Double](repeating: 1, count: n))
    }

    private init(kind: MetricKind, dimension: Int, values: [Double], factor: [Double]) {
        self.kind = kind
        self.dimension = dimension
        self.values = values
        self.factor = factor
    }

    /// A diagonal inverse metric of the variances `variances` (each finite and > 0; throws
    /// `invalidArgument` naming the first that is not).
    public init(diagonal variances: [Double]) throws {
        for (j, v) in variances.enumerated() where !(v > 0 && v.isFinite) {
            throw InferKitError.invalidArgument("the inverse metric's variance [\(j)] is \(describe(v)): it must be finite and > 0")
        }
        self.init(kind: .diagonal, dimension: variances.count, values: variances,
                  factor: variances.map { 1 / $0.squareRoot() })
    }

    /// A dense inverse metric Σ (n × n row-major, n² values, symmetric positive definite).
    /// Throws `dimensionMismatch` when the count is not a square, `nonFinite` for NaN or
    /// infinite entries, `invalidArgument` when Σ is not symmetric and `singular` when it is not
    /// positive definite.
    public init(dense covariance: [Double]) throws {
        let n = Int(Double(covariance.count).squareRoot().rounded())
        guard n * n == covariance.count else {
            throw InferKitError.dimensionMismatch("a dense inverse metric needs n x n values, got \(covariance.count)")
        }
        for (i, v) in covariance.enumerated() where !v.isFinite {
            throw InferKitError.nonFinite("the inverse metric's entry [\(i / n), \(i % n)] is \(describe(v))")
        }
        for i in 0..<n {
            for j in 0..<i where covariance[i * n + j] != covariance[j * n + i] {
                throw InferKitError.invalidArgument("the dense inverse metric is not symmetric: [\(i), \(j)] differs from [\(j), \(i)]")
            }
        }
        var u = covariance  // symmetric, so row-major equals column-major
        guard try LAPACK.potrf(n, &u) else {
            throw InferKitError.singular("the dense inverse metric is not positive definite")
        }
        for j in 0..<n { for i in (j + 1)..<max(j + 1, n) { u[i + j * n] = 0 } }
        self.init(kind: .dense, dimension: n, values: covariance, factor: u)
    }

    /// An inverse metric of `kind` from its stored values (`values` as documented there).
    public init(kind: MetricKind, values: [Double]) throws {
        switch kind {
        case .unit:
            guard values.allSatisfy({ $0 == 1 }) else {
                throw InferKitError.invalidArgument("a unit inverse metric has only ones")
            }
            self = .unit(values.count)
        case .diagonal: try self.init(diagonal: values)
        case .dense: try self.init(dense: values)
        }
    }

    /// The diagonal of M⁻¹ (the variances it assumes).
    public var diagonal: [Double] {
        kind == .dense ? (0..<dimension).map { values[$0 * dimension + $0] } : values
    }
}

/// An inverse metric copied to stable storage for the integrator's hot loops: velocity
/// v = M⁻¹ p, kinetic energy ½ p·v and momentum draws p ~ N(0, M), with no allocation.
final class MetricKernel {
    let n: Int
    private(set) var kind: MetricKind = .unit
    /// M⁻¹: n values (diagonal) or n × n row-major.
    private let inverse: UnsafeMutablePointer<Double>
    /// 1/σ_j (diagonal) or U (dense, column-major).
    private let factor: UnsafeMutablePointer<Double>
    private(set) var metric: InverseMetric

    init(_ metric: InverseMetric) {
        n = metric.dimension
        inverse = .allocate(capacity: max(1, n * n))
        factor = .allocate(capacity: max(1, n * n))
        self.metric = metric
        set(metric)
    }

    deinit {
        inverse.deallocate()
        factor.deallocate()
    }

    /// Replaces the metric (same dimension).
    func set(_ metric: InverseMetric) {
        self.metric = metric
        kind = metric.kind
        metric.values.withUnsafeBufferPointer { inverse.update(from: $0.baseAddress!, count: $0.count) }
        metric.factor.withUnsafeBufferPointer { factor.update(from: $0.baseAddress!, count: $0.count) }
    }

    /// v = M⁻¹ p. Plain loops (not BLAS) so results do not depend on the BLAS kernel chosen
    /// for the machine.
    @inline(__always)
    func velocity(_ p: UnsafeMutablePointer<Double>, into v: UnsafeMutablePointer<Double>) {
        switch kind {
        case .unit:
            for j in 0..<n { v[j] = p[j] }
        case .diagonal:
            for j in 0..<n { v[j] = inverse[j] * p[j] }
        case .dense:
            for i in 0..<n {
                var s = 0.0
                let row = inverse + i * n
                for j in 0..<n { s += row[j] * p[j] }
                v[i] = s
            }
        }
    }

    /// ½ p·v with v = M⁻¹ p.
    @inline(__always)
    func kineticEnergy(_ p: UnsafeMutablePointer<Double>, velocity v: UnsafeMutablePointer<Double>) -> Double {
        var s = 0.0
        for j in 0..<n { s += p[j] * v[j] }
        return 0.5 * s
    }

    /// p ~ N(0, M): z ~ N(0, I), then p_j = z_j/σ_j (diagonal) or U p = z (dense, since
    /// cov(U⁻¹z) = (UᵀU)⁻¹ = M).
    func drawMomentum(_ random: inout RandomStream, into p: UnsafeMutablePointer<Double>) {
        for j in 0..<n { p[j] = random.normal() }
        switch kind {
        case .unit: return
        case .diagonal:
            for j in 0..<n { p[j] *= factor[j] }
        case .dense:
            var i = n - 1
            while i >= 0 {
                var s = p[i]
                for j in (i + 1)..<max(i + 1, n) { s -= factor[i + j * n] * p[j] }
                p[i] = s / factor[i + i * n]
                i -= 1
            }
        }
    }
}
