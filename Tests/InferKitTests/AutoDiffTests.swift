import Foundation
import Testing
@testable import InferKit

private func relativeError(_ a: Double, _ b: Double) -> Double {
    let scale = Swift.max(Swift.abs(a), Swift.abs(b))
    return scale < 1e-300 ? Swift.abs(a - b) : Swift.abs(a - b) / scale
}

private func scalar(_ formula: String, _ params: [String: Double]) throws -> Double {
    let model = try Model(formula, inputs: [])
    return try model.value(params: model.parameters.map { params[$0] ?? .nan })
}

private func parseMessage(_ formula: String, inputs: [String] = ["x"], params: [String]? = nil) -> String? {
    do {
        _ = try Model(formula, inputs: inputs, params: params)
        return nil
    } catch let error as InferKitError {
        if case .parse(let message) = error { return message }
        return "not a parse error: \(error)"
    } catch {
        return "\(error)"
    }
}

private func invalidArgumentMessage(_ formula: String, inputs: [String] = ["x"], params: [String]? = nil) -> String? {
    do {
        _ = try Model(formula, inputs: inputs, params: params)
        return nil
    } catch let error as InferKitError {
        if case .invalidArgument(let message) = error { return message }
        return nil
    } catch {
        return nil
    }
}

@Suite("Model language and automatic differentiation")
struct AutoDiffTests {
    /// The value-only evaluation writes results over slots no longer needed: the same values
    /// to the bit as the plain tape (exp's out-of-range arguments, which its kernel rereads,
    /// included), over far fewer distinct slots for a long formula.
    @Test func slotReuseKeepsValues() throws {
        let quadratic = (0..<6).flatMap { i in (i..<6).map { j in "\(Double(i + j) * 0.37 - 1)*x*p\(i)*p\(j)" } }
            .joined(separator: " + ")
        let formulas = [
            "A*exp(-0.5*((x-mu)/sig)^2) + B",
            quadratic,
            "exp(x*800) + exp(-x*800) + exp(x) * (x > 0 ? log(1 + x^2) : sin(x)) - sqrt(abs(x))/(1 + x^2)",
            "u = x - c; v = u*u; w = exp(-v); w*u + v*w - u/(1 + v)",
        ]
        let n = 1003
        let x = (0..<n).map { -1.3 + 2.6 * Double($0) / Double(n - 1) }
        for formula in formulas {
            let model = try Model(formula)
            let p = (0..<model.parameterCount).map { 0.3 + 0.1 * Double($0) }
            var plain = model.tape
            plain.valueInstructions = plain.instructions
            plain.valueResult = plain.result
            var reused = [Double](repeating: 0, count: n), reference = reused
            x.withUnsafeBufferPointer { xb in
                p.withUnsafeBufferPointer { pb in
                    reused.withUnsafeMutableBufferPointer { model.tape.evaluate(inputs: [xb], parameters: pb, count: n, output: $0) }
                    reference.withUnsafeMutableBufferPointer { plain.evaluate(inputs: [xb], parameters: pb, count: n, output: $0) }
                }
            }
            #expect(reused.map(\.bitPattern) == reference.map(\.bitPattern), "\(formula)")
            for instruction in model.tape.valueInstructions {
                let operands = [instruction.a, instruction.b, instruction.c].prefix(instruction.op.arity)
                #expect(!operands.contains(instruction.output), "an output overwrites its operand in \(formula)")
            }
        }
        let long = try Model(quadratic)
        let distinct = Set(long.tape.valueInstructions.map(\.output)).count
        #expect(long.tape.instructions.count > 60 && distinct <= 4, "\(distinct) result slots for \(long.tape.instructions.count) instructions")
    }

