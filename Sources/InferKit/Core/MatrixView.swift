/// The storage order of a caller's matrix.
public enum MatrixLayout: Sendable {
    /// C order: element (i, j) at `i * cols + j`.
    case rowMajor
    /// Fortran order: element (i, j) at `i + j * rows`.
    case columnMajor
}

/// A zero-copy, read-only view of a caller's dense matrix of doubles.
///
/// The view does not own its storage: the caller keeps it alive and unchanged while a
/// computation that received the view runs. `name` is used in error messages
/// ("a[2,5] is NaN").
public struct MatrixView: @unchecked Sendable {
    /// First element.
    public let base: UnsafePointer<Double>
    /// Number of rows.
    public let rows: Int
    /// Number of columns.
    public let cols: Int
    /// Distance in elements between (i, j) and (i + 1, j).
    public let rowStride: Int
    /// Distance in elements between (i, j) and (i, j + 1).
    public let colStride: Int
    /// The argument's name, for messages.
    public let name: String

    /// A view of `rows x cols` contiguous elements stored in `layout`.
    public init(base: UnsafePointer<Double>, rows: Int, cols: Int, layout: MatrixLayout,
                name: String) {
        self.base = base
        self.rows = rows
        self.cols = cols
        self.name = name
        switch layout {
        case .rowMajor: rowStride = cols; colStride = 1
        case .columnMajor: rowStride = 1; colStride = rows
        }
    }

    /// Element (i, j).
    @inline(__always)
    public subscript(i: Int, j: Int) -> Double { base[i &* rowStride &+ j &* colStride] }

    /// Throws `nonFinite` naming the first (row-major order) element that is NaN or infinite.
    /// A vector (one column) is named `name[i]`, a matrix `name[i,j]`.
    public func requireFinite() throws {
        for i in 0..<rows {
            for j in 0..<cols where !self[i, j].isFinite {
                throw InferKitError.nonFinite("\(elementName(i, j)) is \(describe(self[i, j]))")
            }
        }
    }

    /// "name[i]" for a one-column view, "name[i,j]" otherwise.
    public func elementName(_ i: Int, _ j: Int) -> String {
        cols == 1 ? "\(name)[\(i)]" : "\(name)[\(i),\(j)]"
    }
}

/// "NaN", "inf", "-inf" or the number, for messages.
func describe(_ v: Double) -> String {
    if v.isNaN { return "NaN" }
    if v.isInfinite { return v > 0 ? "inf" : "-inf" }
    return "\(v)"
}

/// Throws `nonFinite` naming the first non-finite element of a vector.
func requireFinite(_ v: UnsafeBufferPointer<Double>, name: String) throws {
    for i in 0..<v.count where !v[i].isFinite {
        throw InferKitError.nonFinite("\(name)[\(i)] is \(describe(v[i]))")
    }
}

/// Throws `nonFinite` naming the first non-finite element of a vector (`name[i]`).
public func requireFiniteVector(_ v: UnsafeBufferPointer<Double>, name: String) throws {
    try requireFinite(v, name: name)
}
