import Foundation
import Testing
@testable import InferKit

@Suite("Ensemble sampler")
struct EnsembleSamplerTests {
    let target = CorrelatedGaussian()

    /// The 10-D Gaussian (condition number 100) written as a formula: means and covariances
    /// within 5 Monte-Carlo standard errors (batch means), with stretch and a mixture of moves.
    @Test(arguments: [0, 1])
    func gaussianFormula(_ mixture: Int) throws {
        var options = EnsembleOptions()
        if mixture == 1 { options.moves = [(.stretch(), 0.6), (.differentialEvolution(), 0.3), (.walk(subsetSize: 6), 0.1)] }
        let density = try FormulaLogDensity(target.formula, params: target.names)
        let sampler = try EnsembleSampler(density: density, walkerCount: 40, seed: 11, options: options)
        try sampler.run(initial: target.ball(40), steps: 1000)
        sampler.reset()
        try sampler.run(initial: nil, steps: 6000)
        #expect(sampler.iteration == 6000 && sampler.draws.values.count == 6000 * 40 * 10)
        let (worst, ess) = gaussianMomentErrors(sampler.draws, target)
        print("ensemble formula (moves \(mixture)): worst moment error \(worst) SE, min ESS of the means \(ess)")
        #expect(worst < 5)
        #expect(ess > 500)
        let acceptance = sampler.acceptanceFraction
        #expect(acceptance.allSatisfy { $0 > 0.1 && $0 < 0.7 })
    }

    /// The same Gaussian as a closure (a caller's callback).
    @Test func gaussianClosure() throws {
        let sampler = try EnsembleSampler(density: target.closure, walkerCount: 32, seed: 5)
        try sampler.run(initial: target.ball(32), steps: 1000)
        sampler.reset()
        try sampler.run(initial: nil, steps: 6000)
        let (worst, ess) = gaussianMomentErrors(sampler.draws, target)
        print("ensemble closure: worst moment error \(worst) SE, min ESS of the means \(ess)")
        #expect(worst < 5 && ess > 300)
    }

    /// Rosenbrock's banana, log p = -(100 (y - x²)² + (1 - x)²)/20 (emcee's example): x ~ N(1, 10)
    /// and y | x ~ N(x², 0.1), so E x = 1, var x = 10, E y = 11.
    @Test func rosenbrockBanana() throws {
        let density = try FormulaLogDensity("-(100*(y - x^2)^2 + (1 - x)^2)/20", params: ["x", "y"])
        var options = EnsembleOptions()
        options.moves = [(.stretch(), 0.8), (.differentialEvolution(), 0.2)]
        let sampler = try EnsembleSampler(density: density, walkerCount: 32, seed: 3, options: options)
        var r = RandomStream(seed: 1)
        let start = (0..<64).map { i in (i % 2 == 0 ? 1.0 : 1.0) + 0.1 * r.normal() }
        try sampler.run(initial: start, steps: 2000)
        sampler.reset()
        try sampler.run(initial: nil, steps: 25000)
        let mx = MonteCarloEstimate(sampler.draws) { $0[0] }
        let vx = MonteCarloEstimate(sampler.draws) { ($0[0] - 1) * ($0[0] - 1) }
        let my = MonteCarloEstimate(sampler.draws) { $0[1] }
        print("banana: E x = \(mx.mean) ± \(mx.standardError), var x = \(vx.mean) ± \(vx.standardError), E y = \(my.mean) ± \(my.standardError)")
        #expect(abs(mx.mean - 1) < 5 * mx.standardError)
        #expect(abs(vx.mean - 10) < 5 * vx.standardError)
        #expect(abs(my.mean - 11) < 5 * my.standardError)
    }

    func chain(seed: UInt64, threads: Int, moves: [(move: EnsembleMove, weight: Double)], density: any LogDensity,
               steps: Int = 200) throws -> EnsembleSampler {
        var options = EnsembleOptions()
        options.threads = threads
        options.moves = moves
        let s = try EnsembleSampler(density: density, walkerCount: 24, seed: seed, options: options)
        try s.run(initial: target.ball(24), steps: steps)
        return s
    }

