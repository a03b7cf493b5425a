import Foundation
import Testing
@testable import InferKit

@Suite struct SpectralTests {
    /// Irregular times, a sinusoid at 0.2 with an offset, deterministic noise, uncertainties.
    static func data(_ n: Int = 150) -> (t: [Double], y: [Double], dy: [Double]) {
        var t = [Double](), y = [Double](), dy = [Double]()
        for i in 0..<n {
            let x = Double(i)
            let ti: Double = x * 0.7 + 0.5 * sin(x * x * 1.3)
            let signal: Double = sin(2 * Double.pi * 0.2 * ti)
            let noise: Double = 0.4 * sin(x * 12.9898)
            t.append(ti)
            y.append(2 + signal + noise)
            dy.append(0.5 + 0.2 * Double(i % 4))
        }
        return (t, y, dy)
    }

    static func periodogram(_ d: (t: [Double], y: [Double], dy: [Double]), _ options: LombScargleOptions) throws -> LombScargle {
        try d.t.withUnsafeBufferPointer { t in
            try d.y.withUnsafeBufferPointer { y in
                try d.dy.withUnsafeBufferPointer { try LombScargle(t: t, y: y, dy: $0, options: options) }
            }
        }
    }

    static func power(_ p: LombScargle, _ f: [Double]) throws -> [Double] {
        var out = [Double](repeating: .nan, count: f.count * p.seriesCount)
        try f.withUnsafeBufferPointer { fb in
            try out.withUnsafeMutableBufferPointer { try p.power(frequencies: fb, into: $0.baseAddress!) }
        }
        return out
    }

    /// 1 - chi2(f) / chi2_ref of the generalised model by the normal equations (3 x 3).
    static func reference(_ d: (t: [Double], y: [Double], dy: [Double]), _ f: Double) -> Double {
        let w = d.dy.map { 1 / ($0 * $0) }
        let mean = zip(w, d.y).map { $0 * $1 }.reduce(0, +) / w.reduce(0, +)
        var g = [[Double]](repeating: [0, 0, 0], count: 3), b = [0.0, 0, 0]
        for i in 0..<d.t.count {
            let x = [1, sin(2 * Double.pi * f * d.t[i]), cos(2 * Double.pi * f * d.t[i])]
            for r in 0..<3 {
                b[r] += w[i] * x[r] * (d.y[i] - mean)
                for c in 0..<3 { g[r][c] += w[i] * x[r] * x[c] }
            }
        }
        // Cramer's rule on the 3 x 3 system.
        func det(_ m: [[Double]]) -> Double {
            m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
                + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
        }
        let d0 = det(g)
        var theta = [0.0, 0, 0]
        for k in 0..<3 {
            var m = g
            for r in 0..<3 { m[r][k] = b[r] }
            theta[k] = det(m) / d0
        }
        var chi2 = 0.0, ref = 0.0
        for i in 0..<d.t.count {
            let fit = theta[0] + theta[1] * sin(2 * Double.pi * f * d.t[i]) + theta[2] * cos(2 * Double.pi * f * d.t[i])
            chi2 += w[i] * pow(d.y[i] - mean - fit, 2)
            ref += w[i] * pow(d.y[i] - mean, 2)
        }
        return 1 - chi2 / ref
    }

    @Test func sinCosCyclesIsAccurate() {
        var worst = 0.0
        for i in 0..<20000 {
            let x = Double(i) * 0.0123456789 - 100
            let v = SinCos.cycles(x)
            worst = max(worst, abs(v.cos - cos(2 * Double.pi * x)), abs(v.sin - sin(2 * Double.pi * x)))
        }
        // The reference itself rounds 2 pi x: at |x| = 150, ulp(2 pi x) ~ 1e-13.
        #expect(worst < 3e-13)
        let q = SinCos.cycles(0.25)
        #expect(q.sin == 1 && abs(q.cos) < 1e-300)
    }

