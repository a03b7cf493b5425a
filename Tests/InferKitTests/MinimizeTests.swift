import Foundation
import Testing
@testable import InferKit

/// scipy.optimize.rosen and its exact derivatives: Σ 100 (x_{i+1} - x_i²)² + (1 - x_i)².
func rosenbrock(_ n: Int) -> ClosureObjective {
    func value(_ x: [Double]) -> Double {
        var f = 0.0
        for i in 0..<(n - 1) {
            let a = x[i + 1] - x[i] * x[i], b = 1 - x[i]
            f += 100 * a * a + b * b
        }
        return f
    }
    func gradient(_ x: [Double]) -> (Double, [Double]) {
        var g = [Double](repeating: 0, count: n)
        for i in 0..<(n - 1) {
            let a = x[i + 1] - x[i] * x[i]
            g[i] += -400 * x[i] * a - 2 * (1 - x[i])
            g[i + 1] += 200 * a
        }
        return (value(x), g)
    }
    func hessian(_ x: [Double]) -> [Double] {
        var h = [Double](repeating: 0, count: n * n)
        for i in 0..<(n - 1) {
            h[i * n + i] += 1200 * x[i] * x[i] - 400 * x[i + 1] + 2
            h[i * n + i + 1] += -400 * x[i]
            h[(i + 1) * n + i] += -400 * x[i]
            h[(i + 1) * n + i + 1] += 200
        }
        return h
    }
    return ClosureObjective(dimension: n, value: value, gradient: gradient, hessian: hessian)
}

/// ½ (x - x*)ᵀA(x - x*) with A = Q diag(λ) Q, Q = I - 2vvᵀ/vᵀv, λ
/// log-spaced from 1 to `condition`: minimum 0 at x*.
func quadratic(minimizer: [Double], condition: Double) -> (objective: ClosureObjective, a: [Double]) {
    let n = minimizer.count
    let v = (0..<n).map { Double($0 + 1) }
    let vv = v.reduce(0) { $0 + $1 * $1 }
    var q = [Double](repeating: 0, count: n * n)
    for i in 0..<n { for j in 0..<n { q[i * n + j] = (i == j ? 1 : 0) - 2 * v[i] * v[j] / vv } }
    let lambda = (0..<n).map { pow(condition, Double($0) / Double(n - 1)) }
    var a = [Double](repeating: 0, count: n * n)
    for i in 0..<n { for j in 0..<n { for k in 0..<n { a[i * n + j] += q[i * n + k] * lambda[k] * q[j * n + k] } } }
    func gradient(_ x: [Double]) -> (Double, [Double]) {
        var g = [Double](repeating: 0, count: n)
        var f = 0.0
        for i in 0..<n {
            for j in 0..<n { g[i] += a[i * n + j] * (x[j] - minimizer[j]) }
            f += 0.5 * (x[i] - minimizer[i]) * g[i]
        }
        return (f, g)
    }
    let objective = ClosureObjective(dimension: n, value: { gradient($0).0 }, gradient: gradient, hessian: { _ in a })
    return (objective, a)
}

/// ½ xᵀAx - bᵀx for a row-major n x n A, with its gradient Ax - b.
func quadraticForm(_ a: [Double], _ b: [Double]) -> ClosureObjective {
    let n = b.count
    return ClosureObjective(dimension: n, value: { _ in 0 }, gradient: { x in
        var g = [Double](repeating: 0, count: n)
        var f = 0.0
        for i in 0..<n {
            for j in 0..<n { g[i] += a[i * n + j] * x[j] }
            f += 0.5 * x[i] * g[i] - b[i] * x[i]
            g[i] -= b[i]
        }
        return (f, g)
    })
}

/// Beale's function as a formula: exact gradient and Hessian by automatic differentiation.
/// Minimum 0 at (3, 0.5).
func beale() throws -> FormulaObjective {
    try FormulaObjective(Model("(1.5 - x + x*y)^2 + (2.25 - x + x*y^2)^2 + (2.625 - x + x*y^3)^2", inputs: []))
}

private func maxError(_ x: [Double], _ reference: [Double]) -> Double {
    zip(x, reference).map { abs($0 - $1) }.max() ?? .infinity
}

/// The InferKitError a call throws, or nil.
private func thrownError(_ body: () throws -> Void) -> InferKitError? {
    do { try body(); return nil } catch let e as InferKitError { return e } catch { return nil }
}

/// Options that make `method` converge on Rosenbrock-like problems in the tests.
private func testOptions(_ method: MinimizeMethod) -> MinimizeOptions {
    var o = MinimizeOptions()
    switch method {
    case .adam: o.learningRate = 0.01; o.maxIterations = 50000
    case .gradientDescent: o.ftol = 0; o.gtol = 1e-6; o.maxIterations = 200_000
    default: break
    }
    return o
}

