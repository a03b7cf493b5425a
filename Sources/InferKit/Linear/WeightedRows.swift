/// Produces blocks of the weighted design diag(1/sigma) G, where G is the matrix that is
/// actually factorised: the caller's matrix, or a basis evaluated at x.
protocol WeightedRowSource {
    /// Number of rows.
    var rows: Int { get }
    /// Number of columns.
    var cols: Int { get }
    /// Writes rows start ..< start + count, each multiplied by `weight[i]` (or 1 when nil), into
    /// the column-major block `out` with leading dimension `ld`. Returns false exactly when
    /// some element read was NaN or infinite (the check costs no extra pass). When `constant`
    /// is given (cols flags), flag j is set to 0 unless every value read in column j equals the
    /// column's non-zero value in row 0, so an intercept column is found in the same pass.
    func fill(start: Int, count: Int, weight: UnsafePointer<Double>?,
              into out: UnsafeMutablePointer<Double>, ld: Int,
              constant: UnsafeMutablePointer<UInt8>?) -> Bool
}

extension WeightedRowSource {
    /// `fill` without the constant-column flags.
    func fill(start: Int, count: Int, weight: UnsafePointer<Double>?,
              into out: UnsafeMutablePointer<Double>, ld: Int) -> Bool {
        fill(start: start, count: count, weight: weight, into: out, ld: ld, constant: nil)
    }
}

/// Rows of a caller's matrix view (the design of `ik_linear_fit`, or the data y).
struct MatrixRowSource: WeightedRowSource {
    let view: MatrixView
    var rows: Int { view.rows }
    var cols: Int { view.cols }

    func fill(start: Int, count: Int, weight: UnsafePointer<Double>?,
              into out: UnsafeMutablePointer<Double>, ld: Int,
              constant: UnsafeMutablePointer<UInt8>?) -> Bool {
        // An integer OR of "not finite" flags: no floating-point dependency chain, so the
        // copy runs at memory speed.
        var bad: UInt8 = 0
        let rs = view.rowStride, cs = view.colStride
        if let constant {
            for j in 0..<cols {
                let reference = view[0, j]
                if reference == 0 { constant[j] = 0; continue }
                if constant[j] == 0 { continue }
                // Exits at the first difference, so only constant columns are read in full,
                // and those reads bring the block into cache for the copy below.
                for i in start..<(start + count) where view[i, j] != reference {
                    constant[j] = 0
                    break
                }
            }
        }
        if cs == 1 {
            // Row-major source: read rows contiguously, write the column-major block.
            for i in 0..<count {
                let row = UnsafeBufferPointer(start: view.base + (start + i) * rs, count: cols)
                let wi = weight?[start + i] ?? 1
                for j in 0..<cols {
                    let v = row[j]
                    bad |= v.isFinite ? 0 : 1
                    out[i + j * ld] = v * wi
                }
            }
            return bad == 0
        }
        for j in 0..<cols {
            let column = view.base + j * cs + start * rs
            let dst = out + j * ld
            if let weight {
                for i in 0..<count {
                    let v = column[i * rs]
                    bad |= v.isFinite ? 0 : 1
                    dst[i] = v * weight[start + i]
                }
            } else {
                for i in 0..<count {
                    let v = column[i * rs]
                    bad |= v.isFinite ? 0 : 1
                    dst[i] = v
                }
            }
        }
        return bad == 0
    }
}

/// Rows of a basis evaluated at the caller's (already validated) x.
struct BasisRowSource: WeightedRowSource {
    let spec: BasisSpec
    let x: UnsafeBufferPointer<Double>
    var rows: Int { x.count }
    var cols: Int { spec.columns }

    func fill(start: Int, count: Int, weight: UnsafePointer<Double>?,
              into out: UnsafeMutablePointer<Double>, ld: Int,
              constant: UnsafeMutablePointer<UInt8>?) -> Bool {
        for i in 0..<count {
            spec.fillRow(x: x[start + i], scale: weight?[start + i] ?? 1, out + i, stride: ld)
        }
        return true
    }
}
