/// The downhill simplex method (Nelder & Mead, Computer Journal 7 (1965) 308) as scipy's
/// `Nelder-Mead` runs it: reflection ρ = 1, expansion χ = 2, contraction ψ = 1/2, shrink
/// σ = 1/2, or with `adaptive` Gao & Han's ρ = 1, χ = 1 + 2/n, ψ = 3/4 - 1/(2n), σ = 1 - 1/n
/// (Comput. Optim. Appl. 51 (2012) 259). The initial simplex is x0 and x0 with one coordinate
/// moved by 5% (0.00025 when it is zero). With bounds every trial point is clipped to the box
/// and initial vertices above an upper bound are first reflected into it, as scipy does since
/// 1.7. A NaN or infinite value counts as +infinity (the worst vertex). The run stops when
/// every vertex is within `simplexXTolerance` (infinity norm) and `simplexFTolerance` of the
/// best (scipy's xatol and fatol). One iteration is one simplex transformation.
struct NelderMead: MinimizerIteration {
    private var simplex: [[Double]]
    private var values: [Double]
    private let counter: CountedObjective
    private let bounds: Bounds?
    private let reflection, expansion, contraction, shrinkage: Double

    init(x0: [Double], counter: CountedObjective, bounds: Bounds?, options: MinimizeOptions) throws {
        let n = x0.count
        self.counter = counter
        self.bounds = bounds
        if options.adaptive {
            let dim = Double(n)
            reflection = 1; expansion = 1 + 2 / dim
            contraction = 0.75 - 1 / (2 * dim); shrinkage = 1 - 1 / dim
        } else {
            reflection = 1; expansion = 2; contraction = 0.5; shrinkage = 0.5
        }
        var vertices: [[Double]]
        if let given = options.initialSimplex {
            vertices = given
        } else {
            vertices = [x0]
            for k in 0..<n {
                var y = x0
                y[k] = y[k] != 0 ? (1 + options.initialSimplexStep) * y[k] : options.initialSimplexZeroStep
                vertices.append(y)
            }
        }
        if let bounds {
            vertices = vertices.map { v in
                bounds.project(v.indices.map { v[$0] > bounds.upper[$0] ? 2 * bounds.upper[$0] - v[$0] : v[$0] })
            }
        }
        simplex = vertices
        values = [Double](repeating: .infinity, count: n + 1)
        // Like scipy, a budget smaller than the simplex leaves the remaining vertices at +inf.
        values[0] = options.initialSimplex == nil ? try counter.startValue(vertices[0]) : try counter.value(vertices[0])
        do {
            for k in 1...n { values[k] = NelderMead.ranked(try counter.value(vertices[k])) }
        } catch is EvaluationBudgetExhausted {}
        values[0] = NelderMead.ranked(values[0])
        sortVertices()
        guard values[0] < .infinity else {
            throw InferKitError.nonFinite("the objective is NaN or infinite at every vertex of the initial simplex")
        }
    }

    /// A value as the simplex ranks it: NaN and ±infinity are the worst.
    private static func ranked(_ f: Double) -> Double { f.isFinite ? f : .infinity }

    var current: Iterate { Iterate(x: simplex[0], value: values[0], gradient: nil) }
    var gradientNorm: Double? { nil }

    func convergence(after previous: Iterate?, _ options: MinimizeOptions) -> MinimizeStatus? {
        var xSpread = 0.0, fSpread = 0.0
        for k in 1..<simplex.count {
            for i in simplex[k].indices { xSpread = Swift.max(xSpread, Swift.abs(simplex[k][i] - simplex[0][i])) }
            fSpread = Swift.max(fSpread, Swift.abs(values[0] - values[k]))
        }
        return xSpread <= options.simplexXTolerance && fSpread <= options.simplexFTolerance ? .simplexTolerance : nil
    }

    /// The point (1 + t) x̄ - t x_worst, clipped to the bounds, and its ranked value.
    private func trial(_ centroid: [Double], _ t: Double) throws -> (x: [Double], value: Double) {
        let worst = simplex[simplex.count - 1]
        var x = centroid.indices.map { (1 + t) * centroid[$0] - t * worst[$0] }
        if let bounds { x = bounds.project(x) }
        return (x, NelderMead.ranked(try counter.value(x)))
    }

    mutating func advance() throws -> MinimizeStatus? {
        let n = simplex.count - 1
        var centroid = [Double](repeating: 0, count: n)
        for k in 0..<n {
            for i in 0..<n { centroid[i] += simplex[k][i] }
        }
        centroid = centroid.map { $0 / Double(n) }  // a division, as scipy
        let reflected = try trial(centroid, reflection)
        var replacement: (x: [Double], value: Double)?
        if reflected.value < values[0] {
            let expanded = try trial(centroid, reflection * expansion)
            replacement = expanded.value < reflected.value ? expanded : reflected
        } else if reflected.value < values[n - 1] {
            replacement = reflected
        } else if reflected.value < values[n] {
            let outside = try trial(centroid, contraction * reflection)
            if outside.value <= reflected.value { replacement = outside }
        } else {
            let inside = try trial(centroid, -contraction)
            if inside.value < values[n] { replacement = inside }
        }
        if let replacement {
            simplex[n] = replacement.x
            values[n] = replacement.value
        } else {
            // Shrink toward the best vertex.
            var shrunk = simplex, shrunkValues = values
            for k in 1...n {
                var x = simplex[0].indices.map { simplex[0][$0] + shrinkage * (simplex[k][$0] - simplex[0][$0]) }
                if let bounds { x = bounds.project(x) }
                shrunk[k] = x
                shrunkValues[k] = NelderMead.ranked(try counter.value(x))
            }
            simplex = shrunk
            values = shrunkValues
        }
        sortVertices()
        return nil
    }

    /// Orders the vertices by value, ties by their previous order (a stable sort, as numpy's
    /// argsort is on simplices of up to 16 vertices).
    private mutating func sortVertices() {
        let order = values.indices.sorted { values[$0] < values[$1] || (values[$0] == values[$1] && $0 < $1) }
        simplex = order.map { simplex[$0] }
        values = order.map { values[$0] }
    }
}
