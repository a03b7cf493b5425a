// The likelihood of a posterior: log L(θ, η) = Σ_i ℓ(f_i, y_i, σ_i; η), a sum over the data
// points of a term of the model value f_i = f(x_i; θ), the observation y_i, its σ_i and the
// likelihood's own parameters η (a free noise scale, Student's ν, a caller's). Everything the
// posterior needs of it, for any model, is the per-point derivatives in f and η: the chain rule
// with the model's Jacobian does the rest (PosteriorDerivatives.swift).
import Glibc
import InferKitKernels

/// How the σ_i of a Gaussian or Student-t likelihood are known.
public enum NoiseScale: Sendable, Equatable {
    /// σ_i are the given absolute errors (they must be given).
    case known
    /// σ_i = s σ_i with the given σ as relative errors (or σ_i = s without them), s > 0 a free
    /// parameter of the posterior with this name, appended after the model's parameters.
    case free(String)
}

/// Student's ν of a Student-t likelihood.
public enum DegreesOfFreedom: Sendable, Equatable {
    /// ν fixed at this value (> 0).
    case fixed(Double)
    /// ν > 0 a free parameter of the posterior with this name.
    case free(String)
}

/// A caller's per-point log-likelihood: fills `out[i]` = ℓ(f_i, y_i, s_i; η) for all n points,
/// from the model values `f`, the observations `y`, the σ_i `s` (ones when none were given)
/// and the likelihood's own parameters `eta`. Returning −∞ for a point means "impossible";
/// throwing aborts the computation.
public typealias PointLogLikelihoodFunction = (_ f: UnsafeBufferPointer<Double>, _ y: UnsafeBufferPointer<Double>,
                                               _ s: UnsafeBufferPointer<Double>, _ eta: UnsafeBufferPointer<Double>,
                                               _ out: UnsafeMutableBufferPointer<Double>) throws -> Void

/// The likelihood of a `Posterior`: a sum over data points of log-densities of y_i given the
/// model value f_i. All built-in ones are normalised densities of y (the evidence needs it).
public enum Likelihood {
    /// Gaussian: ℓ = −½ ((y − f)/σ)² − log σ − ½ log 2π.
    case gaussian(sigma: NoiseScale = .known)
    /// Poisson counts y ∈ {0, 1, 2, ...} with rate f >= 0: ℓ = y log f − f − log y!
    /// (−∞ where f < 0, or f = 0 < y). No σ.
    case poisson
    /// Student's t with ν degrees of freedom and scale σ (outliers):
    /// ℓ = log Γ((ν+1)/2) − log Γ(ν/2) − ½ log(νπ) − log σ − (ν+1)/2 log(1 + ((y − f)/σ)²/ν).
    /// A free scale comes before a free ν among the posterior's parameters.
    case studentT(nu: DegreesOfFreedom, sigma: NoiseScale = .known)
    /// A caller's per-point formula of `f` (the model value), `y`, `s` (σ_i, or 1 without σ)
    /// and of further names, which become free parameters of the posterior in order of
    /// appearance (names distinct from the model's parameters), e.g. "-abs(f - y)/b - log(2*b)"
    /// (Laplace noise with free scale b). Derivatives are exact (automatic differentiation).
    case formula(String)
    /// A caller's per-point function (see `PointLogLikelihoodFunction`) with free parameters
    /// named `parameters`; derivatives in f and η by central differences.
    case function(PointLogLikelihoodFunction, parameters: [String])

    /// True for the likelihoods whose expected (Fisher) information is known in closed form:
    /// Gaussian, Poisson and Student-t (`LaplaceHessian.fisher`).
    public var hasFisherInformation: Bool {
        switch self {
        case .gaussian, .poisson, .studentT: return true
        case .formula, .function: return false
        }
    }

    /// Why a likelihood without `hasFisherInformation` cannot give the Fisher Hessian.
    static let noFisherMessage =
        "the Fisher (expected-information) Hessian is known in closed form only for the Gaussian, Poisson and Student-t likelihoods"

    /// A short name, for messages.
    public var name: String {
        switch self {
        case .gaussian: return "Gaussian"
        case .poisson: return "Poisson"
        case .studentT: return "Student-t"
        case .formula(let e): return "formula '\(e)'"
        case .function: return "caller's function"
        }
    }
}