    @Test func precedence() throws {
        #expect(try scalar("-x^2", ["x": 3]) == -9)
        #expect(try scalar("2^3^2", [:]) == 512)
        #expect(try scalar("a-b-c", ["a": 10, "b": 3, "c": 2]) == 5)
        #expect(try scalar("a/b/c", ["a": 12, "b": 3, "c": 2]) == 2)
        #expect(try scalar("2^-1", [:]) == 0.5)
        #expect(try scalar("-2^-2", [:]) == -0.25)
        #expect(try scalar("1 + 2*3^2 - 4/2", [:]) == 17)
        #expect(try scalar("(1 + 2)*3", [:]) == 9)
        #expect(try scalar("2**3", [:]) == 8)
        #expect(try scalar("-(-a)", ["a": 4]) == 4)
        #expect(try scalar("1 + 2 < 4", [:]) == 1)
    }

    @Test func literals() throws {
        #expect(try scalar("1", [:]) == 1)
        #expect(try scalar("1.5", [:]) == 1.5)
        #expect(try scalar(".5", [:]) == 0.5)
        #expect(try scalar("1e-3", [:]) == 1e-3)
        #expect(try scalar("2.5E+4", [:]) == 2.5e4)
        #expect(try scalar("pi", [:]) == Double.pi)
    }

