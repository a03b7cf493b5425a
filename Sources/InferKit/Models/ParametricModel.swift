// What the fitters need of a model f(x; p): its values at the data points and its Jacobian
// with respect to the parameters. Formulas (exact derivatives by automatic differentiation)
// and callers' callbacks (their own Jacobian, or finite differences) conform, so every fitter,
// the batch fitter and the samplers serve both through one path.

/// The independent variables of n data points, k inputs each: a non-owning view that the
/// caller keeps alive while a computation runs. Formulas read one array per input
/// (`columns`); callbacks receive the row-major n × k matrix (`rowMajor`), as the caller
/// passed it.
public struct DataPoints: @unchecked Sendable {
    /// Number of points n.
    public let count: Int
    /// Number of inputs k.
    public let inputCount: Int
    /// `columns[k][i]` is input k at point i.
    public let columns: [UnsafeBufferPointer<Double>]
    /// The row-major n × k matrix (input k of point i at `i * inputCount + k`); empty without inputs.
    public let rowMajor: UnsafeBufferPointer<Double>

    /// Points with no inputs (a residual function of the parameters only, or a scalar).
    public init(count: Int) {
        self.count = count
        inputCount = 0
        columns = []
        rowMajor = UnsafeBufferPointer(start: nil, count: 0)
    }

    /// A view of both layouts of the same points; `columns` and `rowMajor` must agree.
    public init(count: Int, columns: [UnsafeBufferPointer<Double>], rowMajor: UnsafeBufferPointer<Double>) {
        self.count = count
        inputCount = columns.count
        self.columns = columns
        self.rowMajor = rowMajor
    }

    /// The points `range` of these points (for parallel chunks): no copy.
    public func slice(_ range: Range<Int>) -> DataPoints {
        let k = inputCount
        guard k > 0 else { return DataPoints(count: range.count) }
        let cols = columns.map { UnsafeBufferPointer(rebasing: $0[range]) }
        let rows = UnsafeBufferPointer(rebasing: rowMajor[(range.lowerBound * k)..<(range.upperBound * k)])
        return DataPoints(count: range.count, columns: cols, rowMajor: rows)
    }
}

/// Owning storage for `DataPoints` built from a row-major n × k matrix.
public final class DataPointStorage: @unchecked Sendable {
    private let rows: [Double]
    private let cols: [[Double]]
    /// A one-input caller's buffer used in place (see `init(borrowing:)`).
    private let borrowed: UnsafeBufferPointer<Double>?
    /// Number of points.
    public let count: Int

    /// The points of a one-input model in the caller's buffer, without a copy: the storage must
    /// not outlive the call that owns `values` (the C layer uses it for one call).
    public init(borrowing values: UnsafeBufferPointer<Double>) {
        count = values.count
        rows = []
        cols = [[]]
        borrowed = values
    }

    /// Copies the row-major `count` × `inputCount` matrix `rowMajor`.
    public init(rowMajor: UnsafeBufferPointer<Double>, count: Int, inputCount: Int) {
        self.count = count
        borrowed = nil
        rows = Array(rowMajor.prefix(count * inputCount))
        var c = [[Double]](repeating: [], count: inputCount)
        for k in 0..<inputCount {
            c[k] = [Double](unsafeUninitializedCapacity: count) { b, initialized in
                for i in 0..<count { b[i] = rowMajor[i * inputCount + k] }
                initialized = count
            }
        }
        cols = inputCount == 1 ? [rows] : c
    }

    /// Runs `body` with a view of the points.
    public func withPoints<R>(_ body: (DataPoints) throws -> R) rethrows -> R {
        if let borrowed { return try body(DataPoints(count: count, columns: [borrowed], rowMajor: borrowed)) }
        if cols.isEmpty { return try body(DataPoints(count: count)) }
        return try rows.withUnsafeBufferPointer { r in
            try withColumns(0, []) { try body(DataPoints(count: count, columns: $0, rowMajor: r)) }
        }
    }

    private func withColumns<R>(_ k: Int, _ acquired: [UnsafeBufferPointer<Double>],
                                _ body: ([UnsafeBufferPointer<Double>]) throws -> R) rethrows -> R {
        if k == cols.count { return try body(acquired) }
        return try cols[k].withUnsafeBufferPointer { try withColumns(k + 1, acquired + [$0], body) }
    }
}

/// A model f(x; p) of data: values at n points and the n × p Jacobian ∂f(x_i)/∂p_j.
///
/// Conformers must be safe to call from several threads at once (the batch fitter does), or
/// say otherwise in their documentation. Evaluation may throw (a callback failed); a
/// non-finite value is not an error here, the fitters decide what it means.
public protocol ParametricModel {
    /// Number of inputs k of each point.
    var inputCount: Int { get }
    /// Names of the parameters, in the order of the parameter vector.
    var parameterNames: [String] { get }
    /// True when `jacobian` is exact (automatic differentiation or the caller's own), false
    /// when it is by finite differences.
    var hasExactJacobian: Bool { get }
    /// The values f(x_i; p) at `points.count` points into `values`.
    func evaluate(_ points: DataPoints, _ p: UnsafeBufferPointer<Double>,
                  _ values: UnsafeMutableBufferPointer<Double>) throws
    /// The column-major n × p Jacobian (`jacobian[i + j * n]`) and, when `values` is not nil,
    /// the values. `values`, when given, may already hold f(x; p) (`valuesKnown`), which
    /// finite differences reuse.
    func jacobian(_ points: DataPoints, _ p: UnsafeBufferPointer<Double>,
                  values: UnsafeMutableBufferPointer<Double>?, valuesKnown: Bool,
                  _ jacobian: UnsafeMutableBufferPointer<Double>) throws
}

extension ParametricModel {
    /// Number of parameters.
    public var parameterCount: Int { parameterNames.count }
}

extension Model: ParametricModel {
    public var inputCount: Int { inputs.count }
    public var parameterNames: [String] { parameters }
    public var hasExactJacobian: Bool { true }

    public func evaluate(_ points: DataPoints, _ p: UnsafeBufferPointer<Double>,
                         _ values: UnsafeMutableBufferPointer<Double>) throws {
        try checkShapes(points, p)
        tape.evaluate(inputs: points.columns, parameters: p, count: points.count, output: values)
    }

    public func jacobian(_ points: DataPoints, _ p: UnsafeBufferPointer<Double>,
                         values: UnsafeMutableBufferPointer<Double>?, valuesKnown: Bool,
                         _ jacobian: UnsafeMutableBufferPointer<Double>) throws {
        try checkShapes(points, p)
        if let values {
            tape.jacobian(inputs: points.columns, parameters: p, count: points.count, values: values,
                          jacobian: jacobian)
        } else {
            let scratch = UnsafeMutableBufferPointer<Double>.allocate(capacity: Swift.max(points.count, 1))
            defer { scratch.deallocate() }
            tape.jacobian(inputs: points.columns, parameters: p, count: points.count, values: scratch,
                          jacobian: jacobian)
        }
    }

    private func checkShapes(_ points: DataPoints, _ p: UnsafeBufferPointer<Double>) throws {
        guard points.inputCount == inputs.count else {
            throw InferKitError.dimensionMismatch(
                "the data have \(points.inputCount) inputs but the model has \(inputs.count) inputs \(inputs)")
        }
        try checkParameterCount(p.count)
    }
}
