/// The caller's design, evaluated in extended precision for iterative refinement: residuals
/// taken against the caller's own (unscaled, unconverted) design are what lets refinement
/// recover the digits a rounded copy of the design would lose.
protocol ExtendedDesign {
    /// Number of rows (observations).
    var rows: Int { get }
    /// Number of columns (parameters).
    var cols: Int { get }
    /// (A theta)_i for every row, accumulated in extended precision.
    func product(_ theta: [Double]) -> [Extended]
    /// (A^T v)_j for every column, accumulated in extended precision.
    func transposedProduct(_ v: [Extended]) -> [Extended]
}

/// A dense matrix the caller passed (`ik_linear_fit`).
struct DenseExtendedDesign: ExtendedDesign {
    let a: MatrixView
    var rows: Int { a.rows }
    var cols: Int { a.cols }

    func product(_ theta: [Double]) -> [Extended] {
        var out = [Extended](repeating: 0, count: rows)
        for i in 0..<rows {
            var s: Extended = 0
            for j in 0..<cols { s += Extended(a[i, j]) * Extended(theta[j]) }
            out[i] = s
        }
        return out
    }

    func transposedProduct(_ v: [Extended]) -> [Extended] {
        var out = [Extended](repeating: 0, count: cols)
        for i in 0..<rows {
            let vi = v[i]
            for j in 0..<cols { out[j] += Extended(a[i, j]) * vi }
        }
        return out
    }
}

/// Monomials x^0 .. x^deg of the caller's x, with powers formed in extended precision.
struct MonomialExtendedDesign: ExtendedDesign {
    let x: UnsafeBufferPointer<Double>
    let degree: Int
    var rows: Int { x.count }
    var cols: Int { degree + 1 }

    func product(_ theta: [Double]) -> [Extended] {
        var out = [Extended](repeating: 0, count: rows)
        for i in 0..<rows {
            let xi = Extended(x[i])
            var s = Extended(theta[degree])
            var j = degree - 1
            while j >= 0 { s = s * xi + Extended(theta[j]); j -= 1 }
            out[i] = s
        }
        return out
    }

    func transposedProduct(_ v: [Extended]) -> [Extended] {
        var out = [Extended](repeating: 0, count: cols)
        for i in 0..<rows {
            let xi = Extended(x[i])
            var p = v[i]
            for j in 0...degree { out[j] += p; p *= xi }
        }
        return out
    }
}

/// Any other basis, evaluated in double and accumulated in extended precision.
struct BasisExtendedDesign: ExtendedDesign {
    let spec: BasisSpec
    let x: UnsafeBufferPointer<Double>
    var rows: Int { x.count }
    var cols: Int { spec.columns }

    private func withRows(_ body: (Int, UnsafeMutablePointer<Double>) -> Void) {
        let row = UnsafeMutablePointer<Double>.allocate(capacity: cols)
        defer { row.deallocate() }
        for i in 0..<rows {
            spec.fillRow(x: x[i], scale: 1, row, stride: 1)
            body(i, row)
        }
    }

    func product(_ theta: [Double]) -> [Extended] {
        var out = [Extended](repeating: 0, count: rows)
        withRows { i, row in
            var s: Extended = 0
            for j in 0..<cols { s += Extended(row[j]) * Extended(theta[j]) }
            out[i] = s
        }
        return out
    }

    func transposedProduct(_ v: [Extended]) -> [Extended] {
        var out = [Extended](repeating: 0, count: cols)
        withRows { i, row in
            for j in 0..<cols { out[j] += Extended(row[j]) * v[i] }
        }
        return out
    }
}
