import Foundation
import Testing
@testable import InferKit

@Suite("Nonlinear least squares")
struct NonlinearTests {
    /// All 27 NIST StRD nonlinear problems from both starting points with default options:
    /// at least 6 correct digits in every parameter and 4 in every standard error (Lanczos1's
    /// certified residuals lie below double precision: 2 digits in its standard errors).
    @Test func nistCertifiedValues() throws {
        let names = NISTNonlinear.names
        #expect(names.count == 27)
        var report: [String] = []
        for name in names {
            let data = try NISTNonlinear.load(name)
            for (label, start) in [("start1", data.start1), ("start2", data.start2)] {
                let fit = try data.fit(from: start)
                let digits = zip(fit.parameters, data.certifiedValues).map { lre11($0, $1) }.min() ?? 0
                let errorDigits = zip(fit.standardErrors, data.certifiedErrors).map { lre11($0, $1) }.min() ?? 0
                let s = fit.solution
                report.append(String(format: "%-9@ %@ params %4.1f  errors %4.1f  nfev %4d njev %4d  %@",
                                     name as NSString, label as NSString, digits, errorDigits, s.evaluations,
                                     s.jacobianEvaluations, "\(s.termination)" as NSString))
                #expect(fit.solution.termination.converged, "\(name) \(label): \(fit.solution.termination)")
                #expect(digits >= 6, "\(name) \(label): \(digits) digits in the parameters")
                #expect(errorDigits >= (name == "Lanczos1" ? 2 : 4), "\(name) \(label): \(errorDigits) digits in the errors")
            }
        }
        if ProcessInfo.processInfo.environment["INFERKIT_VERBOSE"] != nil { print(report.joined(separator: "\n")) }
    }

    /// A fit of many points evaluates its formula in chunks across threads: the same result to
    /// the bit for 1, 2 and 3 threads, and the truth within the errors.
    @Test func largeFitsAreIdenticalForEveryThreadCount() throws {
        let n = 100_003
        var random = TestRandom(state: 99)
        let x = (0..<n).map { -1 + 2 * Double($0) / Double(n - 1) }
        let y = x.map { 2 * Foundation.exp(-0.5 * (($0 - 0.3) / 0.1) * (($0 - 0.3) / 0.1)) + 0.5 + 0.05 * (random.next() - 0.5) }
        let w = [Double](repeating: 1 / 0.05, count: n)
        let model = try Model("A*exp(-0.5*((x-mu)/sig)^2) + B", params: ["mu", "sig", "A", "B"])
        var results: [[Double]] = []
        for threads in [1, 2, 3] {
            var options = LeastSquaresOptions()
            options.threads = threads
            let solution: LeastSquaresSolution = try x.withUnsafeBufferPointer { xb in
                try y.withUnsafeBufferPointer { yb in
                    try w.withUnsafeBufferPointer { wb in
                        let problem = LeastSquaresProblem(model: model, points: DataPoints(count: n, columns: [xb], rowMajor: xb),
                                                          observations: yb, weights: wb)
                        return try NonlinearLeastSquares.solve(problem, start: [0.2, 0.2, 1, 0], options: options)
                    }
                }
            }
            #expect(solution.termination.converged)
            results.append(solution.parameters + solution.residuals.prefix(5) + solution.jacobian.suffix(5))
        }
        #expect(results[0] == results[1])
        #expect(results[0] == results[2])
        #expect(Swift.abs(results[0][0] - 0.3) < 1e-3 && Swift.abs(results[0][2] - 2) < 1e-2)
    }
}
