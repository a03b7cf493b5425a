// Callers' likelihoods: a per-point formula of f, y, s and free parameters (exact derivatives by
// the tape), or a per-point function (derivatives by central differences, all points shifted
// at once since term i depends on f_i alone).

/// `Likelihood.formula`: ℓ(f, y, s; η) compiled over the points with f shifted by a parameter
/// δ, f = f_i + δ, so that the tape's derivatives in δ at δ = 0 are those in f_i.
struct FormulaLikelihood: PointLikelihood {
    /// The formula with inputs (f_i, y, s) and parameters (δ, η...).
    let shifted: Model
    let extraNames: [String]

    /// Compiles `expression`; its names other than f, y and s are η, in order of appearance.
    /// Throws the model language's errors (offsets refer to `expression`).
    init(_ expression: String) throws {
        let plain = try Model(expression, inputs: ["f", "y", "s"])
        extraNames = plain.parameters
        shifted = try Model("f = f__ + df__; " + expression, inputs: ["f__", "y", "s"], params: ["df__"] + extraNames)
    }

    var extraSupports: [ParameterSupport] { extraNames.map { _ in .real } }
    var isExact: Bool { true }

    /// The tape's parameters (δ = 0, η).
    private func parameters(_ eta: UnsafeBufferPointer<Double>) -> [Double] { [0] + Array(eta) }

    func sum(_ f: UnsafeBufferPointer<Double>, _ data: LikelihoodData, _ eta: UnsafeBufferPointer<Double>) throws -> Double {
        let n = data.count
        var out = [Double](repeating: 0, count: n)
        parameters(eta).withUnsafeBufferPointer { p in
            out.withUnsafeMutableBufferPointer {
                shifted.tape.evaluate(inputs: [f, data.y, data.s], parameters: p, count: n, output: $0)
            }
        }
        return out.reduce(0, +)
    }

    func terms(_ f: UnsafeBufferPointer<Double>, _ data: LikelihoodData, _ eta: UnsafeBufferPointer<Double>,
               secondOrder: Bool, into t: inout PointTerms) throws -> Double {
        let n = data.count, k = extraNames.count, q = k + 1
        var values = [Double](repeating: 0, count: n)
        var jacobian = [Double](repeating: 0, count: n * q)
        let p = parameters(eta)
        let inputs = [f, data.y, data.s]
        p.withUnsafeBufferPointer { pb in
            values.withUnsafeMutableBufferPointer { vb in
                jacobian.withUnsafeMutableBufferPointer {
                    shifted.tape.jacobian(inputs: inputs, parameters: pb, count: n, values: vb, jacobian: $0)
                }
            }
        }
        for i in 0..<n { t.df[i] = jacobian[i] }
        for e in 0..<k { t.de[e] = jacobian[((e + 1) * n)..<((e + 2) * n)].reduce(0, +) }
        if secondOrder {
            let one = [1.0]
            p.withUnsafeBufferPointer { pb in
                one.withUnsafeBufferPointer { w in
                    for i in 0..<n {
                        let point = inputs.map { UnsafeBufferPointer(rebasing: $0[i..<(i + 1)]) }
                        let h = shifted.tape.weightedHessian(inputs: point, parameters: pb, count: 1, weights: w)
                        t.dfdf[i] = h[0]
                        for e in 0..<k {
                            t.dfde[e * n + i] = h[e + 1]
                            for l in 0..<k { t.dede[e * k + l] += h[(e + 1) * q + l + 1] }
                        }
                    }
                }
            }
        }
        return values.reduce(0, +)
    }
}

/// `Likelihood.function`: the caller's per-point terms, differentiated by central differences
/// (step ε^(1/3) max(1, |v|) for first derivatives alone, ε^(1/4) max(1, |v|) with second ones).
struct ClosureLikelihood: PointLikelihood {
    let function: PointLogLikelihoodFunction
    let extraNames: [String]