    /// Every function's value against Foundation and its first and second derivatives
    /// (gradient by reverse mode, Hessian by the second-order forward pass, Jacobian by forward
    /// mode) against the analytic ones.
    @Test func functionsAndDerivatives() throws {
        typealias Case = (String, (Double) -> Double, (Double) -> Double, (Double) -> Double, [Double])
        let cases: [Case] = [
            ("exp(a)", { exp($0) }, { exp($0) }, { exp($0) }, [-1.3, 0.2, 2]),
            ("log(a)", { log($0) }, { 1 / $0 }, { -1 / ($0 * $0) }, [0.3, 1.7, 20]),
            ("log10(a)", { log10($0) }, { 1 / ($0 * log(10)) }, { -1 / ($0 * $0 * log(10)) }, [0.3, 5]),
            ("sqrt(a)", { sqrt($0) }, { 0.5 / sqrt($0) }, { -0.25 / ($0 * sqrt($0)) }, [0.3, 9]),
            ("abs(a)", { abs($0) }, { $0 > 0 ? 1 : -1 }, { _ in 0 }, [-2.5, 0.7]),
            ("sin(a)", { sin($0) }, { cos($0) }, { -sin($0) }, [-1.1, 0.4, 2.9]),
            ("cos(a)", { cos($0) }, { -sin($0) }, { -cos($0) }, [-1.1, 0.4, 2.9]),
            ("tan(a)", { tan($0) }, { 1 / (cos($0) * cos($0)) }, { 2 * tan($0) / (cos($0) * cos($0)) }, [-1.1, 0.4]),
            ("asin(a)", { asin($0) }, { 1 / sqrt(1 - $0 * $0) }, { $0 / pow(1 - $0 * $0, 1.5) }, [-0.6, 0.3]),
            ("acos(a)", { acos($0) }, { -1 / sqrt(1 - $0 * $0) }, { -$0 / pow(1 - $0 * $0, 1.5) }, [-0.6, 0.3]),
            ("atan(a)", { atan($0) }, { 1 / (1 + $0 * $0) }, { -2 * $0 / pow(1 + $0 * $0, 2) }, [-2, 0.3]),
            ("sinh(a)", { sinh($0) }, { cosh($0) }, { sinh($0) }, [-1.5, 0.3]),
            ("cosh(a)", { cosh($0) }, { sinh($0) }, { cosh($0) }, [-1.5, 0.3]),
            ("tanh(a)", { tanh($0) }, { 1 / (cosh($0) * cosh($0)) }, { -2 * tanh($0) / (cosh($0) * cosh($0)) }, [-1.5, 0.3]),
            ("erf(a)", { erf($0) }, { 2 / sqrt(Double.pi) * exp(-$0 * $0) }, { -4 * $0 / sqrt(Double.pi) * exp(-$0 * $0) }, [-0.8, 0.5, 1.7]),
            ("erfc(a)", { erfc($0) }, { -2 / sqrt(Double.pi) * exp(-$0 * $0) }, { 4 * $0 / sqrt(Double.pi) * exp(-$0 * $0) }, [-0.8, 0.5, 1.7]),
            ("sinc(a)", { sin($0) / $0 }, { (cos($0) * $0 - sin($0)) / ($0 * $0) },
             { ((2 - $0 * $0) * sin($0) - 2 * $0 * cos($0)) / pow($0, 3) }, [-2.2, 0.7, 3.5]),
            ("a^3", { pow($0, 3) }, { 3 * $0 * $0 }, { 6 * $0 }, [-1.5, 2]),
            ("pow(a, 2.5)", { pow($0, 2.5) }, { 2.5 * pow($0, 1.5) }, { 3.75 * sqrt($0) }, [0.4, 3]),
            ("2^a", { pow(2, $0) }, { pow(2, $0) * log(2) }, { pow(2, $0) * log(2) * log(2) }, [-1, 0.5]),
            ("atan2(a, 2)", { atan2($0, 2) }, { 2 / ($0 * $0 + 4) }, { -4 * $0 / pow($0 * $0 + 4, 2) }, [-1, 3]),
            ("atan2(2, a)", { atan2(2, $0) }, { -2 / ($0 * $0 + 4) }, { 4 * $0 / pow($0 * $0 + 4, 2) }, [-1, 3]),
            ("min(a, 1)", { min($0, 1) }, { $0 < 1 ? 1 : 0 }, { _ in 0 }, [0.5, 2]),
            ("max(a, 1)", { max($0, 1) }, { $0 > 1 ? 1 : 0 }, { _ in 0 }, [0.5, 2]),
            ("gaussian(a, 0.5, 1.5)", { exp(-0.5 * pow(($0 - 0.5) / 1.5, 2)) / (1.5 * sqrt(2 * Double.pi)) },
             { -($0 - 0.5) / 2.25 * exp(-0.5 * pow(($0 - 0.5) / 1.5, 2)) / (1.5 * sqrt(2 * Double.pi)) },
             { (pow(($0 - 0.5) / 2.25, 2) - 1 / 2.25) * exp(-0.5 * pow(($0 - 0.5) / 1.5, 2)) / (1.5 * sqrt(2 * Double.pi)) },
             [-0.6, 0.2, 2.3]),
            ("lorentzian(a, 1, 0.5)", { 0.5 / (Double.pi * (pow($0 - 1, 2) + 0.25)) },
             { -0.5 * 2 * ($0 - 1) / (Double.pi * pow(pow($0 - 1, 2) + 0.25, 2)) },
             { 0.5 / Double.pi * (6 * pow($0 - 1, 2) - 0.5) / pow(pow($0 - 1, 2) + 0.25, 3) }, [-1, 0.7, 2]),
        ]
        for (formula, f, df, d2f, points) in cases {
            let model = try Model(formula, inputs: [])
            #expect(model.parameters == ["a"], "\(formula)")
            for a in points {
                let value = try model.value(params: [a])
                let gradient = try model.gradient(params: [a])
                let hessian = try model.hessian(params: [a])
                #expect(relativeError(value, f(a)) < 1e-14, "\(formula) at \(a): \(value) vs \(f(a))")
                #expect(relativeError(gradient[0], df(a)) < 1e-12, "\(formula)' at \(a): \(gradient[0]) vs \(df(a))")
                #expect(relativeError(hessian[0], d2f(a)) < 1e-12, "\(formula)'' at \(a): \(hessian[0]) vs \(d2f(a))")
                // The same derivative by forward mode, through an input.
                let shifted = try Model(formula.replacingOccurrences(of: "\\ba\\b", with: "(a + x)", options: .regularExpression),
                                       inputs: ["x"], params: ["a"])
                let jac = try shifted.jacobian(inputs: [[0, 0]], params: [a])
                #expect(relativeError(jac.jacobian[1], df(a)) < 1e-12, "\(formula) forward at \(a)")
            }
        }
    }

