import Testing
@testable import InferKit

/// MCMC diagnostics against literal values computed once with emcee 3.1.6
/// (`autocorr.integrated_time`, `function_1d`) and ArviZ 0.23.4 (`ess`, `rhat`, `hdi`, `mcse`)
/// on the deterministic chains below, plus properties with known answers.
@Suite struct DiagnosticsTests {
    /// AR(1) chains x_t = phi_d x_{t-1} + e_t, x_{-1} = 0, in emcee's layout (steps, walkers,
    /// dims), with uniform noise e in [-1/2, 1/2) from a 64-bit LCG, so that Python reproduces
    /// them bit for bit (the generating script loops t, w, d in this order).
    static func chain(steps: Int, walkers: Int, dims: Int, phi: [Double], seed: UInt64) -> [Double] {
        var state = seed
        var previous = [Double](repeating: 0, count: walkers * dims)
        var x = [Double](repeating: 0, count: steps * walkers * dims)
        for t in 0..<steps {
            for w in 0..<walkers {
                for d in 0..<dims {
                    state = state &* 6364136223846793005 &+ 1442695040888963407
                    let e = Double(state >> 11) * 0x1p-53 - 0.5
                    let v = phi[d] * previous[w * dims + d] + e
                    previous[w * dims + d] = v
                    x[(t * walkers + w) * dims + d] = v
                }
            }
        }
        return x
    }

    /// The emcee-layout chain swapped into ArviZ's layout (walkers become chains).
    static func swapped(_ x: [Double], steps: Int, walkers: Int, dims: Int) -> [Double] {
        var out = x
        for t in 0..<steps {
            for w in 0..<walkers {
                for d in 0..<dims { out[(w * steps + t) * dims + d] = x[(t * walkers + w) * dims + d] }
            }
        }
        return out
    }

    static let main = chain(steps: 200, walkers: 4, dims: 2, phi: [0.3, 0.75], seed: 42)
    static let mainDraws = swapped(main, steps: 200, walkers: 4, dims: 2)

    func expectClose(_ got: [Double], _ want: [Double], _ rtol: Double = 1e-10,
                     sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(got.count == want.count, sourceLocation: sourceLocation)
        for (g, w) in zip(got, want) {
            #expect(abs(g - w) <= rtol * abs(w), "got \(g), want \(w)", sourceLocation: sourceLocation)
        }
    }

    func tau(_ x: [Double], steps: Int, walkers: Int, dims: Int, c: Double = 5, tol: Double = 50) throws -> AutocorrelationTime {
        try x.withUnsafeBufferPointer {
            try AutocorrelationTime(chain: ChainView(steps: steps, walkers: walkers, parameters: dims, base: $0.baseAddress!),
                                    c: c, tol: tol)
        }
    }

    func withDraws<R>(_ x: [Double], chains: Int, draws: Int, dims: Int, _ body: (ChainView) throws -> R) rethrows -> R {
        try x.withUnsafeBufferPointer { try body(ChainView(chains: chains, draws: draws, parameters: dims, base: $0.baseAddress!)) }
    }

    @Test func chainIsTheOneThePythonScriptMade() {
        #expect(Self.main[0] == 0.0682303266439076)
        #expect(Self.main[199 * 8 + 3 * 2 + 1] == -0.387041118968655)
    }

    @Test func autocorrelationTimeEqualsEmcee() throws {
        let r = try tau(Self.main, steps: 200, walkers: 4, dims: 2)
        expectClose(r.tau, [1.7348881519713584, 5.074683648851894])
        #expect(r.tooShort == [false, true])
        let wide = try tau(Self.main, steps: 200, walkers: 4, dims: 2, c: 10, tol: 5)
        expectClose(wide.tau, [1.9040943664870364, 2.8848269322470443])
        #expect(wide.tooShort == [false, false])
        let odd = Self.chain(steps: 101, walkers: 3, dims: 1, phi: [0.9], seed: 7)
        expectClose(try tau(odd, steps: 101, walkers: 3, dims: 1).tau, [5.996942892757945])
    }

    @Test func autocorrelationFunctionEqualsEmcee() throws {
        let series = (0..<200).map { Self.main[$0 * 8 + 1] }  // walker 0, parameter 1
        let acf = try series.withUnsafeBufferPointer { try Autocorrelation.function($0) }
        #expect(acf[0] == 1)
        expectClose(Array(acf[1...3]), [0.683507432700256, 0.4445157781014324, 0.2515150959199061], 1e-12)
    }