@Suite("Minimisation")
struct MinimizeTests {
    /// Every method on the 2-D Rosenbrock function from scipy's classic start (-1.2, 1).
    @Test(arguments: MinimizeMethod.allCases)
    func rosenbrock2D(method: MinimizeMethod) throws {
        let r = try minimize(rosenbrock(2), x0: [-1.2, 1], method: method, options: testOptions(method))
        let tolerance: Double
        switch method {
        case .newton, .newtonTrustRegion: tolerance = 1e-10
        case .bfgs, .lbfgs, .lbfgsb, .adam: tolerance = 1e-6
        case .gradientDescent: tolerance = 1e-5
        case .nelderMead: tolerance = 1e-4  // scipy's xatol
        }
        #expect(r.success, "\(method): \(r.message)")
        #expect(maxError(r.x, [1, 1]) < tolerance, "\(method): \(r.x)")
        #expect(r.functionEvaluations >= r.iterations)
        if method != .nelderMead {
            #expect(r.gradient?.count == 2)
            #expect((r.gradientNorm ?? 1) <= max(testOptions(method).gtol, 1e-3))
        }
    }

    /// The gradient and Hessian methods on the 10-D Rosenbrock function from x0 = 0 (from the
    /// alternating start (-1.2, 1, ...) Newton, BFGS and scipy alike reach the local minimum
    /// near x₀ = -1 instead).
    @Test(arguments: [MinimizeMethod.newton, .newtonTrustRegion, .bfgs, .lbfgs, .lbfgsb])
    func rosenbrock10D(method: MinimizeMethod) throws {
        let r = try minimize(rosenbrock(10), x0: [Double](repeating: 0, count: 10), method: method)
        #expect(r.success, "\(method): \(r.message)")
        #expect(maxError(r.x, [Double](repeating: 1, count: 10)) < 1e-6, "\(method): \(r.x)")
        #expect(r.value < 1e-12)
    }