    @Test func lgammaAndItsDerivatives() throws {
        let model = try Model("lgamma(a)", inputs: [])
        let euler = 0.5772156649015328606
        // psi(1) = -gamma, psi'(1) = pi^2/6; psi(1/2) = -gamma - 2 log 2, psi'(1/2) = pi^2/2;
        // psi(3.5) = psi(1/2) + 2 + 2/3 + 2/5; psi(-0.5) = psi(0.5) + 2 (recurrence).
        let cases: [(Double, Double, Double)] = [
            (1, -euler, Double.pi * Double.pi / 6),
            (0.5, -euler - 2 * log(2.0), Double.pi * Double.pi / 2),
            (3.5, -euler - 2 * log(2.0) + 2 + 2.0 / 3 + 0.4,
             Double.pi * Double.pi / 2 - 4 - 4.0 / 9 - 4.0 / 25),
            (-0.5, -euler - 2 * log(2.0) + 2, Double.pi * Double.pi / 2 + 4),
            (25, log(25.0) - 1 / 50.0 - 1 / (12 * 625.0) + 1 / (120 * 390625.0) - 1 / (252 * pow(25.0, 6)), .nan),
        ]
        for (a, psi, trigamma) in cases {
            #expect(relativeError(try model.value(params: [a]), lgamma(a)) < 1e-14)
            #expect(relativeError(try model.gradient(params: [a])[0], psi) < 1e-12, "psi(\(a))")
            if !trigamma.isNaN {
                #expect(relativeError(try model.hessian(params: [a])[0], trigamma) < 1e-12, "psi'(\(a))")
            }
        }
    }

    @Test func sincNearZero() throws {
        let model = try Model("sinc(a)", inputs: [])
        #expect(try model.value(params: [0]) == 1)
        #expect(try model.gradient(params: [0])[0] == 0)
        #expect(relativeError(try model.hessian(params: [0])[0], -1.0 / 3) < 1e-15)
        let a = 0.05
        #expect(relativeError(try model.value(params: [a]), sin(a) / a) < 1e-15)
        #expect(relativeError(try model.gradient(params: [a])[0], -a / 3 + pow(a, 3) / 30 - pow(a, 5) / 840 + pow(a, 7) / 45360) < 1e-14)
    }

