#if canImport(Glibc)
import Glibc
#endif

// One NUTS transition: Stan's multinomial variant of the No-U-Turn sampler (Hoffman & Gelman
// 2014; Betancourt 2017, "A Conceptual Introduction to Hamiltonian Monte Carlo", appendix A).
// The trajectory doubles forwards or backwards in time at random; every leapfrog state gets the
// weight exp(H₀ − H); within a new subtree the state kept is drawn in proportion to the weights
// (uniform progressive sampling), and at the top level the new subtree's state replaces the
// current one with probability min(1, w_new/w_old) (biased progressive sampling, favouring
// states far from the start). Doubling stops at a U-turn — the generalised criterion
// ρ·M⁻¹p₋ > 0 and ρ·M⁻¹p₊ > 0 with ρ the summed momenta, checked across every merged subtree
// and between neighbouring subtrees — at a divergence (H − H₀ > 1000, or a non-finite energy),
// or at the maximum depth.

/// What one transition did.
struct NUTSTransitionInfo {
    /// Depth of the final tree (2^depth − 1 leapfrog steps when it reached it).
    var depth = 0
    /// Leapfrog steps (each one gradient evaluation).
    var leapfrogSteps = 0
    /// The mean of min(1, exp(H₀ − H)) over the trajectory: the statistic dual averaging drives
    /// to the target.
    var acceptance = 0.0
    /// True when the trajectory diverged.
    var divergent = false
    /// The energy H of the kept state.
    var energy = 0.0
    /// True when the kept state differs from the starting one.
    var moved = false
}

/// Per-chain trajectory storage, allocated once for the maximum depth: the tree never allocates.
final class NUTSTrajectory {
    let system: HamiltonianSystem
    let n: Int
    let maxDepth: Int
    /// The largest H − H₀ that is not a divergence.
    let maxEnergyError: Double

    /// The current state: the chain's position with its gradient and log density.
    let current: PhasePoint
    /// The integrator's moving state.
    private let z: PhasePoint
    private let forwardEnd: PhasePoint, backwardEnd: PhasePoint, sample: PhasePoint, propose: PhasePoint
    /// Per depth level ≥ 1: the proposal of the final subtree.
    private let proposeFinal: [PhasePoint]
    /// One block of vectors: 12 at the top level, 6 per depth level, 1 temporary.
    private let vectors: UnsafeMutablePointer<Double>
    private let vectorCount: Int

    private var random = RandomStream(seed: 0)
    private var epsilon = 0.0
    private var h0 = 0.0
    private var leapfrogSteps = 0
    private var acceptanceSum = 0.0
    private var divergent = false

    init(system: HamiltonianSystem, maxDepth: Int, maxEnergyError: Double = 1000) {
        self.system = system
        n = system.n
        self.maxDepth = maxDepth
        self.maxEnergyError = maxEnergyError
        current = PhasePoint(dimension: n)
        z = PhasePoint(dimension: n)
        forwardEnd = PhasePoint(dimension: n)
        backwardEnd = PhasePoint(dimension: n)
        sample = PhasePoint(dimension: n)
        propose = PhasePoint(dimension: n)
        proposeFinal = (0..<(maxDepth + 1)).map { _ in PhasePoint(dimension: system.n) }
        vectorCount = 13 + 6 * (maxDepth + 1)
        vectors = .allocate(capacity: vectorCount * max(1, n))
        vectors.initialize(repeating: 0, count: vectorCount * max(1, n))
    }

    deinit { vectors.deallocate() }

    @inline(__always)
    private func vector(_ k: Int) -> UnsafeMutablePointer<Double> { vectors + k * n }
    /// The k-th (0..<6) vector of depth level `level` (≥ 1).
    @inline(__always)
    private func levelVector(_ level: Int, _ k: Int) -> UnsafeMutablePointer<Double> { vectors + (13 + 6 * level + k) * n }

    @inline(__always)
    private func dot(_ a: UnsafeMutablePointer<Double>, _ b: UnsafeMutablePointer<Double>) -> Double {
        var s = 0.0
        for j in 0..<n { s += a[j] * b[j] }
        return s
    }

    /// The no-U-turn condition for a trajectory with velocities `minus` and `plus` at its ends
    /// and summed momenta `rho`: true while it has not turned back.
    @inline(__always)
    private func noUTurn(_ minus: UnsafeMutablePointer<Double>, _ plus: UnsafeMutablePointer<Double>,
                         _ rho: UnsafeMutablePointer<Double>) -> Bool {
        dot(plus, rho) > 0 && dot(minus, rho) > 0
    }

