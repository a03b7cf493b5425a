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
}
