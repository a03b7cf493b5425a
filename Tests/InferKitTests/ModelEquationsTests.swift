import Foundation
import Testing
@testable import InferKit

/// Models without inputs as the equations of a root-finding problem: one callback model whose n
/// values are the equations (`ModelEquations`), or one model per equation (`ModelEquationList`).
@Suite("Model equations")
struct ModelEquationsTests {
    /// F(x, y) = (x² + y² - 4, x - y) written at the two points of a callback model.
    static let circle = CallbackModel(inputCount: 0, parameterNames: ["x", "y"]) { points, p, out in
        #expect(points.count == 2)
        out[0] = p[0] * p[0] + p[1] * p[1] - 4
        out[1] = p[0] - p[1]
    }

    private func thrown(_ body: () throws -> Void) -> InferKitError? {
        do { try body(); return nil } catch let e as InferKitError { return e } catch { return nil }
    }

    @Test func callbackSystem() throws {
        let f = try ModelEquations(Self.circle)
        #expect(f.inputDimension == 2 && f.outputDimension == 2 && !f.hasExactJacobian)
        #expect(try f.values([1, 2]) == [1, -1])
        let (v, j) = try f.valuesAndJacobian([1, 2])
        #expect(v == [1, -1])
        // Column-major 2 x 2: dF/dx = (2x, 1), dF/dy = (2y, -1), by forward differences.
        for (got, want) in zip(j, [2.0, 1, 4, -1]) { #expect(abs(got - want) < 1e-6) }
        let r = try findRoot(f, x0: [1, 0.5])
        #expect(r.success && abs(r.x[0] - 2.0.squareRoot()) < 1e-14 && abs(r.x[1] - 2.0.squareRoot()) < 1e-14)
        #expect(thrown { _ = try f.values([1]) } == .dimensionMismatch("x has 1 values but the system has 2 unknowns"))
        let withInput = CallbackModel(inputCount: 1, parameterNames: ["a"]) { _, _, _ in }
        #expect(thrown { _ = try ModelEquations(withInput) } != nil)
    }

    @Test func formulaList() throws {
        let circle = try Model("x^2 + y^2 - 4", inputs: [], params: ["x", "y"])
        let diagonal = try Model("x - y", inputs: [], params: ["x", "y"])
        let f = try ModelEquationList([circle, diagonal])
        #expect(f.unknowns == ["x", "y"] && f.hasExactJacobian)
        let (v, j) = try f.valuesAndJacobian([1, 2])
        #expect(v == [1, -1] && j == [2, 1, 4, -1])  // exact, column-major
        let r = try findRoot(f, x0: [1, 0.5])
        #expect(r.success && abs(r.x[0] - 2.0.squareRoot()) < 1e-15)
        // Equations with some of the unknowns, matched by name: x² = 2, y = x (parameters y, x).
        let square = try Model("x^2 - 2", inputs: [], params: nil)
        let follow = try Model("y - x", inputs: [], params: nil)
        let partial = try ModelEquationList([square, follow], unknowns: ["x", "y"])
        let (pv, pj) = try partial.valuesAndJacobian([1, 3])
        #expect(pv == [-1, 2] && pj == [2, -1, 0, 1])
        let s = try findRoot(partial, x0: [1, 0.5])
        #expect(s.success && abs(s.x[1] - 2.0.squareRoot()) < 1e-15)
    }

    @Test func formulaListErrors() throws {
        let circle = try Model("x^2 + y^2 - 4", inputs: [], params: ["x", "y"])
        let reversed = try Model("y - x", inputs: [], params: nil)
        let withInput = try Model("x - a", inputs: ["x"], params: nil)
        #expect(thrown { _ = try ModelEquationList([]) } == .dimensionMismatch("the system has no equations"))
        #expect(thrown { _ = try ModelEquationList([circle, withInput]) }?.message.contains("equations[1] has 1 inputs") == true)
        #expect(thrown { _ = try ModelEquationList([circle, reversed]) }?.message
            .contains("equations[1] has parameters [\"y\", \"x\"] but equations[0] has [\"x\", \"y\"]") == true)
        #expect(thrown { _ = try ModelEquationList([circle], unknowns: ["x", "z"]) }?.message
            .contains("equations[0] has parameter 'y', which is not one of the unknowns") == true)
        #expect(thrown { _ = try ModelEquationList([circle], unknowns: ["x", "x"]) }
            == .invalidArgument("unknown 'x' is named more than once in unknowns"))
        let f = try ModelEquationList([circle, reversed], unknowns: ["x", "y"])
        #expect(thrown { _ = try f.values([1, 2, 3]) } == .dimensionMismatch("x has 3 values but the system has 2 unknowns"))
    }
}