/// Per-point derivatives of the likelihood terms, as the chain rule needs them. k is the number
/// of the likelihood's own parameters η.
struct PointTerms {
    /// ∂ℓ_i/∂f_i, n values.
    var df: [Double]
    /// Σ_i ∂ℓ_i/∂η_k, k values.
    var de: [Double]
    /// ∂²ℓ_i/∂f_i², n values (second order only).
    var dfdf: [Double] = []
    /// ∂²ℓ_i/∂f_i∂η_k at k n + i (second order only).
    var dfde: [Double] = []
    /// Σ_i ∂²ℓ_i/∂η_k∂η_l at k·k + l, row-major (second order only).
    var dede: [Double] = []

    init(points n: Int, extras k: Int, secondOrder: Bool) {
        df = [Double](repeating: 0, count: n)
        de = [Double](repeating: 0, count: k)
        if secondOrder {
            dfdf = [Double](repeating: 0, count: n)
            dfde = [Double](repeating: 0, count: k * n)
            dede = [Double](repeating: 0, count: k * k)
        }
    }
}

/// The observations and σ_i the likelihood terms read (σ_i all 1 when none were given).
struct LikelihoodData {
    let y: UnsafeBufferPointer<Double>
    let s: UnsafeBufferPointer<Double>
    /// 1/σ_i (a product is several times cheaper than a quotient in the Gaussian loops).
    let w: UnsafeBufferPointer<Double>
    var count: Int { y.count }
}

/// A compiled likelihood: the sum of its terms, and their derivatives.
protocol PointLikelihood {
    /// Names of η.
    var extraNames: [String] { get }
    /// Where each η_k may lie by the likelihood itself (a scale or ν: (0, ∞)).
    var extraSupports: [ParameterSupport] { get }
    /// True when the derivatives are exact.
    var isExact: Bool { get }
    /// Σ_i ℓ_i (−∞ outside the likelihood's domain).
    func sum(_ f: UnsafeBufferPointer<Double>, _ data: LikelihoodData, _ eta: UnsafeBufferPointer<Double>) throws -> Double
    /// The per-point derivatives to first (or also second) order; returns Σ_i ℓ_i.
    func terms(_ f: UnsafeBufferPointer<Double>, _ data: LikelihoodData, _ eta: UnsafeBufferPointer<Double>,
               secondOrder: Bool, into terms: inout PointTerms) throws -> Double
    /// True when `expectedTerms` knows the expected information in closed form.
    var hasExpectedInformation: Bool { get }
    /// The expected second derivatives E_y[∂²ℓ_i] under the likelihood itself at (f, η), i.e.
    /// minus the per-point Fisher information, into `dfdf`, `dfde` and `dede` of a second-order
    /// `terms` (`df` and `de` are left as they are: their expectation is 0).
    func expectedTerms(_ f: UnsafeBufferPointer<Double>, _ data: LikelihoodData, _ eta: UnsafeBufferPointer<Double>,
                       into terms: inout PointTerms) throws
}

extension PointLikelihood {
    var hasExpectedInformation: Bool { false }
    func expectedTerms(_ f: UnsafeBufferPointer<Double>, _ data: LikelihoodData, _ eta: UnsafeBufferPointer<Double>,
                       into terms: inout PointTerms) throws {
        throw InferKitError.invalidArgument(Likelihood.noFisherMessage)
    }
}

extension Likelihood {
    /// Checks the likelihood against the data (σ presence, Poisson counts, ν > 0, names not
    /// clashing with `modelParameters`) and compiles it.
    func compile(y: [Double], sigma: [Double]?, modelParameters: [String]) throws -> any PointLikelihood {
        let sigmaGiven = sigma != nil
        let compiled: any PointLikelihood
        switch self {
        case .gaussian(let scale):
            try Self.requireSigma(scale, sigmaGiven, "Gaussian")
            compiled = AnalyticLikelihood(family: .gaussian, scale: scale, nu: nil, y: y, sigma: sigma)
        case .poisson:
            if sigmaGiven {
                throw InferKitError.invalidArgument("sigma was given but the Poisson likelihood has no sigma: its variance is the rate f")
            }
            for (i, v) in y.enumerated() where v < 0 || v != v.rounded() {
                throw InferKitError.invalidArgument(
                    "y[\(i)] = \(describe(v)) is not a count: the Poisson likelihood needs whole numbers >= 0")
            }
            compiled = AnalyticLikelihood(family: .poisson, scale: .known, nu: nil, y: y, sigma: nil)
        case .studentT(let nu, let scale):
            try Self.requireSigma(scale, sigmaGiven, "Student-t")
            if case .fixed(let v) = nu, !(v > 0 && v.isFinite) {
                throw InferKitError.invalidArgument("the Student-t degrees of freedom nu = \(describe(v)) must be > 0 and finite")
            }
            compiled = AnalyticLikelihood(family: .studentT, scale: scale, nu: nu, y: y, sigma: sigma)
        case .formula(let expression):
            compiled = try FormulaLikelihood(expression)
        case .function(let function, let names):
            compiled = ClosureLikelihood(function: function, extraNames: names)
        }
        var seen = Set(modelParameters)
        for name in compiled.extraNames where !seen.insert(name).inserted {
            throw InferKitError.invalidArgument(
                "the likelihood's parameter '\(name)' has the name of \(modelParameters.contains(name) ? "a model parameter" : "another of its parameters"): names must be distinct")
        }
        return compiled
    }

