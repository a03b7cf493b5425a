import Foundation
import Testing
@testable import InferKit

@Suite("NUTS")
struct NUTSTests {
    /// 10-D correlated Gaussian (condition number 100), diagonal metric: means and variances
    /// within their Monte-Carlo errors (from the measured ESS).
    @Test func correlatedGaussianMoments() throws {
        let n = 10
        let (cov, prec) = correlatedGaussian(n)
        let sampler = try NUTSSampler(density: gaussianDensity(precision: prec, n: n), chains: 4, seed: 11)
        let result = try sampler.run(warmup: 500, samples: 1000)
        #expect(result.draws.drawCount == 1000)
        var minESS = Double.infinity
        for k in 0..<n {
            let t = traces(result.draws, k)
            let ess = effectiveSampleSize(t)
            minESS = min(minESS, ess)
            let sd = cov[k * n + k].squareRoot()
            #expect(abs(pooledMean(t)) < 4.5 * sd / ess.squareRoot(), "mean of x\(k)")
            let squares = t.map { $0.map { $0 * $0 } }
            let essSquares = effectiveSampleSize(squares)
            let variance = pooledMean(squares)
            #expect(abs(variance - cov[k * n + k]) < 4.5 * cov[k * n + k] * (2 / essSquares).squareRoot(), "variance of x\(k)")
        }
        #expect(minESS > 300)
        #expect(result.divergenceCount.allSatisfy { $0 == 0 })
        // Stan's averaged step size is a little smaller than the iterates: the sampling
        // acceptance ends above the target, typically 0.85-0.92 for 0.8.
        #expect(result.meanAcceptance.allSatisfy { $0 > 0.75 && $0 < 0.97 }, "\(result.meanAcceptance) \(result.stepSize) \(result.treeDepth.reduce(0, +))")
        let leapfrogs = result.leapfrogSteps.reduce(0, +)
        #expect(leapfrogs > 0 && result.gradientEvaluations.reduce(0, +) >= leapfrogs)
        #expect(result.exactGradient)
    }

    /// The dense metric recovers the covariance: the adapted inverse metric and the draws'
    /// covariance both near Σ.
    @Test func denseMetricRecoversCovariance() throws {
        let n = 10
        let (cov, prec) = correlatedGaussian(n)
        var options = NUTSOptions()
        options.metric = .dense
        let sampler = try NUTSSampler(density: gaussianDensity(precision: prec, n: n), chains: 2, seed: 5, options: options)
        let result = try sampler.run(warmup: 600, samples: 1000)
        for metric in result.inverseMetric {
            #expect(metric.kind == .dense)
            var diff = 0.0, norm = 0.0
            for i in 0..<(n * n) { diff += pow(metric.values[i] - cov[i], 2); norm += cov[i] * cov[i] }
            #expect((diff / norm).squareRoot() < 0.35)
        }
        // Sample covariances against Σ: |Ŝ_ij − Σ_ij| within 5 √((Σ_ii Σ_jj + Σ_ij²)/ESS).
        let d = result.draws
        for i in 0..<n {
            for j in 0...i {
                let products = (0..<d.chainCount).map { c in
                    (0..<d.drawCount).map { t in d.values[(t * d.chainCount + c) * n + i] * d.values[(t * d.chainCount + c) * n + j] }
                }
                let ess = effectiveSampleSize(products)
                let s = pooledMean(products)
                let se = ((cov[i * n + i] * cov[j * n + j] + cov[i * n + j] * cov[i * n + j]) / ess).squareRoot()
                #expect(abs(s - cov[i * n + j]) < 5 * se, "covariance [\(i), \(j)]")
            }
        }
        // Near-isotropic after adaptation: shallow trees.
        let meanDepth = Double(result.treeDepth.reduce(0, +)) / Double(result.treeDepth.count)
        #expect(meanDepth < 3.5)
    }

