import Foundation
import Testing
@testable import InferKit

@Suite("Metropolis-Hastings")
struct MetropolisTests {
    let target = CorrelatedGaussian()

    func startingPoints(_ chains: Int) -> [Double] { target.ball(chains, seed: 17, radius: 1) }

    /// The 10-D Gaussian (condition number 100), formula and closure: after adaptive warm-up the
    /// means and covariances are within 5 Monte-Carlo standard errors, the acceptance is near
    /// 0.234 and the frozen jumping covariance has the target's shape (2.38²/d Σ up to scale).
    @Test(arguments: [0, 1])
    func gaussian(_ closure: Int) throws {
        let density: any LogDensity = closure == 1 ? target.closure : try FormulaLogDensity(target.formula, params: target.names)
        var options = MetropolisOptions()
        options.warmup = 4000
        options.proposalScale = 0.5
        let result = try Metropolis.sample(density, initial: startingPoints(4), draws: 25000, seed: 21, options: options)
        #expect(result.draws.drawCount == 25000 && result.draws.chainCount == 4)
        let (worst, ess) = gaussianMomentErrors(result.draws, target)
        print("metropolis \(closure == 1 ? "closure" : "formula"): worst moment error \(worst) SE, min ESS of the means \(ess), acceptance \(result.acceptanceFraction)")
        #expect(worst < 5 && ess > 400)
        #expect(result.acceptanceFraction.allSatisfy { $0 > 0.15 && $0 < 0.35 })
        // Shape of the frozen proposal: Σ_prop / tr Σ_prop against Σ / tr Σ.
        let d = 10
        let trace = (0..<d).reduce(0.0) { $0 + target.covariance[$1 * d + $1] }
        for c in 0..<4 {
            let p = Array(result.proposalCovariance[(c * d * d)..<((c + 1) * d * d)])
            let pt = (0..<d).reduce(0.0) { $0 + p[$1 * d + $1] }
            var difference = 0.0, norm = 0.0
            for i in 0..<(d * d) {
                difference += pow(p[i] / pt - target.covariance[i] / trace, 2)
                norm += pow(target.covariance[i] / trace, 2)
            }
            #expect((difference / norm).squareRoot() < 0.3)
        }
    }

    /// One seed gives bit-identical chains with 1 and 2 threads; the draws stream out as stored;
    /// another seed differs; without adaptation the proposal stays the initial one.
    @Test func reproducibleAcrossThreads() throws {
        let density = try FormulaLogDensity(target.formula, params: target.names)
        func run(_ seed: UInt64, _ threads: Int) throws -> MetropolisResult {
            var o = MetropolisOptions()
            o.warmup = 300
            o.thin = 2
            o.threads = threads
            return try Metropolis.sample(density, initial: startingPoints(5), draws: 200, seed: seed, options: o)
        }
        let a = try run(3, 1), b = try run(3, 2), c = try run(4, 1)
        #expect(a.draws.values == b.draws.values ? true : false)
        #expect(a.draws.logProbability == b.draws.logProbability ? true : false)
        #expect(a.proposalCovariance == b.proposalCovariance && a.draws.acceptedCount == b.draws.acceptedCount)
        #expect(a.draws.values != c.draws.values ? true : false)

        var o = MetropolisOptions()
        o.warmup = 150
        o.adaptCovariance = false
        o.adaptScale = false
        o.proposalCovariance = (0..<100).map { $0 / 10 == $0 % 10 ? 0.04 : 0 }
        var streamed: [Double] = []
        o.draws = { i, p, lp in #expect(lp.count == 3); streamed.append(contentsOf: p); _ = i }
        let fixed = try Metropolis.sample(density, initial: startingPoints(3), draws: 120, seed: 1, options: o)
        #expect(zip(fixed.proposalCovariance, (0..<300).map { ($0 % 100) / 10 == $0 % 10 ? 0.04 : 0 }).allSatisfy { abs($0 - $1) < 1e-16 })
        #expect(streamed == fixed.draws.values ? true : false)
    }

    /// A run's final state resumes exactly: sample(120) then resume(180) equals sample(300).
    @Test func savedStateResumes() throws {
        let density = try FormulaLogDensity(target.formula, params: target.names)
        var o = MetropolisOptions()
        o.warmup = 250
        o.thin = 2
        let whole = try Metropolis.sample(density, initial: startingPoints(3), draws: 300, seed: 6, options: o)
        let part = try Metropolis.sample(density, initial: startingPoints(3), draws: 120, seed: 6, options: o)
        #expect(part.state.count == 3 + 3 * (10 + 1 + 100 + 1 + 5))
        o.threads = 2
        let rest = try Metropolis.resume(density, state: part.state, draws: 180, options: o)
        #expect(rest.draws.values == Array(whole.draws.values[(120 * 3 * 10)...]) ? true : false)
        #expect(rest.draws.logProbability == Array(whole.draws.logProbability[(120 * 3)...]) ? true : false)
        #expect(rest.state == whole.state && rest.proposalCovariance == whole.proposalCovariance)
        var bad = part.state
        bad[0] = 3
        #expect(samplingError { _ = try Metropolis.resume(density, state: bad, draws: 5) }?.message.contains("not a saved Metropolis state") == true)
        #expect(samplingError { _ = try Metropolis.resume(density, state: Array(part.state.dropLast()), draws: 5) }?.message.contains("words but 3 chains of 10 parameters need") == true)
        let other = try FormulaLogDensity("-a^2", params: ["a"])
        #expect(samplingError { _ = try Metropolis.resume(other, state: part.state, draws: 5) }
                == .dimensionMismatch("the state is of 10 parameters but the log-probability has 1"))
        #expect(samplingError { _ = try Metropolis.resume(density, state: part.state, draws: 0) } == .invalidArgument("draws is 0: take at least one draw"))
    }