    /// One seed gives bit-identical chains with 1 and 2 threads (formula and closure, every
    /// move); another seed differs.
    @Test func reproducibleAcrossThreads() throws {
        let moves: [(move: EnsembleMove, weight: Double)] = [(.stretch(), 1), (.differentialEvolution(), 1), (.walk(subsetSize: 5), 1)]
        for density in [try FormulaLogDensity(target.formula, params: target.names) as any LogDensity, target.closure] {
            let a = try chain(seed: 42, threads: 1, moves: moves, density: density)
            let b = try chain(seed: 42, threads: 2, moves: moves, density: density)
            let c = try chain(seed: 43, threads: 1, moves: moves, density: density)
            #expect(a.draws.values == b.draws.values ? true : false)
            #expect(a.draws.logProbability == b.draws.logProbability ? true : false)
            #expect(a.acceptanceFraction == b.acceptanceFraction)
            #expect(a.draws.values != c.draws.values ? true : false)
        }
    }

    /// threads = 0 ("all cores when it pays") gives the same chains as one thread, for a cheap
    /// formula (which stays on one thread) and for an expensive closure (which is split).
    @Test func automaticThreads() throws {
        let p = target.precision
        let slow = ClosureLogDensity(dimension: 10, values: { points, count, out in
            for n in 0..<count {
                var s = 0.0
                for _ in 0..<400 {
                    s = 0
                    for i in 0..<10 { for j in 0..<10 { s += points[n * 10 + i] * p[i * 10 + j] * points[n * 10 + j] } }
                }
                out[n] = -0.5 * s
            }
        })
        let moves: [(move: EnsembleMove, weight: Double)] = [(.stretch(), 1)]
        for density in [try FormulaLogDensity(target.formula, params: target.names) as any LogDensity, slow] {
            let one = try chain(seed: 9, threads: 1, moves: moves, density: density, steps: 40)
            let automatic = try chain(seed: 9, threads: 0, moves: moves, density: density, steps: 40)
            #expect(one.draws.values == automatic.draws.values ? true : false)
        }
    }

    /// run(n) then run(nil, m) equals one run of n + m; a state saved after n and restored in a
    /// new sampler continues bit for bit.
    @Test func continuationAndSavedState() throws {
        let density = try FormulaLogDensity(target.formula, params: target.names)
        let moves: [(move: EnsembleMove, weight: Double)] = [(.stretch(), 1), (.walk(), 1)]
        let whole = try chain(seed: 8, threads: 1, moves: moves, density: density, steps: 300)
        let part = try chain(seed: 8, threads: 1, moves: moves, density: density, steps: 120)
        let saved = part.saveState()
        #expect(saved.count == part.stateSize)
        try part.run(initial: nil, steps: 180)
        #expect(part.draws.values == whole.draws.values ? true : false)
        #expect(part.stepCount == 300)

        var options = EnsembleOptions()
        options.moves = moves
        let resumed = try EnsembleSampler(density: density, walkerCount: 24, seed: 999, options: options)
        try resumed.restoreState(saved)
        #expect(resumed.stepCount == 120 && resumed.iteration == 0)
        try resumed.run(initial: nil, steps: 180)
        #expect(resumed.draws.values == Array(whole.draws.values[(120 * 24 * 10)...]) ? true : false)
        #expect(resumed.draws.logProbability == Array(whole.draws.logProbability[(120 * 24)...]) ? true : false)

        // Corrupt or foreign states are refused.
        #expect(samplingError { try resumed.restoreState(Array(saved.dropLast())) } == .dimensionMismatch("the state has \(saved.count - 1) words but 24 walkers of 10 parameters need \(saved.count)"))
        var bad = saved; bad[0] = 1
        #expect(samplingError { try resumed.restoreState(bad) }?.message.contains("not a saved ensemble-sampler state") == true)
        let other = try EnsembleSampler(density: density, walkerCount: 26, seed: 1)
        #expect(samplingError { try other.restoreState(saved) }?.message.contains("24 walkers of 10 parameters but this sampler has 26") == true)
    }

