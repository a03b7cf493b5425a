#if canImport(Glibc)
import Glibc
#endif

/// Approximate trigonometric sums on a regular frequency grid by a type-1 non-uniform FFT with
/// Gaussian gridding (Dutt and Rokhlin 1993; Greengard and Lee, SIAM Review 46, 443, 2004).
///
/// For f_j = f0 + j df, j = 0..<M, the sum F_j = sum_i h_i exp(2 pi i f_j tau_i) is
/// F_(mc + m) = sum_i b_i exp(i m theta_i) with the centre mc = M/2, b_i = h_i exp(2 pi i f_mc tau_i)
/// and theta_i = 2 pi frac(df tau_i). Each b_i is spread onto a periodic grid of Mr >= 2M points
/// with the Gaussian exp(-theta^2 / (4 tau)) truncated to +-Msp grid cells, the grid is
/// transformed by an FFT, and every mode is divided by the Gaussian's Fourier coefficient
/// sqrt(tau / pi) exp(-m^2 tau). With tau = pi Msp / (Mr (Mr - M/2)) the aliasing and the
/// truncation errors are both below exp(-pi Msp (R - 1) / (R - 1/2)), R = Mr / M; Msp is chosen
/// for 1e-14, which measured errors of a few 1e-15 of sum |h_i| confirm. The products f tau and
/// df tau are formed exactly (fma) and reduced modulo 1 before rounding, so large phases lose
/// nothing. Errors of transformed sums are not those of slightly moved data (as the rounding of
/// exact sums is), so an ill-conditioned Gram matrix amplifies them: frequencies whose Gram
/// pivot falls below `wellConditioned` are recomputed exactly. Standard powers are then within
/// ~1e-13 of the exact ones on typical data, 2e-10 at worst in stress tests (tested < 1e-9).
/// Cost per sum: (2 Msp + 1) n complex multiply-adds plus an FFT of Mr points, against n M for
/// the exact sums.
enum FastSums {
    /// Target error of each sum relative to sum |h_i|.
    static let targetError = 1e-14
    /// Bound on the doubles of the sums of one pass (series are split into passes above it).
    static let passBudget = 1 << 23
    /// The most doubles of sums the method holds (one series): 2 GB.
    static let memoryLimit = 1 << 28
    /// Smallest relative Gram pivot at which the transformed sums are used. Their errors do not
    /// correspond to perturbed data (as the rounding of exact sums does), so an ill-conditioned
    /// Gram matrix amplifies them; below this pivot the frequency is computed exactly.
    static let wellConditioned = 0.25

    /// The parameters shared by every transform of one grid length.
    final class Setup {
        /// Number of output frequencies M.
        let modes: Int
        /// Grid length Mr, a power of two >= 2M.
        let gridLength: Int
        /// Spreading half-width in grid cells.
        let halfWidth: Int
        /// h^2 / (4 tau), h = 2 pi / Mr: the Gaussian in grid units is exp(-a d^2).
        let a: Double
        /// exp(-a q^2), q = 0...halfWidth.
        let kernel: UnsafeMutablePointer<Double>
        /// sqrt(pi / tau) exp(m^2 tau) / Mr for output j, m = j - M/2.
        let deconvolution: UnsafeMutablePointer<Double>
        /// The FFT of the grid.
        let plan: FFTPlan

        init(modes m: Int) {
            modes = m
            var length = 64
            while length < 2 * m { length *= 2 }
            gridLength = length
            let ratio = Double(length) / Double(m)
            let exponent = -log(FastSums.targetError)
            halfWidth = min(24, max(6, Int((exponent * (ratio - 0.5) / (Double.pi * (ratio - 1))).rounded(.up))))
            let tau = Double.pi * Double(halfWidth) / (Double(length) * (Double(length) - 0.5 * Double(m)))
            let h = 2 * Double.pi / Double(length)
            a = h * h / (4 * tau)
            kernel = .allocate(capacity: halfWidth + 1)
            for q in 0...halfWidth { kernel[q] = exp(-a * Double(q * q)) }
            deconvolution = .allocate(capacity: m)
            let scale = (Double.pi / tau).squareRoot() / Double(length)
            for j in 0..<m {
                let mode = Double(j - m / 2)
                deconvolution[j] = scale * exp(mode * mode * tau)
            }
            plan = FFTPlan(length: length)
        }

