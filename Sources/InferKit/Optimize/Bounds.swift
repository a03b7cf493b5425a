/// Simple bounds lower[j] <= x[j] <= upper[j] on the parameters of a minimisation.
///
/// A side may be infinite (no bound); lower[j] == upper[j] fixes parameter j. The optimisers
/// never evaluate the objective outside the box.
public struct Bounds: Sendable, Equatable {
    /// Lower bounds, one per parameter; -infinity for none.
    public let lower: [Double]
    /// Upper bounds, one per parameter; +infinity for none.
    public let upper: [Double]

    /// Checks and stores the bounds.
    ///
    /// Throws `dimensionMismatch` when the arrays differ in length, `nonFinite` when a bound is
    /// NaN, and `invalidArgument` when lower[j] > upper[j] ("lower[2] = 3 is above
    /// upper[2] = 1"), lower[j] = +infinity or upper[j] = -infinity (no feasible value).
    public init(lower: [Double], upper: [Double]) throws {
        guard lower.count == upper.count else {
            throw InferKitError.dimensionMismatch(
                "lower has \(lower.count) bounds but upper has \(upper.count)")
        }
        for j in lower.indices {
            let l = lower[j], u = upper[j]
            if l.isNaN { throw InferKitError.nonFinite("lower[\(j)] is NaN") }
            if u.isNaN { throw InferKitError.nonFinite("upper[\(j)] is NaN") }
            if l == .infinity {
                throw InferKitError.invalidArgument("lower[\(j)] is +infinity: no value satisfies it")
            }
            if u == -.infinity {
                throw InferKitError.invalidArgument("upper[\(j)] is -infinity: no value satisfies it")
            }
            if l > u {
                throw InferKitError.invalidArgument("lower[\(j)] = \(l) is above upper[\(j)] = \(u)")
            }
        }
        self.lower = lower
        self.upper = upper
    }

    /// Bounds that leave all `count` parameters free.
    public static func unbounded(_ count: Int) -> Bounds {
        Bounds(checked: [Double](repeating: -.infinity, count: Swift.max(0, count)),
               upper: [Double](repeating: .infinity, count: Swift.max(0, count)))
    }

    private init(checked lower: [Double], upper: [Double]) {
        self.lower = lower
        self.upper = upper
    }

    /// Number of parameters.
    public var count: Int { lower.count }

    /// True when some bound is finite.
    public var isConstraining: Bool {
        lower.contains { $0 > -.infinity } || upper.contains { $0 < .infinity }
    }

    /// Throws unless `x` has one value per bound and lies in the box: `dimensionMismatch`
    /// naming `name` and the counts, or `invalidArgument` naming the first parameter outside
    /// ("x0[1] = 5 is outside its bounds [0, 2]").
    public func checkContains(_ x: [Double], name: String) throws {
        guard x.count == count else {
            throw InferKitError.dimensionMismatch("\(name) has \(x.count) values but the bounds have \(count)")
        }
        for j in x.indices where !(x[j] >= lower[j] && x[j] <= upper[j]) {
            throw InferKitError.invalidArgument(
                "\(name)[\(j)] = \(x[j]) is outside its bounds [\(lower[j]), \(upper[j])]")
        }
    }

    /// The point of the box nearest to `x` (component-wise clipping).
    func project(_ x: [Double]) -> [Double] {
        var p = x
        for j in p.indices { p[j] = Swift.min(Swift.max(p[j], lower[j]), upper[j]) }
        return p
    }

    /// The projected gradient x - P(x - g), whose infinity norm is scipy's "pgtol" measure: g
    /// with the components that push out of the box at an active bound cut back.
    func projectedGradient(_ x: [Double], _ g: [Double]) -> [Double] {
        var p = g
        for j in p.indices {
            let step = Swift.min(Swift.max(x[j] - g[j], lower[j]), upper[j])
            p[j] = x[j] - step
        }
        return p
    }
}
