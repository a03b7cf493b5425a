// Models no formula can express: the caller's function (a C function pointer, a Python
// callable) behind closures, with the caller's Jacobian or finite differences.

/// How a Jacobian is approximated when the model has no exact one.
public enum FiniteDifferenceScheme: Sendable, Equatable {
    /// (f(p + h e_j) - f(p)) / h, one extra evaluation per parameter, error O(h).
    case forward
    /// (f(p + h e_j) - f(p - h e_j)) / 2h, two per parameter, error O(h²).
    case central
}

/// Finite-difference settings: the scheme and the relative step.
///
/// The step for parameter j is h_j = s · max(1, |p_j|) with s = `relativeStep`, or by default
/// √ε ≈ 1.5e-8 (forward) and ε^(1/3) ≈ 6.1e-6 (central), the steps that balance truncation
/// against rounding for a function computed to full precision (scipy's `'2-point'` and
/// `'3-point'` rules). A step that would cross a bound is taken to the other side.
public struct FiniteDifferences: Sendable, Equatable {
    /// The difference scheme.
    public var scheme: FiniteDifferenceScheme
    /// The relative step s; nil for the default of the scheme.
    public var relativeStep: Double?

    /// Forward differences with the default step.
    public init(scheme: FiniteDifferenceScheme = .forward, relativeStep: Double? = nil) {
        self.scheme = scheme
        self.relativeStep = relativeStep
    }

    /// The absolute step for a parameter of value `p` (positive, then signed by the caller).
    func step(_ p: Double) -> Double {
        let s = relativeStep ?? (scheme == .forward ? 1.4901161193847656e-08 : 6.0554544523933395e-06)
        return s * Swift.max(1, Swift.abs(p))
    }

    /// The column-major n × p Jacobian of `evaluate` at `p`, given its values `f0` there.
    /// `lower`/`upper` (optional, p values each) keep the probes inside the bounds.
    func jacobian(count n: Int, parameters p: UnsafeBufferPointer<Double>, values f0: UnsafeBufferPointer<Double>,
                  lower: [Double]? = nil, upper: [Double]? = nil,
                  jacobian: UnsafeMutableBufferPointer<Double>,
                  evaluate: (UnsafeBufferPointer<Double>, UnsafeMutableBufferPointer<Double>) throws -> Void) throws {
        let np = p.count
        let probe = UnsafeMutableBufferPointer<Double>.allocate(capacity: Swift.max(np, 1))
        let up = UnsafeMutableBufferPointer<Double>.allocate(capacity: Swift.max(n, 1))
        let down = UnsafeMutableBufferPointer<Double>.allocate(capacity: Swift.max(n, 1))
        defer { probe.deallocate(); up.deallocate(); down.deallocate() }
        for j in 0..<np { probe[j] = p[j] }
        for j in 0..<np {
            var h = step(p[j])
            let hi = upper?[j] ?? .infinity, lo = lower?[j] ?? -.infinity
            let column = UnsafeMutableBufferPointer(rebasing: jacobian[(j * n)..<(j * n + n)])
            switch scheme {
            case .forward:
                if p[j] + h > hi && p[j] - h >= lo { h = -h }
                probe[j] = p[j] + h
                try evaluate(UnsafeBufferPointer(probe), up)
                // A probe outside the model's domain (NaN/inf) is retried on the other side.
                if !(0..<n).allSatisfy({ up[$0].isFinite }) && p[j] - h >= lo && p[j] - h <= hi {
                    probe[j] = p[j] - h
                    try evaluate(UnsafeBufferPointer(probe), up)
                }
                let taken = probe[j] - p[j]  // the step actually taken, exactly representable
                for i in 0..<n { column[i] = (up[i] - f0[i]) / taken }
            case .central:
                if p[j] + h > hi || p[j] - h < lo {
                    // One-sided second-order formula into the feasible side.
                    let sign: Double = p[j] + 2 * h <= hi ? 1 : -1
                    probe[j] = p[j] + sign * h
                    try evaluate(UnsafeBufferPointer(probe), up)
                    probe[j] = p[j] + sign * 2 * h
                    try evaluate(UnsafeBufferPointer(probe), down)
                    for i in 0..<n { column[i] = sign * (-3 * f0[i] + 4 * up[i] - down[i]) / (2 * h) }
                } else {
                    probe[j] = p[j] + h
                    let hp = probe[j] - p[j]
                    try evaluate(UnsafeBufferPointer(probe), up)
                    probe[j] = p[j] - h
                    let hm = p[j] - probe[j]
                    try evaluate(UnsafeBufferPointer(probe), down)
                    for i in 0..<n { column[i] = (up[i] - down[i]) / (hp + hm) }
                }
            }
            probe[j] = p[j]
        }
    }
}

