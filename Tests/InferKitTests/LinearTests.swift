import Foundation
import Testing
@testable import InferKit

@Suite struct NISTLinearTests {
    static let names = ["Norris", "Pontius", "NoInt1", "NoInt2", "Filip", "Longley",
                        "Wampler1", "Wampler2", "Wampler3", "Wampler4", "Wampler5"]

    @Test(arguments: names)
    func certifiedDigits(name: String) throws {
        let d = try NISTLinear.load(name)
        let n = d.y.count
        let result: LinearFit
        if d.type == "polynomial" && d.intercept {
            result = try basisFit(x: d.x.map { $0[0] }, y: d.y, degree: d.degree)
        } else {
            let cols = d.x[0].count + (d.intercept ? 1 : 0)
            var a = [Double]()
            for row in d.x { if d.intercept { a.append(1) }; a += row }
            result = try fit(a, rows: n, cols: cols, y: d.y)
        }
        let se = result.standardErrors(rhs: 0)
        for j in 0..<d.certifiedValues.count {
            #expect(lre(result.parameters[j], d.certifiedValues[j]) >= 9, "\(name) B\(j)")
            #expect(lre(se[j], d.certifiedErrors[j]) >= 9, "\(name) se(B\(j))")
        }
        let rsd = (result.chiSquared[0] / Double(result.degreesOfFreedom)).squareRoot()
        #expect(lre(rsd, d.residualSD) >= 9, "\(name) residual SD")
    }
}

@Suite struct LinearLeastSquaresTests {
    /// A random tall problem, row-major.
    static func problem(rows n: Int, cols p: Int, seed: UInt64) -> (a: [Double], y: [Double], sigma: [Double]) {
        var r = TestRandom(state: seed)
        let a = (0..<(n * p)).map { _ in r.next() * 2 - 1 }
        let y = (0..<n).map { _ in r.next() }
        let sigma = (0..<n).map { _ in 0.5 + r.next() }
        return (a, y, sigma)
    }

