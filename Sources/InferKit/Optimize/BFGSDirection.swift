/// BFGS directions d = -H g with the dense inverse-Hessian approximation H (Nocedal & Wright
/// §6.1, eq. 6.17), H₀ = I scaled by sᵀy / yᵀy before the first update (eq. 6.20). A pair
/// with curvature sᵀy <= eps · (-gᵀs) is skipped. A reset returns to H = I.
struct BFGSDirection: SearchDirection {
    private let dimension: Int
    /// H, n x n symmetric (column- and row-major alike).
    private var inverse: [Double]
    private var updated = false

    init(dimension n: Int) {
        dimension = n
        inverse = BFGSDirection.identity(n)
    }

    private static func identity(_ n: Int) -> [Double] {
        var m = [Double](repeating: 0, count: n * n)
        for i in 0..<n { m[i * n + i] = 1 }
        return m
    }

    /// H v.
    private func apply(_ v: [Double]) -> [Double] {
        let n = dimension
        var r = [Double](repeating: 0, count: n)
        inverse.withUnsafeBufferPointer { h in
            for j in 0..<n where v[j] != 0 {
                let vj = v[j]
                for i in 0..<n { r[i] += h[i + j * n] * vj }
            }
        }
        return r
    }

    mutating func direction(at point: Iterate) throws -> [Double]? {
        Vector.scaled(apply(point.gradient ?? []), -1)
    }

    func initialStep(_ direction: [Double]) -> Double { updated ? 1 : 1 / Vector.norm(direction) }

    mutating func update(from old: Iterate, to new: Iterate) {
        guard let g0 = old.gradient, let g1 = new.gradient else { return }
        let s = Vector.difference(new.x, old.x), y = Vector.difference(g1, g0)
        let sy = Vector.dot(s, y)
        guard sy > 0, sy > Double.ulpOfOne * -Vector.dot(g0, s) else { return }
        let n = dimension
        if !updated {
            inverse = Vector.scaled(BFGSDirection.identity(n), sy / Vector.dot(y, y))
            updated = true
        }
        let hy = apply(y)
        let rho = 1 / sy
        let ss = rho * rho * Vector.dot(y, hy) + rho
        inverse.withUnsafeMutableBufferPointer { h in
            for j in 0..<n {
                for i in 0..<n {
                    h[i + j * n] += ss * s[i] * s[j] - rho * (s[i] * hy[j] + hy[i] * s[j])
                }
            }
        }
    }

    mutating func reset() -> Bool {
        if !updated { return false }
        inverse = BFGSDirection.identity(dimension)
        updated = false
        return true
    }

    func inverseHessian(at point: Iterate) throws -> DenseMatrix? {
        var m = DenseMatrix(rows: dimension, cols: dimension)
        m.elements = inverse
        return m
    }
}