/// A model computed by the caller: `evaluate(points, p, values)` fills n values; the optional
/// `jacobian(points, p, jacobian)` fills the column-major n × p Jacobian. Without it the
/// Jacobian is by `finiteDifferences`. Closures throw to abort (the C layer throws
/// `InferKitError.callbackFailed` when a callback returns non-zero).
public struct CallbackModel: ParametricModel, @unchecked Sendable {
    /// Evaluates the model at the points.
    public typealias Evaluate = (DataPoints, UnsafeBufferPointer<Double>, UnsafeMutableBufferPointer<Double>) throws -> Void
    /// Fills the column-major Jacobian at the points.
    public typealias Jacobian = (DataPoints, UnsafeBufferPointer<Double>, UnsafeMutableBufferPointer<Double>) throws -> Void

    public let inputCount: Int
    public let parameterNames: [String]
    /// How the Jacobian is approximated when there is no `jacobian` closure.
    public var finiteDifferences: FiniteDifferences
    private let evaluateClosure: Evaluate
    private let jacobianClosure: Jacobian?

    /// A model of `inputCount` inputs and the named parameters.
    public init(inputCount: Int, parameterNames: [String], evaluate: @escaping Evaluate,
                jacobian: Jacobian? = nil, finiteDifferences: FiniteDifferences = FiniteDifferences()) {
        self.inputCount = inputCount
        self.parameterNames = parameterNames
        self.evaluateClosure = evaluate
        self.jacobianClosure = jacobian
        self.finiteDifferences = finiteDifferences
    }

    /// Parameter names p0, p1, ... for `count` parameters.
    public static func defaultNames(_ count: Int) -> [String] { (0..<count).map { "p\($0)" } }

    public var hasExactJacobian: Bool { jacobianClosure != nil }

    public func evaluate(_ points: DataPoints, _ p: UnsafeBufferPointer<Double>,
                         _ values: UnsafeMutableBufferPointer<Double>) throws {
        try check(points, p)
        try evaluateClosure(points, p, values)
    }

    public func jacobian(_ points: DataPoints, _ p: UnsafeBufferPointer<Double>,
                         values: UnsafeMutableBufferPointer<Double>?, valuesKnown: Bool,
                         _ jacobian: UnsafeMutableBufferPointer<Double>) throws {
        try self.jacobian(points, p, values: values, valuesKnown: valuesKnown, lower: nil, upper: nil, jacobian)
    }

    /// The Jacobian with finite-difference probes kept inside [lower, upper].
    public func jacobian(_ points: DataPoints, _ p: UnsafeBufferPointer<Double>,
                         values: UnsafeMutableBufferPointer<Double>?, valuesKnown: Bool,
                         lower: [Double]?, upper: [Double]?,
                         _ jacobian: UnsafeMutableBufferPointer<Double>) throws {
        try check(points, p)
        let n = points.count
        if let jacobianClosure {
            if let values, !valuesKnown { try evaluateClosure(points, p, values) }
            try jacobianClosure(points, p, jacobian)
            return
        }
        let own = values == nil ? UnsafeMutableBufferPointer<Double>.allocate(capacity: Swift.max(n, 1)) : nil
        defer { own?.deallocate() }
        guard let f0 = values ?? own else { return }
        if !valuesKnown || values == nil { try evaluateClosure(points, p, f0) }
        try finiteDifferences.jacobian(count: n, parameters: p, values: UnsafeBufferPointer(f0),
                                       lower: lower, upper: upper, jacobian: jacobian) { probe, out in
            try evaluateClosure(points, probe, out)
        }
    }

    private func check(_ points: DataPoints, _ p: UnsafeBufferPointer<Double>) throws {
        guard points.inputCount == inputCount else {
            throw InferKitError.dimensionMismatch(
                "the data have \(points.inputCount) inputs but the model has \(inputCount)")
        }
        guard p.count == parameterNames.count else {
            throw InferKitError.dimensionMismatch(
                "params has \(p.count) values but the model has \(parameterNames.count) parameters")
        }
    }
}
