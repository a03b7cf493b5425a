// The leapfrog integrator of Hamiltonian dynamics with H(q, p) = −log π(q) + ½ pᵀ M⁻¹ p:
// half a step of momentum along ∇ log π, a full step of position along M⁻¹ p, the gradient at
// the new position, half a step of momentum (Neal 2011, "MCMC using Hamiltonian dynamics").

/// A point of phase space with what the tree needs of it: position q, momentum p, the gradient
/// g = ∇ log π(q) and log π(q). Storage is allocated once and reused (copies are elementwise).
final class PhasePoint {
    let n: Int
    let q: UnsafeMutablePointer<Double>
    let p: UnsafeMutablePointer<Double>
    let g: UnsafeMutablePointer<Double>
    var logDensity = 0.0

    init(dimension n: Int) {
        self.n = n
        q = .allocate(capacity: max(1, n)); q.initialize(repeating: 0, count: max(1, n))
        p = .allocate(capacity: max(1, n)); p.initialize(repeating: 0, count: max(1, n))
        g = .allocate(capacity: max(1, n)); g.initialize(repeating: 0, count: max(1, n))
    }

    deinit {
        q.deallocate()
        p.deallocate()
        g.deallocate()
    }

    /// Copies another point (same dimension) into this one.
    @inline(__always)
    func copy(from other: PhasePoint) {
        q.update(from: other.q, count: n)
        p.update(from: other.p, count: n)
        g.update(from: other.g, count: n)
        logDensity = other.logDensity
    }
}

/// The Hamiltonian system of one chain: the log density, the metric, scratch for the velocity
/// and the count of gradient evaluations.
final class HamiltonianSystem {
    let density: any LogDensity
    let metric: MetricKernel
    let n: Int
    /// Scratch M⁻¹ p.
    let velocity: UnsafeMutablePointer<Double>
    /// Gradient evaluations so far.
    var gradientEvaluations = 0

    init(density: any LogDensity, metric: InverseMetric) {
        self.density = density
        n = density.dimension
        self.metric = MetricKernel(metric)
        velocity = .allocate(capacity: max(1, n))
    }

    deinit { velocity.deallocate() }

    /// log π and its gradient at z.q, into z.logDensity and z.g. Errors of the density (a
    /// failing callback) pass on.
    @inline(__always)
    func evaluate(_ z: PhasePoint) throws {
        gradientEvaluations += 1
        z.logDensity = try density.valueAndGradient(UnsafeBufferPointer(start: z.q, count: n),
                                                    gradient: UnsafeMutableBufferPointer(start: z.g, count: n))
    }

    /// H(q, p) = −log π(q) + ½ pᵀ M⁻¹ p; +∞ when it is not a finite number (NaN energies,
    /// points outside the support and non-finite gradients all count as divergent).
    @inline(__always)
    func energy(_ z: PhasePoint) -> Double {
        metric.velocity(z.p, into: velocity)
        let h = -z.logDensity + metric.kineticEnergy(z.p, velocity: velocity)
        return h.isFinite ? h : .infinity
    }

    /// One leapfrog step of size ε (negative: backwards in time) in place.
    @inline(__always)
    func leapfrog(_ z: PhasePoint, _ epsilon: Double) throws {
        let half = 0.5 * epsilon
        for j in 0..<n { z.p[j] += half * z.g[j] }
        metric.velocity(z.p, into: velocity)
        for j in 0..<n { z.q[j] += epsilon * velocity[j] }
        try evaluate(z)
        var finite = true
        for j in 0..<n {
            z.p[j] += half * z.g[j]
            if !z.g[j].isFinite { finite = false }
        }
        if !finite { z.logDensity = -.infinity }
    }
}