        deinit {
            kernel.deallocate()
            deconvolution.deallocate()
        }
    }

    /// The grid of one worker.
    final class Workspace {
        let re: UnsafeMutablePointer<Double>
        let im: UnsafeMutablePointer<Double>
        init(_ setup: Setup) {
            re = .allocate(capacity: setup.gridLength)
            im = .allocate(capacity: setup.gridLength)
        }
        deinit {
            re.deallocate()
            im.deallocate()
        }
    }

    /// sum_i h_i cos/sin(2 pi (start + j step) tau_i) for j < setup.modes, written to
    /// cosOut[j * stride] and sinOut[j * stride].
    static func transform(_ setup: Setup, _ ws: Workspace, tau: UnsafePointer<Double>,
                          strength: UnsafePointer<Double>, count n: Int, start: Double, step: Double,
                          cosOut: UnsafeMutablePointer<Double>, sinOut: UnsafeMutablePointer<Double>, stride: Int) {
        let length = setup.gridLength, mask = length - 1, width = setup.halfWidth
        let re = ws.re, im = ws.im, kernel = setup.kernel, a = setup.a
        re.update(repeating: 0, count: length)
        im.update(repeating: 0, count: length)
        let centre = start + step * Double(setup.modes / 2)
        let cells = Double(length)
        for i in 0..<n {
            let h = strength[i]
            if h == 0 { continue }
            let t = tau[i]
            // Products as exact sums hi + lo (fma), reduced modulo 1 before rounding: the phases
            // keep ~1e-16 cycles of accuracy however large f tau is.
            let product = centre * t
            let phase = SinCos.cycles((product - product.rounded()) + fma(centre, t, -product))
            let br = h * phase.cos, bi = h * phase.sin
            let u = step * t
            let uLow = fma(step, t, -u)
            var position = (u - u.rounded(.down)) * cells
            if position >= cells { position -= cells }
            var cell = Int(position)
            var d = (position - Double(cell)) + uLow * cells
            if d < 0 { d += 1; cell -= 1 } else if d >= 1 { d -= 1; cell += 1 }
            let e1 = exp(-a * d * d), e2 = exp(2 * a * d)
            var p = e1
            for q in 0...width {
                let k = kernel[q] * p
                let idx = (cell &+ q) & mask
                re[idx] += br * k
                im[idx] += bi * k
                p *= e2
            }
            let inverse = 1 / e2
            p = e1 * inverse
            for q in 1...width {
                let k = kernel[q] * p
                let idx = (cell &- q) & mask
                re[idx] += br * k
                im[idx] += bi * k
                p *= inverse
            }
        }
        setup.plan.transform(re: re, im: im)
        let centreIndex = setup.modes / 2
        for j in 0..<setup.modes {
            let idx = (j - centreIndex) & mask
            let scale = setup.deconvolution[j]
            cosOut[j * stride] = re[idx] * scale
            sinOut[j * stride] = im[idx] * scale
        }
    }

