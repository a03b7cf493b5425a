/// Adam (Kingma & Ba, "Adam: a method for stochastic optimization", ICLR 2015, Algorithm 1):
/// m_t = β₁ m_{t-1} + (1 - β₁) g_t, v_t = β₂ v_{t-1} + (1 - β₂) g_t², and
/// x_t = P(x_{t-1} - α m̂_t / (√v̂_t + ε)) with the bias corrections m̂_t = m_t / (1 - β₁ᵗ),
/// v̂_t = v_t / (1 - β₂ᵗ) and P the projection onto the bounds. When f or ∇f is NaN or infinite
/// at the new point the step is halved (up to `maxLineSearchEvaluations` times) before the run
/// stops with `nonFiniteValue`. The iterates are not monotone in f, so only the gradient test
/// (with `maxIterations`) ends a run; the last iterate is returned.
struct Adam: MinimizerIteration {
    private(set) var current: Iterate
    private let counter: CountedObjective
    private let bounds: Bounds?
    private let learningRate, beta1, beta2, epsilon: Double
    private let maxBackoffs: Int
    private var firstMoment: [Double]
    private var secondMoment: [Double]
    /// β₁ᵗ and β₂ᵗ.
    private var beta1Power = 1.0, beta2Power = 1.0

    init(start: Iterate, counter: CountedObjective, bounds: Bounds?, options: MinimizeOptions) {
        current = start
        self.counter = counter
        self.bounds = bounds
        learningRate = options.learningRate ?? 0.001
        beta1 = options.beta1
        beta2 = options.beta2
        epsilon = options.epsilon
        maxBackoffs = options.maxLineSearchEvaluations
        firstMoment = [Double](repeating: 0, count: start.x.count)
        secondMoment = firstMoment
    }

    var gradientNorm: Double? { projectedGradientNorm(current, bounds) }

    func convergence(after previous: Iterate?, _ options: MinimizeOptions) -> MinimizeStatus? {
        if let norm = gradientNorm, norm <= options.gtol { return .gradientTolerance }
        return nil
    }

    mutating func advance() throws -> MinimizeStatus? {
        let g = current.gradient ?? []
        beta1Power *= beta1
        beta2Power *= beta2
        let correction1 = 1 - beta1Power, correction2 = 1 - beta2Power
        var step = [Double](repeating: 0, count: g.count)
        for i in g.indices {
            firstMoment[i] = beta1 * firstMoment[i] + (1 - beta1) * g[i]
            secondMoment[i] = beta2 * secondMoment[i] + (1 - beta2) * g[i] * g[i]
            step[i] = learningRate * (firstMoment[i] / correction1)
                / ((secondMoment[i] / correction2).squareRoot() + epsilon)
        }
        var scale = 1.0
        for _ in 0...maxBackoffs {
            var x = Vector.adding(current.x, -scale, step)
            if let bounds { x = bounds.project(x) }
            let (f, gradient) = try counter.valueAndGradient(x)
            if f.isFinite && Vector.isFinite(gradient) {
                current = Iterate(x: x, value: f, gradient: gradient)
                return nil
            }
            scale *= 0.5
        }
        return .nonFiniteValue
    }
}