    @Test func gaussianPlusBackgroundJacobian() throws {
        let model = try Model("A*exp(-0.5*((x-mu)/sig)^2) + B")
        #expect(model.parameters == ["A", "mu", "sig", "B"])
        let n = 1000
        let x = (0..<n).map { -5 + 10 * Double($0) / Double(n - 1) }
        let p = [2.5, 0.3, 1.2, 0.7]
        let (values, jacobian) = try model.jacobian(inputs: [x], params: p)
        let plain = try model.evaluate(inputs: [x], params: p)
        for i in 0..<n {
            let z = (x[i] - p[1]) / p[2]
            let e = exp(-0.5 * z * z)
            let expected = [e, p[0] * e * z / p[2], p[0] * e * z * z / p[2], 1]
            #expect(relativeError(values[i], p[0] * e + p[3]) < 1e-14)
            #expect(values[i] == plain[i])
            for j in 0..<4 {
                #expect(relativeError(jacobian[j * n + i], expected[j]) < 1e-12 || abs(jacobian[j * n + i] - expected[j]) < 1e-300,
                        "J[\(i), \(j)] = \(jacobian[j * n + i]) vs \(expected[j])")
            }
        }
    }

    @Test func scalarGradientAndHessian() throws {
        // A Gaussian log-likelihood of (mu, s) plus a log-normal-ish prior term.
        let model = try Model("-0.5*((3 - mu)/s)^2 - log(s) + a*mu*s^2", inputs: [], params: ["mu", "s", "a"])
        let (mu, s, a) = (1.2, 0.8, 0.3)
        let r = 3 - mu
        let gradient = try model.gradient(params: [mu, s, a])
        let expectedGradient = [r / (s * s) + a * s * s, r * r / (s * s * s) - 1 / s + 2 * a * mu * s, mu * s * s]
        let hessian = try model.hessian(params: [mu, s, a])
        let expectedHessian = [
            -1 / (s * s), -2 * r / (s * s * s) + 2 * a * s, s * s,
            -2 * r / (s * s * s) + 2 * a * s, -3 * r * r / pow(s, 4) + 1 / (s * s) + 2 * a * mu, 2 * mu * s,
            s * s, 2 * mu * s, 0,
        ]
        for j in 0..<3 { #expect(relativeError(gradient[j], expectedGradient[j]) < 1e-12) }
        for k in 0..<9 { #expect(relativeError(hessian[k], expectedHessian[k]) < 1e-12, "H[\(k)]") }
        #expect(throws: InferKitError.self) { try Model("a*x").gradient(params: [1]) }
    }

    @Test func localDefinitions() throws {
        let model = try Model("s = (x - mu)/sig; A*exp(-s^2/2) + B")
        #expect(model.parameters == ["mu", "sig", "A", "B"])
        let y = try model.evaluate(inputs: [[1, 2]], params: [1, 2, 3, 4])
        #expect(relativeError(y[0], 7) < 1e-15)
        #expect(relativeError(y[1], 3 * exp(-0.125) + 4) < 1e-15)
        let chained = try Model("u = a*x; v = u + 1; v*v", params: ["a"])
        let (values, jac) = try chained.jacobian(inputs: [[2]], params: [3])
        #expect(values == [49])
        #expect(jac == [2 * 7 * 2])
        #expect(invalidArgumentMessage("u = v; v = 2; u")?.contains("'v'") == true)
        #expect(invalidArgumentMessage("u = 1; u = 2; u")?.contains("'u'") == true)
    }

    @Test func conditionals() throws {
        let model = try Model("where(x < c, a*x, a*c)")
        let x = [0.5, 1.5, 2.5]
        let (values, jac) = try model.jacobian(inputs: [x], params: [2, 3])  // c = 2, a = 3
        #expect(model.parameters == ["c", "a"])
        #expect(values == [1.5, 4.5, 6])
        #expect(jac == [0, 0, 3, 0.5, 1.5, 2])
        let ternary = try Model("x >= 1 ? x^2 : -x")
        #expect(try ternary.evaluate(inputs: [[0.5, 1, 3]], params: []) == [-0.5, 1, 9])
        #expect(try scalar("(1 != 2) + (2 == 2) + (3 <= 2) + (3 > 2)", [:]) == 3)
        #expect(try scalar("a > 0 ? 1 : 2 ? 3 : 4", ["a": -1]) == 3)
    }

    @Test func multipleInputsAndBlocks() throws {
        let model = try Model("a*x + b*y^2", inputs: ["x", "y"])
        let n = 700  // spans several blocks
        let x = (0..<n).map(Double.init), y = (0..<n).map { Double($0) * 0.5 }
        let (values, jac) = try model.jacobian(inputs: [x, y], params: [2, 3])
        for i in 0..<n {
            #expect(values[i] == 2 * x[i] + 3 * y[i] * y[i])
            #expect(jac[i] == x[i] && jac[n + i] == y[i] * y[i])
        }
        #expect(throws: InferKitError.self) { try model.evaluate(inputs: [x], params: [2, 3]) }
        #expect(throws: InferKitError.self) { try model.evaluate(inputs: [x, y], params: [2]) }
    }

    @Test func parameterDiscovery() throws {
        #expect(try Model("c + b*x + a*x^2").parameters == ["c", "b", "a"])
        #expect(try Model("k*exp(-x/tau)*sin(w*x + phi) + k").parameters == ["k", "tau", "w", "phi"])
        #expect(try Model("gaussian(x, m, s) + pi*0").parameters == ["m", "s"])
        #expect(try Model("a*x", params: ["a"]).parameters == ["a"])
        #expect(invalidArgumentMessage("a*x + b", params: ["a"])?.contains("'b'") == true)
        #expect(invalidArgumentMessage("a*x", params: ["a", "q"])?.contains("'q'") == true)
        #expect(invalidArgumentMessage("a*x", params: ["a", "a"])?.contains("'a'") == true)
        #expect(invalidArgumentMessage("a*x", params: ["a", "x"])?.contains("'x'") == true)
        #expect(invalidArgumentMessage("a*x", inputs: ["x", "x"])?.contains("'x'") == true)
        #expect(invalidArgumentMessage("exp = 2; exp*x")?.contains("'exp'") == true)
    }

    @Test func parseErrors() throws {
        let cases: [(String, [String])] = [
            ("exp((x-mu)/2", ["expected ')'", "character 12"]),
            ("a*", ["expected a number, name or '('", "character 2"]),
            ("a + * b", ["expected a number, name or '('", "character 4"]),
            ("(a + b", ["expected ')'", "character 6"]),
            ("a b", ["expected an operator", "character 2"]),
            ("a $ b", ["character 2", "found '$'"]),
            ("1e+ * a", ["expected exponent digits", "character 3"]),
            ("x > 0 ? a", ["expected ':'", "character 9"]),
            ("s = x; ", ["expected a number, name or '('", "character 7"]),
            ("s = x a", ["expected ';'", "character 6"]),
            ("min(a,)", ["expected a number, name or '('", "character 6"]),
            ("", ["expected a number, name or '('", "character 0"]),
        ]
        for (formula, fragments) in cases {
            let message = parseMessage(formula)
            #expect(message != nil, "'\(formula)' parsed")
            for fragment in fragments {
                #expect(message?.contains(fragment) == true, "'\(formula)': \(message ?? "no error") lacks \(fragment)")
            }
        }
        let unknown = parseMessage("2*foo(x)")
        #expect(unknown?.contains("unknown function 'foo'") == true && unknown?.contains("character 2") == true)
        let arity = parseMessage("atan2(x)")
        #expect(arity?.contains("'atan2'") == true && arity?.contains("2 arguments, got 1") == true)
        #expect(parseMessage("gaussian(x, 1)")?.contains("3 arguments, got 2") == true)
        #expect(parseMessage("exp(x, 1)")?.contains("1 argument, got 2") == true)
    }

    @Test func deepNestingIsAnErrorNotACrash() throws {
        let deep = String(repeating: "(", count: 20000) + "x" + String(repeating: ")", count: 20000)
        #expect(parseMessage(deep)?.contains("nested deeper than") == true)
        #expect(parseMessage(String(repeating: "-", count: 20000) + "x")?.contains("nested deeper than") == true)
        let longSum = Array(repeating: "a*x", count: 5000).joined(separator: " + ")
        #expect(parseMessage(longSum)?.contains("nested deeper than") == true)
        let moderate = Array(repeating: "a*x", count: 100).joined(separator: " + ")
        #expect(try Model(moderate).evaluate(inputs: [[2]], params: [3]) == [600])
    }

    @Test func conventionsAtNonDifferentiablePoints() throws {
        #expect(try Model("abs(a)", inputs: []).gradient(params: [0]) == [0])
        #expect(try Model("min(a, b)", inputs: []).gradient(params: [1, 1]) == [1, 0])
        #expect(try Model("max(a, b)", inputs: []).gradient(params: [1, 1]) == [1, 0])
        #expect(try Model("where(a > 0, 2*a, 3*b)", inputs: []).gradient(params: [1, 5]) == [2, 0])
        #expect(try Model("(a > b) * 1", inputs: []).hessian(params: [1, 2]) == [0, 0, 0, 0])
        #expect(try scalar("1. + 5.e1", [:]) == 51)
    }

    @Test func constantsAreFolded() throws {
        let model = try Model("a * (2*pi + sqrt(4)) + 0*exp(1)", inputs: [])
        #expect(model.tape.instructions.count == 2)
        #expect(relativeError(try model.value(params: [1]), 2 * Double.pi + 2) < 1e-15)
    }
}
