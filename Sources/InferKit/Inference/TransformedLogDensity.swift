// A log density moved to an unconstrained space: log q(u) = log p(T(u)) + Σ_j log|T_j'(u_j)|,
// with the exact gradient ∂ log q/∂u_j = ∂ log p/∂θ_j T_j'(u_j) + d log|T_j'|/du_j.

/// Any `LogDensity` seen through per-parameter transforms θ_j = T_j(u_j) (see
/// `ParameterTransform`): the density of u when θ has density p, so draws of u mapped back by
/// `constrained` are draws of θ. Values at many points transform each point and evaluate the
/// base density on all of them together. The gradient is exact when the base's is.
///
/// Thread safety is the base density's: the wrapper itself only reads.
public struct TransformedLogDensity: LogDensity, @unchecked Sendable {
    /// The density of θ.
    public let base: any LogDensity
    /// T_j, one per parameter.
    public let transforms: [ParameterTransform]

    /// Wraps `base`. Throws `dimensionMismatch` unless there is one transform per parameter,
    /// and `invalidArgument` for a transform with infinite or crossed bounds (naming the
    /// parameter).
    public init(_ base: any LogDensity, transforms: [ParameterTransform]) throws {
        guard transforms.count == base.dimension else {
            throw InferKitError.dimensionMismatch(
                "transforms has \(transforms.count) entries but the density has \(base.dimension) parameters")
        }
        for (j, t) in transforms.enumerated() { try t.validate(parameter: base.parameterNames[j]) }
        self.base = base
        self.transforms = transforms
    }

    /// Number of parameters n.
    public var dimension: Int { base.dimension }
    /// The base density's parameter names (of θ, not of u).
    public var parameterNames: [String] { base.parameterNames }
    /// True when the base density's gradient is exact (the transforms' derivatives are).
    public var hasExactGradient: Bool { base.hasExactGradient }

    /// θ = T(u) for one point.
    public func constrained(_ u: [Double]) -> [Double] {
        zip(transforms, u).map { $0.constrain($1).value }
    }

    /// u = T⁻¹(θ) for one point. Throws `dimensionMismatch` for a wrong length and
    /// `invalidArgument` naming the parameter when θ_j is not inside T_j's open interval.
    public func unconstrained(_ theta: [Double]) throws -> [Double] {
        guard theta.count == dimension else {
            throw InferKitError.dimensionMismatch("theta has \(theta.count) values but the density has \(dimension) parameters")
        }
        return try theta.indices.map { j in
            let u = transforms[j].unconstrain(theta[j])
            guard u.isFinite else {
                throw InferKitError.invalidArgument(
                    "theta[\(j)] (parameter '\(parameterNames[j])') = \(describe(theta[j])) is not inside the open interval (\(describe(transforms[j].support.lower)), \(describe(transforms[j].support.upper))) of its transform")
            }
            return u
        }
    }

    /// Σ_j log|T_j'(u_j)| at one point.
    public func logJacobian(_ u: [Double]) -> Double {
        zip(transforms, u).reduce(0) { $0 + $1.0.constrain($1.1).logJacobian }
    }

    /// log q at `count` points of u (row-major count × n).
    public func values(_ points: UnsafeBufferPointer<Double>, count: Int, into values: UnsafeMutableBufferPointer<Double>) throws {
        let n = dimension
        try requireBatch(points, count: count, values: values, dimension: n)
        var theta = [Double](repeating: 0, count: count * n)
        var jacobians = [Double](repeating: 0, count: count)
        for i in 0..<count {
            for j in 0..<n {
                let t = transforms[j].constrain(points[i * n + j])
                theta[i * n + j] = t.value
                jacobians[i] += t.logJacobian
            }
        }
        try theta.withUnsafeBufferPointer { try base.values($0, count: count, into: values) }
        for i in 0..<count { values[i] += jacobians[i] }
    }

    /// log q and its gradient with respect to u at one point.
    public func valueAndGradient(_ point: UnsafeBufferPointer<Double>, gradient: UnsafeMutableBufferPointer<Double>) throws -> Double {
        let n = dimension
        guard point.count == n, gradient.count >= n else {
            throw InferKitError.dimensionMismatch("the point has \(point.count) values but the density has \(n) parameters")
        }
        var theta = [Double](repeating: 0, count: n)
        var slopes = [Double](repeating: 0, count: n)
        var jacobianSlopes = [Double](repeating: 0, count: n)
        var jacobian = 0.0
        for j in 0..<n {
            let t = transforms[j].constrain(point[j])
            theta[j] = t.value
            slopes[j] = t.derivative
            jacobianSlopes[j] = t.logJacobianDerivative
            jacobian += t.logJacobian
        }
        let value = try theta.withUnsafeBufferPointer { try base.valueAndGradient($0, gradient: gradient) }
        for j in 0..<n {
            gradient[j] = gradient[j] * slopes[j] + jacobianSlopes[j]
        }
        return value + jacobian
    }
}

/// Throws `dimensionMismatch` unless `points` holds `count` points of `dimension` values and
/// `values` has room for `count` results (the shapes of `LogDensity.values`).
func requireBatch(_ points: UnsafeBufferPointer<Double>, count: Int, values: UnsafeMutableBufferPointer<Double>,
                  dimension n: Int) throws {
    guard count >= 0, points.count >= count * n, values.count >= count else {
        throw InferKitError.dimensionMismatch(
            "\(count) points of \(n) parameters need \(count * n) values and room for \(count) results, got \(points.count) and \(values.count)")
    }
}