    /// thin = 3 stores every third step of the unthinned run; draws stream out as stored; the
    /// progress handler sees every step and can stop the run.
    @Test func thinningStreamingAndProgress() throws {
        let density = try FormulaLogDensity(target.formula, params: target.names)
        let plain = try chain(seed: 4, threads: 1, moves: [(.stretch(), 1)], density: density, steps: 90)
        var options = EnsembleOptions()
        options.thin = 3
        var streamed: [Double] = []
        var indices: [Int] = []
        options.draws = { i, p, _ in indices.append(i); streamed.append(contentsOf: p) }
        var seen: [SamplingProgress] = []
        options.progress = { seen.append($0); return $0.completed < 20 }
        let thinned = try EnsembleSampler(density: density, walkerCount: 24, seed: 4, options: options)
        try thinned.run(initial: target.ball(24), steps: 30)
        #expect(thinned.draws.stoppedEarly && thinned.iteration == 20 && thinned.stepCount == 60)
        #expect(seen.count == 20 && seen.last == SamplingProgress(phase: .sampling, completed: 20, total: 30))
        #expect(indices == Array(0..<20))
        #expect(streamed == thinned.draws.values ? true : false)
        for k in 0..<20 {
            let from = (3 * k + 2) * 240
            #expect(Array(thinned.draws.values[(k * 240)..<(k * 240 + 240)]) == Array(plain.draws.values[from..<(from + 240)]) ? true : false)
        }
    }

