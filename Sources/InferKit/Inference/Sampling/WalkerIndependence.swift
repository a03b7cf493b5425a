// emcee's `walkers_independent` test of an initial ensemble: centre the walkers, scale each
// parameter's column to unit maximum and then unit norm, and require the condition number of
// that walkers × d matrix (ratio of its extreme singular values) to be at most 1e8. An ensemble
// that spans fewer than d directions can never leave the subspace it starts in.

/// The largest condition number of the centred, column-normalised initial ensemble that emcee
/// accepts.
let maximumEnsembleCondition = 1e8

/// Throws `singular` when the `walkers` × `names.count` row-major positions are not linearly
/// independent in emcee's sense: a parameter with the same value in every walker (naming it), or
/// a condition number above 1e8 (quoting it). Positions must be finite (checked before).
func requireIndependentWalkers(_ positions: UnsafeBufferPointer<Double>, walkers n: Int, names: [String]) throws {
    let d = names.count
    var a = [Double](repeating: 0, count: n * d)  // column-major n × d
    for k in 0..<d {
        var mean = 0.0
        for i in 0..<n { mean += positions[i * d + k] }
        mean /= Double(n)
        var largest = 0.0
        for i in 0..<n {
            let v = positions[i * d + k] - mean
            a[k * n + i] = v
            largest = Swift.max(largest, Swift.abs(v))
        }
        guard largest > 0 else {
            throw InferKitError.singular(
                "the initial walkers are not linearly independent: parameter '\(names[k])' has the same value \(positions[k]) in every walker; spread the walkers in every parameter")
        }
        var norm = 0.0
        for i in 0..<n { a[k * n + i] /= largest; norm += a[k * n + i] * a[k * n + i] }
        norm = norm.squareRoot()
        for i in 0..<n { a[k * n + i] /= norm }
    }
    let s = try SingularValueDecomposition(a, rows: n, cols: d).values
    let largest = s.max() ?? 0, smallest = n < d ? 0 : (s.min() ?? 0)
    let condition = smallest > 0 ? largest / smallest : Double.infinity
    guard condition <= maximumEnsembleCondition else {
        throw InferKitError.singular(
            "the initial walkers are not linearly independent: the centred ensemble has condition number \(describe(condition)) (emcee's limit is 1e8), so the walkers span fewer than \(d) directions; start them in a small ball that is spread in every parameter")
    }
}
