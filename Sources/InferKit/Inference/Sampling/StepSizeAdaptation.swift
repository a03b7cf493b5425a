#if canImport(Glibc)
import Glibc
#endif

// Step-size adaptation by dual averaging (Nesterov 2009; Hoffman & Gelman 2014, "The No-U-Turn
// Sampler", section 3.2, algorithm 5): during warm-up log ε follows
//   H̄_t = (1 − 1/(t + t₀)) H̄_{t−1} + (δ − α_t)/(t + t₀),   log ε_t = μ − √t H̄_t / γ,
// and its averaged iterate log ε̄_t = t^−κ log ε_t + (1 − t^−κ) log ε̄_{t−1} is the step size
// kept for sampling; α_t is the transition's mean acceptance statistic and δ the target.

/// Dual averaging of the step size towards a target mean acceptance statistic.
struct StepSizeAdaptation: Sendable, Equatable {
    /// The target δ of the mean acceptance statistic (0.8 by default).
    var target: Double
    /// The shrinkage γ towards μ.
    var gamma = 0.05
    /// The stabilising offset t₀ of early iterations.
    var t0 = 10.0
    /// The decay exponent κ of the averaging weights.
    var kappa = 0.75
    /// The point μ that log ε is shrunk towards: log(10 ε₀).
    var mu = 0.0
    private(set) var counter = 0.0
    private(set) var sBar = 0.0
    private(set) var xBar = 0.0

    init(target: Double) { self.target = target }

    /// Starts again from ε₀: μ = log(10 ε₀) and the averages cleared.
    mutating func restart(from stepSize: Double) {
        mu = log(10 * stepSize)
        counter = 0
        sBar = 0
        xBar = 0
    }

    /// The next step size after a transition whose mean acceptance statistic was `accept`.
    mutating func learn(acceptance accept: Double) -> Double {
        counter += 1
        let a = min(1, accept.isNaN ? 0 : accept)
        let eta = 1 / (counter + t0)
        sBar = (1 - eta) * sBar + eta * (target - a)
        let x = mu - sBar * counter.squareRoot() / gamma
        let xEta = pow(counter, -kappa)
        xBar = (1 - xEta) * xBar + xEta * x
        return exp(x)
    }

    /// The averaged step size exp(log ε̄) that sampling uses.
    var finalStepSize: Double { exp(xBar) }
}