    /// Every bad input: its error and a message naming the culprit.
    @Test func badInputs() throws {
        let density = try FormulaLogDensity(target.formula, params: target.names)
        #expect(samplingError { _ = try EnsembleSampler(density: density, walkerCount: 19, seed: 1) }
                == .invalidArgument("walkers is 19 but the ensemble sampler needs at least 2 x 10 = 20 walkers (twice the number of parameters)"))
        #expect(samplingError { _ = try EnsembleSampler(density: density, walkerCount: 1 << 40, seed: 1) }?.message.contains("the walkers would need") == true)
        let sampler = try EnsembleSampler(density: density, walkerCount: 20, seed: 1)
        #expect(samplingError { try sampler.run(initial: target.ball(20), steps: Int.max) }?.message.contains("longer than the 2^31 steps") == true)
        #expect(samplingError { try sampler.run(initial: target.ball(20), steps: 0) } == .invalidArgument("steps is 0: run at least one step"))
        #expect(samplingError { try sampler.run(initial: nil, steps: 5) }?.message.contains("no previous run to continue") == true)
        #expect(samplingError { try sampler.run(initial: [1, 2, 3], steps: 5) }
                == .dimensionMismatch("the initial state has 3 values but 20 walkers of 10 parameters need 200"))
        var start = target.ball(20)
        start[3 * 10 + 4] = .nan
        #expect(samplingError { try sampler.run(initial: start, steps: 5) }
                == .nonFinite("the initial position of walker 3, parameter 'x4' is NaN"))
        // Dependent walkers: all on a line, or one parameter constant.
        let line = (0..<200).map { i in Double(i / 10) * Double(i % 10 + 1) }
        let e1 = samplingError { try sampler.run(initial: line, steps: 5) }
        guard case .singular(let m1)? = e1 else { Issue.record("expected singular, got \(String(describing: e1))"); return }
        #expect(m1.contains("not linearly independent") && m1.contains("condition number"))
        var flat = target.ball(20)
        for w in 0..<20 { flat[w * 10 + 6] = 2.5 }
        #expect(samplingError { try sampler.run(initial: flat, steps: 5) }?.message.contains("parameter 'x6' has the same value 2.5 in every walker") == true)

        // A walker outside the support; NaN and +inf log-probabilities, at the start and mid-run.
        let support = ClosureLogDensity(dimension: 2, values: { p, n, out in
            for i in 0..<n { out[i] = p[2 * i] > 0 ? -(p[2 * i] * p[2 * i] + p[2 * i + 1] * p[2 * i + 1]) : -.infinity }
        })
        let s2 = try EnsembleSampler(density: support, walkerCount: 6, seed: 2)
        var inside: [Double] = [0.5, 0.1, 0.6, -0.2, 0.7, 0.3, 0.8, 0.0, 0.9, -0.1, 1.0, 0.2]
        inside[4 * 2] = -0.3
        #expect(samplingError { try s2.run(initial: inside, steps: 5) }?.message.hasPrefix("walker 4 starts outside the support") == true)
        for bad in [Double.nan, .infinity] {
            let broken = ClosureLogDensity(dimension: 2, values: { p, n, out in
                for i in 0..<n { out[i] = p[2 * i] > 2 ? bad : -(p[2 * i] * p[2 * i] + p[2 * i + 1] * p[2 * i + 1]) / 8 }
            })
            let s3 = try EnsembleSampler(density: broken, walkerCount: 6, seed: 2)
            var begin: [Double] = [0.5, 0.1, 0.6, -0.2, 0.7, 0.3, 0.8, 0.0, 0.9, -0.1, 1.0, 0.2]
            begin[2 * 2] = 3
            let e = samplingError { try s3.run(initial: begin, steps: 5) }
            guard case .nonFinite(let m)? = e else { Issue.record("expected nonFinite, got \(String(describing: e))"); continue }
            #expect(m.contains("the log-probability is \(bad) at the initial position of walker 2"))
            let s4 = try EnsembleSampler(density: broken, walkerCount: 6, seed: 2)
            begin[2 * 2] = 1.2
            let e4 = samplingError { try s4.run(initial: begin, steps: 2000) }
            guard case .nonFinite(let m4)? = e4 else { Issue.record("expected nonFinite mid-run, got \(String(describing: e4))"); continue }
            #expect(m4.contains("the log-probability is \(bad) at the proposal of walker") && m4.contains("at step"))
        }
        // A failing callback's error passes on.
        var calls = 0
        let failing = ClosureLogDensity(dimension: 2, values: { p, n, out in
            calls += 1
            if calls > 3 { throw InferKitError.callbackFailed("the callback returned 7") }
            for i in 0..<n { out[i] = -(p[2 * i] * p[2 * i] + p[2 * i + 1] * p[2 * i + 1]) }
        })
        let s5 = try EnsembleSampler(density: failing, walkerCount: 6, seed: 2)
        #expect(samplingError { try s5.run(initial: [0.5, 0.1, 0.6, -0.2, 0.7, 0.3, 0.8, 0.0, 0.9, -0.1, 1.0, 0.2], steps: 5) }
                == .callbackFailed("the callback returned 7"))
        #expect(s5.iteration == 1)
        // Bad moves.
        var o = EnsembleOptions()
        o.moves = [(.stretch(a: 1), 1)]
        #expect(samplingError { _ = try EnsembleSampler(density: density, walkerCount: 20, seed: 1, options: o) }?.message.contains("stretch move's a is 1") == true)
        o.moves = [(.walk(subsetSize: 11), 1)]
        #expect(samplingError { _ = try EnsembleSampler(density: density, walkerCount: 20, seed: 1, options: o) }?.message.contains("subset size s is 11") == true)
        o.moves = [(.stretch(), -1)]
        #expect(samplingError { _ = try EnsembleSampler(density: density, walkerCount: 20, seed: 1, options: o) }?.message.contains("weight of move 0") == true)
        o.moves = []
        #expect(samplingError { _ = try EnsembleSampler(density: density, walkerCount: 20, seed: 1, options: o) } == .invalidArgument("moves is empty: give at least one move"))
    }
}
