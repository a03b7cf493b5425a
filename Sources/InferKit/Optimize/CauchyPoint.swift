/// The generalised Cauchy point of L-BFGS-B (Byrd, Lu, Nocedal & Zhu 1995, §4, Algorithm CP):
/// the first local minimiser of the quadratic model m(z) = gᵀ(z - x) + ½ (z - x)ᵀB(z - x)
/// along the projected steepest-descent path x(t) = P(x - t g), found by visiting the
/// breakpoints t_i where a variable reaches its bound, in increasing order, and updating the
/// model's first and second derivative along each segment in O(m) (eqs. 4.9-4.10, with
/// L-BFGS-B 3.0's guard f'' >= eps f''₀).
struct CauchyPoint {
    /// x^c.
    let point: [Double]
    /// c = Wᵀ(x^c - x), the 2m-vector the subspace minimisation needs.
    let c: [Double]
    /// The variables free at x^c: not fixed (lower = upper), not at a bound that the
    /// gradient pushes against, not stopped at a breakpoint before x^c.
    let free: [Bool]

    /// The Cauchy point from x (feasible) with gradient g.
    init(x: [Double], gradient g: [Double], bounds: Bounds, memory: CompactLimitedMemory) throws {
        let n = x.count, m2 = 2 * memory.count
        var xc = x
        var direction = [Double](repeating: 0, count: n)
        var free = [Bool](repeating: true, count: n)
        var breakpoints: [(t: Double, index: Int)] = []
        var allDirectionsBounded = true
        var p = [Double](repeating: 0, count: m2)   // Wᵀd
        var slope = 0.0                              // f' = gᵀd = -dᵀd
        for i in 0..<n {
            let l = bounds.lower[i], u = bounds.upper[i]
            if l == u { free[i] = false; continue }
            let hasLower = l > -.infinity, hasUpper = u < .infinity
            let down = -g[i]
            if hasLower && x[i] - l <= 0 && down <= 0 { free[i] = false; continue }
            if hasUpper && u - x[i] <= 0 && down >= 0 { free[i] = false; continue }
            guard down != 0 else { continue }
            direction[i] = down
            slope -= down * down
            if hasLower && down < 0 {
                breakpoints.append(((x[i] - l) / -down, i))
            } else if hasUpper && down > 0 {
                breakpoints.append(((u - x[i]) / down, i))
            } else {
                allDirectionsBounded = false
            }
        }
        if m2 > 0 { p = memory.transposeTimes(direction) }
        var c = [Double](repeating: 0, count: m2)
        guard slope < 0 else {
            self.point = xc; self.c = c; self.free = free
            return
        }
        let theta = memory.theta
        var curvature = -theta * slope                   // f'' = θ dᵀd - pᵀMp
        if m2 > 0 { curvature -= Vector.dot(p, try memory.middleTimes(p)) }
        let initialCurvature = curvature
        var minimizer = -slope / curvature               // Δt_min on the current segment
        var elapsed = 0.0                                // t at the start of the segment
        breakpoints.sort { $0.t < $1.t || ($0.t == $1.t && $0.index < $1.index) }
        var reachedAll = false
        var k = 0
        while k < breakpoints.count {
            let (t, b) = breakpoints[k]
            let segment = t - elapsed
            if minimizer < segment { break }
            // Variable b reaches its bound at t: fix it and update f' and f''.
            k += 1
            let db = direction[b]
            direction[b] = 0
            let zb: Double
            if db > 0 { zb = bounds.upper[b] - x[b]; xc[b] = bounds.upper[b] }
            else { zb = bounds.lower[b] - x[b]; xc[b] = bounds.lower[b] }
            free[b] = false
            if k == breakpoints.count && breakpoints.count == n {
                minimizer = segment
                reachedAll = true
                break
            }
            slope += segment * curvature + db * db - theta * db * zb
            curvature -= theta * db * db
            if m2 > 0 {
                for j in 0..<m2 { c[j] += segment * p[j] }
                let w = memory.row(b)
                let mw = try memory.middleTimes(w)
                slope += db * Vector.dot(c, mw)
                curvature += 2 * db * Vector.dot(p, mw) - db * db * Vector.dot(w, mw)
                for j in 0..<m2 { p[j] -= db * w[j] }
            }
            curvature = Swift.max(Double.ulpOfOne * initialCurvature, curvature)
            elapsed = t
            if k < breakpoints.count || !allDirectionsBounded {
                minimizer = -slope / curvature
            } else {
                minimizer = 0
            }
        }
        if !reachedAll {
            minimizer = Swift.max(minimizer, 0)
            let total = elapsed + minimizer
            for i in 0..<n where direction[i] != 0 { xc[i] = x[i] + total * direction[i] }
        }
        for j in 0..<m2 { c[j] += minimizer * p[j] }
        self.point = bounds.project(xc)
        self.c = c
        self.free = free
    }

    /// The Cauchy point of an unconstrained problem with stored pairs: L-BFGS-B skips the
    /// search and starts the subspace minimisation (over every variable) at x.
    init(unconstrainedAt x: [Double], pairs: Int) {
        point = x
        c = [Double](repeating: 0, count: 2 * pairs)
        free = [Bool](repeating: true, count: x.count)
    }
}