    @inline(__always)
    private func logSumExp(_ a: Double, _ b: Double) -> Double {
        if a == -.infinity { return b }
        if b == -.infinity { return a }
        return a > b ? a + log1p(exp(b - a)) : b + log1p(exp(a - b))
    }

    @inline(__always)
    private func add(_ a: UnsafeMutablePointer<Double>, _ b: UnsafeMutablePointer<Double>, into out: UnsafeMutablePointer<Double>) {
        for j in 0..<n { out[j] = a[j] + b[j] }
    }

    /// One transition from `current` with step size ε, drawing from `random`; on return
    /// `current` holds the kept state.
    func transition(stepSize: Double, random stream: inout RandomStream) throws -> NUTSTransitionInfo {
        random = stream
        defer { stream = random }
        epsilon = stepSize
        leapfrogSteps = 0
        acceptanceSum = 0
        divergent = false

        let metric = system.metric
        z.copy(from: current)
        metric.drawMomentum(&random, into: z.p)
        h0 = system.energy(z)
        forwardEnd.copy(from: z)
        backwardEnd.copy(from: z)
        sample.copy(from: z)

        // Top-level vectors: momenta and velocities at the four inner and outer ends.
        let pForwardForward = vector(0), vForwardForward = vector(1)
        let pForwardBackward = vector(2), vForwardBackward = vector(3)
        let pBackwardForward = vector(4), vBackwardForward = vector(5)
        let pBackwardBackward = vector(6), vBackwardBackward = vector(7)
        let rho = vector(8), rhoForward = vector(9), rhoBackward = vector(10), rhoExtended = vector(11)
        metric.velocity(z.p, into: vForwardForward)
        for j in 0..<n {
            pForwardForward[j] = z.p[j]
            pForwardBackward[j] = z.p[j]; vForwardBackward[j] = vForwardForward[j]
            pBackwardForward[j] = z.p[j]; vBackwardForward[j] = vForwardForward[j]
            pBackwardBackward[j] = z.p[j]; vBackwardBackward[j] = vForwardForward[j]
            rho[j] = z.p[j]
        }
        var logSumWeight = 0.0
        var depth = 0
        var moved = false

        while depth < maxDepth {
            for j in 0..<n { rhoForward[j] = 0; rhoBackward[j] = 0 }
            var logSumWeightSubtree = -Double.infinity
            let valid: Bool
            if random.uniform() > 0.5 {
                z.copy(from: forwardEnd)
                for j in 0..<n {
                    rhoBackward[j] = rho[j]
                    pBackwardForward[j] = pForwardBackward[j]
                    vBackwardForward[j] = vForwardBackward[j]
                }
                valid = try buildTree(depth: depth, propose: propose, vBegin: vForwardBackward, vEnd: vForwardForward,
                                      rho: rhoForward, pBegin: pForwardBackward, pEnd: pForwardForward,
                                      direction: 1, logSumWeight: &logSumWeightSubtree)
                forwardEnd.copy(from: z)
            } else {
                z.copy(from: backwardEnd)
                for j in 0..<n {
                    rhoForward[j] = rho[j]
                    pForwardBackward[j] = pBackwardForward[j]
                    vForwardBackward[j] = vBackwardForward[j]
                }
                valid = try buildTree(depth: depth, propose: propose, vBegin: vBackwardForward, vEnd: vBackwardBackward,
                                      rho: rhoBackward, pBegin: pBackwardForward, pEnd: pBackwardBackward,
                                      direction: -1, logSumWeight: &logSumWeightSubtree)
                backwardEnd.copy(from: z)
            }
            if !valid { break }
            depth += 1

            // Biased progressive sampling of the new subtree against the old tree.
            if logSumWeightSubtree > logSumWeight {
                sample.copy(from: propose)
                moved = true
            } else if random.uniform() < exp(logSumWeightSubtree - logSumWeight) {
                sample.copy(from: propose)
                moved = true
            }
            logSumWeight = logSumExp(logSumWeight, logSumWeightSubtree)

            add(rhoBackward, rhoForward, into: rho)
            var persist = noUTurn(vBackwardBackward, vForwardForward, rho)
            add(rhoBackward, pForwardBackward, into: rhoExtended)
            persist = persist && noUTurn(vBackwardBackward, vForwardBackward, rhoExtended)
            add(rhoForward, pBackwardForward, into: rhoExtended)
            persist = persist && noUTurn(vBackwardForward, vForwardForward, rhoExtended)
            if !persist { break }
        }

        current.copy(from: sample)
        var info = NUTSTransitionInfo()
        info.depth = depth
        info.leapfrogSteps = leapfrogSteps
        info.acceptance = leapfrogSteps > 0 ? acceptanceSum / Double(leapfrogSteps) : 0
        info.divergent = divergent
        info.moved = moved
        info.energy = system.energy(current)
        return info
    }

