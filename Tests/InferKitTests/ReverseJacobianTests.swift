import Testing
@testable import InferKit

@Suite("Reverse-mode Jacobian")
struct ReverseJacobianTests {
    /// Reverse and forward mode agree to rounding on formulas exercising every operation kind,
    /// with and without weights and observations, across block boundaries.
    @Test(arguments: [
        "A*exp(-0.5*((x-mu)/sig)^2) + B",
        "a*x + b*x^2 + c*sin(d*x) + a*b",
        "where(x > c, a*(x - c)^2, b*log(1 + (x - c)^2)) + min(a, b)*max(x, d)",
        "A*voigt(x - x0, s, g) + B*x + pow(abs(x) + 1, g)",
        "atan2(a*x, b) + a/(b + x^2) - sqrt(c + x^2)/d + tanh(a*x)*erf(b*x)",
        "u = a*x + b; v = u*u; v/c - u*d + a*a*x",
    ])
    func agreesWithForwardMode(_ formula: String) throws {
        let model = try Model(formula)
        let p = model.parameters.count
        let n = 600
        let x = (0..<n).map { -2.0 + 4.0 * Double($0) / Double(n - 1) }
        let params = (0..<p).map { 0.7 + 0.3 * Double($0) }
        let y = x.map { 0.3 * $0 }
        let w = x.map { 1 / (0.1 + 0.01 * $0 * $0) }
        for transform in [false, true] {
            var vf = [Double](repeating: 0, count: n), vr = vf
            var jf = [Double](repeating: 0, count: n * p), jr = jf
            x.withUnsafeBufferPointer { xb in
                params.withUnsafeBufferPointer { pb in
                    y.withUnsafeBufferPointer { yb in
                        w.withUnsafeBufferPointer { wb in
                            let t = transform ? ResidualTransform(observations: yb.baseAddress, weights: wb.baseAddress) : nil
                            vf.withUnsafeMutableBufferPointer { v in
                                jf.withUnsafeMutableBufferPointer {
                                    model.tape.forwardJacobian(inputs: [xb], parameters: pb, count: n, values: v, jacobian: $0, residuals: t)
                                }
                            }
                            vr.withUnsafeMutableBufferPointer { v in
                                jr.withUnsafeMutableBufferPointer {
                                    model.tape.reverseJacobian(inputs: [xb], parameters: pb, count: n, values: v, jacobian: $0, residuals: t)
                                }
                            }
                        }
                    }
                }
            }
            #expect(vf == vr)
            for k in 0..<(n * p) {
                let scale = Swift.max(1, Swift.abs(jf[k]))
                #expect(Swift.abs(jf[k] - jr[k]) <= 1e-13 * scale, "\(formula) element \(k): \(jf[k]) vs \(jr[k])")
            }
        }
    }

    @Test func chosenForTheGaussianPeak() throws {
        #expect(try Model("A*exp(-0.5*((x-mu)/sig)^2) + B").tape.prefersReverseJacobian)
        #expect(try !Model("a*x").tape.prefersReverseJacobian)
    }
}