    /// The progress handler sees both phases and can stop the run, which keeps the draws so far.
    @Test func progressAndStop() throws {
        let density = try FormulaLogDensity("-0.5*(a^2 + b^2)", params: ["a", "b"])
        var o = MetropolisOptions()
        o.warmup = 100
        var seen: [SamplingProgress] = []
        o.progress = { seen.append($0); return $0.completed < 250 }
        let r = try Metropolis.sample(density, initial: [0, 0, 1, 1], draws: 1000, seed: 2, options: o)
        #expect(seen.first == SamplingProgress(phase: .warmup, completed: 50, total: 1100))
        #expect(seen.last == SamplingProgress(phase: .sampling, completed: 250, total: 1100))
        #expect(r.draws.stoppedEarly && r.draws.drawCount == 150 && r.draws.values.count == 150 * 2 * 2)
    }

    /// Every bad input: its error and a message naming the culprit.
    @Test func badInputs() throws {
        let density = try FormulaLogDensity("-0.5*(a^2 + b^2)", params: ["a", "b"])
        #expect(samplingError { _ = try Metropolis.sample(density, initial: [0, 0], draws: 0, seed: 1) }
                == .invalidArgument("draws is 0: take at least one draw"))
        #expect(samplingError { _ = try Metropolis.sample(density, initial: [0, 0], draws: 1 << 40, seed: 1) }?.message.contains("the draws would need") == true)
        #expect(samplingError { _ = try Metropolis.sample(density, initial: [0, 0, 1], draws: 5, seed: 1) }?.message.contains("not a whole number") == true)
        #expect(samplingError { _ = try Metropolis.sample(density, initial: [0, 0, 1, .infinity], draws: 5, seed: 1) }
                == .nonFinite("the initial position of chain 1, parameter 'b' is inf"))
        var o = MetropolisOptions()
        o.proposalCovariance = [1, 2, 2, 1]
        #expect(samplingError { _ = try Metropolis.sample(density, initial: [0, 0], draws: 5, seed: 1, options: o) }
                == .invalidArgument("proposalCovariance is not positive definite"))
        o.proposalCovariance = [1, 0.5, 0.2, 1]
        #expect(samplingError { _ = try Metropolis.sample(density, initial: [0, 0], draws: 5, seed: 1, options: o) }?.message.contains("not symmetric") == true)
        o.proposalCovariance = [1, 0, 0]
        #expect(samplingError { _ = try Metropolis.sample(density, initial: [0, 0], draws: 5, seed: 1, options: o) }?.message.contains("proposalCovariance has 3 values") == true)
        o = MetropolisOptions(); o.proposalScale = -1
        #expect(samplingError { _ = try Metropolis.sample(density, initial: [0, 0], draws: 5, seed: 1, options: o) }?.message.contains("proposalScale is -1") == true)
        o = MetropolisOptions(); o.targetAcceptance = 1.5
        #expect(samplingError { _ = try Metropolis.sample(density, initial: [0, 0], draws: 5, seed: 1, options: o) }?.message.contains("targetAcceptance") == true)
        let support = ClosureLogDensity(dimension: 2, values: { p, n, out in
            for i in 0..<n { out[i] = p[2 * i] > 0 ? -(p[2 * i] * p[2 * i] + p[2 * i + 1] * p[2 * i + 1]) : -.infinity }
        })
        #expect(samplingError { _ = try Metropolis.sample(support, initial: [1, 0, -1, 0], draws: 5, seed: 1) }?.message.hasPrefix("chain 1 starts outside the support") == true)
        for bad in [Double.nan, .infinity] {
            let broken = ClosureLogDensity(dimension: 2, values: { p, n, out in
                for i in 0..<n { out[i] = p[2 * i] > 1.5 ? bad : -(p[2 * i] * p[2 * i] + p[2 * i + 1] * p[2 * i + 1]) / 2 }
            })
            let e = samplingError { _ = try Metropolis.sample(broken, initial: [0, 0, 0.5, 0], draws: 2000, seed: 1) }
            guard case .nonFinite(let m)? = e else { Issue.record("expected nonFinite, got \(String(describing: e))"); continue }
            #expect(m.contains("the log-probability is \(bad) at the proposal of chain") && m.contains("at iteration"))
            let e0 = samplingError { _ = try Metropolis.sample(broken, initial: [0, 0, 2, 0], draws: 5, seed: 1) }
            #expect(e0?.message.contains("at the initial position of chain 1") == true)
        }
        var calls = 0
        let failing = ClosureLogDensity(dimension: 2, values: { p, n, out in
            calls += 1
            if calls > 10 { throw InferKitError.callbackFailed("the callback returned 3") }
            for i in 0..<n { out[i] = -(p[2 * i] * p[2 * i]) }
        })
        #expect(samplingError { _ = try Metropolis.sample(failing, initial: [0, 0], draws: 50, seed: 1) } == .callbackFailed("the callback returned 3"))
    }
}
