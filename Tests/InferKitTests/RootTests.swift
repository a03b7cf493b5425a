import Foundation
import Testing
@testable import InferKit

/// The InferKitError a call throws, or nil.
private func thrownError(_ body: () throws -> Void) -> InferKitError? {
    do { try body(); return nil } catch let e as InferKitError { return e } catch { return nil }
}

@Suite("Root finding")
struct RootTests {
    static let dottie = 0.739085133215160641655312087674  // cos x = x (mpmath)

    @Test func cosineFixedPoint() throws {
        let f: (Double) -> (value: Double, derivative: Double) = { x in (cos(x) - x, -sin(x) - 1) }
        let bracketed = try findRoot(f, bracket: (0, 1))
        #expect(bracketed.success, "\(bracketed.message)")
        #expect(abs(bracketed.root - Self.dottie) < 1e-15)
        #expect(bracketed.iterations <= 6)
        let b = try #require(bracketed.bracket)
        #expect(b.lower <= bracketed.root && bracketed.root <= b.upper)
        let newton = try findRoot(f, x0: 1)
        #expect(newton.success && abs(newton.root - Self.dottie) < 1e-15)
        #expect(newton.evaluations <= 8)
        // Bracket ends in either order.
        #expect(abs(try findRoot(f, bracket: (1, 0)).root - Self.dottie) < 1e-15)
    }

    /// Plain Newton on atan from x0 = 2 diverges (|x| grows every step); inside a bracket the
    /// safeguarded iteration converges to 0, and so does the damped iteration without one.
    @Test func arctangentWherePlainNewtonDiverges() throws {
        var x = 2.0
        for _ in 0..<4 {
            let next = x - atan(x) * (1 + x * x)
            #expect(abs(next) > abs(x))
            x = next
        }
        let f: (Double) -> (value: Double, derivative: Double) = { x in (atan(x), 1 / (1 + x * x)) }
        let bracketed = try findRoot(f, bracket: (-10, 2), x0: 2)
        #expect(bracketed.success, "\(bracketed.message)")
        #expect(abs(bracketed.root) < 1e-15)
        let damped = try findRoot(f, x0: 2)
        #expect(damped.success && abs(damped.root) < 1e-15)
        #expect(damped.bracket != nil)  // the damped steps found a sign change
    }

    /// x³ - 2x + 2: plain Newton from 0 cycles between 0 and 1; the damped iteration breaks the
    /// cycle (its long step near the minimum of |f| crosses the root) and finds the real root,
    /// as the bracket [-3, 0] does (mpmath: -1.76929235423863141524).
    @Test func cyclingNewton() throws {
        let f: (Double) -> (value: Double, derivative: Double) = { x in (x * x * x - 2 * x + 2, 3 * x * x - 2) }
        var x = 0.0
        for _ in 0..<2 { x -= f(x).value / f(x).derivative }
        #expect(x == 0)
        let root = -1.76929235423863141524
        let damped = try findRoot(f, x0: 0)
        #expect(damped.success && abs(damped.root - root) < 1e-14, "\(damped)")
        let r = try findRoot(f, bracket: (-3, 0))
        #expect(r.success && abs(r.root - root) < 1e-14)
    }

    /// A triple root: Newton converges only linearly, the bracket keeps it safe.
    @Test func tripleRoot() throws {
        let f: (Double) -> (value: Double, derivative: Double) = { x in (pow(x - 1, 3), 3 * pow(x - 1, 2)) }
        let r = try findRoot(f, bracket: (0, 3))
        #expect(r.success, "\(r.message)")
        #expect(abs(r.root - 1) < 1e-5)  // |f| reaches rounding level at |x - 1| ~ 6e-6
        #expect(r.iterations < 100)
    }

