/// Limited-memory BFGS directions d = -H g by the two-loop recursion; steepest descent (first
/// step 1/‖g‖₂, as L-BFGS-B) while no pair is stored.
struct LimitedMemoryBFGSDirection: SearchDirection {
    var pairs: CorrectionPairs

    mutating func direction(at point: Iterate) throws -> [Double]? {
        Vector.scaled(pairs.inverseHessianTimes(point.gradient ?? []), -1)
    }

    func initialStep(_ direction: [Double]) -> Double {
        pairs.count == 0 ? 1 / Vector.norm(direction) : 1
    }

    mutating func update(from old: Iterate, to new: Iterate) { pairs.add(from: old, to: new) }

    mutating func reset() -> Bool {
        if pairs.count == 0 { return false }
        pairs.clear()
        return true
    }
}