    private static func requireSigma(_ scale: NoiseScale, _ given: Bool, _ name: String) throws {
        if case .known = scale, !given {
            throw InferKitError.invalidArgument(
                "the \(name) likelihood with known sigma needs sigma (one per point); use sigma: .free(\"sigma\") to estimate a common scale")
        }
    }
}

/// The built-in likelihoods with their derivatives in closed form.
struct AnalyticLikelihood: PointLikelihood {
    enum Family { case gaussian, poisson, studentT }
    let family: Family
    let extraNames: [String]
    /// Index in η of the free scale c (σ_i = c s_i), if free.
    let scaleIndex: Int?
    /// Index in η of a free ν, if free.
    let nuIndex: Int?
    /// ν when fixed.
    let fixedNu: Double
    /// log y_i! (Poisson only).
    let logFactorials: [Double]
    /// Σ_i log s_i of the given σ (0 without them).
    let sumLogSigma: Double

    init(family: Family, scale: NoiseScale, nu: DegreesOfFreedom?, y: [Double], sigma: [Double]?) {
        self.family = family
        var names: [String] = []
        if case .free(let name) = scale { names.append(name) }
        scaleIndex = names.isEmpty ? nil : 0
        if case .free(let name)? = nu { nuIndex = names.count; names.append(name) } else { nuIndex = nil }
        if case .fixed(let v)? = nu { fixedNu = v } else { fixedNu = .nan }
        extraNames = names
        logFactorials = family == .poisson ? y.map { Glibc.lgamma($0 + 1) } : []
        sumLogSigma = sigma?.reduce(0) { $0 + Glibc.log($1) } ?? 0
    }

    var extraSupports: [ParameterSupport] {
        extraNames.map { _ in ParameterSupport(lower: 0, upper: .infinity) }
    }
    var isExact: Bool { true }

    /// (c, ν) from η: c = 1 for a known scale, ν = 1 unless Student-t; NaN for an η outside (0, ∞).
    private func scaleAndNu(_ eta: UnsafeBufferPointer<Double>) -> (c: Double, nu: Double) {
        let c = scaleIndex.map { eta[$0] } ?? 1
        guard family == .studentT else { return (c > 0 ? c : .nan, 1) }
        let nu = nuIndex.map { eta[$0] } ?? fixedNu
        return (c > 0 ? c : .nan, nu > 0 ? nu : .nan)
    }

    /// The Student-t normalising constant log Γ((ν+1)/2) − log Γ(ν/2) − ½ log(νπ).
    private static func studentConstant(_ nu: Double) -> Double {
        Glibc.lgamma(0.5 * (nu + 1)) - Glibc.lgamma(0.5 * nu) - 0.5 * Glibc.log(nu * Double.pi)
    }

    /// Σ_i r_i² with r_i = (y_i − f_i)/(c s_i), and with `slopes` also slopes[i] = r_i/(c s_i)
    /// (∂ℓ_i/∂f_i): `Elementwise.weightedSquares` with w_i = 1/s_i, its x86-64-v3 build where
    /// `CPUFeatures.usesWideKernels` (the same bits).
    @inline(__always)
    private static func gaussianSquares(_ f: UnsafeBufferPointer<Double>, _ y: UnsafeBufferPointer<Double>,
                                        _ w: UnsafeBufferPointer<Double>, scale c: Double, count n: Int,
                                        slopes: UnsafeMutablePointer<Double>?) -> Double {
        guard n > 0, let fp = f.baseAddress, let yp = y.baseAddress, let wp = w.baseAddress else { return 0 }
        if CPUFeatures.usesWideKernels(n) { return weightedSquaresV3(fp, yp, wp, 1 / c, n, slopes) }
        return Elementwise.weightedSquares(fp, yp, wp, 1 / c, n, slopes)
    }