    @Test func powerMatchesTheClosedForm() throws {
        let d = Self.data()
        let p = try Self.periodogram(d, LombScargleOptions())
        let grid = (0..<400).map { 0.01 + Double($0) * 0.001 }
        let scattered = [0.05, 0.2, 0.31, 0.123]
        for f in [grid, scattered] {
            let got = try Self.power(p, f)
            for (j, fj) in f.enumerated() {
                let want = Self.reference(d, fj)
                #expect(abs(got[j] - want) <= 1e-10 * want + 1e-15)
            }
        }
        let peak = try Self.power(p, grid)
        #expect(abs(grid[peak.indices.max { peak[$0] < peak[$1] }!] - 0.2) < 0.002)
    }

    @Test func threadsDoNotChangeTheResult() throws {
        let d = Self.data()
        let f = (0..<1000).map { 0.01 + Double($0) * 0.0007 }
        for method in PeriodogramMethod.allCases {
            var results: [[Double]] = []
            for threads in [1, 2, 5] {
                var o = LombScargleOptions()
                o.method = method
                o.nterms = 2
                o.threads = threads
                results.append(try Self.power(try Self.periodogram(d, o), f))
            }
            #expect(results[0] == results[1] && results[0] == results[2])
        }
    }

    @Test func fastMethodIsWithinItsStatedError() throws {
        let d = Self.data(400)
        let f = (0..<3000).map { 0.005 + Double($0) * 0.0005 }
        for k in 1...3 {
            var o = LombScargleOptions()
            o.nterms = k
            let exact = try Self.power(try Self.periodogram(d, o), f)
            o.method = .fast
            let fast = try Self.power(try Self.periodogram(d, o), f)
            #expect(zip(exact, fast).map { abs($0 - $1) }.max()! < 1e-11)
        }
    }

    @Test func gridDetectionAndAutomaticGrid() throws {
        let f = (0..<100).map { 0.01 + 0.05 * Double($0) }
        #expect(f.withUnsafeBufferPointer { FrequencyGrid.detect($0) } != nil)
        var g = f
        g[50] += 1e-9
        #expect(g.withUnsafeBufferPointer { FrequencyGrid.detect($0) } == nil)
        let t = [0.0, 1, 3, 10]
        let grid = try t.withUnsafeBufferPointer { try FrequencyGrid.automatic(t: $0, options: FrequencyGridOptions()) }
        #expect(grid.step == 1.0 / 10 / 5 && grid.start == 0.01)
        let last: Double = 5 * (0.5 * 4 / 10)
        let intervals: Double = ((last - 0.01) / 0.02).rounded(.toNearestOrEven)
        #expect(grid.count == 1 + Int(intervals))
    }

    @Test func badInputsThrowNamedErrors() throws {
        var d = Self.data(20)
        d.dy[3] = 0
        #expect(throws: InferKitError.invalidArgument("dy[3] is 0.0: every dy must be > 0")) {
            _ = try Self.periodogram(d, LombScargleOptions())
        }
        d = Self.data(20)
        d.t[7] = .nan
        #expect(throws: InferKitError.nonFinite("t[7] is NaN")) { _ = try Self.periodogram(d, LombScargleOptions()) }
        var o = LombScargleOptions()
        o.nterms = 0
        #expect(throws: InferKitError.self) { _ = try Self.periodogram(Self.data(20), o) }
        let p = try Self.periodogram(Self.data(20), LombScargleOptions())
        #expect(throws: InferKitError.invalidArgument("frequency[1] is -1.0: every frequency must be > 0")) {
            _ = try Self.power(p, [0.1, -1])
        }
    }

    @Test func bootstrapIsReproducible() throws {
        let d = Self.data(60)
        let p = try Self.periodogram(d, LombScargleOptions())
        var fap = FalseAlarmOptions()
        fap.method = .bootstrap
        fap.bootstraps = 40
        fap.seed = 9
        let z = [0.05, 0.1, 0.2]
        var a = [0.0, 0, 0], b = [0.0, 0, 0]
        try z.withUnsafeBufferPointer { zb in
            try p.falseAlarmProbability(power: zb, grid: FrequencyGridOptions(), options: fap, into: &a)
            try p.falseAlarmProbability(power: zb, grid: FrequencyGridOptions(), options: fap, into: &b)
        }
        #expect(a == b)
        #expect(a[0] >= a[1] && a[1] >= a[2])
    }
}