    /// Neal's funnel, v ~ N(0, 3²), x | v ~ N(0, e^v): v's mean and sd within MC error, and
    /// divergences counted rather than fatal.
    @Test func nealsFunnel() throws {
        let density = try FormulaLogDensity("-v^2/18 - 0.5*v - 0.5*x^2*exp(-v)", params: ["v", "x"])
        var options = NUTSOptions()
        options.targetAcceptance = 0.99
        let sampler = try NUTSSampler(density: density, chains: 4, seed: 3, options: options)
        let result = try sampler.run(initial: [Double](repeating: 0.5, count: 8), warmup: 500, samples: 800)
        let t = traces(result.draws, 0)
        let ess = effectiveSampleSize(t)
        #expect(ess > 100)
        #expect(abs(pooledMean(t)) < 5 * 3 / ess.squareRoot())
        let squares = t.map { $0.map { $0 * $0 } }
        let sd = pooledMean(squares).squareRoot()
        #expect(abs(sd - 3) < 5 * 3 * (0.5 / effectiveSampleSize(squares)).squareRoot())
        let divergent = result.divergent.filter { $0 }.count
        #expect(divergent == result.divergenceCount.reduce(0, +))
        #expect(result.divergenceCount.reduce(0, +) + result.warmupDivergenceCount.reduce(0, +) > 0)
    }

    /// A banana: a ~ N(0, 1), b | a ~ N(a², 0.5²); moments against a numerical integration over
    /// a grid.
    @Test func bananaMoments() throws {
        let density = try FormulaLogDensity("-0.5*a^2 - 2*(b - a^2)^2", params: ["a", "b"])
        // Reference moments by the trapezoid rule on [-8, 8] x [-4, 40].
        var z = 0.0, ea = 0.0, eb = 0.0, eaa = 0.0, ebb = 0.0
        let ha = 0.01, hb = 0.01
        for i in 0...1600 {
            let a = -8 + Double(i) * ha
            for j in 0...4400 {
                let b = -4 + Double(j) * hb
                let w = exp(-0.5 * a * a - 2 * (b - a * a) * (b - a * a))
                z += w; ea += w * a; eb += w * b; eaa += w * a * a; ebb += w * b * b
            }
        }
        let ma = ea / z, mb = eb / z, va = eaa / z - ma * ma, vb = ebb / z - mb * mb
        #expect(abs(mb - 1) < 1e-6 && abs(vb - 2.25) < 1e-6)
        let sampler = try NUTSSampler(density: density, chains: 4, seed: 8)
        let result = try sampler.run(warmup: 500, samples: 1500)
        let ta = traces(result.draws, 0), tb = traces(result.draws, 1)
        let essA = effectiveSampleSize(ta), essB = effectiveSampleSize(tb)
        #expect(abs(pooledMean(ta) - ma) < 5 * va.squareRoot() / essA.squareRoot())
        #expect(abs(pooledMean(tb) - mb) < 5 * vb.squareRoot() / essB.squareRoot())
        let sa = ta.map { $0.map { ($0 - ma) * ($0 - ma) } }, sb = tb.map { $0.map { ($0 - mb) * ($0 - mb) } }
        #expect(abs(pooledMean(sa) - va) < 5 * va * (2 / effectiveSampleSize(sa)).squareRoot())
        // Var of (b − mb)² is E(b − mb)⁴ − vb²; bound it by 10 vb² (the tail is heavier than Gaussian).
        #expect(abs(pooledMean(sb) - vb) < 5 * (10 * vb * vb / effectiveSampleSize(sb)).squareRoot())
    }