    @Test func scalarStatusesAndErrors() throws {
        let f: (Double) -> (value: Double, derivative: Double) = { x in (x * x - 2, 2 * x) }
        #expect(thrownError { _ = try findRoot(f, bracket: (2, 3)) }
                == .invalidArgument("the bracket [2.0, 3.0] has no sign change: f(2.0) = 2.0, f(3.0) = 7.0"))
        #expect(thrownError { _ = try findRoot(f) } == .invalidArgument("findRoot needs a bracket or x0"))
        #expect(thrownError { _ = try findRoot(f, bracket: (0, 2), x0: 5) }
                == .invalidArgument("x0 = 5.0 is outside the bracket [0.0, 2.0]"))
        #expect(thrownError { _ = try findRoot(f, bracket: (.nan, 2)) } == .nonFinite("bracket.lower is NaN"))
        #expect(thrownError { _ = try findRoot({ x in (log(x), 1 / x) }, x0: -1) } == .nonFinite("f is NaN at x0 = -1.0"))
        var o = RootOptions()
        o.maxIterations = -1
        #expect(thrownError { _ = try findRoot(f, x0: 1, options: o) }
                == .invalidArgument("options.maxIterations = -1 must be >= 0"))
        // An exact root at a bracket end is returned as it is.
        let end = try findRoot({ x in (x - 1, 1) }, bracket: (1, 4))
        #expect(end.root == 1 && end.status == .residualTolerance && end.iterations == 0)
        // No real root: the derivative vanishes at the minimum of x² + 1.
        let none = try findRoot({ x in (x * x + 1, 2 * x) }, x0: 1)
        #expect(none.status == .localMinimumOfResidual && none.root == 0)
        // Budgets and the callback.
        o = RootOptions()
        o.maxIterations = 2
        #expect(try findRoot(f, bracket: (0, 100), options: o).status == .maxIterations)
        o = RootOptions()
        o.progress = { p in p.iteration < 2 }
        let stopped = try findRoot(f, bracket: (0, 100), options: o)
        #expect(stopped.status == .stoppedByCallback && stopped.iterations == 2)
        // The caller's error propagates unchanged.
        let failing: (Double) throws -> (value: Double, derivative: Double) = { _ in
            throw InferKitError.callbackFailed("f returned -1")
        }
        #expect(thrownError { _ = try findRoot(failing, x0: 1) } == .callbackFailed("f returned -1"))
        // A residual tolerance stops early.
        o = RootOptions()
        o.residualTolerance = 1e-3
        let loose = try findRoot(f, x0: 1, options: o)
        #expect(loose.status == .residualTolerance && abs(loose.value) <= 1e-3)
    }

    /// x² + y² = 2, e^(x-1) + y³ = 2: the root (1, 1), with the exact Jacobian and with the
    /// forward-difference one of `ClosureVectorFunction`.
    @Test func twoDimensionalSystem() throws {
        let values: ([Double]) -> [Double] = { v in [v[0] * v[0] + v[1] * v[1] - 2, exp(v[0] - 1) + v[1] * v[1] * v[1] - 2] }
        let exact = ClosureVectorFunction(inputDimension: 2, outputDimension: 2, values: values, jacobian: { v in
            (values(v), [2 * v[0], exp(v[0] - 1), 2 * v[1], 3 * v[1] * v[1]])
        })
        let r = try findRoot(exact, x0: [2, 0.5])
        #expect(r.success, "\(r.message)")
        #expect(abs(r.x[0] - 1) < 1e-14 && abs(r.x[1] - 1) < 1e-14)
        #expect(r.residualNorm < 1e-14)
        #expect(r.iterations < 20)
        let differences = ClosureVectorFunction(inputDimension: 2, outputDimension: 2, values: values)
        let d = try findRoot(differences, x0: [2, 0.5])
        #expect(d.success && abs(d.x[0] - 1) < 1e-12 && abs(d.x[1] - 1) < 1e-12)
    }

    /// x + 2y = 2, x² + 4y² = 4 from (2, 1), where J = [[1, 2], [4, 8]] is singular: the damped
    /// step moves off the singular line x = 2y and Newton then finds the root (0, 1) or (2, 0).
    @Test func singularJacobianAtTheStart() throws {
        let f = ClosureVectorFunction(inputDimension: 2, outputDimension: 2, values: { v in
            [v[0] + 2 * v[1] - 2, v[0] * v[0] + 4 * v[1] * v[1] - 4]
        }, jacobian: { v in
            ([v[0] + 2 * v[1] - 2, v[0] * v[0] + 4 * v[1] * v[1] - 4], [1, 2 * v[0], 2, 8 * v[1]])
        })
        let r = try findRoot(f, x0: [2, 1])
        #expect(r.success, "\(r.message)")
        let distance = min(max(abs(r.x[0]), abs(r.x[1] - 1)), max(abs(r.x[0] - 2), abs(r.x[1])))
        #expect(distance < 1e-12, "\(r.x)")
    }

    /// Powell's badly scaled system 10⁴xy = 1, e^-x + e^-y = 1.0001 from (0, 1); root from
    /// mpmath: (1.09815932969981745568e-5, 9.10614673986652401095).
    @Test func powellBadlyScaled() throws {
        let values: ([Double]) -> [Double] = { v in [1e4 * v[0] * v[1] - 1, exp(-v[0]) + exp(-v[1]) - 1.0001] }
        let f = ClosureVectorFunction(inputDimension: 2, outputDimension: 2, values: values, jacobian: { v in
            (values(v), [1e4 * v[1], -exp(-v[0]), 1e4 * v[0], -exp(-v[1])])
        })
        let r = try findRoot(f, x0: [0, 1])
        #expect(r.success, "\(r.message)")
        #expect(abs(r.x[0] - 1.09815932969981745568e-5) < 1e-15)
        #expect(abs(r.x[1] - 9.10614673986652401095) < 1e-10)
    }

    /// log x = 1, y = 2 from (10, 0): the first Newton step lands at x < 0 where log is NaN;
    /// the line search backs off.
    @Test func nanRegionInTheSystem() throws {
        let f = ClosureVectorFunction(inputDimension: 2, outputDimension: 2, values: { v in [log(v[0]) - 1, v[1] - 2] },
                                      jacobian: { v in ([log(v[0]) - 1, v[1] - 2], [1 / v[0], 0, 0, 1]) })
        let r = try findRoot(f, x0: [10, 0])
        #expect(r.success && abs(r.x[0] - exp(1.0)) < 1e-14 && r.x[1] == 2)
    }

    /// x² + 1 = 0, y = 0 has no root: the iteration ends at the residual's local minimum x = 0.
    @Test func systemWithoutRoot() throws {
        let f = ClosureVectorFunction(inputDimension: 2, outputDimension: 2, values: { v in [v[0] * v[0] + 1, v[1]] },
                                      jacobian: { v in ([v[0] * v[0] + 1, v[1]], [2 * v[0], 0, 0, 1]) })
        let r = try findRoot(f, x0: [1, 1])
        #expect(r.status == .localMinimumOfResidual, "\(r.message)")
        #expect(!r.success && abs(r.x[0]) < 1e-6 && abs(r.x[1]) < 1e-12)
    }

    @Test func systemErrorsAndStatuses() throws {
        let square = ClosureVectorFunction(inputDimension: 2, outputDimension: 2, values: { v in [v[0] - 1, v[1] * v[1] - 4] })
        #expect(thrownError { _ = try findRoot(square, x0: [1]) }
                == .dimensionMismatch("x0 has 1 values but the function has 2 unknowns"))
        #expect(thrownError { _ = try findRoot(square, x0: [.nan, 1]) } == .nonFinite("x0[0] is NaN"))
        let tall = ClosureVectorFunction(inputDimension: 2, outputDimension: 3, values: { _ in [0, 0, 0] })
        #expect(thrownError { _ = try findRoot(tall, x0: [1, 1]) }
                == .dimensionMismatch("the function has 3 equations but 2 unknowns: findRoot needs a square system"))
        let nanStart = ClosureVectorFunction(inputDimension: 2, outputDimension: 2, values: { v in [sqrt(v[0]), v[1]] })
        #expect(thrownError { _ = try findRoot(nanStart, x0: [-1, 1]) } == .nonFinite("F(x0)[0] is NaN"))
        let short = ClosureVectorFunction(inputDimension: 2, outputDimension: 2, values: { _ in [0, 0] },
                                          jacobian: { _ in ([0, 0], [1, 0, 0]) })
        #expect(thrownError { _ = try findRoot(short, x0: [1, 1]) }
                == .dimensionMismatch("the function returned 2 values and a Jacobian of 3 for 2 equations in 2 unknowns"))
        let failing = ClosureVectorFunction(inputDimension: 2, outputDimension: 2, values: { _ in
            throw InferKitError.callbackFailed("F returned -1")
        })
        #expect(thrownError { _ = try findRoot(failing, x0: [1, 1]) } == .callbackFailed("F returned -1"))
        var o = RootOptions()
        o.maxIterations = 1
        #expect(try findRoot(square, x0: [5, 9], options: o).status == .maxIterations)
        o = RootOptions()
        o.progress = { p in p.iteration < 1 }
        let stopped = try findRoot(square, x0: [5, 9], options: o)
        #expect(stopped.status == .stoppedByCallback && stopped.iterations == 1)
        o = RootOptions()
        o.maxEvaluations = 3
        let budget = try findRoot(square, x0: [5, 9], options: o)
        #expect(budget.status == .maxEvaluations && budget.functionEvaluations <= 3)
        let solved = try findRoot(square, x0: [5, 9])
        #expect(solved.success && abs(solved.x[1] - 2) < 1e-14 && solved.jacobianEvaluations == solved.iterations + 1)
    }
}

/// The finite-difference derivatives of the closure adapters report wrong sizes instead of
/// indexing past them.
@Suite("Finite-difference adapters")
struct FiniteDifferenceAdapterTests {
    @Test func wrongSizesAreErrors() throws {
        let short = ClosureVectorFunction(inputDimension: 2, outputDimension: 2, values: { _ in [0] })
        #expect(throws: InferKitError.dimensionMismatch("the function returned 1 values for 2 equations")) {
            _ = try short.valuesAndJacobian([1, 1])
        }
        #expect(throws: InferKitError.dimensionMismatch("x has 1 values but the function has 2 unknowns")) {
            _ = try short.valuesAndJacobian([1])
        }
        let objective = ClosureObjective(dimension: 2, value: { _ in 0 }, gradient: { _ in (0, [0]) })
        #expect(throws: InferKitError.dimensionMismatch("the objective returned a gradient of 1 values for 2 parameters")) {
            _ = try objective.valueGradientHessian([1, 1])
        }
        let plain = ClosureObjective(dimension: 3, value: { _ in 0 })
        #expect(throws: InferKitError.dimensionMismatch("x has 2 values but the function has 3 parameters")) {
            _ = try plain.valueAndGradient([1, 1])
        }
    }
}
