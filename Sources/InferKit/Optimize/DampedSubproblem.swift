// The Levenberg-Marquardt subproblem, after Moré (1978), "The Levenberg-Marquardt algorithm:
// implementation and theory": given J P = Q R, the scaling D and Qᵀr, find the damping
// λ ≥ 0 and the step x minimising ‖J x − r‖² + λ‖D x‖² such that ‖D x‖ is within 10% of
// the trust radius Δ (or λ = 0 when the Gauss-Newton step already lies inside). λ is found
// by a safeguarded Newton iteration on φ(λ) = ‖D x(λ)‖ − Δ, each x(λ) from Givens rotations
// of the rows √λ D into R, so no new factorisation of J is needed.
import Glibc

/// Workspace and solver of the damped subproblem on an n × n triangular factor.
final class DampedSubproblem {
    let capacity: Int
    /// Number of columns of the current factor.
    private(set) var n = 0
    /// R (upper triangle), column-major, leading dimension `capacity`.
    private let r: UnsafeMutablePointer<Double>
    /// The triangular factor of [R; √λ D Pᵀ] from the last `solveDamped`, same layout.
    private let s: UnsafeMutablePointer<Double>
    private let pivots: UnsafeMutablePointer<Int>
    private let rhs: UnsafeMutablePointer<Double>
    private let z: UnsafeMutablePointer<Double>
    private let row: UnsafeMutablePointer<Double>
    private let work: UnsafeMutablePointer<Double>
    private let rowScale: UnsafeMutablePointer<Double>
    /// Numerical rank used for the Gauss-Newton direction.
    private(set) var rank = 0

    init(capacity: Int) {
        self.capacity = Swift.max(capacity, 1)
        let c = self.capacity
        r = .allocate(capacity: c * c)
        s = .allocate(capacity: c * c)
        pivots = .allocate(capacity: c)
        rhs = .allocate(capacity: c)
        z = .allocate(capacity: c)
        row = .allocate(capacity: c)
        work = .allocate(capacity: c)
        rowScale = .allocate(capacity: c)
    }

    deinit {
        r.deallocate(); s.deallocate(); pivots.deallocate(); rhs.deallocate(); z.deallocate()
        row.deallocate(); work.deallocate(); rowScale.deallocate()
    }

    @inline(__always) private func R(_ i: Int, _ j: Int) -> Double { r[i + j * capacity] }
    @inline(__always) private func S(_ i: Int, _ j: Int) -> Double { s[i + j * capacity] }

    /// Takes R and the pivots of the last factorisation of `qr` (n columns). Diagonal elements
    /// below ε·|R₀₀| count as zero for the Gauss-Newton direction (numerical rank).
    func load(_ qr: JacobianQR, columns n: Int) {
        self.n = n
        for j in 0..<n {
            pivots[j] = qr.pivots[j]
            for i in 0...j { r[i + j * capacity] = qr.r(i, j) }
        }
        rank = n
        let threshold = Double.ulpOfOne * Swift.abs(n > 0 ? R(0, 0) : 0)
        for j in 0..<n where !(Swift.abs(R(j, j)) > threshold) { rank = j; break }
    }

    /// Takes a full-rank n × n upper-triangular factor `u` (leading dimension `ld`) without
    /// pivoting (the Cholesky factor of JᵀJ).
    func load(upper u: UnsafePointer<Double>, ld: Int, columns n: Int) {
        self.n = n
        for j in 0..<n {
            pivots[j] = j
            for i in 0...j { r[i + j * capacity] = u[i + j * ld] }
        }
        rank = n
    }

    /// (R Pᵀ v) for v in the original column order, into `out` (n values); ‖·‖² returned.
    func multiplyR(_ v: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>) -> Double {
        var norm2 = 0.0
        for i in 0..<n {
            var t = 0.0
            for j in i..<n { t += R(i, j) * v[pivots[j]] }
            out[i] = t
            norm2 += t * t
        }
        return norm2
    }

    /// The Gauss-Newton solution x of R Pᵀ x = b over the leading `rank` columns (original order).
    func gaussNewton(_ b: UnsafePointer<Double>, _ x: UnsafeMutablePointer<Double>) {
        for j in 0..<n { work[j] = j < rank ? b[j] : 0 }
        for j in stride(from: rank - 1, through: 0, by: -1) {
            work[j] /= R(j, j)
            let t = work[j]
            for i in 0..<j { work[i] -= R(i, j) * t }
        }
        for j in 0..<n { x[pivots[j]] = work[j] }
    }