    /// The lecture's Gaussian peak with σ > 0 is sampled in the unconstrained space (log sig):
    /// draws come back with sig > 0 and the posterior means and sds agree with the Laplace
    /// approximation within MC error plus the small non-Gaussianity of the posterior.
    @Test func constrainedPosterior() throws {
        let posterior = try GaussianPeak.posterior()
        #expect(posterior.transforms[1] != .identity)
        let sampler = try NUTSSampler(density: posterior, chains: 2, seed: 21)
        let initial = GaussianPeak.scipyParameters + GaussianPeak.scipyParameters.map { $0 * 1.01 }
        let result = try sampler.run(initial: initial, warmup: 400, samples: 800)
        let d = result.draws
        for k in 0..<4 {
            let t = traces(d, k)
            if k == 1 { #expect(t.allSatisfy { $0.allSatisfy { $0 > 0 } }) }
            let sd = GaussianPeak.sympyLaplaceCovariance[k * 4 + k].squareRoot()
            let ess = effectiveSampleSize(t)
            #expect(abs(pooledMean(t) - GaussianPeak.scipyParameters[k]) < 5 * sd / ess.squareRoot() + 0.1 * sd, "mean of \(GaussianPeak.names[k])")
            let v = pooledMean(t.map { $0.map { pow($0 - pooledMean(t), 2) } })
            #expect(abs(v.squareRoot() / sd - 1) < 0.15, "sd of \(GaussianPeak.names[k])")
        }
        // The log-probability reported is the posterior's own, without the Jacobian.
        let first = Array(d.values[0..<4])
        #expect(abs(try posterior.value(first) - d.logProbability[0]) < 1e-9 * abs(d.logProbability[0]) + 1e-9)
    }

    /// Same seed: bit-identical draws with 1 and 2 threads; another seed differs.
    @Test func reproducibleAcrossThreadCounts() throws {
        let density = try FormulaLogDensity("-0.5*(a^2 + (b - a)^2/0.1)", params: ["a", "b"])
        func draws(seed: UInt64, threads: Int) throws -> NUTSResult {
            var options = NUTSOptions()
            options.threads = threads
            return try NUTSSampler(density: density, chains: 3, seed: seed, options: options).run(warmup: 150, samples: 100)
        }
        let one = try draws(seed: 9, threads: 1), two = try draws(seed: 9, threads: 2)
        #expect(one.draws.values == two.draws.values)
        #expect(one.draws.logProbability == two.draws.logProbability)
        #expect(one.stepSize == two.stepSize && one.treeDepth == two.treeDepth)
        let other = try draws(seed: 10, threads: 2)
        #expect(other.draws.values != one.draws.values)
        // Chains differ from each other.
        #expect(traces(one.draws, 0)[0] != traces(one.draws, 0)[1])
    }

    /// Saving after a run and restoring into a new sampler continues bit for bit as the
    /// uninterrupted sampler does (thinning phase included), through the word serialisation.
    @Test func saveAndResumeExactly() throws {
        let density = try FormulaLogDensity("-0.5*(a^2 + (b - 0.5*a)^2/0.3) - 0.1*a^4", params: ["a", "b"])
        var options = NUTSOptions()
        options.thinning = 3
        options.metric = .dense
        let straight = try NUTSSampler(density: density, chains: 2, seed: 4, options: options)
        let whole = try straight.run(warmup: 120, samples: 100)

        let first = try NUTSSampler(density: density, chains: 2, seed: 4, options: options)
        let part = try first.run(warmup: 120, samples: 40)
        #expect(first.adaptationFinished)
        let words = first.state.words
        let resumed = try NUTSSampler(density: density, chains: 2, seed: 4, options: options)
        try resumed.restore(try NUTSState(words: words))
        #expect(resumed.state == first.state)
        let rest = try resumed.run(warmup: 0, samples: 60)
        let continued = try first.run(warmup: 0, samples: 60)
        #expect(rest.draws.values == continued.draws.values)
        #expect(part.draws.values + rest.draws.values == whole.draws.values)
        #expect(part.draws.logProbability + rest.draws.logProbability == whole.draws.logProbability)
        #expect(rest.stepSize == whole.stepSize)
        // Corrupt states are refused.
        #expect(throws: InferKitError.self) { try NUTSState(words: Array(words.dropLast())) }
        var bad = words; bad[0] = 7
        #expect(throws: InferKitError.self) { try NUTSState(words: bad) }
        let otherShape = try NUTSSampler(density: density, chains: 3, seed: 4, options: options)
        #expect(throws: InferKitError.self) { try otherShape.restore(try NUTSState(words: words)) }
    }

    /// Progress is reported and can stop the run; draws stream out in order.
    @Test func progressAndStreaming() throws {
        let density = try FormulaLogDensity("-0.5*x^2", params: ["x"])
        let sampler = try NUTSSampler(density: density, chains: 2, seed: 1)
        var reports: [SamplingProgress] = []
        var streamed: [Double] = []
        var indices: [Int] = []
        let result = try sampler.run(warmup: 100, samples: 200, progress: { reports.append($0); return true },
                                     draws: { k, p, _ in indices.append(k); streamed += Array(p) })
        #expect(reports.last == SamplingProgress(phase: .sampling, completed: 300, total: 300))
        #expect(reports.first?.phase == .warmup)
        #expect(indices == Array(0..<200))
        #expect(streamed == result.draws.values)
        var next: [Int] = []
        _ = try sampler.run(warmup: 0, samples: 3, draws: { k, _, _ in next.append(k) })
        #expect(next == [200, 201, 202])
        let stopped = try sampler.run(warmup: 0, samples: 500, progress: { $0.completed < 100 })
        #expect(stopped.draws.stoppedEarly)
        #expect(stopped.draws.drawCount == 100)
    }

    /// No exact gradient: finite differences are used and the result says so.
    @Test func finiteDifferenceGradient() throws {
        let density = ClosureLogDensity(dimension: 2, values: { p, count, out in
            for i in 0..<count { out[i] = -0.5 * (p[2 * i] * p[2 * i] + p[2 * i + 1] * p[2 * i + 1] / 4) }
        })
        let result = try NUTSSampler(density: density, chains: 2, seed: 2).run(warmup: 200, samples: 500)
        #expect(!result.exactGradient)
        let t = traces(result.draws, 1)
        #expect(abs(pooledMean(t)) < 5 * 2 / effectiveSampleSize(t).squareRoot())
    }

    /// Stan's window schedule and the regularised Welford estimates.
    @Test func adaptationWindowsAndWelford() throws {
        var windows = AdaptationWindows(warmup: 1000)
        var ends: [Int] = []
        for i in 0..<1000 where windows.endsWindow(i) {
            ends.append(i)
            windows.advance(after: i)
        }
        #expect(ends == [99, 149, 249, 449, 949])
        #expect(!windows.inWindow(74) && windows.inWindow(75) && windows.inWindow(949) && !windows.inWindow(950))
        let short = AdaptationWindows(warmup: 100)  // 15 / 75 / 10
        #expect(short.initialBuffer == 15 && short.terminalBuffer == 10 && short.nextWindowEnd == 89)
        #expect(!AdaptationWindows(warmup: 19).enabled)

        let draws: [[Double]] = [[1, 2], [2, 0], [4, 1], [-1, 3], [0.5, 0.5]]
        var diagonal = WelfordEstimator(dimension: 2, dense: false)
        var dense = WelfordEstimator(dimension: 2, dense: true)
        for d in draws {
            d.withUnsafeBufferPointer { diagonal.add($0.baseAddress!); dense.add($0.baseAddress!) }
        }
        let n = 5.0, w = n / (n + 5), e = 1e-3 * 5 / (n + 5)
        let mean = [6.5 / 5, 6.5 / 5]
        func s(_ i: Int, _ j: Int) -> Double { draws.reduce(0) { $0 + ($1[i] - mean[i]) * ($1[j] - mean[j]) } / (n - 1) }
        let expectDiagonal = [w * s(0, 0) + e, w * s(1, 1) + e]
        for (a, b) in zip(diagonal.regularized(.stan), expectDiagonal) { #expect(abs(a - b) < 1e-14) }
        let expectDense = [w * s(0, 0) + e, w * s(0, 1), w * s(1, 0), w * s(1, 1) + e]
        for (a, b) in zip(dense.regularized(.stan), expectDense) { #expect(abs(a - b) < 1e-14) }
        let scaleFree = dense.regularized(.scaleFree)
        #expect(abs(scaleFree[0] - (w + e) * s(0, 0)) < 1e-14 && abs(scaleFree[1] - w * s(0, 1)) < 1e-14)
    }

    /// Parameters of tiny variance: Stan's regularisation leaves the metric too wide (deep
    /// trees), the scale-free one adapts to them.
    @Test func scaleFreeRegularization() throws {
        let density = try FormulaLogDensity("-0.5*((a/0.0003)^2 + (b/0.0005)^2)", params: ["a", "b"])
        var options = NUTSOptions()
        #expect(options.metricRegularization == .scaleFree)
        options.metricRegularization = .stan
        let stan = try NUTSSampler(density: density, chains: 1, seed: 1, options: options).run(initial: [0, 0], warmup: 300, samples: 200)
        options.metricRegularization = .scaleFree
        let free = try NUTSSampler(density: density, chains: 1, seed: 1, options: options).run(initial: [0, 0], warmup: 300, samples: 200)
        #expect(stan.inverseMetric[0].values[0] > 10 * 0.0003 * 0.0003)
        #expect(abs(free.inverseMetric[0].values[0] / (0.0003 * 0.0003) - 1) < 0.5)
        let depth = { (r: NUTSResult) in Double(r.treeDepth.reduce(0, +)) / Double(r.treeDepth.count) }
        #expect(depth(free) < depth(stan))
    }

    struct Boom: Error, Equatable {}

    /// Bad inputs: each its error, naming the culprit; failures leave the sampler untouched.
    @Test func badInputs() throws {
        let density = try FormulaLogDensity("-0.5*x^2 + log(y)", params: ["x", "y"])
        let sampler = try NUTSSampler(density: density, chains: 2, seed: 1)
        func message(_ body: () throws -> Void) -> String {
            do { try body() } catch let e as InferKitError { return e.message } catch { return "\(error)" }
            return "no error"
        }
        #expect(message { _ = try sampler.run(initial: [0, 1, 0, 1], warmup: 10, samples: 0) }.contains("samples is 0"))
        #expect(message { _ = try sampler.run(initial: [0, 1, 0], warmup: 10, samples: 5) }.contains("initial has 3 values"))
        #expect(message { _ = try sampler.run(initial: [0, 1, .nan, 1], warmup: 10, samples: 5) }.contains("initial[1, 0]"))
        let outside = message { _ = try sampler.run(initial: [0, 1, 0, -1], warmup: 10, samples: 5) }
        #expect(outside.contains("chain 1") && outside.lowercased().contains("nan"), "\(outside)")
        #expect(!sampler.hasPositions)
        let zero = message { _ = try sampler.run(initial: [0, 1, 0, 0], warmup: 10, samples: 5) }
        #expect(zero.contains("outside the support") && zero.contains("chain 1"))
        let plusInfinity = ClosureLogDensity(dimension: 1, values: { _, c, out in for i in 0..<c { out[i] = .infinity } },
                                             gradient: { _, g in g[0] = 0; return .infinity })
        let inf = message { _ = try NUTSSampler(density: plusInfinity, chains: 1, seed: 0).run(initial: [0], warmup: 0, samples: 1) }
        #expect(inf.contains("inf") && inf.contains("chain 0"))
        // A failing callback's error passes on, also when it fails mid-run.
        var calls = 0
        let failing = ClosureLogDensity(dimension: 1, values: { _, _, _ in throw Boom() },
                                        gradient: { x, g in
                                            calls += 1
                                            if calls > 50 { throw Boom() }
                                            g[0] = -x[0]; return -0.5 * x[0] * x[0]
                                        })
        #expect(throws: Boom.self) { _ = try NUTSSampler(density: failing, chains: 1, seed: 0, options: { var o = NUTSOptions(); o.threads = 1; return o }()).run(initial: [0], warmup: 100, samples: 100) }
        // Options and shapes.
        var options = NUTSOptions()
        options.targetAcceptance = 1
        #expect(message { _ = try NUTSSampler(density: density, chains: 1, seed: 0, options: options) }.contains("target acceptance"))
        options = NUTSOptions(); options.maxTreeDepth = 0
        #expect(message { _ = try NUTSSampler(density: density, chains: 1, seed: 0, options: options) }.contains("tree depth"))
        options = NUTSOptions(); options.thinning = 0
        #expect(message { _ = try NUTSSampler(density: density, chains: 1, seed: 0, options: options) }.contains("thinning"))
        options = NUTSOptions(); options.initialStepSize = -1
        #expect(message { _ = try NUTSSampler(density: density, chains: 1, seed: 0, options: options) }.contains("step size"))
        #expect(message { _ = try NUTSSampler(density: density, chains: 0, seed: 0) }.contains("chains"))
        // A NaN energy inside a trajectory is a divergence, not an error.
        let cliff = try FormulaLogDensity("-0.5*x^2 + log(5 - x)", params: ["x"])
        var big = NUTSOptions(); big.initialStepSize = 3
        let r = try NUTSSampler(density: cliff, chains: 1, seed: 0, options: big).run(initial: [0], warmup: 0, samples: 50)
        #expect(r.divergenceCount[0] > 0)
    }
}