    @Test func exactDataAreRecovered() throws {
        let (n, p) = (50, 4)
        var (a, _, sigma) = Self.problem(rows: n, cols: p, seed: 1)
        a[0] = 1
        let theta = [1.5, -2.0, 0.25, 3.0]
        let y = (0..<n).map { i in (0..<p).reduce(0.0) { $0 + a[i * p + $1] * theta[$1] } }
        let f = try fit(a, rows: n, cols: p, y: y, sigma: sigma)
        for j in 0..<p { #expect(abs(f.parameters[j] - theta[j]) < 1e-13) }
        #expect(f.rank == p && f.degreesOfFreedom == n - p)
    }

    @Test func normalEquationsAgreeOnAWellConditionedProblem() throws {
        let (n, p) = (200, 3)
        let (a, y, sigma) = Self.problem(rows: n, cols: p, seed: 2)
        let f = try fit(a, rows: n, cols: p, y: y, sigma: sigma, options: {
            var o = LinearOptions(); o.absoluteSigma = true; return o }())
        // Normal equations in double-double as an independent reference.
        var m = [[Extended]](repeating: [Extended](repeating: 0, count: p + 1), count: p)
        for i in 0..<n {
            let w = Extended(1 / (sigma[i] * sigma[i]))
            for j in 0..<p {
                for k in 0..<p { m[j][k] += Extended(a[i * p + j]) * Extended(a[i * p + k]) * w }
                m[j][p] += Extended(a[i * p + j]) * Extended(y[i]) * w
            }
        }
        for c in 0..<p {  // Gauss-Jordan
            for r in 0..<p where r != c {
                let f = m[r][c] / m[c][c]
                for k in 0...p { m[r][k] -= f * m[c][k] }
            }
        }
        for j in 0..<p {
            let reference = Double(m[j][p] / m[j][j])
            #expect(abs(f.parameters[j] - reference) <= 1e-13 * abs(reference))
        }
    }

    @Test func manyRightHandSidesEqualSeparateFits() throws {
        let (n, p, k) = (300, 5, 3)
        var r = TestRandom(state: 3)
        let (a, _, sigma) = Self.problem(rows: n, cols: p, seed: 3)
        let y = (0..<(n * k)).map { _ in r.next() }
        let all = try fit(a, rows: n, cols: p, y: y, rhs: k, sigma: sigma)
        for c in 0..<k {
            let one = try fit(a, rows: n, cols: p, y: (0..<n).map { y[$0 * k + c] }, sigma: sigma)
            for j in 0..<p {
                #expect(abs(all.parameters[j + c * p] - one.parameters[j]) <= 1e-12 * max(1, abs(one.parameters[j])))
                #expect(abs(all.standardErrors(rhs: c)[j] - one.standardErrors(rhs: 0)[j]) <= 1e-12 * one.standardErrors(rhs: 0)[j])
            }
            #expect(abs(all.chiSquared[c] - one.chiSquared[0]) <= 1e-12 * one.chiSquared[0])
        }
    }

    @Test func resultsAreBitIdenticalForEveryThreadCount() throws {
        // Large enough for many TSQR blocks.
        let (n, p) = (40_000, 6)
        let (a, y, sigma) = Self.problem(rows: n, cols: p, seed: 4)
        var results = [LinearFit]()
        for threads in [1, 2, 3] {
            var o = LinearOptions(); o.threads = threads
            results.append(try fit(a, rows: n, cols: p, y: y, sigma: sigma, options: o))
        }
        for r in results.dropFirst() {
            #expect(r.parameters == results[0].parameters)
            #expect(r.unscaledCovariance == results[0].unscaledCovariance)
            #expect(r.residuals == results[0].residuals)
        }
    }

    @Test func columnMajorEqualsRowMajor() throws {
        let (n, p) = (30, 3)
        let (a, y, _) = Self.problem(rows: n, cols: p, seed: 5)
        var colMajor = [Double](repeating: 0, count: n * p)
        for i in 0..<n { for j in 0..<p { colMajor[i + j * n] = a[i * p + j] } }
        let f1 = try fit(a, rows: n, cols: p, y: y)
        let f2 = try withView(colMajor, rows: n, cols: p, layout: .columnMajor, name: "a") { av in
            try withView(y, rows: n, cols: 1, name: "y") { yv in
                try LinearLeastSquares.fit(design: av, data: yv, sigma: nil)
            }
        }
        #expect(f1.parameters == f2.parameters)
    }

    @Test func badInputsThrowNamedErrors() throws {
        let a = [1.0, 2, 3, 4, 5, 6]
        #expect(throws: InferKitError.nonFinite("a[1,0] is NaN")) {
            try fit([1, 2, .nan, 4, 5, 6], rows: 3, cols: 2, y: [1, 2, 3])
        }
        #expect(throws: InferKitError.nonFinite("y[2] is inf")) {
            try fit(a, rows: 3, cols: 2, y: [1, 2, .infinity])
        }
        #expect(throws: InferKitError.invalidArgument("sigma[1] is 0.0: every sigma must be > 0")) {
            try fit(a, rows: 3, cols: 2, y: [1, 2, 3], sigma: [1, 0, 1])
        }
        #expect(throws: (any Error).self) { try fit([1, 0, 2, 0, 3, 0], rows: 3, cols: 2, y: [1, 2, 3]) }
        do {
            _ = try fit([1, 0, 2, 0, 3, 0], rows: 3, cols: 2, y: [1, 2, 3])
        } catch let e as InferKitError {
            guard case .singular(let m) = e else { Issue.record("wrong error \(e)"); return }
            #expect(m.contains("column 1"))
        }
        #expect(throws: (any Error).self) { try fit([1, 2, 3, 4], rows: 1, cols: 4, y: [1]) }
    }

    @Test func rankDeficientGivesMinimumNorm() throws {
        // Two identical columns: the minimum-norm solution splits the coefficient evenly.
        let x = (0..<10).map(Double.init)
        var a = [Double]()
        for v in x { a += [1, v, v] }
        let y = x.map { 1 + 2 * $0 }
        var o = LinearOptions(); o.allowRankDeficient = true
        let f = try fit(a, rows: 10, cols: 3, y: y, options: o)
        #expect(f.rank == 2 && f.isRankDeficient)
        #expect(abs(f.parameters[0] - 1) < 1e-12)
        #expect(abs(f.parameters[1] - 1) < 1e-12 && abs(f.parameters[2] - 1) < 1e-12)
    }

    @Test func fewerRowsThanColumnsIsSingularUnlessAllowed() throws {
        #expect(throws: (any Error).self) { try fit([1, 2, 3, 4, 5, 6], rows: 2, cols: 3, y: [1, 2]) }
        var o = LinearOptions(); o.allowRankDeficient = true
        let f = try fit([1, 2, 3, 4, 5, 6], rows: 2, cols: 3, y: [1, 2], options: o)
        #expect(f.rank == 2 && f.degreesOfFreedom == 0)
    }
}