    /// Σ_i log(c s_i) = n log c + Σ_i log s_i.
    private func logSigmas(_ c: Double, _ n: Int) -> Double {
        (c == 1 ? 0 : Double(n) * Glibc.log(c)) + sumLogSigma
    }

    func sum(_ f: UnsafeBufferPointer<Double>, _ data: LikelihoodData, _ eta: UnsafeBufferPointer<Double>) throws -> Double {
        let (c, nu) = scaleAndNu(eta)
        if c.isNaN || nu.isNaN { return -.infinity }
        let y = data.y, s = data.s, n = data.count
        var total = 0.0
        switch family {
        case .gaussian:
            let squares = Self.gaussianSquares(f, y, data.w, scale: c, count: n, slopes: nil)
            return -0.5 * squares - logSigmas(c, n) - Double(n) * halfLogTwoPi
        case .poisson:
            for i in 0..<n {
                let rate = f[i]
                if rate > 0 {
                    total += y[i] * Glibc.log(rate) - rate - logFactorials[i]
                } else if rate == 0 && y[i] == 0 {
                    continue
                } else if rate.isNaN {
                    return .nan
                } else {
                    return -.infinity
                }
            }
            return total
        case .studentT:
            let half = 0.5 * (nu + 1)
            for i in 0..<n {
                let r = (y[i] - f[i]) / (c * s[i])
                total -= half * Glibc.log1p(r * r / nu)
            }
            return total - logSigmas(c, n) + Double(n) * Self.studentConstant(nu)
        }
    }

    func terms(_ f: UnsafeBufferPointer<Double>, _ data: LikelihoodData, _ eta: UnsafeBufferPointer<Double>,
               secondOrder: Bool, into t: inout PointTerms) throws -> Double {
        if family == .gaussian && !secondOrder {
            // The gradient path of HMC: one pass over the points, with exactly the value that
            // `sum` computes (the same pass), and the loop below's slopes to within an ulp.
            let (c, _) = scaleAndNu(eta)
            if c.isNaN { return -.infinity }
            let y = data.y, n = data.count
            let squares = t.df.withUnsafeMutableBufferPointer { df in
                Self.gaussianSquares(f, y, data.w, scale: c, count: n, slopes: df.baseAddress)
            }
            let value = -0.5 * squares - logSigmas(c, n) - Double(n) * halfLogTwoPi
            // ∂/∂c Σ_i ℓ_i = Σ_i (r_i² − 1)/c.
            if let ci = scaleIndex, value.isFinite { t.de[ci] += (squares - Double(n)) / c }
            return value
        }
        let total = try sum(f, data, eta)
        guard total.isFinite else { return total }
        let (c, nu) = scaleAndNu(eta)
        let y = data.y, s = data.s, n = data.count
        let ci = scaleIndex, ni = nuIndex, k = extraNames.count
        switch family {
        case .gaussian:
            for i in 0..<n {
                let sigma = c * s[i], r = (y[i] - f[i]) / sigma
                t.df[i] = r / sigma
                if let ci { t.de[ci] += (r * r - 1) / c }
                guard secondOrder else { continue }
                t.dfdf[i] = -1 / (sigma * sigma)
                if let ci {
                    t.dfde[ci * n + i] = -2 * r / (sigma * c)
                    t.dede[ci * k + ci] += (1 - 3 * r * r) / (c * c)
                }
            }
        case .poisson:
            for i in 0..<n {
                let rate = f[i]
                // At f = y = 0 the term is −f: slope −1, no curvature.
                t.df[i] = y[i] == 0 ? -1 : y[i] / rate - 1
                if secondOrder { t.dfdf[i] = y[i] == 0 ? 0 : -y[i] / (rate * rate) }
            }
        case .studentT:
            // ψ terms of ∂ℓ/∂ν (the same for every point).
            let digammas = 0.5 * (SpecialFunctions.digamma(0.5 * (nu + 1)) - SpecialFunctions.digamma(0.5 * nu) - 1 / nu)
            let trigammas = 0.25 * (SpecialFunctions.trigamma(0.5 * (nu + 1)) - SpecialFunctions.trigamma(0.5 * nu)) + 0.5 / (nu * nu)
            for i in 0..<n {
                let sigma = c * s[i], r = (y[i] - f[i]) / sigma, r2 = r * r, q = nu + r2
                t.df[i] = (nu + 1) * r / (sigma * q)
                if let ci { t.de[ci] += (-1 + (nu + 1) * r2 / q) / c }
                if let ni { t.de[ni] += digammas + 0.5 * ((nu + 1) * r2 / (nu * q) - Glibc.log1p(r2 / nu)) }
                guard secondOrder else { continue }
                t.dfdf[i] = -(nu + 1) * (nu - r2) / (sigma * sigma * q * q)
                if let ci {
                    t.dfde[ci * n + i] = -2 * nu * (nu + 1) * r / (sigma * c * q * q)
                    t.dede[ci * k + ci] += (1 - (nu + 1) * r2 * (2 * nu + q) / (q * q)) / (c * c)
                }
                if let ni {
                    t.dfde[ni * n + i] = r * (r2 - 1) / (sigma * q * q)
                    let nq = nu * q
                    t.dede[ni * k + ni] += trigammas + 0.5 * (r2 / nq + r2 * (nq - (nu + 1) * (2 * nu + r2)) / (nq * nq))
                }
                if let ci, let ni {
                    let mixed = r2 * (r2 - 1) / (c * q * q)
                    t.dede[ci * k + ni] += mixed
                    t.dede[ni * k + ci] += mixed
                }
            }
        }
        return total
    }