    @Test func effectiveSampleSizeAndRhatEqualArviZ() throws {
        try withDraws(Self.mainDraws, chains: 4, draws: 200, dims: 2) { v in
            expectClose(try EffectiveSampleSize.estimate(draws: v, method: .bulk), [388.7813764171782, 125.59478504585906])
            expectClose(try EffectiveSampleSize.estimate(draws: v, method: .tail), [537.9193275571594, 201.40373364166518])
            expectClose(try EffectiveSampleSize.estimate(draws: v, method: .mean), [401.66063517286926, 125.56287092310255])
            expectClose(try PotentialScaleReduction.rankNormalizedSplit(draws: v), [1.0038325636997862, 1.019579815752489])
        }
        let odd = Self.swapped(Self.chain(steps: 101, walkers: 3, dims: 1, phi: [0.9], seed: 7), steps: 101, walkers: 3, dims: 1)
        try withDraws(odd, chains: 3, draws: 101, dims: 1) { v in
            expectClose(try EffectiveSampleSize.estimate(draws: v, method: .bulk), [30.87061830946052])
            expectClose(try EffectiveSampleSize.estimate(draws: v, method: .tail), [88.59604263395879])
            expectClose(try PotentialScaleReduction.rankNormalizedSplit(draws: v), [1.0478060768165134])
        }
    }

    @Test func summaryEqualsNumpyAndArviZ() throws {
        let s = try withDraws(Self.mainDraws, chains: 4, draws: 200, dims: 2) {
            try PosteriorSummary(draws: $0, quantileProbabilities: [0.05, 0.5, 0.95], hdiProbability: 0.94)
        }
        expectClose(s.mean, [0.023085284525394312, -0.02810888890980986], 1e-12)
        expectClose(s.sd, [0.305578268194312, 0.4451727096967482], 1e-12)
        expectClose(s.quantiles[0], [-0.4836354940778673, 0.013281953671860889, 0.513339188473256], 1e-14)
        expectClose(s.quantiles[1], [-0.780728731789707, 0.003922603285417693, 0.6877603056249507], 1e-14)
        expectClose(s.hdi.flatMap { [$0.lower, $0.upper] },
                    [-0.52941799039578, 0.5287871473521237, -0.9312196983732883, 0.7305214610983329], 0)
        expectClose(s.mcseMean, [0.015247295946471721, 0.03972811089894236])
        expectClose(s.essBulk, [388.7813764171782, 125.59478504585906])
        expectClose(s.essTail, [537.9193275571594, 201.40373364166518])
        expectClose(s.rhat, [1.0038325636997862, 1.019579815752489])
    }

    @Test func ar1HasItsKnownAutocorrelationTime() throws {
        // AR(1): rho_k = phi^k, tau = (1 + phi) / (1 - phi); phi = 0 is iid, tau = 1.
        for phi in [0.0, 0.5, 0.8] {
            let x = Self.chain(steps: 20000, walkers: 4, dims: 1, phi: [phi], seed: 99)
            let r = try tau(x, steps: 20000, walkers: 4, dims: 1)
            let theory = (1 + phi) / (1 - phi)
            #expect(abs(r.tau[0] - theory) < 0.08 * theory, "phi \(phi): tau \(r.tau[0]), theory \(theory)")
            #expect(r.tooShort == [false])
        }
    }

    @Test func normalQuantileMatchesScipy() {
        let cases: [(Double, Double)] = [(0.975, 1.959963984540054), (1e-10, -6.361340902404056),
                                         (0.3, -0.5244005127080409), (1e-300, -37.0470962993612),
                                         (0.999999, 4.753424308817087), (0.5, 0)]
        for (p, want) in cases {
            #expect(abs(NormalQuantile.value(p) - want) <= 1e-15 * abs(want), "p \(p)")
        }
    }

    @Test func ranksAverageTies() {
        #expect(RankNormalization.averageRanks([3, 1, 2, 1, 3, 3]) == [5, 1.5, 3, 1.5, 5, 5])
    }

    @Test func quantileRulesMatchTheirLibraries() {
        let x: [Double] = [1, 2, 4, 8, 16]
        x.withUnsafeBufferPointer { b in
            #expect(SampleQuantile.linear(sorted: b, 0.5) == 4)
            #expect(SampleQuantile.linear(sorted: b, 0.1) == 1.4)   // numpy.quantile
            #expect(SampleQuantile.linear(sorted: b, 1) == 16)
            #expect(SampleQuantile.type7(sorted: b, 0.1) == 1.4)    // mquantiles(alphap=betap=1)
            let h = HighestDensityInterval.interval(sorted: b, prob: 0.5)  // k = 2: widths 3, 6, 12
            #expect(h.lower == 1 && h.upper == 4)
        }
    }