@Suite struct BasisTests {
    @Test func legendreAndChebyshevRecurrences() throws {
        let x: [Double] = [-1, -0.3, 0.2, 0.9, 1]
        for kind in [BasisKind.legendre, .chebyshev] {
            var out = [Double](repeating: 0, count: x.count * 5)
            try x.withUnsafeBufferPointer { xb in
                let spec = try BasisSpec(kind: kind, degree: 4, x: xb, domain: (-1, 1), period: 0)
                out.withUnsafeMutableBufferPointer { spec.fill(x: xb, into: $0.baseAddress!, rowStride: 5, colStride: 1) }
            }
            for (i, u) in x.enumerated() {
                let expected: [Double] = kind == .legendre
                    ? [1, u, (3 * u * u - 1) / 2, (5 * u * u * u - 3 * u) / 2, (35 * pow(u, 4) - 30 * u * u + 3) / 8]
                    : [1, u, 2 * u * u - 1, 4 * u * u * u - 3 * u, 8 * pow(u, 4) - 8 * u * u + 1]
                for j in 0..<5 { #expect(abs(out[i * 5 + j] - expected[j]) < 1e-14) }
            }
        }
    }

    @Test func chebyshevToMonomialConversion() throws {
        let x: [Double] = [2, 3, 5, 7]
        try x.withUnsafeBufferPointer { xb in
            let spec = try BasisSpec(kind: .chebyshev, degree: 3, x: xb, domain: nil, period: 0)
            let c = LinearLeastSquares.chebyshevToMonomial(spec)
            // T_3(u(x)) evaluated both ways.
            for v in [2.0, 4.5, 7] {
                let u = (v - 4.5) / 2.5
                let t3 = 4 * u * u * u - 3 * u
                var m = 0.0
                for i in 0..<4 { m += Double(c[i + 3 * 4]) * pow(v, Double(i)) }
                #expect(abs(m - t3) < 1e-12)
            }
        }
    }

    @Test func fourierColumns() throws {
        let x: [Double] = [0.1, 0.7]
        var out = [Double](repeating: 0, count: 2 * 5)
        try x.withUnsafeBufferPointer { xb in
            let spec = try BasisSpec(kind: .fourier, degree: 2, x: xb, domain: nil, period: 2)
            out.withUnsafeMutableBufferPointer { spec.fill(x: xb, into: $0.baseAddress!, rowStride: 5, colStride: 1) }
        }
        let w = Double.pi * 0.7
        #expect(abs(out[5 + 3] - cos(2 * w)) < 1e-15 && abs(out[5 + 4] - sin(2 * w)) < 1e-15)
    }

    @Test func basisErrors() {
        let x = [1.0, 1.0]
        #expect(throws: (any Error).self) {
            try x.withUnsafeBufferPointer { try BasisSpec(kind: .legendre, degree: 2, x: $0, domain: nil, period: 0) }
        }
        #expect(throws: (any Error).self) {
            try x.withUnsafeBufferPointer { try BasisSpec(kind: .fourier, degree: 2, x: $0, domain: nil, period: -1) }
        }
    }
}

@Suite struct DoubleDoubleTests {
    @Test func productsAndSumsAreExact() {
        let a = 1.0 + Double.ulpOfOne, b = 1.0 - Double.ulpOfOne
        let p = Extended(a) * Extended(b)  // 1 - eps^2 exactly
        #expect(p.hi == 1 && p.lo == -Double.ulpOfOne * Double.ulpOfOne)
        let s = Extended(1e16) + Extended(1) - Extended(1e16)
        #expect(Double(s) == 1)
        let q = Extended(1) / Extended(3)
        #expect(abs(Double((q * Extended(3) - Extended(1)))) < 1e-31)
    }
}

@Suite struct ScalingTests {
    /// Columns of very different magnitude (1e-170 and 1e170) are neither lost nor overflowed:
    /// the equilibration uses a scaled norm and exact powers of two.
    @Test func extremeColumnScales() throws {
        let n = 20
        var a = [Double](), y = [Double]()
        for i in 0..<n {
            let x = Double(i) / Double(n)
            a += [1e-170, 1e170 * x]
            y.append(2 + 3 * x)
        }
        let f = try fit(a, rows: n, cols: 2, y: y)
        #expect(abs(f.parameters[0] * 1e-170 - 2) < 1e-13)
        #expect(abs(f.parameters[1] * 1e170 - 3) < 1e-13)
        #expect(f.conditionNumber < 10)
    }
}
