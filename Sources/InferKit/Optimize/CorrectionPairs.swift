/// The last m correction pairs s_i = x_{i+1} - x_i, y_i = ∇f_{i+1} - ∇f_i of a limited-memory
/// quasi-Newton method, oldest first, optionally with the inner products SᵀY and SᵀS that the
/// compact representation of L-BFGS-B needs (updated in O(m n) per pair).
struct CorrectionPairs {
    let capacity: Int
    private let keepsProducts: Bool
    private(set) var s: [[Double]] = []
    private(set) var y: [[Double]] = []
    /// s_iᵀy_i.
    private(set) var curvatures: [Double] = []
    /// (SᵀY)[i][j] = s_iᵀy_j, when kept.
    private(set) var sTy: [[Double]] = []
    /// (SᵀS)[i][j] = s_iᵀs_j, when kept.
    private(set) var sTs: [[Double]] = []
    /// θ = y'y / s'y of the newest pair, the scaling of the initial matrix θI (1 when empty).
    private(set) var theta = 1.0

    init(capacity: Int, keepsProducts: Bool) {
        self.capacity = Swift.max(1, capacity)
        self.keepsProducts = keepsProducts
    }

    var count: Int { s.count }

    /// Adds the pair of the step from `old` to `new` unless its curvature sᵀy is at most
    /// eps · (-∇f_oldᵀ s) (the skip test of L-BFGS-B); returns whether it was added.
    @discardableResult
    mutating func add(from old: Iterate, to new: Iterate) -> Bool {
        guard let g0 = old.gradient, let g1 = new.gradient else { return false }
        let step = Vector.difference(new.x, old.x)
        let change = Vector.difference(g1, g0)
        let curvature = Vector.dot(step, change)
        guard curvature > Double.ulpOfOne * -Vector.dot(g0, step), curvature > 0 else { return false }
        if s.count == capacity {
            s.removeFirst(); y.removeFirst(); curvatures.removeFirst()
            if keepsProducts {
                sTy.removeFirst(); sTs.removeFirst()
                for i in sTy.indices { sTy[i].removeFirst(); sTs[i].removeFirst() }
            }
        }
        s.append(step); y.append(change); curvatures.append(curvature)
        if keepsProducts {
            let k = s.count - 1
            for i in 0..<k {
                sTy[i].append(Vector.dot(s[i], change))
                sTs[i].append(Vector.dot(s[i], step))
            }
            sTy.append((0...k).map { Vector.dot(step, y[$0]) })
            sTs.append((0..<k).map { sTs[$0][k] } + [Vector.dot(step, step)])
        }
        theta = Vector.dot(change, change) / curvature
        return true
    }

    /// Forgets every pair.
    mutating func clear() {
        s = []; y = []; curvatures = []; sTy = []; sTs = []
        theta = 1
    }

    /// H g for the L-BFGS inverse-Hessian approximation H (initial matrix I/θ), by the
    /// two-loop recursion (Nocedal & Wright Algorithm 7.4).
    func inverseHessianTimes(_ g: [Double]) -> [Double] {
        var r = g
        var alpha = [Double](repeating: 0, count: count)
        for i in stride(from: count - 1, through: 0, by: -1) {
            alpha[i] = Vector.dot(s[i], r) / curvatures[i]
            Vector.add(-alpha[i], y[i], to: &r)
        }
        let gamma = 1 / theta
        for i in r.indices { r[i] *= gamma }
        for i in 0..<count {
            let beta = Vector.dot(y[i], r) / curvatures[i]
            Vector.add(alpha[i] - beta, s[i], to: &r)
        }
        return r
    }
}
