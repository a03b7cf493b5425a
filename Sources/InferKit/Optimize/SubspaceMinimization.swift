/// The subspace minimisation of L-BFGS-B by the direct primal method (Byrd, Lu, Nocedal & Zhu
/// 1995, §5.1) with the projection of L-BFGS-B 3.0 (Morales & Nocedal 2011): the quadratic
/// model is minimised over the variables free at the Cauchy point x^c, the others held at
/// x^c, ignoring the bounds; the unconstrained minimiser x^c + du is then projected onto the
/// box, and if that projected point is not a descent direction from x, the step du is
/// instead cut back to the largest feasible α du, α <= 1.
///
/// With Z the free variables and r the reduced gradient Zᵀ(g + θ(x^c - x) - W M c), the
/// reduced matrix B̂ = θI - ZᵀW M WᵀZ is inverted by Sherman-Morrison-Woodbury:
/// du = -B̂⁻¹ r = -r/θ - ZᵀW K⁻¹ WᵀZ r / θ² with the 2m x 2m K = M⁻¹ - WᵀZZᵀW / θ (solved by LU).
enum SubspaceMinimization {
    /// The end point x̄ of the search direction x̄ - x; nil when K is singular.
    static func minimize(x: [Double], gradient g: [Double], cauchy: CauchyPoint, bounds: Bounds,
                         memory: CompactLimitedMemory) throws -> [Double]? {
        let n = x.count, m2 = 2 * memory.count
        let freeIndices = (0..<n).filter { cauchy.free[$0] }
        guard !freeIndices.isEmpty, m2 > 0 else { return cauchy.point }
        let theta = memory.theta
        // r = -Zᵀ(g + θ(x^c - x) - W M c) on the free variables (stored at full length).
        let mc = try memory.middleTimes(cauchy.c)
        var r = [Double](repeating: 0, count: n)
        for i in freeIndices {
            r[i] = -theta * (cauchy.point[i] - x[i]) - g[i] + memory.rowTimes(i, mc)
        }
        // K = M⁻¹ - WᵀZZᵀW / θ and v = K⁻¹ WᵀZ r.
        var k = memory.inverseMiddle()
        let gram = memory.gram(include: cauchy.free)
        for e in k.indices { k[e] -= gram[e] / theta }
        var v = memory.transposeTimes(r, include: cauchy.free)
        var pivots = [Int32](repeating: 0, count: m2)
        guard try LAPACK.getrf(m2, &k, &pivots) else { return nil }
        try LAPACK.getrs(m2, 1, k, pivots, &v)
        guard Vector.isFinite(v) else { return nil }
        var du = [Double](repeating: 0, count: n)
        for i in freeIndices { du[i] = r[i] / theta + memory.rowTimes(i, v) / (theta * theta) }

        // Project x^c + du onto the box; keep it if no bound was met, or if it descends.
        var projected = cauchy.point
        var metBound = false
        for i in freeIndices {
            let l = bounds.lower[i], u = bounds.upper[i]
            let value = Swift.min(Swift.max(cauchy.point[i] + du[i], l), u)
            if value == l || value == u { metBound = true }
            projected[i] = value
        }
        if !metBound { return projected }
        var descent = 0.0
        for i in 0..<n { descent += (projected[i] - x[i]) * g[i] }
        if descent <= 0 { return projected }

        // Otherwise the largest feasible step α du from x^c, α <= 1.
        var alpha = 1.0
        var blocking: Int?
        for i in freeIndices {
            let d = du[i]
            var limit = alpha
            if d < 0, bounds.lower[i] > -.infinity {
                let gap = bounds.lower[i] - cauchy.point[i]
                if gap >= 0 { limit = 0 } else if d * alpha < gap { limit = gap / d }
            } else if d > 0, bounds.upper[i] < .infinity {
                let gap = bounds.upper[i] - cauchy.point[i]
                if gap <= 0 { limit = 0 } else if d * alpha > gap { limit = gap / d }
            }
            if limit < alpha { alpha = limit; blocking = i }
        }
        var result = cauchy.point
        for i in freeIndices { result[i] = cauchy.point[i] + alpha * du[i] }
        if alpha < 1, let b = blocking {
            result[b] = du[b] > 0 ? bounds.upper[b] : bounds.lower[b]
        }
        return bounds.project(result)
    }
}