    @Test func thinningKeepsEmceesSteps() throws {
        #expect(try ChainThinning.keptSteps(steps: 100, discard: 10, thin: 3) == 30)   // 12, 15, ..., 99
        #expect(try ChainThinning.keptSteps(steps: 100, discard: 0, thin: 1) == 100)
        #expect(try ChainThinning.keptSteps(steps: 100, discard: 99, thin: 2) == 0)
        #expect(throws: InferKitError.invalidArgument("thin is 0: it must be >= 1")) {
            try ChainThinning.keptSteps(steps: 100, discard: 0, thin: 0)
        }
        let x = (0..<12).map(Double.init)  // 6 steps, 1 walker, 2 parameters
        var out = [Double](repeating: .nan, count: 4)
        try x.withUnsafeBufferPointer { b in
            try out.withUnsafeMutableBufferPointer {
                try ChainThinning.copyKept(chain: ChainView(steps: 6, walkers: 1, parameters: 2, base: b.baseAddress!),
                                           discard: 1, thin: 2, into: $0.baseAddress!)
            }
        }
        #expect(out == [4, 5, 8, 9])  // steps 2 and 4
    }

    @Test func acceptanceFractionCountsMoves() throws {
        // 5 steps, 2 walkers, 1 parameter: walker 0 moves every step, walker 1 twice of 4.
        let x: [Double] = [0, 7, 1, 7, 2, 8, 3, 8, 4, 9]
        let a = try x.withUnsafeBufferPointer {
            try AcceptanceFraction.estimate(chain: ChainView(steps: 5, walkers: 2, parameters: 1, base: $0.baseAddress!))
        }
        #expect(a == [1, 0.5])
    }

    @Test func badInputsNameTheCulprit() throws {
        var x = Self.main
        #expect(throws: InferKitError.invalidArgument("c is 0.0: the window factor must be finite and > 0")) {
            try tau(x, steps: 200, walkers: 4, dims: 2, c: 0)
        }
        #expect(throws: InferKitError.invalidArgument("tol is nan: it must be finite and >= 0")) {
            try tau(x, steps: 200, walkers: 4, dims: 2, tol: .nan)
        }
        #expect(throws: InferKitError.dimensionMismatch("n_steps is 1: the autocorrelation time needs at least 2 steps")) {
            try tau(x, steps: 1, walkers: 4, dims: 2)
        }
        x[(17 * 4 + 3) * 2 + 1] = .nan
        #expect(throws: InferKitError.nonFinite("chain[17,3,1] is nan")) { try tau(x, steps: 200, walkers: 4, dims: 2) }
        x = Self.main
        for t in 0..<200 { x[(t * 4 + 2) * 2] = 1 }
        #expect(throws: InferKitError.self) { try tau(x, steps: 200, walkers: 4, dims: 2) }
        do {
            _ = try tau(x, steps: 200, walkers: 4, dims: 2)
        } catch let e as InferKitError {
            guard case .singular(let m) = e else { Issue.record("\(e)"); return }
            #expect(m.contains("chain[:,2,0] is constant"))
        }
        try withDraws(Self.mainDraws, chains: 4, draws: 3, dims: 2) { v in
            #expect(throws: InferKitError.dimensionMismatch("n_draws is 3: split chains need at least 4 draws per chain")) {
                try EffectiveSampleSize.estimate(draws: v)
            }
        }
        try withDraws(Self.mainDraws, chains: 1, draws: 200, dims: 2) { v in
            #expect(throws: InferKitError.dimensionMismatch("n_chains is 1: R-hat needs at least 2 chains")) {
                try PotentialScaleReduction.rankNormalizedSplit(draws: v)
            }
            #expect(throws: InferKitError.invalidArgument("hdi_prob is 1.0: it must be > 0 and < 1")) {
                try PosteriorSummary(draws: v, quantileProbabilities: [], hdiProbability: 1)
            }
            #expect(throws: InferKitError.invalidArgument("quantile_probs[0] is -0.1: it must be in [0, 1]")) {
                try PosteriorSummary(draws: v, quantileProbabilities: [-0.1])
            }
            // A single chain: R-hat is NaN in the summary, the rest is computed.
            let s = try PosteriorSummary(draws: v, quantileProbabilities: [0.5])
            #expect(s.rhat.allSatisfy { $0.isNaN } && s.essBulk.allSatisfy { $0 > 0 })
        }
    }
}