    var hasExpectedInformation: Bool { true }

    /// Minus the Fisher information per point, with σ_i = c s_i, r_i = (y_i − f_i)/σ_i:
    /// Gaussian E[∂²ℓ/∂f²] = −1/σ_i², E[∂²ℓ/∂c²] = −2/c², E[∂²ℓ/∂f∂c] = 0; Poisson
    /// E[∂²ℓ/∂f²] = −1/f_i; Student-t (Lange, Little & Taylor, JASA 84 (1989) 881, eq. (A.2))
    /// E[∂²ℓ/∂f²] = −(ν+1)/((ν+3)σ_i²), E[∂²ℓ/∂c²] = −2ν/((ν+3)c²),
    /// E[∂²ℓ/∂c∂ν] = 2/((ν+1)(ν+3)c), E[∂²ℓ/∂ν²] = −¼[ψ′(ν/2) − ψ′((ν+1)/2)] + (ν+5)/(2ν(ν+1)(ν+3)),
    /// and f independent of (c, ν) by symmetry.
    func expectedTerms(_ f: UnsafeBufferPointer<Double>, _ data: LikelihoodData, _ eta: UnsafeBufferPointer<Double>,
                       into t: inout PointTerms) throws {
        let (c, nu) = scaleAndNu(eta)
        let s = data.s, n = data.count
        let ci = scaleIndex, ni = nuIndex, k = extraNames.count
        for j in 0..<(k * n) { t.dfde[j] = 0 }
        for j in 0..<(k * k) { t.dede[j] = 0 }
        switch family {
        case .gaussian:
            for i in 0..<n {
                let sigma = c * s[i]
                t.dfdf[i] = -1 / (sigma * sigma)
            }
            if let ci { t.dede[ci * k + ci] = -2 * Double(n) / (c * c) }
        case .poisson:
            // The information 1/f diverges as the rate goes to 0.
            for i in 0..<n { t.dfdf[i] = f[i] > 0 ? -1 / f[i] : (f[i] == 0 ? -.infinity : .nan) }
        case .studentT:
            let location = (nu + 1) / (nu + 3)
            for i in 0..<n {
                let sigma = c * s[i]
                t.dfdf[i] = -location / (sigma * sigma)
            }
            let count = Double(n)
            if let ci { t.dede[ci * k + ci] = -count * 2 * nu / ((nu + 3) * c * c) }
            if let ni {
                let information = 0.25 * (SpecialFunctions.trigamma(0.5 * nu) - SpecialFunctions.trigamma(0.5 * (nu + 1)))
                    - (nu + 5) / (2 * nu * (nu + 1) * (nu + 3))
                t.dede[ni * k + ni] = -count * information
            }
            if let ci, let ni {
                let mixed = count * 2 / ((nu + 1) * (nu + 3) * c)
                t.dede[ci * k + ni] = mixed
                t.dede[ni * k + ci] = mixed
            }
        }
    }
}