    /// The powers of the series of `layout` at frequency j from the transformed sums; where the
    /// Gram matrix of a series has a pivot below `wellConditioned`, the frequency's sums are
    /// recomputed exactly (`ExactSums`, direct sines and cosines) and evaluated as the exact
    /// method does.
    private static func evaluate(_ data: PeriodogramData, _ layout: SumLayout, sums: UnsafePointer<Double>,
                                 frequency j: Int, grid: FrequencyGrid, solver: GramSolver,
                                 exact: ExactSums.Workspace, _ normalization: PeriodogramNormalization,
                                 _ out: UnsafeMutablePointer<Double>) {
        var row = sums
        var recomputed = false
        for s in layout.series {
            let a = data.weightSet(of: s)
            var r = solver.reduction(set: row + layout.setOffset(a), series: row + layout.seriesOffset(s),
                                     c0: data.weightSum[a], y0: data.weightedSum[s])
            if r.pivot < wellConditioned && !recomputed {
                ExactSums.accumulate(data, layout, count: 1, frequency: { _ in grid.frequency(j) },
                                     rotation: nil, exact)
                row = UnsafePointer(exact.sums)
                recomputed = true
                r = solver.reduction(set: row + layout.setOffset(a), series: row + layout.seriesOffset(s),
                                     c0: data.weightSum[a], y0: data.weightedSum[s])
            }
            if r.pivot < GramSolver.wellConditioned && data.points * solver.columns <= DirectFit.sizeLimit {
                r.value = DirectFit.reduction(data, series: s, frequency: grid.frequency(j),
                                              terms: solver.terms, fitMean: solver.fitMean)
            }
            out[s * grid.count + j] = GramSolver.normalize(r.value, reference: data.reference[s],
                                                           weightTotal: data.weightTotal[a], normalization)
        }
    }

    /// The powers of every series of `data` on `grid` (series x frequency, row-major).
    static func power(_ data: PeriodogramData, grid: FrequencyGrid, options: LombScargleOptions,
                      into out: UnsafeMutablePointer<Double>) {
        let nf = grid.count
        guard nf > 0 else { return }
        let k = options.nterms, k2 = 2 * k
        let setup = Setup(modes: nf)
        let perPass = max(1, min(64, passBudget / max(1, nf * 3 * k2)))
        let threads = Parallel.threads(requested: options.threads)
        let workers = threads
        let spaces = (0..<workers).map { _ in Workspace(setup) }
        let solvers = (0..<workers).map { _ in GramSolver(terms: k, fitMean: options.fitMean) }
        let padded = 4 * data.groups
        for series in PeriodogramEngine.passes(data.seriesCount, perPass: perPass) {
            let layout = SumLayout(terms: k, sets: data.weightSets(of: series), series: series)
            let width = layout.width
            let sums = UnsafeMutablePointer<Double>.allocate(capacity: nf * width)
            defer { sums.deallocate() }
            // Tasks: (weight set, harmonic 1...2K), then (series, harmonic 1...K).
            let setTasks = layout.sets.count * k2
            let tasks = setTasks + layout.series.count * k
            Parallel.forEach(chunks: tasks, threads: threads) { task, worker in
                let harmonic: Int, strength: UnsafePointer<Double>, cosOut: UnsafeMutablePointer<Double>,
                    sinOut: UnsafeMutablePointer<Double>
                if task < setTasks {
                    let set = layout.sets.lowerBound + task / k2
                    harmonic = task % k2 + 1
                    strength = UnsafePointer(data.weightValues + set * padded)
                    cosOut = sums + layout.setOffset(set) + harmonic - 1
                    sinOut = cosOut + k2
                } else {
                    let s = layout.series.lowerBound + (task - setTasks) / k
                    harmonic = (task - setTasks) % k + 1
                    strength = UnsafePointer(data.weightedYValues + s * padded)
                    cosOut = sums + layout.seriesOffset(s) + harmonic - 1
                    sinOut = cosOut + k
                }
                let m = Double(harmonic)
                transform(setup, spaces[worker], tau: data.tauValues, strength: strength, count: padded,
                          start: m * grid.start, step: m * grid.step, cosOut: cosOut, sinOut: sinOut, stride: width)
            }
            let block = 256
            let blocks = (nf + block - 1) / block
            let exactSpaces = (0..<workers).map { _ in ExactSums.Workspace(width: width, terms: k) }
            Parallel.forEach(chunks: blocks, threads: threads) { b, worker in
                let first = b * block
                for j in first..<min(nf, first + block) {
                    evaluate(data, layout, sums: sums + j * width, frequency: j, grid: grid,
                             solver: solvers[worker], exact: exactSpaces[worker], options.normalization, out)
                }
            }
        }
    }
}