    /// Nelder-Mead repeats scipy 1.17's iterates exactly: same evaluations, same vertex
    /// (scipy's `nit` counts one more than the transformations).
    @Test func nelderMeadMatchesScipy() throws {
        // scipy.optimize.minimize(rosen, [-1.2, 1], method='Nelder-Mead'): nit 85, nfev 159.
        let r2 = try minimize(rosenbrock(2), x0: [-1.2, 1], method: .nelderMead)
        #expect(r2.status == .simplexTolerance)
        #expect(r2.iterations + 1 == 85 && r2.functionEvaluations == 159)
        #expect(maxError(r2.x, [1.0000220217835696, 1.0000422197517715]) < 1e-15)
        #expect(abs(r2.value - 8.177661197416674e-10) < 1e-22)
        // ... x0 = [1.3, 0.7, 0.8, 1.9, 1.2], xatol = fatol = 1e-8, maxiter = maxfev = 10000.
        var o = MinimizeOptions()
        o.simplexXTolerance = 1e-8; o.simplexFTolerance = 1e-8
        o.maxIterations = 10000; o.maxEvaluations = 10000
        let x0 = [1.3, 0.7, 0.8, 1.9, 1.2]
        let r5 = try minimize(rosenbrock(5), x0: x0, method: .nelderMead, options: o)
        #expect(r5.iterations + 1 == 339 && r5.functionEvaluations == 571)
        #expect(maxError(r5.x, [1.0000000004086231, 1.0000000006945244, 1.0000000014835593,
                                1.0000000023565203, 1.0000000046405317]) < 1e-14)
        // ... with adaptive=True: nit 487, nfev 838.
        o.adaptive = true
        let a5 = try minimize(rosenbrock(5), x0: x0, method: .nelderMead, options: o)
        #expect(a5.iterations + 1 == 487 && a5.functionEvaluations == 838)
        #expect(maxError(a5.x, [1.0000000001341076, 1.0000000000775195, 0.999999999969214,
                                0.9999999998330298, 1.0000000001205287]) < 1e-14)
    }

    /// A rotated convex quadratic with condition number 1e4 and known minimiser, to the
    /// gradient tolerance (ftol = 0: with the default ftol the quasi-Newton methods stop
    /// about 1e-6 from x* along the flattest direction, as scipy's do).
    @Test(arguments: MinimizeMethod.allCases)
    func illConditionedQuadratic(method: MinimizeMethod) throws {
        let minimizer = [1.0, -2, 3, 0.5, -1, 2]
        let (objective, _) = quadratic(minimizer: minimizer, condition: 1e4)
        var o = MinimizeOptions()
        o.gtol = 1e-9
        o.ftol = 0
        var tolerance = 1e-8
        switch method {
        case .newton, .newtonTrustRegion: tolerance = 1e-12
        case .gradientDescent: o.maxIterations = 1_000_000; tolerance = 1e-7
        case .adam: o.learningRate = 0.01; o.maxIterations = 400_000; o.gtol = 1e-7; tolerance = 1e-6
        case .nelderMead:
            o.simplexXTolerance = 1e-7; o.simplexFTolerance = 1e-12
            o.maxIterations = 100_000; o.maxEvaluations = 100_000; o.adaptive = true; tolerance = 1e-5
        default: break
        }
        let r = try minimize(objective, x0: [Double](repeating: 0, count: 6), method: method, options: o)
        #expect(r.success, "\(method): \(r.message)")
        #expect(maxError(r.x, minimizer) < tolerance, "\(method): \(r.x) after \(r.iterations) iterations")
        if method == .newton { #expect(r.iterations == 1) }
    }

    /// Beale's function (minimum 0 at (3, 0.5)) as a formula with exact derivatives.
    @Test(arguments: [MinimizeMethod.newton, .newtonTrustRegion, .bfgs, .lbfgs, .lbfgsb, .nelderMead])
    func bealeFunction(method: MinimizeMethod) throws {
        var o = MinimizeOptions()
        o.simplexXTolerance = 1e-10; o.simplexFTolerance = 1e-16
        let r = try minimize(try beale(), x0: [1, 1], method: method, options: o)
        #expect(r.success, "\(method): \(r.message)")
        #expect(maxError(r.x, [3, 0.5]) < (method == .nelderMead ? 1e-8 : 1e-7), "\(method): \(r.x)")
    }

    /// The formula Rosenbrock with Newton: exact Hessian from the tape, quadratic convergence.
    @Test func formulaObjectiveWithNewton() throws {
        let objective = try FormulaObjective(Model("(a-1)^2 + 100*(b-a^2)^2", inputs: []))
        let r = try minimize(objective, x0: [-1.2, 1], method: .newton)
        let closure = try minimize(rosenbrock(2), x0: [-1.2, 1], method: .newton)
        #expect(r.status == .gradientTolerance)
        #expect(maxError(r.x, [1, 1]) < 1e-12)
        #expect(r.iterations == closure.iterations)
        #expect(r.hessianEvaluations > 0)
        // The inverse Hessian at (1, 1): H = [[802, -400], [-400, 200]], H⁻¹ = [[0.5, 1], [1, 2.005]].
        let h = try #require(r.inverseHessian)
        #expect(maxError(h.elements, [0.5, 1, 1, 2.005]) < 1e-8)
    }

    /// Rosenbrock in the box [-2, 0.5] x [-1, 2]: the minimum is on the bound x = 0.5, at
    /// (0.5, 0.25) with f = 0.25 (there ∂f/∂x = -1 < 0 pushes against the upper bound and
    /// ∂f/∂y = 0: the KKT conditions).
    @Test(arguments: [MinimizeMethod.lbfgsb, .gradientDescent, .adam, .nelderMead])
    func boundedRosenbrock(method: MinimizeMethod) throws {
        let bounds = try Bounds(lower: [-2, -1], upper: [0.5, 2])
        var o = testOptions(method)
        o.simplexXTolerance = 1e-10; o.simplexFTolerance = 1e-14
        let r = try minimize(rosenbrock(2), x0: [-1.2, 1], method: method, bounds: bounds, options: o)
        #expect(r.success, "\(method): \(r.message)")
        let tolerance = method == .lbfgsb ? 1e-10 : 1e-6
        #expect(maxError(r.x, [0.5, 0.25]) < tolerance, "\(method): \(r.x)")
        #expect(abs(r.value - 0.25) < tolerance)
        #expect(r.x[0] <= 0.5)
        if let g = r.gradient, method == .lbfgsb {
            #expect(abs(g[0] + 1) < 1e-8 && abs(g[1]) < 1e-8)
            #expect((r.gradientNorm ?? 1) < 1e-8)
        }
    }

    /// A 10-D convex quadratic in the box [-1, 1]¹⁰ with four active bounds, against scipy
    /// 1.17's L-BFGS-B (ftol 1e-15, gtol 1e-12; A = QQᵀ + I/2 with Q, b from numpy's
    /// default_rng(7)): with the same tolerances the same path (scipy: nit 21, nfev 22, stopped
    /// by ftol), and with ftol = 0 the KKT conditions to 1e-11.
    @Test func boundedQuadraticAgreesWithScipy() throws {
        let a: [Double] = [5.074694724948372, 1.2725656248117443, -0.7722938469503152, 2.7022903776472487, 0.489792204493968, -0.8813031307489205, 4.07560760159981, -2.971803154581521, -0.46027829223273736, 1.260550541203631, 1.2725656248117443, 9.522379140730129, 2.0690453497326087, 0.029507615532845515, -3.808441746537298, -2.1825973554698685, 2.741589138815669, -0.7903761064593952, -3.7781206026534475, 7.028575228879364, -0.7722938469503152, 2.0690453497326087, 12.326235552307665, 3.889565405105245, -0.11226492101616004, -1.5555588211908122, -3.70743194663729, 1.1126266561336757, 0.8427750325608826, 3.406980403333171, 2.7022903776472487, 0.029507615532845515, 3.889565405105245, 7.5951689500699, 3.857124101115999, -2.056292004122673, 2.1348523202615053, 0.9313024489399574, 0.09761038580330253, 0.2835310132757539, 0.489792204493968, -3.808441746537298, -0.11226492101616004, 3.857124101115999, 11.42882191404526, -3.604650980837922, -0.5685831161093253, 4.028828671283032, 1.4433292066351926, -4.430048498070836, -0.8813031307489205, -2.1825973554698685, -1.5555588211908122, -2.056292004122673, -3.604650980837922, 6.334972992995184, -0.6519491536439584, 1.4120073201395538, 0.21201853649951985, -0.5752806422339476, 4.07560760159981, 2.741589138815669, -3.70743194663729, 2.1348523202615053, -0.5685831161093253, -0.6519491536439584, 7.058122751867365, -1.3480924623746615, -2.005865322415131, 1.3703279873048821, -2.971803154581521, -0.7903761064593952, 1.1126266561336757, 0.9313024489399574, 4.028828671283032, 1.4120073201395538, -1.3480924623746615, 9.794232480038758, 0.03108035863388528, -3.2807391195651876, -0.46027829223273736, -3.7781206026534475, 0.8427750325608826, 0.09761038580330253, 1.4433292066351926, 0.21201853649951985, -2.005865322415131, 0.03108035863388528, 4.177673974934167, -4.52522148259917, 1.260550541203631, 7.028575228879364, 3.406980403333171, 0.2835310132757539, -4.430048498070836, -0.5752806422339476, 1.3703279873048821, -3.2807391195651876, -4.52522148259917, 11.289350902131847]
        let b: [Double] = [-1.5223843885571862, -4.499638037992976, 0.8202639785611128, 11.223783132430247, -4.158615907060408, -3.1197179322195296, 1.0270197303234945, 2.4650664570617815, -0.882030329528791, -1.0296516512660823]
        let scipyX: [Double] = [-0.6573373336362914, -1.0, -0.22910593390483697, 1.0, -1.0, -1.0, 0.2477971593562136, 0.5343448661601553, -0.5225631773926082, 0.12117600708319724]
        let scipyValue = -20.9487698508815
        let n = 10
        let objective = quadraticForm(a, b)
        let bounds = try Bounds(lower: [Double](repeating: -1, count: n), upper: [Double](repeating: 1, count: n))
        var o = MinimizeOptions()
        o.gtol = 1e-12
        o.ftol = 1e-15
        let r = try minimize(objective, x0: [Double](repeating: 0, count: n), method: .lbfgsb, bounds: bounds, options: o)
        #expect(r.status == .functionTolerance)
        #expect(r.iterations == 21 && r.functionEvaluations == 22)
        #expect(maxError(r.x, scipyX) < 1e-14, "\(r.x)")
        #expect(abs(r.value - scipyValue) < 1e-13)
        o.ftol = 0
        o.gtol = 1e-11
        let precise = try minimize(objective, x0: [Double](repeating: 0, count: n), method: .lbfgsb, bounds: bounds, options: o)
        #expect(precise.status == .gradientTolerance)
        #expect(maxError(precise.x, scipyX) < 1e-7)
        let g = try #require(precise.gradient)
        for i in 0..<n {
            if precise.x[i] == -1 { #expect(g[i] > 0) } else if precise.x[i] == 1 { #expect(g[i] < 0) } else {
                #expect(abs(g[i]) <= 1e-11)
            }
        }
        #expect(precise.x.filter { abs($0) == 1 }.count == 4)
    }

    /// Rosenbrock in 10-D with lower bounds 1.5 on the even components and upper bounds 2 on
    /// the odd ones (half-infinite boxes), from x0 = 2. At the solution the even components and
    /// the last sit on their bounds and the free ones solve ∂f/∂y = 400y³ - 398y - 452 = 0,
    /// y* = 1.35287123269358108522 (mpmath); f = 373.5629007120639 (scipy 1.17's L-BFGS-B with
    /// ftol 1e-15 and gtol 1e-12, whose free components are within 4e-10 of y*).
    @Test func halfBoundedRosenbrock() throws {
        let lower = (0..<10).map { $0 % 2 == 0 ? 1.5 : -Double.infinity }
        let upper = (0..<10).map { $0 % 2 == 0 ? Double.infinity : 2 }
        var o = MinimizeOptions()
        o.gtol = 1e-10; o.ftol = 0
        let r = try minimize(rosenbrock(10), x0: [Double](repeating: 2, count: 10), method: .lbfgsb,
                             bounds: try Bounds(lower: lower, upper: upper), options: o)
        let y = 1.35287123269358108522
        #expect(r.status == .gradientTolerance, "\(r.message)")
        #expect(maxError(r.x, [1.5, y, 1.5, y, 1.5, y, 1.5, y, 1.5, 2]) < 1e-12, "\(r.x)")
        #expect(abs(r.value - 373.5629007120639) < 1e-10)
        let g = try #require(r.gradient)
        #expect(stride(from: 0, to: 10, by: 2).allSatisfy { g[$0] > 0 } && g[9] < 0)
    }

    /// A convex quadratic whose minimum in the box is a vertex: scipy 1.17's L-BFGS-B gets
    /// there in 2 iterations and 3 evaluations (with its default and with tight tolerances),
    /// and so must this one (the second line search is bounded by the step to the vertex).
    @Test func minimumAtAVertex() throws {
        let a = [0.8087044749952128, 0.4534425046454849, 0.17767951131238335, 0.3958023144898078, 0.4534425046454849, 1.0162643664821729, 0.16432284493656646, 0.6517762225468471, 0.17767951131238335, 0.16432284493656646, 0.3753888153078673, 0.1570927315001583, 0.3958023144898078, 0.6517762225468471, 0.1570927315001583, 1.4385790307762378]
        let b = [-2.520469430887584, -2.4734436470737187, 1.9517783634741033, 2.2297625136103267]
        let lower = [-0.9028039006198691, 0.14649479977845603, -0.2565799273515903, -1.7645566302808762]
        let upper = [2.0265009191267227, 2.45379993555048, 2.123006557951576, -1.293027095521793]
        let objective = quadraticForm(a, b)
        let r = try minimize(objective, x0: [1.5073156586368543, 1.1695866580069945, 0.28415426394503096, -1.5030535236748344],
                             method: .lbfgsb, bounds: try Bounds(lower: lower, upper: upper))
        #expect(r.x == [lower[0], lower[1], upper[2], upper[3]])
        #expect(r.status == .gradientTolerance && r.gradientNorm == 0)
        #expect(r.iterations == 2 && r.functionEvaluations == 3)
    }

    /// Random strictly convex quadratics in random boxes (some sides infinite, some parameters
    /// fixed): the solution is unique and certified by the KKT conditions, which L-BFGS-B must
    /// meet to 1e-9 (projected gradient), never leaving the box.
    @Test func randomBoundedQuadraticsMeetKKT() throws {
        var random = TestRandom(state: 2024)
        for trial in 0..<40 {
            let n = 2 + Int(random.next() * 24)
            var q = [Double](repeating: 0, count: n * n)
            for k in q.indices { q[k] = 2 * random.next() - 1 }
            var a = [Double](repeating: 0, count: n * n)
            for i in 0..<n {
                for j in 0..<n {
                    for k in 0..<n { a[i * n + j] += q[i * n + k] * q[j * n + k] / Double(n) }
                }
                a[i * n + i] += 0.01 + random.next()
            }
            let b = (0..<n).map { _ in 6 * random.next() - 3 }
            var lower = (0..<n).map { _ in -2 + 2.5 * random.next() }
            var upper = lower.map { $0 + 0.1 + 3 * random.next() }
            for i in 0..<n {
                let r = random.next()
                if r < 0.15 { lower[i] = -.infinity } else if r < 0.3 { upper[i] = .infinity } else if r < 0.35 { upper[i] = lower[i] }
            }
            let x0 = (0..<n).map { i in min(max(0.0, lower[i]), upper[i]) }
            let objective = quadraticForm(a, b)
            var o = MinimizeOptions()
            o.gtol = 1e-9; o.ftol = 0
            let r = try minimize(objective, x0: x0, method: .lbfgsb, bounds: try Bounds(lower: lower, upper: upper), options: o)
            #expect(r.status == .gradientTolerance, "trial \(trial): \(r.message)")
            let g = try #require(r.gradient)
            for i in 0..<n {
                #expect(r.x[i] >= lower[i] && r.x[i] <= upper[i])
                if lower[i] < upper[i] {
                    if r.x[i] == lower[i] { #expect(g[i] >= -1e-9) } else if r.x[i] == upper[i] { #expect(g[i] <= 1e-9) } else {
                        #expect(abs(g[i]) <= 1e-9, "trial \(trial), x[\(i)]")
                    }
                }
            }
        }
    }

    /// The L-BFGS-B distribution's driver1 problem (25 variables, bounds [1, 100] on the odd
    /// ones and [-100, 100] on the even ones, x0 = 3): scipy 1.17 with its default tolerances
    /// stops after 23 iterations and 28 evaluations at f = 6.69e-10; its minimum is 0.
    @Test func lbfgsbDriver1() throws {
        let n = 25
        let objective = ClosureObjective(dimension: n, value: { _ in 0 }, gradient: { x in
            var f = 0.25 * (x[0] - 1) * (x[0] - 1)
            for i in 1..<n { f += (x[i] - x[i - 1] * x[i - 1]) * (x[i] - x[i - 1] * x[i - 1]) }
            var g = [Double](repeating: 0, count: n)
            var t1 = x[1] - x[0] * x[0]
            g[0] = 2 * (x[0] - 1) - 16 * x[0] * t1
            for i in 1..<(n - 1) {
                let t2 = t1
                t1 = x[i + 1] - x[i] * x[i]
                g[i] = 8 * t2 - 16 * x[i] * t1
            }
            g[n - 1] = 8 * t1
            return (4 * f, g)
        })
        let lower = (0..<n).map { $0 % 2 == 0 ? 1.0 : -100 }
        let bounds = try Bounds(lower: lower, upper: [Double](repeating: 100, count: n))
        var o = MinimizeOptions()
        o.gtol = 1e-5; o.ftol = 2.2204460492503131e-09
        let r = try minimize(objective, x0: [Double](repeating: 3, count: n), method: .lbfgsb, bounds: bounds, options: o)
        #expect(r.success, "\(r.message)")
        #expect(r.value < 1e-8)
        #expect(r.iterations < 50)
        for i in 0..<n { #expect(r.x[i] >= lower[i] && r.x[i] <= 100) }
    }

    /// A fixed parameter (lower = upper) stays where it is; the others are minimised.
    @Test(arguments: [MinimizeMethod.lbfgsb, .gradientDescent, .nelderMead, .adam])
    func fixedParameter(method: MinimizeMethod) throws {
        let bounds = try Bounds(lower: [-.infinity, 0.7], upper: [.infinity, 0.7])
        var o = testOptions(method)
        o.simplexXTolerance = 1e-9; o.simplexFTolerance = 1e-14
        let r = try minimize(rosenbrock(2), x0: [0, 0.7], method: method, bounds: bounds, options: o)
        #expect(r.x[1] == 0.7)
        // ∂f/∂x = 0 at y = 0.7: 400 x³ + (2 - 400 y) x - 2 = 0 has its root x ≈ 0.8505.
        let x = r.x[0]
        #expect(abs(400 * x * x * x + (2 - 400 * 0.7) * x - 2) < (method == .lbfgsb ? 1e-7 : 1e-3), "\(method): \(r.x)")
    }

    /// Returning false from the progress callback stops every method cleanly.
    @Test(arguments: MinimizeMethod.allCases)
    func callbackStops(method: MinimizeMethod) throws {
        var seen: [Int] = []
        var o = testOptions(method)
        o.progress = { p in
            seen.append(p.iteration)
            #expect(p.x.count == 2 && p.value.isFinite)
            #expect((p.gradientNorm == nil) == (method == .nelderMead))
            return p.iteration < 3
        }
        let r = try minimize(rosenbrock(2), x0: [-1.2, 1], method: method, options: o)
        #expect(r.status == .stoppedByCallback)
        #expect(!r.success)
        #expect(r.iterations == 3)
        #expect(seen == [1, 2, 3])
        #expect(r.message.contains("callback"))
    }

    /// Errors from the objective and from the callback propagate unchanged.
    @Test(arguments: MinimizeMethod.allCases)
    func errorsPropagate(method: MinimizeMethod) throws {
        var calls = 0
        let failing = ClosureObjective(dimension: 2, value: { x in
            calls += 1
            if calls > 5 { throw InferKitError.callbackFailed("the caller's objective returned -1") }
            return try rosenbrock(2).value(x)
        }, gradient: { x in
            calls += 1
            if calls > 5 { throw InferKitError.callbackFailed("the caller's objective returned -1") }
            return try rosenbrock(2).valueAndGradient(x)
        }, hessian: { x in try rosenbrock(2).valueGradientHessian(x).hessian })
        let e = thrownError { _ = try minimize(failing, x0: [-1.2, 1], method: method) }
        #expect(e == .callbackFailed("the caller's objective returned -1"))

        struct Stop: Error {}
        var o = MinimizeOptions()
        o.progress = { _ in throw Stop() }
        #expect(throws: Stop.self) { _ = try minimize(rosenbrock(2), x0: [-1.2, 1], method: method, options: o) }
    }

    /// Σ (x_i - log x_i) is NaN for x_i < 0 (and infinite at 0): the methods back off from the
    /// NaN region and find the minimum at x = 1. Newton's first step from 3 lands at -3.
    @Test(arguments: MinimizeMethod.allCases)
    func nanRegion(method: MinimizeMethod) throws {
        let objective = ClosureObjective(dimension: 2, value: { x in
            x.reduce(0) { $0 + $1 - log($1) }
        }, gradient: { x in
            (x.reduce(0) { $0 + $1 - log($1) }, x.map { 1 - 1 / $0 })
        }, hessian: { x in [1 / (x[0] * x[0]), 0, 0, 1 / (x[1] * x[1])] })
        var o = testOptions(method)
        o.simplexXTolerance = 1e-9; o.simplexFTolerance = 1e-15
        if method == .adam { o.learningRate = 0.5 }
        let r = try minimize(objective, x0: [3, 0.2], method: method, options: o)
        #expect(r.success, "\(method): \(r.message)")
        #expect(maxError(r.x, [1, 1]) < 1e-5, "\(method): \(r.x)")
        #expect(r.value.isFinite)
    }

    /// A NaN objective at x0 is an error naming x0, for every method.
    @Test(arguments: MinimizeMethod.allCases)
    func nonFiniteStart(method: MinimizeMethod) throws {
        let objective = ClosureObjective(dimension: 1, value: { x in log(x[0]) }, gradient: { x in (log(x[0]), [1 / x[0]]) },
                                         hessian: { x in [-1 / (x[0] * x[0])] })
        let e = thrownError { _ = try minimize(objective, x0: [-1], method: method) }
        #expect(e == .nonFinite("the objective is NaN at x0"))
    }

    /// Bad inputs: each is a typed error whose message names the culprit.
    @Test func badInputs() throws {
        let f = rosenbrock(2)
        #expect(thrownError { _ = try minimize(f, x0: [1, 2, 3], method: .lbfgs) }
                == .dimensionMismatch("x0 has 3 values but the objective has 2 parameters"))
        #expect(thrownError { _ = try minimize(f, x0: [1, .nan], method: .bfgs) } == .nonFinite("x0[1] is NaN"))
        #expect(thrownError { _ = try minimize(f, x0: [.infinity, 1], method: .nelderMead) } == .nonFinite("x0[0] is +infinity"))
        #expect(thrownError { _ = try Bounds(lower: [0, 0, 3], upper: [1, 1, 1]) }
                == .invalidArgument("lower[2] = 3.0 is above upper[2] = 1.0"))
        #expect(thrownError { _ = try Bounds(lower: [0, .nan], upper: [1, 1]) } == .nonFinite("lower[1] is NaN"))
        #expect(thrownError { _ = try Bounds(lower: [0], upper: [1, 1]) }
                == .dimensionMismatch("lower has 1 bounds but upper has 2"))
        let box = try Bounds(lower: [0, 0], upper: [2, 2])
        for method in [MinimizeMethod.lbfgsb, .gradientDescent, .adam, .nelderMead] {
            #expect(thrownError { _ = try minimize(f, x0: [1, 5], method: method, bounds: box) }
                    == .invalidArgument("x0[1] = 5.0 is outside its bounds [0.0, 2.0]"))
        }
        #expect(thrownError { _ = try minimize(f, x0: [1, 1], method: .lbfgsb, bounds: try Bounds(lower: [0], upper: [1])) }
                == .dimensionMismatch("the bounds have 1 values but x0 has 2"))
        for method in [MinimizeMethod.newton, .newtonTrustRegion, .bfgs, .lbfgs] {
            let e = thrownError { _ = try minimize(f, x0: [1, 1], method: method, bounds: box) }
            #expect(e == .invalidArgument(
                "method \(method.name) does not support bounds: use lbfgsb, gradientDescent, adam or nelderMead"))
            // Infinite bounds constrain nothing and are accepted.
            #expect(try minimize(f, x0: [1, 1], method: method, bounds: .unbounded(2)).success)
        }
        var o = MinimizeOptions()
        o.memory = 0
        #expect(thrownError { _ = try minimize(f, x0: [1, 1], method: .lbfgs, options: o) }
                == .invalidArgument("options.memory = 0 must be at least 1"))
        o = MinimizeOptions(); o.beta1 = 1
        #expect(thrownError { _ = try minimize(f, x0: [1, 1], method: .adam, options: o) }
                == .invalidArgument("options.beta1 = 1.0 must be in [0, 1)"))
        o = MinimizeOptions(); o.gtol = .nan
        #expect(thrownError { _ = try minimize(f, x0: [1, 1], method: .adam, options: o) }
                == .invalidArgument("options.gtol = nan must be >= 0"))
        o = MinimizeOptions(); o.learningRate = -1
        #expect(thrownError { _ = try minimize(f, x0: [1, 1], method: .gradientDescent, options: o) }
                == .invalidArgument("options.learningRate = -1.0 must be > 0 and finite"))
        o = MinimizeOptions(); o.initialSimplex = [[0, 0], [1, 0]]
        #expect(thrownError { _ = try minimize(f, x0: [1, 1], method: .nelderMead, options: o) }
                == .dimensionMismatch("options.initialSimplex has 2 points but 2 parameters need 3"))
        // A gradient of the wrong size is reported, not an out-of-range index.
        let short = ClosureObjective(dimension: 2, value: { _ in 0 }, gradient: { _ in (0, [0]) })
        #expect(thrownError { _ = try minimize(short, x0: [1, 1], method: .lbfgsb) }
                == .dimensionMismatch("the objective returned a gradient of 1 values for 2 parameters"))
        let badHessian = ClosureObjective(dimension: 2, value: { _ in 0 }, gradient: { _ in (0, [1, 1]) }, hessian: { _ in [1] })
        #expect(thrownError { _ = try minimize(badHessian, x0: [1, 1], method: .newton) }
                == .dimensionMismatch("the objective returned a Hessian of 1 values for 2 parameters (expected 4)"))
    }

    /// The iteration and evaluation budgets end a run with their own statuses.
    @Test(arguments: MinimizeMethod.allCases)
    func budgets(method: MinimizeMethod) throws {
        var o = testOptions(method)
        o.maxIterations = 4
        let byIterations = try minimize(rosenbrock(2), x0: [-1.2, 1], method: method, options: o)
        #expect(byIterations.status == .maxIterations && byIterations.iterations == 4 && !byIterations.success)
        o = testOptions(method)
        o.maxEvaluations = 7
        let byEvaluations = try minimize(rosenbrock(2), x0: [-1.2, 1], method: method, options: o)
        #expect(byEvaluations.status == .maxEvaluations)
        #expect(byEvaluations.functionEvaluations <= 7)
        #expect(byEvaluations.value <= 24.2 + 1e-12)  // f(x0) = 24.2: never worse than the start
    }

    /// A start that already satisfies the gradient test is returned after 0 iterations.
    @Test(arguments: [MinimizeMethod.newton, .newtonTrustRegion, .bfgs, .lbfgs, .lbfgsb, .gradientDescent, .adam])
    func startAtTheMinimum(method: MinimizeMethod) throws {
        let r = try minimize(rosenbrock(3), x0: [1, 1, 1], method: method)
        #expect(r.status == .gradientTolerance && r.iterations == 0 && r.value == 0)
    }

    /// f = x² + (y² - 1)² from (0.5, 0): the gradient has no y component and the Hessian is
    /// indefinite (∂²f/∂y² = -4). Line-search Newton (with its modified Hessian) stays on y = 0
    /// and converges to the saddle (0, 0); the trust region's hard case steps along the
    /// negative curvature and reaches a minimum (0, ±1).
    @Test func trustRegionLeavesTheSaddle() throws {
        let f = ClosureObjective(dimension: 2, value: { v in v[0] * v[0] + (v[1] * v[1] - 1) * (v[1] * v[1] - 1) },
                                 gradient: { v in
                                     (v[0] * v[0] + (v[1] * v[1] - 1) * (v[1] * v[1] - 1), [2 * v[0], 4 * v[1] * (v[1] * v[1] - 1)])
                                 }, hessian: { v in [2, 0, 0, 12 * v[1] * v[1] - 4] })
        let newton = try minimize(f, x0: [0.5, 0], method: .newton)
        #expect(newton.success && abs(newton.value - 1) < 1e-12)
        #expect(newton.inverseHessian == nil)  // indefinite at the saddle
        let region = try minimize(f, x0: [0.5, 0], method: .newtonTrustRegion)
        #expect(region.success, "\(region.message)")
        #expect(abs(region.x[0]) < 1e-10 && abs(abs(region.x[1]) - 1) < 1e-10, "\(region.x)")
        #expect(region.inverseHessian != nil)
    }

    /// The exact trust-region subproblem: interior Newton step, boundary step by the secular
    /// equation, and the hard case.
    @Test func trustRegionSubproblem() throws {
        // H = diag(2, 4), g = (-2, -4): the Newton step (1, 1) lies inside radius 2.
        let interior = try TrustRegionSubproblem(hessian: [2, 0, 0, 4], gradient: [-2, -4], dimension: 2).solve(radius: 2)
        #expect(maxError(interior.step, [1, 1]) < 1e-15 && !interior.onBoundary)
        #expect(abs(interior.predictedDecrease - 3) < 1e-14)
        // Radius 0.5: p = -(H + σI)⁻¹g on the boundary, with σ > 0.
        let boundary = try TrustRegionSubproblem(hessian: [2, 0, 0, 4], gradient: [-2, -4], dimension: 2).solve(radius: 0.5)
        let norm = (boundary.step[0] * boundary.step[0] + boundary.step[1] * boundary.step[1]).squareRoot()
        #expect(abs(norm - 0.5) < 1e-9 && boundary.onBoundary)
        let sigma = 2 / boundary.step[0] - 2
        #expect(sigma > 0 && abs(4 / boundary.step[1] - 4 - sigma) < 1e-8)
        // H = diag(-1, 2), g = (0, 1), radius 1: σ = 1, p = (±√(8/9), -1/3).
        let hard = try TrustRegionSubproblem(hessian: [-1, 0, 0, 2], gradient: [0, 1], dimension: 2).solve(radius: 1)
        #expect(abs(abs(hard.step[0]) - (8.0 / 9).squareRoot()) < 1e-9 && abs(hard.step[1] + 1.0 / 3) < 1e-9)
        #expect(abs(hard.predictedDecrease - (1.0 / 3 - 1.0 / 9 + 4.0 / 9)) < 1e-9)
    }

    /// The inverse-Hessian estimates: exact for Newton's methods, BFGS's approximation close.
    @Test func inverseHessians() throws {
        let minimizer = [1.0, -2, 3]
        let (objective, a) = quadratic(minimizer: minimizer, condition: 100)
        // A⁻¹ by solving A X = I with Newton's own factorisation.
        let exact = try #require(try exactInverseHessian(a, dimension: 3))
        for method in [MinimizeMethod.newton, .newtonTrustRegion] {
            let r = try minimize(objective, x0: [0, 0, 0], method: method)
            let h = try #require(r.inverseHessian)
            #expect(maxError(h.elements, exact.elements) < 1e-12)
        }
        var o = MinimizeOptions()
        o.ftol = 0; o.gtol = 1e-12
        let bfgs = try minimize(objective, x0: [0, 0, 0], method: .bfgs, options: o)
        let h = try #require(bfgs.inverseHessian)
        #expect(maxError(h.elements, exact.elements) < 0.05 * exact.elements.map(abs).max()!)
        #expect(try minimize(objective, x0: [0, 0, 0], method: .lbfgs).inverseHessian == nil)
        // An indefinite Hessian at the end (a saddle where the run stops) gives no inverse.
        let saddle = ClosureObjective(dimension: 2, value: { x in x[0] * x[0] - x[1] * x[1] },
                                      gradient: { x in (x[0] * x[0] - x[1] * x[1], [2 * x[0], -2 * x[1]]) },
                                      hessian: { _ in [2, 0, 0, -2] })
        #expect(try minimize(saddle, x0: [0, 0], method: .newton).inverseHessian == nil)
    }
}