    /// Builds a subtree of 2^depth leapfrog steps from z in `direction`, Stan's base_nuts
    /// build_tree: its multinomial proposal lands in `propose`, its end velocities in
    /// `vBegin`/`vEnd` and momenta in `pBegin`/`pEnd`, its summed momenta are added to `rho`
    /// and its log summed weight to `logSumWeight`. Returns false at a divergence or a U-turn
    /// inside it.
    private func buildTree(depth: Int, propose: PhasePoint,
                           vBegin: UnsafeMutablePointer<Double>, vEnd: UnsafeMutablePointer<Double>,
                           rho: UnsafeMutablePointer<Double>,
                           pBegin: UnsafeMutablePointer<Double>, pEnd: UnsafeMutablePointer<Double>,
                           direction: Double, logSumWeight: inout Double) throws -> Bool {
        if depth == 0 {
            try system.leapfrog(z, direction * epsilon)
            leapfrogSteps += 1
            let h = system.energy(z)
            if h - h0 > maxEnergyError { divergent = true }
            logSumWeight = logSumExp(logSumWeight, h0 - h)
            acceptanceSum += h0 - h > 0 ? 1 : exp(h0 - h)
            propose.copy(from: z)
            system.metric.velocity(z.p, into: vBegin)
            for j in 0..<n {
                vEnd[j] = vBegin[j]
                rho[j] += z.p[j]
                pBegin[j] = z.p[j]
                pEnd[j] = z.p[j]
            }
            return !divergent
        }

        // The initial subtree.
        let pInitialEnd = levelVector(depth, 0), vInitialEnd = levelVector(depth, 1), rhoInitial = levelVector(depth, 2)
        let pFinalBegin = levelVector(depth, 3), vFinalBegin = levelVector(depth, 4), rhoFinal = levelVector(depth, 5)
        for j in 0..<n { rhoInitial[j] = 0; rhoFinal[j] = 0 }
        var logSumWeightInitial = -Double.infinity
        guard try buildTree(depth: depth - 1, propose: propose, vBegin: vBegin, vEnd: vInitialEnd, rho: rhoInitial,
                            pBegin: pBegin, pEnd: pInitialEnd, direction: direction,
                            logSumWeight: &logSumWeightInitial) else { return false }

        // The final subtree.
        let proposeFinal = self.proposeFinal[depth]
        var logSumWeightFinal = -Double.infinity
        guard try buildTree(depth: depth - 1, propose: proposeFinal, vBegin: vFinalBegin, vEnd: vEnd, rho: rhoFinal,
                            pBegin: pFinalBegin, pEnd: pEnd, direction: direction,
                            logSumWeight: &logSumWeightFinal) else { return false }

        // Uniform progressive (multinomial) sampling between the two halves.
        let logSumWeightSubtree = logSumExp(logSumWeightInitial, logSumWeightFinal)
        logSumWeight = logSumExp(logSumWeight, logSumWeightSubtree)
        if logSumWeightFinal > logSumWeightSubtree {
            propose.copy(from: proposeFinal)
        } else if random.uniform() < exp(logSumWeightFinal - logSumWeightSubtree) {
            propose.copy(from: proposeFinal)
        }

        let rhoSubtree = vector(12)
        add(rhoInitial, rhoFinal, into: rhoSubtree)
        for j in 0..<n { rho[j] += rhoSubtree[j] }
        // No U-turn across the merged subtree, nor between the halves' neighbouring ends.
        var persist = noUTurn(vBegin, vEnd, rhoSubtree)
        add(rhoInitial, pFinalBegin, into: rhoSubtree)
        persist = persist && noUTurn(vBegin, vFinalBegin, rhoSubtree)
        add(rhoFinal, pInitialEnd, into: rhoSubtree)
        persist = persist && noUTurn(vInitialEnd, vEnd, rhoSubtree)
        return persist
    }
}