    var extraSupports: [ParameterSupport] { extraNames.map { _ in .real } }
    var isExact: Bool { false }

    /// The n terms at model values `f` and parameters `eta`.
    private func pointTerms(_ f: [Double], _ data: LikelihoodData, _ eta: [Double]) throws -> [Double] {
        var out = [Double](repeating: 0, count: data.count)
        try f.withUnsafeBufferPointer { fb in
            try eta.withUnsafeBufferPointer { eb in
                try out.withUnsafeMutableBufferPointer { try function(fb, data.y, data.s, eb, $0) }
            }
        }
        return out
    }

    func sum(_ f: UnsafeBufferPointer<Double>, _ data: LikelihoodData, _ eta: UnsafeBufferPointer<Double>) throws -> Double {
        try pointTerms(Array(f), data, Array(eta)).reduce(0, +)
    }

    func terms(_ f: UnsafeBufferPointer<Double>, _ data: LikelihoodData, _ eta: UnsafeBufferPointer<Double>,
               secondOrder: Bool, into t: inout PointTerms) throws -> Double {
        let n = data.count, k = extraNames.count
        let scale = secondOrder ? 1.220703125e-04 : 6.0554544523933395e-06
        let f0 = Array(f), e0 = Array(eta)
        // Steps as actually represented: (v + h) − v.
        func steps(_ v: [Double]) -> [Double] { v.map { ($0 + scale * Swift.max(1, Swift.abs($0))) - $0 } }
        let hf = steps(f0), he = steps(e0)
        func shifted(_ v: [Double], _ h: [Double], _ sign: Double) -> [Double] { zip(v, h).map { $0 + sign * $1 } }
        func shifted(_ e: Int, _ sign: Double) -> [Double] { var v = e0; v[e] += sign * he[e]; return v }
        let fUp = shifted(f0, hf, 1), fDown = shifted(f0, hf, -1)
        let center = try pointTerms(f0, data, e0)
        let up = try pointTerms(fUp, data, e0), down = try pointTerms(fDown, data, e0)
        for i in 0..<n {
            t.df[i] = (up[i] - down[i]) / (2 * hf[i])
            if secondOrder { t.dfdf[i] = (up[i] - 2 * center[i] + down[i]) / (hf[i] * hf[i]) }
        }
        let total = center.reduce(0, +)
        for e in 0..<k {
            let plus = try pointTerms(f0, data, shifted(e, 1)), minus = try pointTerms(f0, data, shifted(e, -1))
            let sp = plus.reduce(0, +), sm = minus.reduce(0, +)
            t.de[e] = (sp - sm) / (2 * he[e])
            guard secondOrder else { continue }
            t.dede[e * k + e] = (sp - 2 * total + sm) / (he[e] * he[e])
            let pp = try pointTerms(fUp, data, shifted(e, 1)), pm = try pointTerms(fUp, data, shifted(e, -1))
            let mp = try pointTerms(fDown, data, shifted(e, 1)), mm = try pointTerms(fDown, data, shifted(e, -1))
            for i in 0..<n { t.dfde[e * n + i] = (pp[i] - pm[i] - mp[i] + mm[i]) / (4 * hf[i] * he[e]) }
        }
        if secondOrder {
            for e in 0..<k {
                for l in (e + 1)..<Swift.max(e + 1, k) {
                    var corners = [Double]()
                    for (a, b) in [(1.0, 1.0), (1.0, -1.0), (-1.0, 1.0), (-1.0, -1.0)] {
                        var v = e0
                        v[e] += a * he[e]
                        v[l] += b * he[l]
                        corners.append(try pointTerms(f0, data, v).reduce(0, +))
                    }
                    let mixed = (corners[0] - corners[1] - corners[2] + corners[3]) / (4 * he[e] * he[l])
                    t.dede[e * k + l] = mixed
                    t.dede[l * k + e] = mixed
                }
            }
        }
        return total
    }
}