    /// Minimises ‖R Pᵀ x − b‖² + ‖diag(d) x‖² for the given row scaling d (original order;
    /// d = √λ D) by rotating the rows of diag(d) into R; keeps the factor for `newtonCorrection`.
    func solveDamped(_ d: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ x: UnsafeMutablePointer<Double>) {
        let c = capacity
        for j in 0..<n {
            for i in 0...j { s[i + j * c] = r[i + j * c] }
            rhs[j] = b[j]
        }
        for j in 0..<n {
            let dj = d[pivots[j]]
            if dj == 0 { continue }
            for k in j..<n { row[k] = 0 }
            row[j] = dj
            var extra = 0.0
            for k in j..<n where row[k] != 0 {
                let skk = s[k + k * c]
                let cosine: Double, sine: Double
                if Swift.abs(skk) < Swift.abs(row[k]) {
                    let cotangent = skk / row[k]
                    sine = 0.5 / (0.25 + 0.25 * cotangent * cotangent).squareRoot()
                    cosine = sine * cotangent
                } else {
                    let tangent = row[k] / skk
                    cosine = 0.5 / (0.25 + 0.25 * tangent * tangent).squareRoot()
                    sine = cosine * tangent
                }
                s[k + k * c] = cosine * skk + sine * row[k]
                let t = cosine * rhs[k] + sine * extra
                extra = -sine * rhs[k] + cosine * extra
                rhs[k] = t
                for i in (k + 1)..<Swift.max(k + 1, n) {
                    let ski = s[k + i * c]
                    s[k + i * c] = cosine * ski + sine * row[i]
                    row[i] = -sine * ski + cosine * row[i]
                }
            }
        }
        // Back substitution; a zero diagonal (a singular damped system, possible only for λ = 0
        // or zero scaling) ends the solution with zeros.
        var singular = n
        for j in 0..<n where s[j + j * c] == 0 { singular = j; break }
        for j in 0..<n { z[j] = j < singular ? rhs[j] : 0 }
        for j in stride(from: singular - 1, through: 0, by: -1) {
            z[j] /= s[j + j * c]
            let t = z[j]
            for i in 0..<j { z[i] -= s[i + j * c] * t }
        }
        for j in 0..<n { x[pivots[j]] = z[j] }
    }

    /// ‖T⁻ᵀ v‖² for v_j = d_j² x_j / ‖D x‖ in pivoted order (the derivative of φ), with T the
    /// upper-triangular `t` (R, or S after `solveDamped`), leading dimension `capacity`.
    private func newtonCorrection(_ t: UnsafePointer<Double>, _ d: UnsafePointer<Double>, _ x: UnsafePointer<Double>,
                                  _ dxnorm: Double) -> Double {
        let c = capacity
        for j in 0..<n {
            let l = pivots[j]
            work[j] = d[l] * (d[l] * x[l]) / dxnorm
        }
        var norm2 = 0.0
        for j in 0..<n {
            var value = work[j]
            for i in 0..<j { value -= t[i + j * c] * work[i] }
            value /= t[j + j * c]
            work[j] = value
            norm2 += value * value
        }
        return norm2
    }

    /// The damped step: x (original order, n values) with ‖D x‖ ≈ Δ, or the Gauss-Newton
    /// step when it lies within 1.1Δ (then λ = 0). `lambda` is the starting guess on entry
    /// and the damping found on return. `b` is the first n entries of Qᵀr, `d` the scaling D.
    func solve(scaling d: UnsafePointer<Double>, _ b: UnsafePointer<Double>, radius delta: Double,
               lambda: inout Double, _ x: UnsafeMutablePointer<Double>) {
        let dwarf = Double.leastNormalMagnitude
        gaussNewton(b, x)
        var dxnorm = scaledNorm(d, x)
        var fp = dxnorm - delta
        if fp <= 0.1 * delta {
            lambda = 0
            return
        }
        // Lower bound from the Newton step of φ at λ = 0 (full rank only).
        var lower = 0.0
        if rank == n {
            let norm2 = newtonCorrection(r, d, x, dxnorm)
            lower = (fp / delta) / norm2
            if !lower.isFinite { lower = 0 }
        }
        // Upper bound ‖D⁻¹ Jᵀ r‖ / Δ.
        var gnorm2 = 0.0
        for j in 0..<n {
            var t = 0.0
            for i in 0...j { t += R(i, j) * b[i] }
            let scaled = t / d[pivots[j]]
            gnorm2 += scaled * scaled
        }
        let gnorm = gnorm2.squareRoot()
        var upper = gnorm / delta
        if upper == 0 { upper = dwarf / Swift.min(delta, 0.1) }
        lambda = Swift.min(Swift.max(lambda, lower), upper)
        if lambda == 0 { lambda = gnorm / dxnorm }
        var iteration = 0
        while true {
            iteration += 1
            if lambda == 0 { lambda = Swift.max(dwarf, 0.001 * upper) }
            let root = lambda.squareRoot()
            for j in 0..<n { rowScale[j] = root * d[j] }
            solveDamped(rowScale, b, x)
            dxnorm = scaledNorm(d, x)
            let previous = fp
            fp = dxnorm - delta
            if Swift.abs(fp) <= 0.1 * delta || (lower == 0 && fp <= previous && previous < 0) || iteration == 10
                || dxnorm == 0 {
                return
            }
            let correction = (fp / delta) / newtonCorrection(s, d, x, dxnorm)
            if fp > 0 { lower = Swift.max(lower, lambda) }
            if fp < 0 { upper = Swift.min(upper, lambda) }
            lambda = Swift.max(lower, lambda + (correction.isFinite ? correction : 0))
        }
    }

    /// ‖diag(d) x‖.
    func scaledNorm(_ d: UnsafePointer<Double>, _ x: UnsafePointer<Double>) -> Double {
        var s = 0.0
        for j in 0..<n { s += (d[j] * x[j]) * (d[j] * x[j]) }
        return s.squareRoot()
    }
}
