/// The draws of one parameter as a rows x columns row-major array (row = one chain), with the
/// chain splitting of split-R̂ and split-ESS.
struct ChainMatrix {
    /// Values, row-major.
    var values: [Double]
    /// Number of chains.
    let rows: Int
    /// Draws per chain.
    let columns: Int

    /// The matrix with every chain cut into its first and last floor(n/2) draws (the middle
    /// draw of an odd n is dropped): first halves of chains 0 ..< m, then the second halves,
    /// 2m rows (ArviZ's `_split_chains`).
    func split() -> ChainMatrix {
        let half = columns / 2
        var out = [Double]()
        out.reserveCapacity(2 * rows * half)
        for r in 0..<rows {
            out.append(contentsOf: values[(r * columns)..<(r * columns + half)])
        }
        for r in 0..<rows {
            out.append(contentsOf: values[(r * columns + columns - half)..<(r * columns + columns)])
        }
        return ChainMatrix(values: out, rows: 2 * rows, columns: half)
    }

    /// The same shape with every value replaced by `transform` of the whole array.
    func mapAll(_ transform: ([Double]) -> [Double]) -> ChainMatrix {
        ChainMatrix(values: transform(values), rows: rows, columns: columns)
    }

    /// The mean of every row.
    func rowMeans() -> [Double] {
        (0..<rows).map { r in
            var s = 0.0
            for j in 0..<columns { s += values[r * columns + j] }
            return s / Double(columns)
        }
    }
}

/// The sample variance with ddof = 1, sum (x - x̄)^2 / (n - 1), of at least two values.
func sampleVariance(_ x: [Double]) -> Double {
    var s = 0.0
    for v in x { s += v }
    let mean = s / Double(x.count)
    var q = 0.0
    for v in x { let d = v - mean; q += d * d }
    return q / Double(x.count - 1)
}
