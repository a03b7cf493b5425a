import Foundation
import Testing
@testable import InferKit

@Suite struct RegularizationTests {
    /// Hansen's shaw problem by midpoint quadrature (n x n row-major) and its solution.
    static func shaw(_ n: Int) -> ([Double], [Double]) {
        let h = Double.pi / Double(n)
        let t = (0..<n).map { -Double.pi / 2 + (Double($0) + 0.5) * h }
        var a = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n {
                let u = Double.pi * (sin(t[i]) + sin(t[j]))
                let sinc = u == 0 ? 1 : sin(u) / u
                let v = (cos(t[i]) + cos(t[j])) * sinc
                a[i * n + j] = h * v * v
            }
        }
        let x = t.map { 2 * exp(-6 * ($0 - 0.8) * ($0 - 0.8)) + exp(-2 * ($0 + 0.5) * ($0 + 0.5)) }
        return (a, x)
    }

    static func tikhonov(_ a: [Double], rows: Int, cols: Int, y: [Double], penalty: Penalty = .firstDifference,
                         grid: [Double]? = nil, options: TikhonovOptions = TikhonovOptions()) throws -> TikhonovFit {
        try withView(a, rows: rows, cols: cols, name: "a") { av in
            try y.withUnsafeBufferPointer { yb in
                if let grid {
                    return try grid.withUnsafeBufferPointer {
                        try Tikhonov.fit(design: av, data: yb, sigma: nil, penalty: penalty, grid: $0, options: options)
                    }
                }
                return try Tikhonov.fit(design: av, data: yb, sigma: nil, penalty: penalty, grid: nil, options: options)
            }
        }
    }

    @Test func convolutionMatrixIsTheConvolutionSum() throws {
        let h = [1.0, -2, 0.5, 3]
        try h.withUnsafeBufferPointer { hb in
            let full = try ConvolutionMatrix.matrix(kernel: hb, signalLength: 7, mode: .full, boundary: .zero)
            #expect(full.rows == 10 && full.cols == 7)
            for i in 0..<10 { for j in 0..<7 { #expect(full[i, j] == (i - j >= 0 && i - j < 4 ? h[i - j] : 0)) } }
            let same = try ConvolutionMatrix.matrix(kernel: hb, signalLength: 7, mode: .same, boundary: .reflect)
            for i in 0..<7 {
                var sum = 0.0
                for j in 0..<7 { sum += same[i, j] }
                #expect(abs(sum - 2.5) < 1e-15)
            }
            #expect(throws: InferKitError.self) {
                _ = try ConvolutionMatrix.matrix(kernel: hb, signalLength: 3, mode: .same, boundary: .zero)
            }
        }
    }

    @Test func ridgeMatchesTheClosedForm() throws {
        // A = diag(1, 2, 3) stacked on I: (A^T A + lam I) f = A^T y is diagonal.
        let a: [Double] = [1, 0, 0, 0, 2, 0, 0, 0, 3, 1, 0, 0, 0, 1, 0, 0, 0, 1]
        let y: [Double] = [1, 1, 1, 2, 2, 2]
        var options = TikhonovOptions()
        options.method = .fixed
        options.lambda = 0.5
        options.absoluteSigma = true
        let fit = try Self.tikhonov(a, rows: 6, cols: 3, y: y, penalty: .identity, options: options)
        for (j, d) in [1.0, 2, 3].enumerated() {
            #expect(abs(fit.parameters[j] - (d + 2) / (d * d + 1 + 0.5)) < 1e-14)
        }
        let cov = try fit.covariance()
        for (j, d) in [1.0, 2, 3].enumerated() { #expect(abs(cov[j, j] - 1 / (d * d + 1.5)) < 1e-14) }
        var edf = 0.0
        for d in [1.0, 2, 3] { edf += (d * d + 1) / (d * d + 1.5) }
        #expect(abs(fit.chosen.edf - edf) < 1e-13)
    }

    @Test func lowRankPathIsThreadIndependentAndAccurate() throws {
        let n = 320
        let (a, x) = Self.shaw(n)
        var y = [Double](repeating: 0, count: n)
        for i in 0..<n { for j in 0..<n { y[i] += a[i * n + j] * x[j] } }
        for i in 0..<n { y[i] += 1e-3 * sin(7.3 * Double(i)) }
        var one = TikhonovOptions(), two = TikhonovOptions()
        one.threads = 1
        two.threads = 2
        let f1 = try Self.tikhonov(a, rows: n, cols: n, y: y, penalty: .secondDifference, options: one)
        let f2 = try Self.tikhonov(a, rows: n, cols: n, y: y, penalty: .secondDifference, options: two)
        #expect(f1.flags.contains(.lowRank))
        #expect(f1.parameters == f2.parameters && f1.lambda == f2.lambda)
        var error = 0.0, norm = 0.0
        for j in 0..<n { error += (f1.parameters[j] - x[j]) * (f1.parameters[j] - x[j]); norm += x[j] * x[j] }
        #expect((error / norm).squareRoot() < 0.1)
    }

    @Test func nonNegativeLeastSquaresOfScipysExample() throws {
        let a: [Double] = [1, 0, 1, 0, 0, 1]
        let (x, r) = try withView(a, rows: 3, cols: 2, name: "a") { av in
            try [2.0, 1, 1].withUnsafeBufferPointer { try NonNegativeLeastSquares.solve(design: av, data: $0) }
        }
        #expect(abs(x[0] - 1.5) < 1e-15 && abs(x[1] - 1) < 1e-15 && abs(r - 0.5.squareRoot()) < 1e-15)
    }

    @Test func badInputsThrowNamedErrors() throws {
        let a: [Double] = [1, 2, 3, 4, 5, 6]
        var options = TikhonovOptions()
        options.method = .fixed
        options.lambda = -1
        #expect(throws: InferKitError.invalidArgument("options->lam is -1.0: lam must be finite and >= 0")) {
            _ = try Self.tikhonov(a, rows: 3, cols: 2, y: [1, 2, 3], options: options)
        }
        #expect(throws: InferKitError.invalidArgument("lam_grid[1] is -2.0: every lam must be >= 0")) {
            _ = try Self.tikhonov(a, rows: 3, cols: 2, y: [1, 2, 3], grid: [1, -2])
        }
        #expect(throws: InferKitError.nonFinite("y[1] is NaN")) {
            _ = try Self.tikhonov(a, rows: 3, cols: 2, y: [1, .nan, 3])
        }
    }
}
